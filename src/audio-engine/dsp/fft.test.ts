import { describe, it, expect } from 'vitest';
import { RealFft } from './fft';
import { createRandom } from '../testing/random';

function naiveDft(signal: Float64Array): { re: Float64Array; im: Float64Array } {
  const size = signal.length;
  const re = new Float64Array(size / 2 + 1);
  const im = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) {
    for (let n = 0; n < size; n++) {
      const angle = (-2 * Math.PI * k * n) / size;
      re[k]! += signal[n]! * Math.cos(angle);
      im[k]! += signal[n]! * Math.sin(angle);
    }
  }
  return { re, im };
}

function randomSignal(size: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: size }, () => random.gaussian());
}

describe('RealFft', () => {
  it.each([4, 8, 64, 512, 2048])('matches a naive DFT at size %i', (size) => {
    const signal = randomSignal(size, size);
    const fft = new RealFft(size);
    const re = new Float64Array(fft.binCount);
    const im = new Float64Array(fft.binCount);
    fft.forward(signal, re, im);
    const expected = naiveDft(signal);
    const tolerance = 1e-9 * size;
    for (let k = 0; k <= size / 2; k++) {
      expect(Math.abs(re[k]! - expected.re[k]!)).toBeLessThan(tolerance);
      expect(Math.abs(im[k]! - expected.im[k]!)).toBeLessThan(tolerance);
    }
  });

  it.each([4, 16, 1024, 4096])('inverts its own forward transform at size %i', (size) => {
    const signal = randomSignal(size, size + 1);
    const fft = new RealFft(size);
    const re = new Float64Array(fft.binCount);
    const im = new Float64Array(fft.binCount);
    const roundTrip = new Float64Array(size);
    fft.forward(signal, re, im);
    fft.inverse(re, im, roundTrip);
    for (let n = 0; n < size; n++) expect(Math.abs(roundTrip[n]! - signal[n]!)).toBeLessThan(1e-12 * size);
  });

  it('puts a cosine at its bin', () => {
    const size = 256;
    const signal = Float32Array.from({ length: size }, (_, n) => Math.cos((2 * Math.PI * 10 * n) / size));
    const fft = new RealFft(size);
    const re = new Float64Array(fft.binCount);
    const im = new Float64Array(fft.binCount);
    fft.forward(signal, re, im);
    expect(re[10]).toBeCloseTo(size / 2, 3);
    expect(Math.abs(re[11]!)).toBeLessThan(1e-3);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFft(1000)).toThrow(RangeError);
    expect(() => new RealFft(2)).toThrow(RangeError);
  });
});
