/**
 * The library's search language, typed fast by a DJ:
 *   free text            daft punk            (every word must match artist/title/album/genre/lyrics)
 *   phrases              "get lucky"
 *   text filters         artist:daft  title:"one more time"  album:  genre:house
 *   number filters       year:1990-1999  year:1999  bpm:120-128  bpm:>170  bpm:<=90  rating:>=4
 *   duration             duration:<4:00  duration:3:00-5:30  duration:>=90 (seconds)
 *   key                  key:8A (exact)  key:~8A (harmonically compatible: 7A 8A 9A 8B)
 *   play history         played:never  played:>=10
 *   negation             -term  -genre:trance  -"radio edit"
 * Parsing never throws: a filter it cannot read is reported in `problems` and left out.
 */

export const TEXT_FIELDS = ['artist', 'title', 'album', 'genre'] as const;
export const RANGE_FIELDS = ['year', 'bpm', 'duration', 'rating', 'played'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type RangeField = (typeof RANGE_FIELDS)[number];

export type SearchClause =
  | { kind: 'text'; negated: boolean; text: string; phrase: boolean }
  | { kind: 'field-text'; negated: boolean; field: TextField; text: string; phrase: boolean }
  | { kind: 'range'; negated: boolean; field: RangeField; min: number | null; max: number | null; minInclusive: boolean; maxInclusive: boolean }
  | { kind: 'key'; negated: boolean; camelot: string; compatible: boolean }
  | { kind: 'never-played'; negated: boolean };

export interface ParsedSearch {
  clauses: SearchClause[];
  /** Sentences for the search box, e.g. `Unknown filter "colour:"`. */
  problems: string[];
}

interface Token {
  negated: boolean;
  field: string | null;
  value: string;
  quoted: boolean;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    while (index < query.length && /\s/.test(query[index]!)) index += 1;
    if (index >= query.length) break;
    let negated = false;
    if (query[index] === '-' && index + 1 < query.length && !/\s/.test(query[index + 1]!)) {
      negated = true;
      index += 1;
    }
    let field: string | null = null;
    const fieldMatch = /^([a-z]+):/i.exec(query.slice(index));
    if (fieldMatch) {
      field = fieldMatch[1]!.toLowerCase();
      index += fieldMatch[0].length;
    }
    let value: string;
    const quoted = query[index] === '"';
    if (quoted) {
      const close = query.indexOf('"', index + 1);
      const end = close < 0 ? query.length : close;
      value = query.slice(index + 1, end);
      index = close < 0 ? query.length : close + 1;
    } else {
      const start = index;
      while (index < query.length && !/\s/.test(query[index]!)) index += 1;
      value = query.slice(start, index);
    }
    tokens.push({ negated, field, value, quoted });
  }
  return tokens;
}

/** `4:00` → 240, `1:02:03` → 3723, `95` → 95 seconds. */
function parseDurationSec(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^\d+$/.test(part))) return null;
  return parts.reduce((total, part) => total * 60 + Number(part), 0);
}

function parseNumber(field: RangeField, text: string): number | null {
  if (field === 'duration') return parseDurationSec(text);
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}

function parseRange(field: RangeField, text: string): Omit<Extract<SearchClause, { kind: 'range' }>, 'negated' | 'kind' | 'field'> | null {
  const comparison = /^(>=|<=|>|<|=)?(.+)$/.exec(text);
  if (!comparison) return null;
  const [, operator, rest] = comparison;
  if (!operator) {
    const dash = rest!.indexOf('-', 1);
    if (dash > 0) {
      const min = parseNumber(field, rest!.slice(0, dash));
      const max = parseNumber(field, rest!.slice(dash + 1));
      if (min === null || max === null || min > max) return null;
      return { min, max, minInclusive: true, maxInclusive: true };
    }
  }
  const value = parseNumber(field, rest!);
  if (value === null) return null;
  switch (operator) {
    case '>':
      return { min: value, max: null, minInclusive: false, maxInclusive: false };
    case '>=':
      return { min: value, max: null, minInclusive: true, maxInclusive: false };
    case '<':
      return { min: null, max: value, minInclusive: false, maxInclusive: false };
    case '<=':
      return { min: null, max: value, minInclusive: false, maxInclusive: true };
    default:
      // bpm:128 means "about 128" to a DJ: the whole beat; other fields are exact.
      if (field === 'bpm' && Number.isInteger(value)) return { min: value - 0.5, max: value + 0.5, minInclusive: true, maxInclusive: false };
      return { min: value, max: value, minInclusive: true, maxInclusive: true };
  }
}

const CAMELOT = /^(1[0-2]|[1-9])([AB])$/i;

export function parseSearch(query: string): ParsedSearch {
  const clauses: SearchClause[] = [];
  const problems: string[] = [];
  for (const token of tokenize(query.slice(0, 1000))) {
    const { negated, field, value, quoted } = token;
    if (value.trim() === '') {
      if (field) problems.push(`"${field}:" needs a value`);
      continue;
    }
    if (field === null) {
      clauses.push({ kind: 'text', negated, text: value, phrase: quoted });
    } else if ((TEXT_FIELDS as readonly string[]).includes(field)) {
      clauses.push({ kind: 'field-text', negated, field: field as TextField, text: value, phrase: quoted });
    } else if (field === 'key') {
      const compatible = value.startsWith('~');
      const key = CAMELOT.exec(compatible ? value.slice(1) : value);
      if (!key) problems.push(`"key:${value}" is not a Camelot key like 8A or ~8A`);
      else clauses.push({ kind: 'key', negated, camelot: `${key[1]}${key[2]!.toUpperCase()}`, compatible });
    } else if (field === 'played' && value.toLowerCase() === 'never') {
      clauses.push({ kind: 'never-played', negated });
    } else if ((RANGE_FIELDS as readonly string[]).includes(field)) {
      const range = parseRange(field as RangeField, value);
      if (!range) problems.push(`"${field}:${value}" is not a number or range like ${field === 'duration' ? '<4:00 or 3:00-5:00' : '>=4 or 120-128'}`);
      else clauses.push({ kind: 'range', negated, field: field as RangeField, ...range });
    } else {
      problems.push(`Unknown filter "${field}:" — try artist:, title:, album:, genre:, year:, bpm:, key:, duration:, rating: or played:`);
    }
  }
  return { clauses, problems };
}

/** The Camelot keys that mix harmonically with `camelot`: itself, one step either way, and its relative. */
export function compatibleCamelotKeys(camelot: string): string[] {
  const match = CAMELOT.exec(camelot);
  if (!match) return [];
  const number = Number(match[1]);
  const letter = match[2]!.toUpperCase();
  const wrap = (value: number): number => ((value + 11) % 12) + 1;
  return [`${number}${letter}`, `${wrap(number - 1)}${letter}`, `${wrap(number + 1)}${letter}`, `${number}${letter === 'A' ? 'B' : 'A'}`];
}
