import { describe, expect, it } from 'vitest';
import { formatBitrate, formatBytes, formatDb, formatDuration, meterFraction, sparklinePoints } from './format';

describe('dashboard formatting', () => {
  it('prints a set timer as m:ss, then h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7.9)).toBe('0:07');
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('prints bitrates in kbps, then Mbps', () => {
    expect(formatBitrate(0)).toBe('0 kbps');
    expect(formatBitrate(849.6)).toBe('850 kbps');
    expect(formatBitrate(3520)).toBe('3.52 Mbps');
    expect(formatBitrate(Number.NaN)).toBe('0 kbps');
  });

  it('prints sizes and decibels the way meters do', () => {
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatDb(-120)).toBe('−∞');
    expect(formatDb(-6.04)).toBe('−6.0');
    expect(formatDb(0.5)).toBe('+0.5');
  });

  it('places levels on a meter from the floor to 0 dBFS', () => {
    expect(meterFraction(-120)).toBe(0);
    expect(meterFraction(-30)).toBeCloseTo(0.5);
    expect(meterFraction(3)).toBe(1);
  });

  it('draws the newest sample at the right edge of a sparkline and scales to the peak', () => {
    const points = sparklinePoints([0, 50, 100], 100, 20, 3).split(' ');
    expect(points).toEqual(['0.0,19.5', '50.0,10.0', '100.0,0.5']);
    // Fewer samples than the window: they sit on the right, as the newest seconds.
    expect(sparklinePoints([10], 100, 20, 5)).toBe('100.0,0.5');
    expect(sparklinePoints([], 100, 20, 5)).toBe('');
  });
});
