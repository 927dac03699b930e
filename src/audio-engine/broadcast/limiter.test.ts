import { describe, expect, it } from 'vitest';
import { truePeakOfChannel } from '../analysis/true-peak';
import { dbToGain, LookaheadLimiter } from './limiter';

const RATE = 48000;

function tone(frequencyHz: number, amplitude: number, seconds: number, phase = 0): Float32Array {
  const samples = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin(phase + (2 * Math.PI * frequencyHz * i) / RATE);
  return samples;
}

/** Runs the limiter in blocks of `block` frames, as the live input does. */
function limit(left: Float32Array, right: Float32Array, ceilingDb: number, block = 480): LookaheadLimiter {
  const limiter = new LookaheadLimiter({ sampleRate: RATE, ceilingDb });
  for (let at = 0; at < left.length; at += block) {
    const end = Math.min(left.length, at + block);
    limiter.process([left.subarray(at, end), right.subarray(at, end)]);
  }
  return limiter;
}

const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

describe('LookaheadLimiter', () => {
  it('passes a signal under the ceiling untouched, only delayed', () => {
    const left = tone(440, 0.5, 0.5);
    const original = left.slice();
    const limiter = limit(left, left.slice(), -1);
    const delay = limiter.latencyFrames;
    let worst = 0;
    for (let i = delay; i < left.length; i++) worst = Math.max(worst, Math.abs(left[i]! - original[i - delay]!));
    expect(worst).toBeLessThan(1e-6);
    expect(limiter.oversCount).toBe(0);
  });

  it('keeps a mixer driven 9 dB into the red under the ceiling, sample and true peak', () => {
    // A 0 dBFS-plus square-ish drum hit train over a bass tone: what a hot booth output looks like.
    const seconds = 2;
    const left = tone(55, 1.2, seconds);
    const right = tone(55, 1.2, seconds, 0.3);
    for (let hit = 0; hit < seconds * 2; hit++) {
      const at = Math.round(hit * 0.5 * RATE);
      for (let i = 0; i < 2400 && at + i < left.length; i++) {
        const burst = 2.8 * Math.exp(-i / 600) * Math.sin((2 * Math.PI * 3000 * i) / RATE);
        left[at + i] = left[at + i]! + burst;
        right[at + i] = right[at + i]! + burst;
      }
    }
    const limiter = limit(left, right, -1);
    const ceiling = dbToGain(-1);
    for (const channel of [left, right]) {
      const samplePeak = channel.reduce((peak, value) => Math.max(peak, Math.abs(value)), 0);
      expect(samplePeak).toBeLessThanOrEqual(ceiling + 1e-6);
      // Inter-sample peaks: within a few tenths of a dB of the ceiling, never a clip.
      expect(truePeakOfChannel(channel)).toBeLessThan(dbToGain(-0.5));
    }
    expect(limiter.oversCount).toBeGreaterThan(0);
    expect(limiter.takeReductionDb()).toBeGreaterThan(3);
  });

  it('catches inter-sample overs a sample-peak limiter misses', () => {
    // fs/4 at 45° phase: every sample sits at 0.707 of the true peak. Samples at −1.5 dBFS,
    // true peak about +1.5 dBTP.
    const amplitude = dbToGain(1.5);
    const left = tone(RATE / 4, amplitude, 0.3, Math.PI / 4);
    expect(left.reduce((peak, value) => Math.max(peak, Math.abs(value)), 0)).toBeLessThan(dbToGain(-1));
    const limiter = limit(left, left.slice(), -1);
    expect(limiter.oversCount).toBeGreaterThan(0);
    expect(truePeakOfChannel(left.subarray(limiter.latencyFrames + 4800))).toBeLessThan(dbToGain(-0.7));
  });

  it('recovers after a loud passage instead of pumping the quiet part down', () => {
    const loud = tone(220, 2, 0.5);
    const quiet = tone(220, 0.3, 1.5);
    const left = new Float32Array(loud.length + quiet.length);
    left.set(loud);
    left.set(quiet, loud.length);
    limit(left, left.slice(), -1);
    // One second after the loud part the quiet tone is back to its own level (within 0.5 dB).
    const tail = left.subarray(left.length - 0.5 * RATE);
    expect(20 * Math.log10(rms(tail) / (0.3 / Math.SQRT2))).toBeGreaterThan(-0.5);
  });
});
