import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../paths';
import { MappingEngine, type MappedAction } from './mapping-engine';
import { decodeRelative, encodeRelative, guessRelativeEncoding } from './relative';
import { parseMappingJson, parseMidiStream, replayStream } from './replay';

const TWO_DECK = parseMappingJson(readFileSync(join(PACKAGE_ROOT, 'resources', 'mappings', 'generic-two-deck.json'), 'utf8'));

/** Replays a recorded stream (`ms hex bytes` per line) and keeps what a reader compares. */
function replay(stream: string, engine = new MappingEngine(TWO_DECK)): Array<Pick<MappedAction, 'tMs' | 'action' | 'slot' | 'value'>> {
  const actions: MappedAction[] = [];
  for (const message of parseMidiStream(stream)) actions.push(...engine.handle(message.bytes, message.tMs));
  return actions.map(({ tMs, action, slot, value }) => ({ tMs, action, slot, value }));
}

describe('the mapping engine on a two-deck controller', () => {
  it('turns each deck\'s jog wheel (two\'s complement) into signed seek steps for that deck', () => {
    const actions = replay(`
      0   b0 21 01
      8   b0 21 03
      16  b0 21 7f
      24  b0 21 7d
      30  b1 21 02
      40  b1 21 7e
    `);
    expect(actions).toEqual([
      { tMs: 0, action: 'player.seek', slot: 1, value: 1 },
      { tMs: 8, action: 'player.seek', slot: 1, value: 3 },
      { tMs: 16, action: 'player.seek', slot: 1, value: -1 },
      { tMs: 24, action: 'player.seek', slot: 1, value: -3 },
      { tMs: 30, action: 'player.seek', slot: 2, value: 2 },
      { tMs: 40, action: 'player.seek', slot: 2, value: -2 },
    ]);
  });

  it('reads offset-64 and sign-magnitude encoders, and both ways of each encoding agree', () => {
    const actions = replay(`
      0 b0 1a 03
      1 b0 1a 41
      2 b1 1a 42
      3 b1 1a 3f
      4 b1 1a 40
    `);
    expect(actions.map((action) => [action.slot, action.value])).toEqual([[1, 3], [1, -1], [2, 2], [2, -1]]);
    for (const encoding of ['twos-complement', 'offset-64', 'sign-magnitude'] as const) {
      for (const step of [-63, -5, -1, 1, 7, 63]) expect(decodeRelative(encodeRelative(step, encoding), encoding)).toBe(step);
      expect(guessRelativeEncoding([1, 1, 2, -1, -2].map((step) => encodeRelative(step, encoding)))).toBe(encoding);
    }
    expect(guessRelativeEncoding([0, 12, 40, 90, 127, 64, 30, 20, 11, 99])).toBeNull();
  });

  it('joins a 14-bit pitch fader\'s MSB and LSB into one position per deck', () => {
    const actions = replay(`
      0  b0 00 40
      1  b0 20 00
      10 b0 00 7f
      11 b0 20 7f
      20 b1 00 00
      21 b1 20 01
    `);
    expect(actions).toEqual([
      { tMs: 1, action: 'player.pitch', slot: 1, value: 8192 / 16383 },
      { tMs: 11, action: 'player.pitch', slot: 1, value: 1 },
      { tMs: 21, action: 'player.pitch', slot: 2, value: 1 / 16383 },
    ]);
  });

  it('reads pitch bend as a 14-bit position and a 7-bit 64 as 64/127', () => {
    const actions = replay(`
      0 e0 00 40
      5 e0 7f 7f
      9 b6 1f 40
    `);
    expect(actions).toEqual([
      { tMs: 0, action: 'studio.trackPan', slot: 1, value: 8192 / 16383 },
      { tMs: 5, action: 'studio.trackPan', slot: 1, value: 1 },
      { tMs: 9, action: 'player.crossfade', slot: null, value: 64 / 127 },
    ]);
  });

  it('uses the shift layer while shift is held, and sends a release to the binding its press went to', () => {
    const actions = replay(`
      0   90 3f 7f
      10  90 0b 7f
      20  90 0b 00
      30  b0 21 02
      40  91 0b 7f
      50  90 3f 00
      60  90 0b 7f
      70  90 0b 00
      80  90 3f 7f
      90  90 0b 7f
      100 90 3f 00
      110 80 0b 00
    `);
    expect(actions).toEqual([
      { tMs: 10, action: 'broadcast.markTrack', slot: null, value: 1 },
      { tMs: 20, action: 'broadcast.markTrack', slot: null, value: 0 },
      { tMs: 30, action: 'karaoke.key', slot: null, value: 2 },
      { tMs: 40, action: 'player.next', slot: null, value: 1 },
      { tMs: 60, action: 'player.playPause', slot: 1, value: 1 },
      { tMs: 90, action: 'broadcast.markTrack', slot: null, value: 1 },
      { tMs: 110, action: 'broadcast.markTrack', slot: null, value: 0 },
    ]);
  });

  it('flips a toggle button from the app\'s state, so play pauses a deck that is playing', () => {
    const engine = new MappingEngine(TWO_DECK);
    expect(replay('0 90 0b 7f\n5 90 0b 00\n10 90 0b 7f\n15 90 0b 00', engine).map((action) => action.value)).toEqual([1, 0]);
    engine.setState('player.playing', 1, 1);
    expect(replay('20 90 0b 7f\n25 90 0b 00', engine).map((action) => action.value)).toEqual([0]);
    // A momentary button says 1 on press and 0 on release.
    expect(replay('30 90 42 7f\n40 90 42 00', engine).map((action) => [action.action, action.value])).toEqual([
      ['broadcast.nowPlayingNext', 1],
      ['broadcast.nowPlayingNext', 0],
    ]);
  });

  it('fires Go Live and End only when held, so a bump does nothing', () => {
    const engine = new MappingEngine(TWO_DECK);
    const bumped = replay('1000 90 40 7f\n1300 90 40 00', engine);
    expect(bumped).toEqual([]);
    expect(replay('2000 90 40 7f', engine)).toEqual([]);
    expect(engine.nextHoldDeadlineMs()).toBe(3000);
    expect(engine.advance(2999)).toEqual([]);
    expect(engine.advance(3001).map(({ tMs, action, value }) => ({ tMs, action, value }))).toEqual([{ tMs: 3000, action: 'broadcast.goLive', value: 1 }]);
    expect(replay('3500 90 40 00', engine)).toEqual([]);
    // Shift + the same pad is End, held for 1.5 s; a later message delivers it when no timer ran.
    const ended = replay('5000 90 3f 7f\n5010 90 40 7f\n6600 b0 21 01', engine);
    expect(ended).toEqual([
      { tMs: 6510, action: 'broadcast.end', slot: null, value: 1 },
      { tMs: 6600, action: 'karaoke.key', slot: null, value: 1 },
    ]);
  });

  it('never fires a held action or shift from a fader or an encoder', () => {
    const engine = new MappingEngine({
      ...TWO_DECK,
      bindings: [
        { status: 0xb0, midino: 1, action: 'broadcast.end', layer: 'any', control: 'absolute', buttonMode: 'momentary', softTakeover: false, invert: false },
        { status: 0xb0, midino: 2, action: 'broadcast.goLive', layer: 'any', control: 'relative', encoding: 'twos-complement', buttonMode: 'momentary', softTakeover: false, invert: false },
        { status: 0xb0, midino: 3, action: 'controller.shift', layer: 'any', control: 'absolute', buttonMode: 'momentary', softTakeover: false, invert: false },
      ],
    });
    expect(replay('0 b0 01 7f\n10 b0 02 01\n20 b0 03 7f\n5000 b0 01 7f', engine)).toEqual([]);
    expect(engine.advance(10_000)).toEqual([]);
    expect(engine.isShiftHeld).toBe(false);
  });

  it('picks a fader up only once it reaches the app\'s value (soft takeover), and again after the app moves it', () => {
    const engine = new MappingEngine(TWO_DECK);
    engine.setState('player.volume', 1, 0.5);
    const actions = replay(
      `
      0  b0 13 00
      10 b0 13 10
      20 b0 13 30
      30 b0 13 42
      40 b0 13 50
    `,
      engine,
    );
    // 0x42 jumped over 0.5 (63.5/127) from 0x30, so it takes over there.
    expect(actions.map((action) => Math.round(action.value * 127))).toEqual([0x42, 0x50]);
    engine.setState('player.volume', 1, 0.1);
    expect(replay('50 b0 13 51\n60 b0 13 0e', engine).map((action) => Math.round(action.value * 127))).toEqual([0x0e]);
    // The shift layer's fader drives a different parameter, with its own takeover.
    engine.setState('studio.trackFader', 1, 1);
    expect(replay('70 90 3f 7f\n80 b0 13 20\n90 b0 13 7e', engine).map((action) => [action.action, Math.round(action.value * 127)])).toEqual([['studio.trackFader', 0x7e]]);
  });

  it('passes the pad channel\'s notes to the studio with their velocity', () => {
    const actions = new MappingEngine(TWO_DECK).handle([0x99, 60, 100], 5).concat(new MappingEngine(TWO_DECK).handle([0x89, 60, 0], 6));
    expect(actions.map(({ action, note, value }) => ({ action, note, value }))).toEqual([
      { action: 'studio.note', note: 60, value: 100 / 127 },
      { action: 'studio.note', note: 60, value: 0 },
    ]);
  });

  it('lights play while a deck plays, live while on air, and a meter on an LED row, sending only what changed', () => {
    const engine = new MappingEngine(TWO_DECK);
    expect(engine.setState('player.playing', 1, 1)).toEqual([[0x90, 0x0b, 0x7f]]);
    expect(engine.setState('player.playing', 1, 1)).toEqual([]);
    expect(engine.setState('player.playing', 2, 1)).toEqual([[0x91, 0x0b, 0x7f]]);
    expect(engine.setState('player.playing', 1, 0)).toEqual([[0x90, 0x0b, 0x00]]);
    expect(engine.setState('broadcast.live', undefined, 1)).toEqual([[0x90, 0x40, 0x7f]]);
    expect(engine.setState('broadcast.meter', undefined, 0.5)).toEqual([
      [0x90, 0x50, 0x7f], [0x90, 0x51, 0x7f], [0x90, 0x52, 0x7f], [0x90, 0x53, 0x7f],
      [0x90, 0x54, 0x00], [0x90, 0x55, 0x00], [0x90, 0x56, 0x00], [0x90, 0x57, 0x00],
    ]);
    expect(engine.setState('broadcast.meter', undefined, 0.75)).toEqual([[0x90, 0x54, 0x7f], [0x90, 0x55, 0x7f]]);
    expect(engine.setState('broadcast.meter', undefined, 0)).toHaveLength(6);
    // A controller plugged in later gets every LED at once.
    expect(engine.refreshOutputs()).toHaveLength(2 + 1 + 1 + 8);
  });

  it('gives the same actions from a recorded file as message by message (replay)', () => {
    const stream = readFileSync(join(import.meta.dirname, 'fixtures', 'two-deck-session.txt'), 'utf8');
    const fromReplay = replayStream(TWO_DECK, parseMidiStream(stream));
    expect(fromReplay.map(({ tMs, action, slot, value }) => ({ tMs, action, slot, value }))).toEqual(replay(stream).concat([]));
    expect(fromReplay.some((action) => action.action === 'broadcast.goLive')).toBe(true);
  });

  it('refuses a broken stream line in words', () => {
    expect(() => parseMidiStream('10 90 0b 7f\n5 90 0b 00')).toThrow('line 2: the time goes backwards');
    expect(() => parseMidiStream('abc 90')).toThrow('line 1: "abc" is not a time');
    expect(() => parseMidiStream('0 zz')).toThrow('"zz" is not a hex byte');
    expect(() => parseMidiStream('0 0b 7f')).toThrow('starts with a status byte');
    expect(() => parseMappingJson('{"format":"x"}')).toThrow('not a Mixdeck MIDI mapping');
  });
});
