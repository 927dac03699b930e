import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random';
import { TRUE_PEAK_INTERPOLATOR, TRUE_PEAK_OVERSAMPLING, samplePeak, truePeakDbtp, truePeakOfChannel } from './true-peak';

/** Reference: zero-stuff by 4 and convolve with the whole interpolator, no shortcuts. */
function bruteForceTruePeak(samples: Float32Array): number {
  const taps = TRUE_PEAK_INTERPOLATOR;
  const upsampledLength = samples.length * TRUE_PEAK_OVERSAMPLING + taps.length;
  let peak = 0;
  for (let output = 0; output < upsampledLength; output++) {
    let sum = 0;
    for (let tap = 0; tap < taps.length; tap++) {
      const stuffed = output - tap;
      const source = stuffed / TRUE_PEAK_OVERSAMPLING;
      if (stuffed >= 0 && stuffed % TRUE_PEAK_OVERSAMPLING === 0 && source < samples.length) sum += taps[tap]! * samples[source]!;
    }
    peak = Math.max(peak, Math.abs(sum));
  }
  return peak;
}

const dbfs = (value: number): number => 20 * Math.log10(value);

describe('truePeakDbtp', () => {
  it('finds the inter-sample peak of a sine at fs/4 with 45° phase: 3 dB above the sample peak', () => {
    for (const sampleRate of [22050, 44100, 48000]) {
      // Full-scale sine whose samples all land at ±0.707; faded in and out over 20 ms.
      const fadeFrames = 0.02 * sampleRate;
      const signal = Float32Array.from({ length: sampleRate }, (_, index) => {
        const fade = Math.min(1, index / fadeFrames, (sampleRate - 1 - index) / fadeFrames);
        return (0.5 - 0.5 * Math.cos(Math.PI * fade)) * Math.sin((Math.PI / 2) * index + Math.PI / 4);
      });
      expect(dbfs(samplePeak(signal))).toBeCloseTo(-3.01, 2);
      expect(truePeakDbtp([signal]), `${sampleRate} Hz`).toBeCloseTo(0, 1);
    }
  });

  it('gives exactly what interpolating every point gives', () => {
    const random = createRandom(77);
    for (let trial = 0; trial < 6; trial++) {
      let smoothed = 0;
      const signal = Float32Array.from({ length: 3000 }, (_, index) => {
        smoothed = trial % 2 === 0 ? random.between(-1, 1) : 0.7 * smoothed + 0.3 * random.between(-1, 1);
        return smoothed * (index % 1000 < 500 ? 1 : 0.2) + (trial === 5 ? 0.5 * Math.sin(index * 2.9) : 0);
      });
      expect(truePeakOfChannel(signal)).toBeCloseTo(bruteForceTruePeak(signal), 9);
      expect(truePeakOfChannel(signal)).toBeGreaterThanOrEqual(samplePeak(signal));
    }
  });

  it('reads a smooth level at its sample value, and the overshoot of an abrupt step above it', () => {
    const smooth = (level: number): Float32Array => Float32Array.from({ length: 4000 }, (_, index) => level * Math.sin((Math.PI * index) / 3999) ** 2);
    expect(truePeakDbtp([smooth(0.5)])).toBeCloseTo(dbfs(0.5), 3);
    // A band-limited step rings (Gibbs): the reconstructed waveform really does exceed the samples.
    expect(truePeakDbtp([new Float32Array(1000).fill(0.5)])).toBeGreaterThan(dbfs(0.5) + 0.5);
    expect(truePeakDbtp([new Float32Array(1000)])).toBe(-Infinity);
  });

  it('takes the loudest channel', () => {
    const shape = (level: number): Float32Array => Float32Array.from({ length: 4000 }, (_, index) => level * Math.sin((Math.PI * index) / 3999) ** 2);
    expect(truePeakDbtp([shape(0.1), shape(-0.8)])).toBeCloseTo(dbfs(0.8), 3);
  });
});
