/** The bit of music theory the generator needs: keys, scales, chords and progressions. */

export type KeyMode = 'major' | 'minor';

/** A musical key: tonic pitch class (0 = C … 11 = B) and mode. */
export interface MusicalKey {
  tonic: number;
  mode: KeyMode;
}

export type ChordQuality = 'major' | 'minor' | 'diminished' | 'dominant7' | 'minor7' | 'major7' | 'power';

/** A chord relative to the key's tonic: `rootOffset` semitones above it. */
export interface ChordSymbol {
  rootOffset: number;
  quality: ChordQuality;
}

export const MAJOR_SCALE: readonly number[] = [0, 2, 4, 5, 7, 9, 11];
export const NATURAL_MINOR_SCALE: readonly number[] = [0, 2, 3, 5, 7, 8, 10];
export const HARMONIC_MINOR_SCALE: readonly number[] = [0, 2, 3, 5, 7, 8, 11];

const CHORD_INTERVALS: Record<ChordQuality, readonly number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  diminished: [0, 3, 6],
  dominant7: [0, 4, 7, 10],
  minor7: [0, 3, 7, 10],
  major7: [0, 4, 7, 11],
  power: [0, 7, 12],
};

export function chordIntervals(quality: ChordQuality): readonly number[] {
  return CHORD_INTERVALS[quality];
}

const chord = (rootOffset: number, quality: ChordQuality): ChordSymbol => ({ rootOffset, quality });

/**
 * Common progressions, one chord per bar. Minor includes both natural-minor loops
 * (which share their chords with the relative major, as real minor-key pop does)
 * and ones with the harmonic-minor dominant.
 */
export const PROGRESSIONS: Record<KeyMode, readonly (readonly ChordSymbol[])[]> = {
  major: [
    [chord(0, 'major'), chord(7, 'major'), chord(9, 'minor'), chord(5, 'major')], // I–V–vi–IV
    [chord(0, 'major'), chord(5, 'major'), chord(7, 'dominant7'), chord(0, 'major')], // I–IV–V7–I
    [chord(0, 'major'), chord(9, 'minor'), chord(5, 'major'), chord(7, 'major')], // I–vi–IV–V
    [chord(2, 'minor7'), chord(7, 'dominant7'), chord(0, 'major7'), chord(0, 'major7')], // ii–V–I
    [chord(0, 'major'), chord(4, 'minor'), chord(5, 'major'), chord(7, 'major')], // I–iii–IV–V
    [chord(0, 'major'), chord(5, 'major'), chord(0, 'major'), chord(7, 'major')], // I–IV–I–V
  ],
  minor: [
    [chord(0, 'minor'), chord(8, 'major'), chord(3, 'major'), chord(10, 'major')], // i–VI–III–VII
    [chord(0, 'minor'), chord(5, 'minor'), chord(7, 'major'), chord(0, 'minor')], // i–iv–V–i
    [chord(0, 'minor'), chord(10, 'major'), chord(8, 'major'), chord(7, 'major')], // i–VII–VI–V
    [chord(0, 'minor'), chord(5, 'minor'), chord(10, 'major'), chord(3, 'major')], // i–iv–VII–III
    [chord(0, 'minor7'), chord(8, 'major7'), chord(5, 'minor7'), chord(7, 'dominant7')], // i–VI–iv–V7
    [chord(0, 'minor'), chord(0, 'minor'), chord(5, 'minor'), chord(7, 'minor')], // i–i–iv–v
  ],
};

/** Scale a melody should use over `chordSymbol`: a major V in minor raises the seventh. */
export function melodyScale(mode: KeyMode, chordSymbol: ChordSymbol): readonly number[] {
  if (mode === 'major') return MAJOR_SCALE;
  const isMajorDominant = chordSymbol.rootOffset === 7 && chordSymbol.quality !== 'minor' && chordSymbol.quality !== 'minor7';
  return isMajorDominant ? HARMONIC_MINOR_SCALE : NATURAL_MINOR_SCALE;
}

export function frequencyFromMidi(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** The MIDI note of pitch class `pitchClass` nearest to `centerMidi` (ties go down). */
export function nearestMidiOfPitchClass(pitchClass: number, centerMidi: number): number {
  const offset = (((pitchClass - centerMidi) % 12) + 12) % 12;
  return offset > 6 ? centerMidi + offset - 12 : centerMidi + offset;
}
