import { describe, expect, it } from 'vitest';
import { lineAt, looksLikeLrc, parseLrc } from './lrc';

describe('parseLrc', () => {
  it('reads tags, timed lines, repeated stamps and fractions of 2 or 3 digits', () => {
    const lyrics = parseLrc('[ti:Song]\n[ar:Band]\n[length:3:05]\n[00:12.50]First line\n[00:20.123][01:02.00]Chorus\nnot a lyric\n[00:05]Intro');
    expect(lyrics).toMatchObject({ title: 'Song', artist: 'Band', lengthSec: 185, offsetMs: 0 });
    expect(lyrics.lines.map((line) => [line.startSec, line.text])).toEqual([
      [5, 'Intro'],
      [12.5, 'First line'],
      [20.123, 'Chorus'],
      [62, 'Chorus'],
    ]);
    expect(lyrics.skipped).toEqual([{ lineNumber: 6, text: 'not a lyric' }]);
  });

  it('reads enhanced per-word times', () => {
    const [line] = parseLrc('[00:10.00]<00:10.00>Hello <00:10.50>big <00:11.20>world').lines;
    expect(line!.text).toBe('Hello big world');
    expect(line!.words).toEqual([
      { startSec: 10, text: 'Hello ' },
      { startSec: 10.5, text: 'big ' },
      { startSec: 11.2, text: 'world' },
    ]);
  });

  it('applies the offset: positive shows lyrics sooner', () => {
    expect(parseLrc('[offset:+500]\n[00:10.00]x').lines[0]!.startSec).toBe(9.5);
    expect(parseLrc('[offset:-250]\n[00:10.00]x').lines[0]!.startSec).toBe(10.25);
  });

  it('finds the line being sung', () => {
    const { lines } = parseLrc('[00:01.00]a\n[00:02.00]b\n[00:03.00]c');
    expect([0.5, 1, 2.5, 99].map((time) => lineAt(lines, time))).toEqual([-1, 0, 1, 2]);
  });

  it('tells LRC from other text', () => {
    expect(looksLikeLrc('[00:01.00]a')).toBe(true);
    expect(looksLikeLrc('#TITLE:x\n: 0 1 2 a')).toBe(false);
  });
});
