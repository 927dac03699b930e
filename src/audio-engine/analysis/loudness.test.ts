import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random';
import { LoudnessMeter, integratedLoudness, kWeightingSections } from './loudness';

/** A sine at `peakDbfs` (peak level), `durationSec` long. */
function sine(sampleRate: number, frequencyHz: number, peakDbfs: number, durationSec: number): Float32Array {
  const amplitude = 10 ** (peakDbfs / 20);
  return Float32Array.from({ length: Math.round(durationSec * sampleRate) }, (_, index) => amplitude * Math.sin((2 * Math.PI * frequencyHz * index) / sampleRate));
}

function join(...parts: Float32Array[]): Float32Array {
  const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

describe('K-weighting', () => {
  it('reproduces the BS.1770-4 coefficients at 48 kHz', () => {
    const [shelf, highpass] = kWeightingSections(48000);
    expect(shelf!.b0).toBeCloseTo(1.53512485958697, 10);
    expect(shelf!.b1).toBeCloseTo(-2.69169618940638, 10);
    expect(shelf!.b2).toBeCloseTo(1.19839281085285, 10);
    expect(shelf!.a1).toBeCloseTo(-1.69065929318241, 10);
    expect(shelf!.a2).toBeCloseTo(0.73248077421585, 10);
    expect([highpass!.b0, highpass!.b1, highpass!.b2]).toEqual([1, -2, 1]);
    expect(highpass!.a1).toBeCloseTo(-1.99004745483398, 10);
    expect(highpass!.a2).toBeCloseTo(0.99007225036621, 10);
  });
});

describe('integratedLoudness', () => {
  it('reads a −18 dBFS 997 Hz sine in both stereo channels as −18.0 LUFS at any sample rate', () => {
    for (const sampleRate of [11025, 22050, 44100, 48000, 96000]) {
      const tone = sine(sampleRate, 997, -18, 5);
      expect(integratedLoudness([tone, tone], sampleRate), `${sampleRate} Hz`).toBeCloseTo(-18, 1);
    }
  });

  it('reads a 0 dBFS 997 Hz sine in one channel of a stereo pair as −3.01 LUFS (the BS.1770 calibration)', () => {
    for (const sampleRate of [44100, 48000]) {
      const tone = sine(sampleRate, 997, 0, 5);
      expect(integratedLoudness([tone, new Float32Array(tone.length)], sampleRate)).toBeCloseTo(-3.01, 1);
      expect(integratedLoudness([tone], sampleRate)).toBeCloseTo(-3.01, 1);
      expect(integratedLoudness([tone], sampleRate, { monoAsDualMono: true })).toBeCloseTo(0, 1);
    }
  });

  it('gates silence out: a clip that is half silence reads the same as its loud half (±0.1 LU)', () => {
    const sampleRate = 48000;
    const tone = sine(sampleRate, 997, -20, 10);
    const halfSilent = join(new Float32Array(tone.length), tone);
    // Only the three 400 ms blocks straddling the edge differ (they pass the relative gate).
    expect(Math.abs(integratedLoudness([halfSilent, halfSilent], sampleRate) - integratedLoudness([tone, tone], sampleRate))).toBeLessThan(0.1);
  });

  it('drops blocks below −70 LUFS (absolute gate): a −80 dBFS tail counts like digital silence', () => {
    const sampleRate = 44100;
    const whisper = sine(sampleRate, 997, -80, 5);
    expect(integratedLoudness([whisper, whisper], sampleRate)).toBe(-Infinity);
    const tone = sine(sampleRate, 997, -20, 5);
    const withWhisper = join(tone, whisper);
    const withSilence = join(tone, new Float32Array(whisper.length));
    expect(integratedLoudness([withWhisper, withWhisper], sampleRate)).toBeCloseTo(integratedLoudness([withSilence, withSilence], sampleRate), 2);
  });

  it('drops blocks more than 10 LU below the gated mean (relative gate) and keeps those above', () => {
    const sampleRate = 44100;
    const loud = sine(sampleRate, 997, -20, 20);
    const quiet = (peakDbfs: number): Float32Array => join(loud, sine(sampleRate, 997, peakDbfs, 20));
    const withSilence = join(loud, new Float32Array(loud.length));
    // −40 dBFS passes the absolute gate but sits 17 LU under the mean: gated out like silence.
    expect(integratedLoudness([quiet(-40), quiet(-40)], sampleRate)).toBeCloseTo(integratedLoudness([withSilence, withSilence], sampleRate), 2);
    // −25 dBFS is within 10 LU: both halves count, power-averaged.
    const expected = -20 + 10 * Math.log10((1 + 10 ** (-5 / 10)) / 2);
    expect(Math.abs(integratedLoudness([quiet(-25), quiet(-25)], sampleRate) - expected)).toBeLessThan(0.05);
  });

  it('weights 5.1 surrounds by 1.41 and ignores the LFE', () => {
    const sampleRate = 48000;
    const tone = sine(sampleRate, 997, -20, 4);
    const silent = new Float32Array(tone.length);
    const front = integratedLoudness([tone, silent, silent, silent, silent, silent], sampleRate);
    const surround = integratedLoudness([silent, silent, silent, silent, tone, silent], sampleRate);
    expect(surround - front).toBeCloseTo(10 * Math.log10(1.41), 2);
    expect(integratedLoudness([silent, silent, silent, tone, silent, silent], sampleRate)).toBe(-Infinity);
  });
});

describe('LoudnessMeter', () => {
  it('measures the same streamed in odd-sized blocks as in one piece', () => {
    const sampleRate = 44100;
    const random = createRandom(12);
    const left = Float32Array.from({ length: 6 * sampleRate }, (_, index) => 0.3 * Math.sin(index * 0.05) * (1 + Math.sin(index / 20000)) + random.between(-0.05, 0.05));
    const right = left.map((value, index) => value * (index % 3 === 0 ? 0.5 : 1));
    const meter = new LoudnessMeter(sampleRate, 2);
    for (let from = 0; from < left.length; from += 1237) meter.push([left.subarray(from, from + 1237), right.subarray(from, from + 1237)]);
    expect(meter.integratedLufs()).toBeCloseTo(integratedLoudness([left, right], sampleRate), 9);
    expect(meter.gatingBlockCount).toBe(57);
    expect(Number.isFinite(meter.momentaryLufs())).toBe(true);
  });
});
