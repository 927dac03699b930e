/**
 * The play queue as plain data with pure functions, so the player, the queue panel and the
 * tests all read one truth. `items` is the order the user sees and edits; `order` is the order
 * of play (the identity, or a shuffle of it that starts with the current item).
 */

export type RepeatMode = 'off' | 'all' | 'one';

export interface PlayQueue<T> {
  readonly items: readonly T[];
  /** Indices into `items`, in playing order. */
  readonly order: readonly number[];
  /** Position in `order` of the current item; -1 when the queue is empty. */
  readonly position: number;
  readonly shuffle: boolean;
  readonly repeat: RepeatMode;
}

/** A source of numbers in [0, 1); tests pass a seeded one. */
export type RandomSource = () => number;

function identity(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}

/** Fisher–Yates over every index except `first`, which leads (the track playing now keeps playing). */
function shuffledOrder(length: number, first: number, random: RandomSource): number[] {
  const rest = identity(length).filter((index) => index !== first);
  for (let index = rest.length - 1; index > 0; index -= 1) {
    const swap = Math.floor(random() * (index + 1));
    [rest[index], rest[swap]] = [rest[swap]!, rest[index]!];
  }
  return first >= 0 && first < length ? [first, ...rest] : rest;
}

export function createQueue<T>(
  items: readonly T[],
  startIndex: number,
  options: { shuffle?: boolean; repeat?: RepeatMode; random?: RandomSource } = {},
): PlayQueue<T> {
  const shuffle = options.shuffle ?? false;
  const start = items.length === 0 ? -1 : Math.min(Math.max(0, startIndex), items.length - 1);
  const order = shuffle ? shuffledOrder(items.length, start, options.random ?? Math.random) : identity(items.length);
  return { items, order, position: start < 0 ? -1 : order.indexOf(start), shuffle, repeat: options.repeat ?? 'off' };
}

export function currentIndex<T>(queue: PlayQueue<T>): number {
  return queue.position < 0 ? -1 : (queue.order[queue.position] ?? -1);
}

export function currentItem<T>(queue: PlayQueue<T>): T | null {
  const index = currentIndex(queue);
  return index < 0 ? null : (queue.items[index] ?? null);
}

/**
 * The position that plays after the current one, or null at the end.
 * `automatic` is true when the track ended by itself: only then does repeat-one replay it;
 * a press of Next always moves on.
 */
export function nextPosition<T>(queue: PlayQueue<T>, automatic: boolean): number | null {
  if (queue.position < 0 || queue.order.length === 0) return null;
  if (automatic && queue.repeat === 'one') return queue.position;
  if (queue.position + 1 < queue.order.length) return queue.position + 1;
  return queue.repeat === 'off' ? null : 0;
}

export function previousPosition<T>(queue: PlayQueue<T>): number | null {
  if (queue.position < 0 || queue.order.length === 0) return null;
  if (queue.position > 0) return queue.position - 1;
  return queue.repeat === 'off' ? null : queue.order.length - 1;
}

/** The item at a position of play, e.g. the one to decode ahead for a gapless join. */
export function itemAtPosition<T>(queue: PlayQueue<T>, position: number | null): T | null {
  if (position === null) return null;
  const index = queue.order[position];
  return index === undefined ? null : (queue.items[index] ?? null);
}

export function moveTo<T>(queue: PlayQueue<T>, position: number): PlayQueue<T> {
  if (position < 0 || position >= queue.order.length) return queue;
  return { ...queue, position };
}

/** Jumps to an item by its index in `items` (a click in the queue panel). */
export function jumpToIndex<T>(queue: PlayQueue<T>, itemIndex: number): PlayQueue<T> {
  const position = queue.order.indexOf(itemIndex);
  return position < 0 ? queue : { ...queue, position };
}

export function setShuffle<T>(queue: PlayQueue<T>, shuffle: boolean, random: RandomSource = Math.random): PlayQueue<T> {
  if (shuffle === queue.shuffle) return queue;
  const current = currentIndex(queue);
  if (!shuffle) return { ...queue, shuffle, order: identity(queue.items.length), position: current };
  const order = shuffledOrder(queue.items.length, current, random);
  return { ...queue, shuffle, order, position: current < 0 ? -1 : 0 };
}

export function setRepeat<T>(queue: PlayQueue<T>, repeat: RepeatMode): PlayQueue<T> {
  return { ...queue, repeat };
}

export function cycleRepeat(mode: RepeatMode): RepeatMode {
  return mode === 'off' ? 'all' : mode === 'all' ? 'one' : 'off';
}

/**
 * Adds items right after the current one ("play next") or at the end. In shuffle mode added
 * items keep the place asked for in the playing order too, so "play next" means next.
 */
export function enqueue<T>(queue: PlayQueue<T>, added: readonly T[], where: 'next' | 'end'): PlayQueue<T> {
  if (added.length === 0) return queue;
  const current = currentIndex(queue);
  const insertAt = where === 'next' && current >= 0 ? current + 1 : queue.items.length;
  const items = [...queue.items.slice(0, insertAt), ...added, ...queue.items.slice(insertAt)];
  const shifted = queue.order.map((index) => (index >= insertAt ? index + added.length : index));
  const newIndices = added.map((_, offset) => insertAt + offset);
  const orderInsertAt = where === 'next' && queue.position >= 0 ? queue.position + 1 : shifted.length;
  const order = [...shifted.slice(0, orderInsertAt), ...newIndices, ...shifted.slice(orderInsertAt)];
  const position = queue.position < 0 ? 0 : queue.position;
  return { ...queue, items, order, position: items.length === 0 ? -1 : position };
}

/** Removes the item at `itemIndex`; removing the current one makes the next one current. */
export function removeAt<T>(queue: PlayQueue<T>, itemIndex: number): PlayQueue<T> {
  if (itemIndex < 0 || itemIndex >= queue.items.length) return queue;
  const items = queue.items.filter((_, index) => index !== itemIndex);
  const removedPosition = queue.order.indexOf(itemIndex);
  const order = queue.order.filter((index) => index !== itemIndex).map((index) => (index > itemIndex ? index - 1 : index));
  let position = queue.position;
  if (removedPosition < position) position -= 1;
  if (position >= order.length) position = order.length - 1;
  return { ...queue, items, order, position };
}

/** Moves an item in the visible list (drag in the queue panel); the current item stays current. */
export function moveItem<T>(queue: PlayQueue<T>, fromIndex: number, toIndex: number): PlayQueue<T> {
  const length = queue.items.length;
  if (fromIndex === toIndex || fromIndex < 0 || toIndex < 0 || fromIndex >= length || toIndex >= length) return queue;
  const items = [...queue.items];
  const [moved] = items.splice(fromIndex, 1);
  items.splice(toIndex, 0, moved!);
  const remap = (index: number): number => {
    if (index === fromIndex) return toIndex;
    if (fromIndex < toIndex && index > fromIndex && index <= toIndex) return index - 1;
    if (fromIndex > toIndex && index >= toIndex && index < fromIndex) return index + 1;
    return index;
  };
  if (!queue.shuffle) {
    const current = remap(currentIndex(queue));
    return { ...queue, items, order: identity(length), position: queue.position < 0 ? -1 : current };
  }
  return { ...queue, items, order: queue.order.map(remap) };
}

/** Items still to play after the current one, in playing order (no wrap-around). */
export function upcoming<T>(queue: PlayQueue<T>): T[] {
  if (queue.position < 0) return [];
  return queue.order.slice(queue.position + 1).map((index) => queue.items[index]!);
}
