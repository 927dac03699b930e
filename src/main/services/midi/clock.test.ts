import { describe, expect, it, vi } from 'vitest';
import { clockIntervalMs, MidiClockFollower, MidiClockSender, type ClockFollowerState } from './clock';
import { LearnSession } from './learn';
import { encodeRelative } from './relative';

describe('MIDI clock out', () => {
  it('sends start, 24 pulses per quarter note at the tempo, and stop', async () => {
    const sent: Array<{ byte: number; atMs: number }> = [];
    const sender = new MidiClockSender({ send: (bytes) => sent.push({ byte: bytes[0]!, atMs: performance.now() }) });
    sender.start(240);
    await vi.waitFor(() => expect(sent.filter((entry) => entry.byte === 0xf8).length).toBeGreaterThanOrEqual(49), { timeout: 10_000, interval: 20 });
    sender.stop();
    const count = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent.length).toBe(count);
    expect(sent[0]!.byte).toBe(0xfa);
    expect(sent.at(-1)!.byte).toBe(0xfc);
    const pulses = sent.filter((entry) => entry.byte === 0xf8);
    // 48 intervals at 240 BPM are two beats: 500 ms on the grid (timers on a busy machine only add lateness, never drift).
    const spanMs = pulses[48]!.atMs - pulses[0]!.atMs;
    expect(spanMs).toBeGreaterThan(500 - clockIntervalMs(240));
    expect(spanMs).toBeLessThan(2000);
  });

  it('changes tempo on the next pulse without restarting', async () => {
    const sent: number[] = [];
    const sender = new MidiClockSender({ send: (bytes) => sent.push(bytes[0]!) });
    sender.start(120);
    await vi.waitFor(() => expect(sent.length).toBeGreaterThan(3), { timeout: 5000 });
    sender.setTempo(180);
    expect(sender.tempoBpm).toBe(180);
    await vi.waitFor(() => expect(sent.length).toBeGreaterThan(10), { timeout: 5000 });
    sender.stop();
    expect(sent.filter((byte) => byte === 0xfa)).toHaveLength(1);
  });
});

describe('following MIDI clock in (for the studio)', () => {
  const pulses = (tempoBpm: number, count: number, fromMs: number, jitterMs = 0): Array<[number[], number]> =>
    Array.from({ length: count }, (_, index) => [[0xf8], fromMs + index * clockIntervalMs(tempoBpm) + (index % 2 === 0 ? jitterMs : -jitterMs)]);

  it('reads tempo from the pulses, start and stop, and the song position', () => {
    const states: ClockFollowerState[] = [];
    const follower = new MidiClockFollower((state) => states.push(state));
    follower.handle([0xfa], 0);
    expect(follower.state).toEqual({ running: true, tempoBpm: null, positionBeats: 0 });
    for (const [bytes, tMs] of pulses(128, 96, 0, 0.8)) follower.handle(bytes, tMs);
    expect(follower.state.tempoBpm).toBeCloseTo(128, 0);
    expect(follower.state.positionBeats).toBe(4);
    follower.handle([0xfc], 2000);
    expect(follower.state.running).toBe(false);
    // Song position pointer: 16th notes (here bar 3, beat 1 in 4/4 = 32 sixteenths = 8 beats).
    follower.handle([0xf2, 32, 0], 2100);
    expect(follower.state.positionBeats).toBe(8);
    follower.handle([0xfb], 2200);
    for (const [bytes, tMs] of pulses(90, 48, 2200)) follower.handle(bytes, tMs);
    expect(follower.state).toMatchObject({ running: true, positionBeats: 10 });
    expect(follower.state.tempoBpm).toBeCloseTo(90, 0);
    expect(states.some((state) => state.running === false)).toBe(true);
  });

  it('ignores what is not clock', () => {
    const follower = new MidiClockFollower();
    expect(follower.handle([0x90, 1, 2], 0)).toBe(false);
    expect(follower.handle([], 0)).toBe(false);
    expect(follower.state).toEqual({ running: false, tempoBpm: null, positionBeats: 0 });
  });
});

describe('MIDI learn', () => {
  it('tells a button, a 14-bit fader, an encoder (and its encoding), pitch bend and a plain knob apart', () => {
    const learn = new LearnSession('Pad');
    expect(learn.handle([0x91, 5, 0x7f], 0)).toMatchObject({ status: 0x91, midino: 5, control: 'button', description: 'Note 5 on channel 2' });
    expect(learn.handle([0x81, 5, 0], 1)).toMatchObject({ status: 0x91, midino: 5, control: 'button' });

    learn.handle([0xb0, 7, 10], 10);
    const fader = learn.handle([0xb0, 39, 3], 10.5);
    expect(fader).toMatchObject({ midino: 7, control: 'absolute', lsbMidino: 39, description: 'CC 7 on channel 1 (14-bit with CC 39)' });

    let encoder;
    for (const step of [1, 1, 2, -1, -1]) encoder = learn.handle([0xb2, 16, encodeRelative(step, 'offset-64')], 20);
    expect(encoder).toMatchObject({ control: 'relative', encoding: 'offset-64' });
    for (const step of [1, 2, -1, -3]) encoder = learn.handle([0xb2, 17, encodeRelative(step, 'twos-complement')], 30);
    expect(encoder).toMatchObject({ control: 'relative', encoding: 'twos-complement' });

    expect(learn.handle([0xe3, 0, 64], 40)).toMatchObject({ status: 0xe3, control: 'absolute', description: 'Pitch bend on channel 4 (14-bit)' });
    let knob;
    for (const value of [10, 20, 35, 50, 70, 90, 100, 110, 127, 0]) knob = learn.handle([0xb4, 1, value], 50);
    expect(knob).toMatchObject({ control: 'absolute', encoding: null, lsbMidino: null });
    expect(learn.handle([0xb5, 64, 127], 60)).toMatchObject({ control: 'button' });
    expect(learn.handle([0xf8], 70)).toBeNull();
  });
});
