import { describe, expect, it } from 'vitest';
import { activeLyricLine, buildLyricsTimeline } from './lyrics-timeline';

describe('lyrics timeline', () => {
  it('times LRC lyrics and finds the line being sung', () => {
    const timeline = buildLyricsTimeline('[00:01.00]first\n[00:02.50]second\n[00:04.00]third', 'plain text');
    expect(timeline.synced).toBe(true);
    expect(activeLyricLine(timeline, 0.5)).toBe(-1);
    expect(activeLyricLine(timeline, 2.6)).toBe(1);
    expect(activeLyricLine(timeline, 99)).toBe(2);
  });

  it('reads LRC embedded in the plain lyrics tag, and shows untimed text as it is', () => {
    expect(buildLyricsTimeline(null, '[00:01.00]embedded').synced).toBe(true);
    const plain = buildLyricsTimeline(null, 'one\ntwo');
    expect(plain).toMatchObject({ synced: false });
    expect(plain.lines.map((line) => line.text)).toEqual(['one', 'two']);
    expect(activeLyricLine(plain, 10)).toBe(-1);
    expect(buildLyricsTimeline(null, '  ').lines).toEqual([]);
  });
});
