/**
 * LRC lyrics, plain and enhanced: `[mm:ss.xx]line`, several stamps on one line
 * (`[00:12.00][01:40.00]chorus`), metadata tags (`[ar:]`, `[ti:]`, `[al:]`, `[length:]`,
 * `[offset:+/-ms]`), and enhanced per-word stamps `<mm:ss.xx>word`.
 * Used for sing-along songs (no scoring) and the player's synchronized lyrics.
 */

export interface LrcWord {
  readonly startSec: number;
  readonly text: string;
}

export interface LrcLine {
  readonly startSec: number;
  readonly text: string;
  /** Per-word times from enhanced LRC; empty for plain LRC. */
  readonly words: LrcWord[];
}

export interface LrcLyrics {
  readonly title: string | null;
  readonly artist: string | null;
  readonly album: string | null;
  readonly lengthSec: number | null;
  /** Already applied to every time below. */
  readonly offsetMs: number;
  readonly lines: LrcLine[];
  /** Lines that were neither a tag nor timed lyrics, with their numbers; they are skipped. */
  readonly skipped: { lineNumber: number; text: string }[];
}

const TIME = String.raw`(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?`;
const LINE_STAMP = new RegExp(String.raw`^\[${TIME}\]`);
const WORD_STAMP = new RegExp(String.raw`<${TIME}>`, 'g');
const TAG = /^\[([a-z#]+):([^\]]*)\]\s*$/i;

function toSeconds(minutes: string, seconds: string, fraction: string | undefined): number {
  const fractionSec = fraction ? Number(fraction) / 10 ** fraction.length : 0;
  return Number(minutes) * 60 + Number(seconds) + fractionSec;
}

/** True when the text looks like LRC (at least one timed line). */
export function looksLikeLrc(text: string): boolean {
  return /^\s*\[\d{1,3}:\d{1,2}([.:]\d{1,3})?\]/m.test(text);
}

export function parseLrc(text: string): LrcLyrics {
  const tags: Record<string, string> = {};
  const timed: { startSec: number; text: string; words: LrcWord[]; order: number }[] = [];
  const skipped: { lineNumber: number; text: string }[] = [];
  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);

  rows.forEach((row, index) => {
    const line = row.trim();
    if (line === '') return;
    const stamps: number[] = [];
    let rest = line;
    for (let match = LINE_STAMP.exec(rest); match; match = LINE_STAMP.exec(rest)) {
      stamps.push(toSeconds(match[1]!, match[2]!, match[3]));
      rest = rest.slice(match[0].length);
    }
    if (stamps.length === 0) {
      const tag = TAG.exec(line);
      if (tag) tags[tag[1]!.toLowerCase()] = tag[2]!.trim();
      else skipped.push({ lineNumber: index + 1, text: line.slice(0, 80) });
      return;
    }
    const words: LrcWord[] = [];
    const wordMatches = [...rest.matchAll(WORD_STAMP)];
    wordMatches.forEach((match, wordIndex) => {
      const start = match.index! + match[0].length;
      const end = wordIndex + 1 < wordMatches.length ? wordMatches[wordIndex + 1]!.index! : rest.length;
      const word = rest.slice(start, end);
      if (word.trim() !== '') words.push({ startSec: toSeconds(match[1]!, match[2]!, match[3]), text: word });
    });
    const plain = rest.replace(WORD_STAMP, '').replace(/\s+/g, ' ').trim();
    for (const startSec of stamps) timed.push({ startSec, text: plain, words, order: timed.length });
  });

  const offsetMs = tags.offset !== undefined && /^[+-]?\d+$/.test(tags.offset) ? Number(tags.offset) : 0;
  // A positive offset makes lyrics appear sooner.
  const shift = (seconds: number): number => Math.max(0, seconds - offsetMs / 1000);
  const lines = timed
    .sort((a, b) => a.startSec - b.startSec || a.order - b.order)
    .map((line) => ({
      startSec: shift(line.startSec),
      text: line.text,
      words: line.words.map((word) => ({ startSec: shift(word.startSec), text: word.text })),
    }));
  const length = /^(\d+):(\d{1,2})$/.exec(tags.length ?? '');
  return {
    title: tags.ti || null,
    artist: tags.ar || null,
    album: tags.al || null,
    lengthSec: length ? Number(length[1]) * 60 + Number(length[2]) : null,
    offsetMs,
    lines,
    skipped,
  };
}

/** Index of the line being sung at `timeSec` (the last line started), or -1 before the first. */
export function lineAt(lines: readonly LrcLine[], timeSec: number): number {
  let low = 0;
  let high = lines.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lines[middle]!.startSec <= timeSec) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
