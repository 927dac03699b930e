import { describe, expect, it } from 'vitest';
import { LevelMeters, METER_FLOOR_DB } from './meters';

const RATE = 48000;
const block = (amplitude: number, frames: number): Float32Array => {
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  return samples;
};

describe('LevelMeters', () => {
  it('reads peak and RMS of a sine per channel', () => {
    const meters = new LevelMeters({ sampleRate: RATE });
    meters.push([block(0.5, 4800 * 4), block(0.1, 4800 * 4)]);
    const [left, right] = meters.read();
    expect(left!.peakDb).toBeCloseTo(-6.02, 1);
    expect(left!.rmsDb).toBeCloseTo(-9.03, 1);
    expect(right!.peakDb).toBeCloseTo(-20, 1);
    expect(right!.rmsDb).toBeCloseTo(-23.01, 1);
  });

  it('holds the last peak for 1.5 s, then lets it fall at 20 dB/s', () => {
    const meters = new LevelMeters({ sampleRate: RATE });
    meters.push([block(1, 4800), block(1, 4800)]);
    expect(meters.read()[0]!.peakHoldDb).toBeCloseTo(0, 1);
    // 1.4 s of quiet, read every 100 ms: the hold stays.
    let last = meters.read();
    for (let i = 0; i < 14; i++) {
      meters.push([block(0.01, 4800), block(0.01, 4800)]);
      last = meters.read();
    }
    expect(last[0]!.peakDb).toBeCloseTo(-40, 0);
    expect(last[0]!.peakHoldDb).toBeCloseTo(0, 1);
    // One more second: 1.5 s hold ends, then ~0.9 s of falling at 20 dB/s.
    for (let i = 0; i < 10; i++) {
      meters.push([block(0.01, 4800), block(0.01, 4800)]);
      last = meters.read();
    }
    expect(last[0]!.peakHoldDb).toBeLessThan(-15);
    expect(last[0]!.peakHoldDb).toBeGreaterThan(-22);
  });

  it('reads the floor for digital silence', () => {
    const meters = new LevelMeters({ sampleRate: RATE });
    meters.push([new Float32Array(4800), new Float32Array(4800)]);
    const [left] = meters.read();
    expect(left).toEqual({ peakDb: METER_FLOOR_DB, peakHoldDb: METER_FLOOR_DB, rmsDb: METER_FLOOR_DB });
  });
});
