import { describe, expect, it } from 'vitest';
import { camelotCode, camelotRelation, compatibleKeys, fromCamelot, isCamelotCompatible, keyName, parseCamelot, parseKeyName, toCamelot } from './camelot';
import type { MusicalKey } from './camelot';

/** The published Camelot wheel. */
const WHEEL: Record<string, string> = {
  'C major': '8B',
  'G major': '9B',
  'D major': '10B',
  'A major': '11B',
  'E major': '12B',
  'B major': '1B',
  'F# major': '2B',
  'Db major': '3B',
  'Ab major': '4B',
  'Eb major': '5B',
  'Bb major': '6B',
  'F major': '7B',
  'A minor': '8A',
  'E minor': '9A',
  'B minor': '10A',
  'F# minor': '11A',
  'C# minor': '12A',
  'G# minor': '1A',
  'Eb minor': '2A',
  'Bb minor': '3A',
  'F minor': '4A',
  'C minor': '5A',
  'G minor': '6A',
  'D minor': '7A',
};

const ALL_KEYS: MusicalKey[] = (['major', 'minor'] as const).flatMap((mode) => Array.from({ length: 12 }, (_, tonic) => ({ tonic, mode })));

const key = (name: string): MusicalKey => parseKeyName(name)!;

describe('Camelot wheel', () => {
  it('maps all 24 keys to their Camelot codes and back', () => {
    expect(ALL_KEYS).toHaveLength(24);
    for (const musicalKey of ALL_KEYS) {
      const name = keyName(musicalKey);
      expect(camelotCode(musicalKey), name).toBe(WHEEL[name]);
      expect(fromCamelot(toCamelot(musicalKey))).toEqual(musicalKey);
      expect(parseKeyName(name)).toEqual(musicalKey);
    }
    expect(new Set(ALL_KEYS.map(camelotCode)).size).toBe(24);
  });

  it('names keys the way DJs read them', () => {
    expect(keyName({ tonic: 9, mode: 'minor' })).toBe('A minor');
    expect(keyName({ tonic: 1, mode: 'major' })).toBe('Db major');
    expect(keyName({ tonic: 1, mode: 'minor' })).toBe('C# minor');
  });

  it('parses common spellings of keys and codes', () => {
    expect(parseKeyName('Am')).toEqual({ tonic: 9, mode: 'minor' });
    expect(parseKeyName('C#m')).toEqual({ tonic: 1, mode: 'minor' });
    expect(parseKeyName('Bb')).toEqual({ tonic: 10, mode: 'major' });
    expect(parseKeyName('F♯ min')).toEqual({ tonic: 6, mode: 'minor' });
    expect(parseKeyName('H major')).toBeNull();
    expect(parseCamelot('12b')).toEqual({ number: 12, letter: 'B' });
    expect(parseCamelot('13A')).toBeNull();
  });

  it('calls keys compatible when same, one step around the wheel, or relative', () => {
    expect(camelotRelation(key('A minor'), key('A minor'))).toBe('same');
    expect(camelotRelation(key('A minor'), key('E minor'))).toBe('adjacent'); // 8A–9A
    expect(camelotRelation(key('A minor'), key('D minor'))).toBe('adjacent'); // 8A–7A
    expect(camelotRelation(key('A minor'), key('C major'))).toBe('relative'); // 8A–8B
    expect(camelotRelation(key('B major'), key('E major'))).toBe('adjacent'); // 1B–12B wraps
    expect(camelotRelation(key('A minor'), key('A major'))).toBe('incompatible'); // 8A–11B
    expect(camelotRelation(key('A minor'), key('G major'))).toBe('incompatible'); // 8A–9B diagonal
    expect(isCamelotCompatible(key('C major'), key('F major'))).toBe(true);
    expect(isCamelotCompatible(key('C major'), key('D major'))).toBe(false);
  });

  it('lists the four compatible keys of every key', () => {
    for (const musicalKey of ALL_KEYS) {
      const compatible = compatibleKeys(musicalKey);
      expect(compatible).toHaveLength(4);
      expect(compatible.every((other) => isCamelotCompatible(musicalKey, other))).toBe(true);
      expect(ALL_KEYS.filter((other) => isCamelotCompatible(musicalKey, other))).toHaveLength(4);
    }
    expect(compatibleKeys(key('A minor')).map(camelotCode)).toEqual(['8A', '7A', '9A', '8B']);
  });
});
