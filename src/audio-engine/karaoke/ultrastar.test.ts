import { describe, expect, it } from 'vitest';
import { decodeSongText } from './text-decoding';
import { noteStartSec, parseUltraStar, SongParseError } from './ultrastar';

const SONG = `#VERSION:1.0.0
#TITLE:Test Song
#ARTIST:The Testers
#AUDIO:test.ogg
#VIDEO:test.mp4
#VIDEOGAP:1,5
#COVER:cover.jpg
#BPM:300
#GAP:1000
#YEAR:1999
#LANGUAGE:English
: 0 4 0 Hel
: 4 4 2 lo
* 8 8 4  world
- 18
R 20 4 0 Rap
G 24 4 0  gold
F 28 4 0  free
E
anything after E is ignored
`;

describe('parseUltraStar', () => {
  it('reads headers, notes, kinds and lines, with the ×4 BPM timing', () => {
    const song = parseUltraStar(SONG);
    expect(song).toMatchObject({ version: '1.0.0', title: 'Test Song', artist: 'The Testers', audioFile: 'test.ogg', bpm: 300, gapMs: 1000, videoGapSec: 1.5, year: 1999 });
    expect(song.beatDurationSec).toBeCloseTo(0.05, 10);
    expect(song.voices).toHaveLength(1);
    const [first, second] = song.voices[0]!.lines;
    expect(first!.notes.map((note) => [note.kind, note.startBeat, note.lengthBeats, note.midi, note.text])).toEqual([
      ['normal', 0, 4, 60, 'Hel'],
      ['normal', 4, 4, 62, 'lo'],
      ['golden', 8, 8, 64, ' world'],
    ]);
    expect(second!.notes.map((note) => note.kind)).toEqual(['rap', 'golden-rap', 'freestyle']);
    // A note at beat 8 starts at GAP + 8 × 15/300 s.
    expect(noteStartSec(song, 8)).toBeCloseTo(1.4, 10);
  });

  it('accepts the older #MP3 header, comma decimals and CRLF line ends', () => {
    const song = parseUltraStar('#TITLE:Old\r\n#ARTIST:A\r\n#MP3:a.mp3\r\n#BPM:287,5\r\n#GAP:12,5\r\n: 0 2 -5 la\r\nE\r\n');
    expect(song).toMatchObject({ audioFile: 'a.mp3', bpm: 287.5, gapMs: 12.5 });
    expect(song.voices[0]!.lines[0]!.notes[0]!.midi).toBe(55);
  });

  it('reads relative-beat files', () => {
    const song = parseUltraStar('#TITLE:R\n#ARTIST:A\n#MP3:a.mp3\n#BPM:200\n#RELATIVE:yes\n: 0 4 0 a\n: 4 4 0 b\n- 10 12\n: 0 4 0 c\nE\n');
    expect(song.voices[0]!.lines.map((line) => line.notes.map((note) => note.startBeat))).toEqual([[0, 4], [12]]);
  });

  it('splits duets into two voices with their singers', () => {
    const song = parseUltraStar('#TITLE:D\n#ARTIST:A\n#AUDIO:a.ogg\n#BPM:200\n#P1:Ann\n#P2:Bob\nP1\n: 0 4 0 a\n- 6\n: 8 4 0 b\nP2\n: 2 4 7 c\nP3\n: 20 2 0 both\nE\n');
    expect(song.voices.map((voice) => voice.name)).toEqual(['Ann', 'Bob']);
    expect(song.voices[0]!.lines.map((line) => line.notes.map((note) => note.text))).toEqual([['a'], ['b', 'both']]);
    expect(song.voices[1]!.lines.flatMap((line) => line.notes.map((note) => note.text))).toEqual(['c', 'both']);
  });

  it('reads Windows-1252 files and UTF-8 files with a BOM', () => {
    const latin = Uint8Array.from([...'#TITLE:Caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x0a]));
    expect(decodeSongText(latin)).toEqual({ text: '#TITLE:Café\n', encoding: 'windows-1252' });
    const quotes = Uint8Array.from([0x93, 0x68, 0x69, 0x94]);
    expect(decodeSongText(quotes).text).toBe('“hi”');
    const utf8 = Uint8Array.from([0xef, 0xbb, 0xbf, 0x43, 0x61, 0x66, 0xc3, 0xa9]);
    expect(decodeSongText(utf8)).toEqual({ text: 'Café', encoding: 'utf-8' });
  });

  it.each([
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n: 0 4 zero la\nE\n', 5, 'a note is ": start length pitch syllable"'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n: 0 0 1 la\nE\n', 5, 'at least one beat'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:fast\n: 0 2 1 la\nE\n', 4, '#BPM must be a positive number'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n: 0 2 1 la\nhello there\n', 6, 'not a header, note, line break or end mark'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n- soon\n', 5, 'a line break is "- beat"'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\nP7\n', 5, 'only singers P1 and P2'],
    ['#TITLE x\n', 1, 'a header needs a colon'],
  ])('refuses a broken file with the line and the reason (%#)', (text, lineNumber, reason) => {
    const error = (() => {
      try {
        parseUltraStar(text);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SongParseError);
    expect((error as SongParseError).lineNumber).toBe(lineNumber);
    expect((error as SongParseError).message).toContain(`line ${lineNumber}: `);
    expect((error as SongParseError).message).toContain(reason);
  });

  it.each([
    ['#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n: 0 2 1 la\n', '#TITLE header is missing'],
    ['#TITLE:x\n#ARTIST:a\n#BPM:100\n: 0 2 1 la\n', 'no audio file'],
    ['#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\nE\n', 'no notes'],
  ])('refuses a file missing what a song needs (%#)', (text, reason) => {
    expect(() => parseUltraStar(text)).toThrow(reason);
  });

  it('warns, without failing, about notes out of order and headers after the notes', () => {
    const song = parseUltraStar('#TITLE:x\n#ARTIST:a\n#AUDIO:a.ogg\n#BPM:100\n: 8 2 1 b\n: 0 2 1 a\n#GENRE:Pop\nE\n');
    expect(song.voices[0]!.lines[0]!.notes.map((note) => note.text)).toEqual(['a', 'b']);
    expect(song.warnings).toHaveLength(2);
    expect(song.genre).toBe('Pop');
  });

  describe('limits the file sets', () => {
    const song = (body: string, headers = '#BPM:300\n#GAP:1000\n'): string => `#TITLE:T\n#ARTIST:A\n#AUDIO:a.ogg\n${headers}${body}\nE\n`;
    it.each([
      ['a note of 2,000,000,000 beats', song(': 0 2000000000 0 la'), /line 6: a note of 2000000000 beats lasts years; a note can last at most 60 seconds/],
      ['a note starting far past any song', song(': 99999999999999999999 4 0 la'), /line 6: the note's beats .* are far beyond any song's length/],
      ['a note ending an hour in', song(': 72000 4 0 la'), /line 6: this note ends 60 minutes into the song; a song can last at most 30 minutes/],
      ['a beat lasting an hour', song(': 0 1 0 la', '#BPM:0,004\n'), /line 5: a note of 1 beat lasts 63 minutes/],
      ['a #BPM beyond any song', song(': 0 1 0 la', '#BPM:100000\n'), /line 4: #BPM 100000 is far too fast/],
      ['a #GAP of days', song(': 0 1 0 la', '#BPM:300\n#GAP:999999999\n'), /#GAP 999999999 ms is longer than a song can be/],
    ])('refuses %s in words, at once', (_name, text, message) => {
      const startedAt = performance.now();
      expect(() => parseUltraStar(text)).toThrow(message);
      expect(performance.now() - startedAt).toBeLessThan(1000);
    });

    it('refuses more notes than any song has', () => {
      const notes = Array.from({ length: 20_001 }, (_, index) => `: ${index} 1 0 la`).join('\n');
      expect(() => parseUltraStar(song(notes))).toThrow(/line 20006: a song can have at most 20000 notes/);
    });
  });
});
