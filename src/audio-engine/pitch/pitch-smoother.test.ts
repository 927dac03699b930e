import { describe, it, expect } from 'vitest';
import { PitchSmoother } from './pitch-smoother';
import type { PitchEstimate } from './pitch-detector';

const voiced = (frequencyHz: number): PitchEstimate => ({ frequencyHz, confidence: 0.9, rmsDb: -20, voiced: true });
const unvoiced = (): PitchEstimate => ({ frequencyHz: 0, confidence: 0.2, rmsDb: -60, voiced: false });

function smoothAll(estimates: PitchEstimate[]): number[] {
  const smoother = new PitchSmoother();
  const out: number[] = [];
  for (const estimate of estimates) {
    const released = smoother.push(estimate);
    if (released) out.push(released.frequencyHz);
  }
  const last = smoother.flush();
  if (last) out.push(last.frequencyHz);
  return out;
}

describe('PitchSmoother', () => {
  it('releases every frame, one frame late', () => {
    const smoother = new PitchSmoother();
    expect(smoother.push(voiced(200))).toBeNull();
    expect(smoother.push(voiced(201))?.frequencyHz).toBe(200);
    expect(smoother.flush()?.frequencyHz).toBe(201);
    expect(smoother.flush()).toBeNull();
  });

  it('removes a lone octave jump inside a note', () => {
    expect(smoothAll([voiced(200), voiced(201), voiced(402), voiced(202), voiced(203)])).toEqual([200, 201, 202, 203, 203]);
  });

  it('drops a lone voiced frame in silence', () => {
    expect(smoothAll([unvoiced(), voiced(300), unvoiced()])).toEqual([0, 0, 0]);
  });

  it('fills a one-frame dropout inside a note, but not across a jump', () => {
    const filled = smoothAll([voiced(200), unvoiced(), voiced(202)]);
    expect(filled[1]).toBeCloseTo(Math.sqrt(200 * 202), 6);
    expect(smoothAll([voiced(200), unvoiced(), voiced(300)])[1]).toBe(0);
  });
});
