import { describe, expect, it } from 'vitest';
import { applyFades, decodeWav, drumKitSamples, encodeWav, fadeInGain, metronomeBeats, noteName, panGains, quantizeBeat, TempoMap } from './index';

describe('studio DSP', () => {
  it('converts beats to seconds and back through tempo changes', () => {
    const map = new TempoMap(120, [
      { beat: 8, tempoBpm: 60 },
      { beat: 4, tempoBpm: 240 },
    ]);
    expect(map.beatToSeconds(4)).toBeCloseTo(2, 9);
    expect(map.beatToSeconds(8)).toBeCloseTo(3, 9);
    expect(map.beatToSeconds(10)).toBeCloseTo(5, 9);
    for (const beat of [0, 1.5, 4, 6.25, 8, 13]) expect(map.secondsToBeat(map.beatToSeconds(beat))).toBeCloseTo(beat, 9);
    expect(map.tempoAtBeat(5)).toBe(240);
  });

  it('quantizes, names notes, pans with equal power and lists metronome clicks', () => {
    expect(quantizeBeat(1.1, 0.25)).toBeCloseTo(1, 9);
    expect(quantizeBeat(1.2, 0.25, 0.5)).toBeCloseTo(1.225, 9);
    expect(noteName(60)).toBe('C4');
    expect(noteName(69)).toBe('A4');
    const center = panGains(0);
    expect(center.left ** 2 + center.right ** 2).toBeCloseTo(1, 9);
    expect(panGains(-1).right).toBeCloseTo(0, 9);
    expect(metronomeBeats(3, 9, 4).map((c) => [c.beat, c.downbeat])).toEqual([
      [3, false],
      [4, true],
      [5, false],
      [6, false],
      [7, false],
      [8, true],
    ]);
  });

  it('fades and writes 16/24-bit WAV that reads back within one step', () => {
    const channel = new Float32Array(100).fill(1);
    applyFades(channel, 10, 10, 'linear');
    expect(channel[0]).toBe(0);
    expect(channel[50]).toBe(1);
    expect(fadeInGain(0.5)).toBeCloseTo(Math.SQRT1_2, 9);
    const signal = Float32Array.from({ length: 480 }, (_, i) => Math.sin(i / 7) * 0.9);
    for (const bits of [16, 24] as const) {
      const decoded = decodeWav(encodeWav([signal, signal], 48000, bits));
      expect(decoded.sampleRate).toBe(48000);
      const step = bits === 16 ? 1 / 32767 : 1 / 8388607;
      for (let i = 0; i < signal.length; i += 1) expect(Math.abs((decoded.channels[1] as Float32Array)[i]! - signal[i]!)).toBeLessThanOrEqual(step);
    }
  });

  it('synthesizes the same drum kit every time', () => {
    const first = drumKitSamples('mixdeck-808', 44100).kick;
    expect(first.length).toBeGreaterThan(1000);
    expect(drumKitSamples('mixdeck-808', 44100).kick).toBe(first);
    expect(Math.max(...first.map(Math.abs))).toBeGreaterThan(0.3);
  });
});
