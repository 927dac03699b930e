import { describe, expect, it } from 'vitest';
import { beatsPerBar, dbToFader, faderToDb, formatBarsBeats, formatDb, formatPan, gridBeats, noteName, snapBeat } from './timeline';

describe('the editors’ timeline arithmetic', () => {
  it('counts bars in beats for any signature and snaps to the chosen grid', () => {
    expect(beatsPerBar({ numerator: 4, denominator: 4 })).toBe(4);
    expect(beatsPerBar({ numerator: 6, denominator: 8 })).toBe(3);
    expect(gridBeats('1 bar', { numerator: 7, denominator: 8 })).toBe(3.5);
    expect(gridBeats('1/16', { numerator: 4, denominator: 4 })).toBe(0.25);
    expect(gridBeats('Off', { numerator: 4, denominator: 4 })).toBe(0);
    expect(snapBeat(5.13, 0.25)).toBe(5.25);
    expect(snapBeat(5.13, 0)).toBe(5.13);
  });

  it('shows positions as bar.beat.sixteenth from 1', () => {
    expect(formatBarsBeats(0, { numerator: 4, denominator: 4 })).toBe('1.1.1');
    expect(formatBarsBeats(37.5, { numerator: 4, denominator: 4 })).toBe('10.2.3');
    expect(formatBarsBeats(3.5, { numerator: 6, denominator: 8 })).toBe('2.2.1');
  });

  it('maps fader travel to dB and back, 0 dB at three quarters', () => {
    expect(faderToDb(0.75)).toBeCloseTo(0, 9);
    expect(faderToDb(1)).toBeCloseTo(6, 9);
    expect(faderToDb(0)).toBe(-Infinity);
    for (const db of [-40, -12, -3, 0, 3, 6]) expect(faderToDb(dbToFader(db))).toBeCloseTo(db, 6);
    expect(formatDb(-Infinity)).toBe('−∞');
    expect(formatDb(-3.04)).toBe('−3.0');
    expect(formatPan(-0.5)).toBe('50L');
    expect(formatPan(0)).toBe('C');
    expect(noteName(60)).toBe('C4');
    expect(noteName(69)).toBe('A4');
  });
});
