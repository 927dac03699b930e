/**
 * Key names and the Camelot wheel DJs mix by: 1–12 around the circle of fifths,
 * B for major, A for minor (8B = C major, 8A = A minor). Two keys mix well when
 * they are the same, one step apart with the same letter (a fifth), or share a
 * number (relative major/minor).
 */

export type KeyMode = 'major' | 'minor';

/** Tonic pitch class (0 = C … 11 = B) and mode. */
export interface MusicalKey {
  tonic: number;
  mode: KeyMode;
}

export interface CamelotKey {
  /** 1..12 */
  number: number;
  letter: 'A' | 'B';
}

/** Spellings DJs expect: flats for the flat-side major keys, sharps where minor keys use them. */
const MAJOR_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MINOR_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'];

const NOTE_PITCH_CLASSES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

function pitchClass(value: number): number {
  return ((Math.round(value) % 12) + 12) % 12;
}

/** "A minor", "Db major". */
export function keyName(key: MusicalKey): string {
  const names = key.mode === 'major' ? MAJOR_NAMES : MINOR_NAMES;
  return `${names[pitchClass(key.tonic)]!} ${key.mode}`;
}

/** Parse "A minor", "Db major", "F# min", "Am", "C#m", "Bb". Returns null when it is not a key. */
export function parseKeyName(text: string): MusicalKey | null {
  const match = /^\s*([A-Ga-g])\s*([#♯b♭]?)\s*(major|maj|minor|min|m)?\s*$/.exec(text);
  if (!match) return null;
  const natural = NOTE_PITCH_CLASSES[match[1]!.toUpperCase()]!;
  const accidental = match[2] === '#' || match[2] === '♯' ? 1 : match[2] === 'b' || match[2] === '♭' ? -1 : 0;
  const modeText = match[3] ?? 'major';
  const mode: KeyMode = modeText === 'major' || modeText === 'maj' ? 'major' : 'minor';
  return { tonic: pitchClass(natural + accidental), mode };
}

/** The key's position on the Camelot wheel. */
export function toCamelot(key: MusicalKey): CamelotKey {
  // The relative major shares the minor key's number; numbers rise by fifths from C major = 8B.
  const majorTonic = key.mode === 'major' ? pitchClass(key.tonic) : pitchClass(key.tonic + 3);
  const number = ((((majorTonic * 7) % 12) + 7) % 12) + 1;
  return { number, letter: key.mode === 'major' ? 'B' : 'A' };
}

export function fromCamelot(camelot: CamelotKey): MusicalKey {
  const majorTonic = pitchClass((camelot.number - 8) * 7);
  return camelot.letter === 'B' ? { tonic: majorTonic, mode: 'major' } : { tonic: pitchClass(majorTonic - 3), mode: 'minor' };
}

/** "8A". */
export function camelotCode(key: MusicalKey): string {
  const { number, letter } = toCamelot(key);
  return `${number}${letter}`;
}

/** Parse "8A" / "12b". Returns null for anything else. */
export function parseCamelot(code: string): CamelotKey | null {
  const match = /^\s*(1[0-2]|[1-9])\s*([AaBb])\s*$/.exec(code);
  if (!match) return null;
  return { number: Number(match[1]), letter: match[2]!.toUpperCase() as 'A' | 'B' };
}

export type CamelotRelation = 'same' | 'adjacent' | 'relative' | 'incompatible';

/**
 * How two keys mix: `same` key, `adjacent` (±1 on the wheel, same letter — a
 * fifth apart), `relative` (same number, A↔B), otherwise `incompatible`.
 */
export function camelotRelation(a: MusicalKey, b: MusicalKey): CamelotRelation {
  const first = toCamelot(a);
  const second = toCamelot(b);
  if (first.letter === second.letter) {
    if (first.number === second.number) return 'same';
    const steps = (first.number - second.number + 12) % 12;
    return steps === 1 || steps === 11 ? 'adjacent' : 'incompatible';
  }
  return first.number === second.number ? 'relative' : 'incompatible';
}

export function isCamelotCompatible(a: MusicalKey, b: MusicalKey): boolean {
  return camelotRelation(a, b) !== 'incompatible';
}

/** The four keys that mix with `key`: itself, ±1 on the wheel, and its relative. */
export function compatibleKeys(key: MusicalKey): MusicalKey[] {
  const { number, letter } = toCamelot(key);
  const wrap = (value: number): number => ((value - 1 + 12) % 12) + 1;
  return [
    { number, letter },
    { number: wrap(number - 1), letter },
    { number: wrap(number + 1), letter },
    { number, letter: letter === 'A' ? 'B' : 'A' },
  ].map((camelot) => fromCamelot(camelot as CamelotKey));
}
