import { describe, expect, it } from 'vitest';
import { compatibleCamelotKeys, parseSearch } from './search-query';

describe('parseSearch', () => {
  it('reads free words, phrases and negation', () => {
    expect(parseSearch('daft  "one more time" -remix').clauses).toEqual([
      { kind: 'text', negated: false, text: 'daft', phrase: false },
      { kind: 'text', negated: false, text: 'one more time', phrase: true },
      { kind: 'text', negated: true, text: 'remix', phrase: false },
    ]);
  });

  it('reads text filters, quoted or not, in any case', () => {
    expect(parseSearch('Artist:"Daft Punk" genre:house -album:live').clauses).toEqual([
      { kind: 'field-text', negated: false, field: 'artist', text: 'Daft Punk', phrase: true },
      { kind: 'field-text', negated: false, field: 'genre', text: 'house', phrase: false },
      { kind: 'field-text', negated: true, field: 'album', text: 'live', phrase: false },
    ]);
  });

  it.each([
    ['year:1990-1999', { field: 'year', min: 1990, max: 1999, minInclusive: true, maxInclusive: true }],
    ['year:1999', { field: 'year', min: 1999, max: 1999 }],
    ['bpm:120-128', { field: 'bpm', min: 120, max: 128 }],
    ['bpm:>170', { field: 'bpm', min: 170, max: null, minInclusive: false }],
    ['bpm:128', { field: 'bpm', min: 127.5, max: 128.5, maxInclusive: false }],
    ['rating:>=4', { field: 'rating', min: 4, max: null, minInclusive: true }],
    ['duration:<4:00', { field: 'duration', min: null, max: 240, maxInclusive: false }],
    ['duration:3:00-5:30', { field: 'duration', min: 180, max: 330 }],
    ['played:>=10', { field: 'played', min: 10, max: null }],
  ])('reads %s', (query, expected) => {
    expect(parseSearch(query)).toEqual({ clauses: [expect.objectContaining({ kind: 'range', negated: false, ...expected })], problems: [] });
  });

  it('reads keys, exact and compatible, and never-played', () => {
    expect(parseSearch('key:8a key:~12B played:never -played:never').clauses).toEqual([
      { kind: 'key', negated: false, camelot: '8A', compatible: false },
      { kind: 'key', negated: false, camelot: '12B', compatible: true },
      { kind: 'never-played', negated: false },
      { kind: 'never-played', negated: true },
    ]);
  });

  it('reports what it cannot read, in words, and keeps the rest', () => {
    const parsed = parseSearch('colour:red bpm:fast key:H7 year:2000-1990 duration: house');
    expect(parsed.clauses).toEqual([{ kind: 'text', negated: false, text: 'house', phrase: false }]);
    expect(parsed.problems).toEqual([
      'Unknown filter "colour:" — try artist:, title:, album:, genre:, year:, bpm:, key:, duration:, rating: or played:',
      '"bpm:fast" is not a number or range like >=4 or 120-128',
      '"key:H7" is not a Camelot key like 8A or ~8A',
      '"year:2000-1990" is not a number or range like >=4 or 120-128',
      '"duration:" needs a value',
    ]);
  });

  it('treats a lone dash and an unclosed quote sensibly', () => {
    expect(parseSearch('- "open ended').clauses).toEqual([
      { kind: 'text', negated: false, text: '-', phrase: false },
      { kind: 'text', negated: false, text: 'open ended', phrase: true },
    ]);
  });
});

describe('compatibleCamelotKeys', () => {
  it('wraps around the wheel and switches to the relative key', () => {
    expect(compatibleCamelotKeys('8A')).toEqual(['8A', '7A', '9A', '8B']);
    expect(compatibleCamelotKeys('1B')).toEqual(['1B', '12B', '2B', '1A']);
    expect(compatibleCamelotKeys('12A')).toEqual(['12A', '11A', '1A', '12B']);
  });
});
