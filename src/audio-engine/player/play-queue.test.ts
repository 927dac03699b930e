import { describe, expect, it } from 'vitest';
import {
  createQueue,
  currentItem,
  cycleRepeat,
  enqueue,
  itemAtPosition,
  jumpToIndex,
  moveItem,
  moveTo,
  nextPosition,
  previousPosition,
  removeAt,
  setShuffle,
  upcoming,
  type PlayQueue,
} from './play-queue';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function playAll<T>(queue: PlayQueue<T>, limit: number): T[] {
  const played: T[] = [];
  let current: PlayQueue<T> | null = queue;
  while (current && played.length < limit) {
    played.push(currentItem(current)!);
    const next: number | null = nextPosition(current, true);
    current = next === null ? null : moveTo(current, next);
  }
  return played;
}

describe('play queue', () => {
  it('plays in order from the chosen track and stops at the end with repeat off', () => {
    expect(playAll(createQueue(['a', 'b', 'c', 'd'], 1), 10)).toEqual(['b', 'c', 'd']);
  });

  it('wraps with repeat all and replays the same track with repeat one, unless Next is pressed', () => {
    expect(playAll(createQueue(['a', 'b', 'c'], 1, { repeat: 'all' }), 6)).toEqual(['b', 'c', 'a', 'b', 'c', 'a']);
    const one = createQueue(['a', 'b', 'c'], 1, { repeat: 'one' });
    expect(nextPosition(one, true)).toBe(1);
    expect(nextPosition(one, false)).toBe(2);
    expect(cycleRepeat('off')).toBe('all');
    expect(cycleRepeat('all')).toBe('one');
    expect(cycleRepeat('one')).toBe('off');
  });

  it('shuffles every track exactly once, starting with the one playing, reproducibly for a seed', () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const queue = createQueue(items, 7, { shuffle: true, random: seeded(1) });
    const played = playAll(queue, 100);
    expect(played[0]).toBe(7);
    expect([...played].sort((a, b) => a - b)).toEqual(items);
    expect(played).not.toEqual([7, ...items.filter((index) => index !== 7)]);
    expect(playAll(createQueue(items, 7, { shuffle: true, random: seeded(1) }), 100)).toEqual(played);
  });

  it('keeps the current track when shuffle is turned on and off', () => {
    let queue = moveTo(createQueue(['a', 'b', 'c', 'd', 'e'], 0), 2);
    queue = setShuffle(queue, true, seeded(3));
    expect(currentItem(queue)).toBe('c');
    expect(queue.position).toBe(0);
    queue = setShuffle(queue, false);
    expect(currentItem(queue)).toBe('c');
    expect(upcoming(queue)).toEqual(['d', 'e']);
  });

  it('goes back, and wraps back only with repeat', () => {
    const queue = createQueue(['a', 'b', 'c'], 0);
    expect(previousPosition(queue)).toBeNull();
    expect(previousPosition({ ...queue, repeat: 'all' })).toBe(2);
    expect(previousPosition(moveTo(queue, 2))).toBe(1);
  });

  it('plays added tracks next or last, in shuffle mode too', () => {
    const queue = createQueue(['a', 'b', 'c'], 0);
    expect(upcoming(enqueue(queue, ['x', 'y'], 'next'))).toEqual(['x', 'y', 'b', 'c']);
    expect(upcoming(enqueue(queue, ['x'], 'end'))).toEqual(['b', 'c', 'x']);
    const shuffled = setShuffle(createQueue(['a', 'b', 'c', 'd'], 1), true, seeded(9));
    const added = enqueue(shuffled, ['x'], 'next');
    expect(currentItem(added)).toBe('b');
    expect(itemAtPosition(added, nextPosition(added, true))).toBe('x');
    expect(enqueue(createQueue<string>([], 0), ['x'], 'end').position).toBe(0);
  });

  it('removes and reorders items without losing the current one', () => {
    let queue = moveTo(createQueue(['a', 'b', 'c', 'd'], 0), 2);
    queue = removeAt(queue, 0);
    expect(currentItem(queue)).toBe('c');
    queue = moveItem(queue, 2, 0);
    expect(queue.items).toEqual(['d', 'b', 'c']);
    expect(currentItem(queue)).toBe('c');
    queue = jumpToIndex(queue, 1);
    expect(currentItem(queue)).toBe('b');
    queue = removeAt(queue, 1);
    expect(currentItem(queue)).toBe('c');
  });
});
