import { describe, it, expect } from 'vitest';
import { BleedGate } from './bleed-gate';

describe('BleedGate', () => {
  it('stays closed (+∞) until it has heard the room', () => {
    const gate = new BleedGate({ warmUpFrames: 4 });
    for (let frame = 0; frame < 3; frame++) gate.observeUnvoiced(-40);
    expect(gate.thresholdDb()).toBe(Number.POSITIVE_INFINITY);
    gate.observeUnvoiced(-40);
    expect(gate.thresholdDb()).toBe(-40 + 6);
  });

  it('sits a margin above a low percentile of the remembered levels', () => {
    const gate = new BleedGate({ marginDb: 5, percentile: 0.2, historyFrames: 11, warmUpFrames: 1 });
    for (let level = -50; level <= -40; level++) gate.observeUnvoiced(level);
    expect(gate.bleedLevelDb()).toBe(-48);
    expect(gate.thresholdDb()).toBe(-43);
  });

  it('forgets the oldest levels when the room gets louder, and everything on reset', () => {
    const gate = new BleedGate({ historyFrames: 8, warmUpFrames: 1, percentile: 0 });
    for (let frame = 0; frame < 8; frame++) gate.observeUnvoiced(-60);
    for (let frame = 0; frame < 8; frame++) gate.observeUnvoiced(-30);
    expect(gate.bleedLevelDb()).toBe(-30);
    gate.reset();
    expect(gate.bleedLevelDb()).toBe(Number.POSITIVE_INFINITY);
  });
});
