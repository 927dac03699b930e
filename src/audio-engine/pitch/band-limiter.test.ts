import { describe, it, expect } from 'vitest';
import { BandLimiter } from './band-limiter';

const sampleRate = 48_000;

function gainDbAt(limiter: BandLimiter, frequencyHz: number): number {
  const length = 8192;
  const tone = Float64Array.from({ length }, (_, index) => Math.sin((2 * Math.PI * frequencyHz * index) / sampleRate));
  const output = new Float64Array(length);
  limiter.processFrame(tone, output, length);
  let inputEnergy = 0;
  let outputEnergy = 0;
  for (let index = length / 2; index < length; index++) {
    inputEnergy += tone[index]! ** 2;
    outputEnergy += output[index]! ** 2;
  }
  return 10 * Math.log10(outputEnergy / inputEnergy);
}

describe('BandLimiter', () => {
  const limiter = new BandLimiter({ sampleRate, highPassHz: 150, lowPassHz: 4000 });

  it('passes the voice band and is −3 dB at its corners', () => {
    expect(Math.abs(gainDbAt(limiter, 1000))).toBeLessThan(0.2);
    expect(gainDbAt(limiter, 150)).toBeCloseTo(-3, 0);
    expect(gainDbAt(limiter, 4000)).toBeCloseTo(-3, 0);
  });

  it('rejects rumble and hiss', () => {
    expect(gainDbAt(limiter, 40)).toBeLessThan(-20);
    expect(gainDbAt(limiter, 12_000)).toBeLessThan(-30);
  });

  it('starts a frame without a step transient (steady-state start)', () => {
    const constant = new Float64Array(512).fill(0.5);
    const output = new Float64Array(512);
    new BandLimiter({ sampleRate, highPassHz: 150, lowPassHz: 0 }).processFrame(constant, output, 512);
    expect(Math.max(...output.map(Math.abs))).toBeLessThan(1e-9);
  });
});
