import { describe, it, expect } from 'vitest';
import { centsBetween, frequencyFromMidi, isOctaveError, midiFromFrequency } from './pitch-units';

describe('pitch units', () => {
  it('maps A4 = 440 Hz to MIDI 69 and back', () => {
    expect(midiFromFrequency(440)).toBe(69);
    expect(frequencyFromMidi(69)).toBe(440);
    expect(midiFromFrequency(261.6255653005986)).toBeCloseTo(60, 10);
    expect(frequencyFromMidi(midiFromFrequency(123.4))).toBeCloseTo(123.4, 9);
  });

  it('returns NaN for frequencies that are not positive', () => {
    expect(midiFromFrequency(0)).toBeNaN();
    expect(midiFromFrequency(-5)).toBeNaN();
    expect(centsBetween(0, 440)).toBeNaN();
  });

  it('measures signed cents from the reference', () => {
    expect(centsBetween(440, 880)).toBe(1200);
    expect(centsBetween(880, 440)).toBe(-1200);
    expect(centsBetween(440, 440 * 2 ** (1 / 12))).toBeCloseTo(100, 9);
  });

  it('calls ×2, ×3, ×4 and their inverses octave errors, within a window', () => {
    expect(isOctaveError(200, 400)).toBe(true);
    expect(isOctaveError(200, 100)).toBe(true);
    expect(isOctaveError(200, 600)).toBe(true);
    expect(isOctaveError(200, 50)).toBe(true);
    expect(isOctaveError(200, 410)).toBe(true);
    expect(isOctaveError(200, 205)).toBe(false);
    expect(isOctaveError(200, 300)).toBe(false);
    expect(isOctaveError(200, 0)).toBe(false);
  });
});
