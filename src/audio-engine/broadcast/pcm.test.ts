import { describe, expect, it } from 'vitest';
import { deinterleaveS16Pair, interleaveS16Stereo, StereoResampler } from './pcm';

describe('broadcast PCM helpers', () => {
  it('picks a channel pair out of a multi-channel interface', () => {
    // 4 channels, frames [0..2]: channel c of frame f holds f*10 + c.
    const input = Int16Array.from({ length: 12 }, (_, index) => Math.floor(index / 4) * 10 + (index % 4));
    const left = new Float32Array(3);
    const right = new Float32Array(3);
    expect(deinterleaveS16Pair(input, 4, 2, 3, left, right)).toBe(3);
    expect(Array.from(left, (value) => Math.round(value * 32768))).toEqual([2, 12, 22]);
    expect(Array.from(right, (value) => Math.round(value * 32768))).toEqual([3, 13, 23]);
  });

  it('rounds and clamps back to 16 bits', () => {
    const out = new Int16Array(4);
    interleaveS16Stereo(Float32Array.of(1.5, -0.5), Float32Array.of(-2, 0.25), 2, out);
    expect(Array.from(out)).toEqual([32767, -32768, -16384, 8192]);
  });

  it('resamples 44.1 kHz to 48 kHz in blocks without losing the pitch or the count', () => {
    const resampler = new StereoResampler(44100, 48000);
    const inputSec = 1;
    const left = new Float32Array(44100 * inputSec);
    for (let i = 0; i < left.length; i++) left[i] = Math.sin((2 * Math.PI * 1000 * i) / 44100);
    const out: number[] = [];
    const outLeft = new Float32Array(resampler.maxOutput(441));
    const outRight = new Float32Array(outLeft.length);
    for (let at = 0; at < left.length; at += 441) {
      const chunk = left.subarray(at, at + 441);
      const written = resampler.process(chunk, chunk, chunk.length, outLeft, outRight);
      out.push(...outLeft.subarray(0, written));
    }
    expect(Math.abs(out.length - 48000)).toBeLessThanOrEqual(2);
    let crossings = 0;
    for (let i = 1; i < out.length; i++) if (out[i - 1]! < 0 && out[i]! >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(999);
    expect(crossings).toBeLessThanOrEqual(1001);
  });
});
