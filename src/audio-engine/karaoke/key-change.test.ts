import { describe, expect, it } from 'vitest';
import { changeKey } from './key-change';

const SAMPLE_RATE = 44_100;

/** Frequency from the rising zero crossings of the middle second (away from the edges). */
function frequencyOf(samples: Float32Array): number {
  const from = Math.round(samples.length / 2 - SAMPLE_RATE / 2);
  const to = from + SAMPLE_RATE;
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let index = from; index < to; index += 1) {
    if (samples[index - 1]! < 0 && samples[index]! >= 0) {
      const exact = index - 1 + samples[index - 1]! / (samples[index - 1]! - samples[index]!);
      if (first < 0) first = exact;
      last = exact;
      crossings += 1;
    }
  }
  return ((crossings - 1) * SAMPLE_RATE) / (last - first);
}

const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

const tone = (frequencyHz: number): Float32Array => Float32Array.from({ length: SAMPLE_RATE * 3 }, (_, index) => 0.5 * Math.sin((2 * Math.PI * frequencyHz * index) / SAMPLE_RATE));

describe('key change', () => {
  it.each([3, -6, 6, -1])('moves a 440 Hz tone by %i semitones, keeping its length and level', (semitones) => {
    const input = tone(440);
    const output = changeKey(input, semitones);
    expect(output.length).toBe(input.length);
    const expectedHz = 440 * 2 ** (semitones / 12);
    expect(Math.abs(frequencyOf(output) - expectedHz) / expectedHz).toBeLessThan(0.005);
    expect(Math.abs(20 * Math.log10(rms(output.subarray(SAMPLE_RATE, 2 * SAMPLE_RATE)) / rms(input)))).toBeLessThan(1.5);
  });

  it('keeps the timing: a click stays where it was', () => {
    const input = new Float32Array(SAMPLE_RATE * 2);
    const at = SAMPLE_RATE;
    for (let index = 0; index < 441; index += 1) input[at + index] = Math.sin((2 * Math.PI * 1000 * index) / SAMPLE_RATE) * (1 - index / 441);
    const output = changeKey(input, 4);
    let peakIndex = 0;
    for (let index = 0; index < output.length; index += 1) if (Math.abs(output[index]!) > Math.abs(output[peakIndex]!)) peakIndex = index;
    expect(Math.abs(peakIndex - at) / SAMPLE_RATE).toBeLessThan(0.03);
  });

  it('refuses more than 6 semitones, and copies the signal for 0', () => {
    expect(() => changeKey(new Float32Array(10), 7)).toThrow(/at most 6 semitones/);
    const input = tone(220);
    expect(changeKey(input, 0)).toEqual(input);
  });
});
