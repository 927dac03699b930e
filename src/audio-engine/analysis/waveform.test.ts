import { describe, expect, it } from 'vitest';
import { waveformPeaks } from './waveform';

describe('waveformPeaks', () => {
  it('gives min, max and RMS per bucket', () => {
    // 10 buckets of 100 frames: bucket b alternates ±(b + 1) / 10.
    const samples = Float32Array.from({ length: 1000 }, (_, index) => (index % 2 === 0 ? 1 : -1) * (Math.floor(index / 100) + 1) * 0.1);
    const peaks = waveformPeaks([samples], 10);
    expect(peaks.framesPerBucket).toBe(100);
    for (let bucket = 0; bucket < 10; bucket++) {
      const level = (bucket + 1) * 0.1;
      expect(peaks.max[bucket]).toBeCloseTo(level, 6);
      expect(peaks.min[bucket]).toBeCloseTo(-level, 6);
      expect(peaks.rms[bucket]).toBeCloseTo(level, 6);
    }
  });

  it('shows the extremes of every channel', () => {
    const left = new Float32Array(400).fill(-0.9);
    const right = new Float32Array(400).fill(0.3);
    const peaks = waveformPeaks([left, right], 4);
    expect(Array.from(peaks.min)).toEqual(Array.from({ length: 4 }, () => Math.fround(-0.9)));
    expect(Array.from(peaks.max)).toEqual(Array.from({ length: 4 }, () => Math.fround(0.3)));
    expect(peaks.rms[0]).toBeCloseTo(Math.sqrt((0.81 + 0.09) / 2), 6);
  });

  it('fills every bucket when there are more buckets than frames', () => {
    const samples = Float32Array.from([0.1, -0.2, 0.3]);
    const peaks = waveformPeaks([samples], 8);
    expect(peaks.min.every(Number.isFinite) && peaks.max.every(Number.isFinite)).toBe(true);
    expect(peaks.max[0]).toBeCloseTo(0.1, 6);
    expect(peaks.max[7]).toBeCloseTo(0.3, 6);
  });

  it('handles empty input and rejects a bucket count that is not a positive integer', () => {
    const peaks = waveformPeaks([new Float32Array(0)], 16);
    expect(peaks.bucketCount).toBe(16);
    expect(peaks.max.every((value) => value === 0)).toBe(true);
    expect(() => waveformPeaks([new Float32Array(10)], 0)).toThrow(RangeError);
    expect(() => waveformPeaks([new Float32Array(10)], 2.5)).toThrow(RangeError);
  });
});
