import { describe, expect, it } from 'vitest';
import { effectiveCrossfadeSec, equalPowerFadeInGain, equalPowerFadeOutGain, fillEqualPowerCurve } from './crossfade';

describe('equal-power crossfade', () => {
  it('keeps the summed power of two uncorrelated tracks constant through the fade', () => {
    for (let step = 0; step <= 100; step += 1) {
      const progress = step / 100;
      const power = equalPowerFadeOutGain(progress) ** 2 + equalPowerFadeInGain(progress) ** 2;
      expect(power).toBeCloseTo(1, 10);
    }
    // Each side is at −3 dB in the middle, where a linear fade would be at −6 dB.
    expect(20 * Math.log10(equalPowerFadeInGain(0.5))).toBeCloseTo(-3.01, 2);
  });

  it('starts and ends exactly on full and zero gain, and clamps outside the fade', () => {
    expect(equalPowerFadeOutGain(0)).toBe(1);
    expect(equalPowerFadeOutGain(1)).toBeCloseTo(0, 12);
    expect(equalPowerFadeInGain(-1)).toBe(0);
    expect(equalPowerFadeInGain(2)).toBe(1);
  });

  it('fills a value curve scaled by the track level, monotonic in its direction', () => {
    const curve = fillEqualPowerCurve(new Float32Array(64), 'in', 0.5);
    expect(curve[0]).toBe(0);
    expect(curve[63]).toBeCloseTo(0.5, 6);
    for (let index = 1; index < curve.length; index += 1) expect(curve[index]!).toBeGreaterThan(curve[index - 1]!);
    const out = fillEqualPowerCurve(new Float32Array(64), 'out', 1);
    expect(out[0]).toBe(1);
    expect(out[63]).toBeCloseTo(0, 6);
  });

  it('never fades for more than half of either track', () => {
    expect(effectiveCrossfadeSec(6, 200, 180)).toBe(6);
    expect(effectiveCrossfadeSec(6, 8, 180)).toBe(4);
    expect(effectiveCrossfadeSec(6, 200, 3)).toBe(1.5);
    expect(effectiveCrossfadeSec(0, 200, 200)).toBe(0);
    expect(effectiveCrossfadeSec(Number.NaN, 200, 200)).toBe(0);
  });
});
