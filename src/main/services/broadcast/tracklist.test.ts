import { describe, expect, it } from 'vitest';
import { cueTime, formatCue, formatElapsed, formatTracklistText, splitArtistTitle } from './tracklist';

const ENTRIES = [
  { setElapsedSec: 4.2, text: 'Opening - "Intro"', artist: 'Opening', title: '"Intro"' },
  { setElapsedSec: 312.5, text: 'Just a title', artist: null, title: null },
  { setElapsedSec: 3725.04, text: 'Late One - After Hours', artist: 'Late One', title: 'After Hours' },
];

describe('the tracklist', () => {
  it('writes plain text with the set time of each change', () => {
    expect(formatTracklistText(ENTRIES, 'Mixdeck set 2026-11-23 21:00')).toBe(
      'Mixdeck set 2026-11-23 21:00\n\n01. [00:04] Opening - "Intro"\n02. [05:12] Just a title\n03. [1:02:05] Late One - After Hours\n',
    );
  });

  it('writes a CUE sheet players can split the recording with', () => {
    expect(formatCue(ENTRIES, { title: 'Mixdeck set', performer: 'DJ "X"', fileName: 'mixdeck-set.mp4' })).toBe(
      [
        `PERFORMER "DJ 'X'"`,
        'TITLE "Mixdeck set"',
        'FILE "mixdeck-set.mp4" WAVE',
        '  TRACK 01 AUDIO',
        `    TITLE "'Intro'"`,
        '    PERFORMER "Opening"',
        '    INDEX 00 00:00:00',
        '    INDEX 01 00:04:15',
        '  TRACK 02 AUDIO',
        '    TITLE "Just a title"',
        '    INDEX 01 05:12:37',
        '  TRACK 03 AUDIO',
        '    TITLE "After Hours"',
        '    PERFORMER "Late One"',
        '    INDEX 01 62:05:03',
        '',
      ].join('\r\n'),
    );
  });

  it('puts every track at the second the text tracklist shows (a first track at 02:37 is at 02:37, the intro before it a pregap)', () => {
    const entries = [{ setElapsedSec: 157.9, text: 'First', artist: null, title: null }];
    expect(formatTracklistText(entries, 'Set')).toContain('[02:37] First');
    const cue = formatCue(entries, { title: 'Set', performer: 'DJ', fileName: 'set.mp4' });
    expect(cue).toContain('    INDEX 00 00:00:00\r\n    INDEX 01 02:37:67\r\n');
    for (const entry of [...ENTRIES, ...entries]) {
      const [minutes, seconds] = cueTime(entry.setElapsedSec).split(':').map(Number) as [number, number];
      expect(minutes * 60 + seconds).toBe(Math.floor(entry.setElapsedSec));
    }
  });

  it('counts CUE time in 75ths of a second, minutes past 99 allowed', () => {
    expect(cueTime(0)).toBe('00:00:00');
    expect(cueTime(1.5)).toBe('00:01:37');
    expect(cueTime(59.999)).toBe('00:59:74');
    expect(cueTime(6000.2)).toBe('100:00:15');
    expect(formatElapsed(59.9)).toBe('00:59');
  });

  it('splits "Artist - Title" the way DJs type it, and leaves other text alone', () => {
    expect(splitArtistTitle('Daft Punk – One More Time')).toEqual({ artist: 'Daft Punk', title: 'One More Time' });
    expect(splitArtistTitle('Jay-Z')).toEqual({ artist: null, title: null });
  });
});
