/**
 * UltraStar TXT and LRC songs through the parsers, the text decoding, the import's file reader
 * (readSongFile, with the audio beside it) and the scorer: seeded mutations of valid songs,
 * random text and bytes, and the crafted cases (huge beats, negative lengths, NaN, missing
 * headers, duplicate P1/P2, BOMs, legacy encodings). No input may crash or hang; every refusal
 * is a sentence with its line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLrc } from '../../src/audio-engine/karaoke/lrc';
import { scoreVoice, type PitchTrack } from '../../src/audio-engine/karaoke/scoring';
import { decodeSongText } from '../../src/audio-engine/karaoke/text-decoding';
import { parseUltraStar, SongParseError, type UltraStarSong } from '../../src/audio-engine/karaoke/ultrastar';
import { readSongFile } from '../../src/main/services/karaoke/song-folder';
import { createFuzzer, FuzzTally, mutateText } from '../support/fuzz';
import { makeTempDir } from '../support/temp-dir';

/** What a refusal must never look like: an exception's own text. */
const NOT_WORDS = /Cannot read properties|undefined|is not a function|is not iterable|RangeError|TypeError|Maximum call stack|\[object |^internal$/;

const SOLO = `#VERSION:1.0.0
#TITLE:Fuzz Song
#ARTIST:The Testers
#AUDIO:song.ogg
#BPM:300
#GAP:1000
: 0 4 0 Hel
: 4 4 2 lo
* 8 8 4  world
- 18
R 20 4 0 Rap
G 24 4 0  gold
F 28 4 0  free
E
`;

const DUET = `#TITLE:Duet
#ARTIST:Two
#MP3:song.ogg
#BPM:250,5
#GAP:500
#P1:Anna
#P2:Ben
#RELATIVE:yes
P1
: 0 2 5 one
: 2 2 7 two
- 4 4
: 0 4 9 three
P2
: 1 2 0 uno
- 3
P3
: 6 2 2 both
E
`;

const LRC = `[ar:The Testers]
[ti:Fuzz Lyrics]
[length:03:20]
[offset:+250]
[00:12.00]first line
[00:15.50][01:40.00]chorus <00:15.50>la <00:16.00>la
[00:20.123]third
`;

/** The crafted songs: each must be refused in words, or accepted within the limits. */
const CRAFTED: { name: string; text: string; refused: RegExp | null }[] = [
  { name: 'a note of 2,000,000,000 beats', text: SOLO.replace(': 4 4 2 lo', ': 4 2000000000 2 lo'), refused: /line 8: a note of 2000000000 beats lasts years/ },
  { name: 'a note starting at 2^53', text: SOLO.replace(': 4 4 2 lo', ': 9007199254740993 4 2 lo'), refused: /line 8: the note's beats .* are far beyond any song's length/ },
  { name: 'a negative length', text: SOLO.replace(': 4 4 2 lo', ': 4 -4 2 lo'), refused: /line 8: a note must last at least one beat/ },
  { name: 'a negative start', text: SOLO.replace(': 4 4 2 lo', ': -4 4 2 lo'), refused: /line 8: a note cannot start before beat 0/ },
  { name: 'NaN as #BPM', text: SOLO.replace('#BPM:300', '#BPM:NaN'), refused: /line 5: #BPM must be a positive number, not "NaN"/ },
  { name: 'Infinity as #GAP', text: SOLO.replace('#GAP:1000', '#GAP:Infinity'), refused: /#GAP must be a number of milliseconds/ },
  { name: 'NaN as a beat', text: SOLO.replace(': 4 4 2 lo', ': NaN 4 2 lo'), refused: /line 8: a note is ": start length pitch syllable" with whole numbers/ },
  { name: 'a #BPM of 1e308', text: SOLO.replace('#BPM:300', '#BPM:1e308'), refused: /#BPM must be a positive number/ },
  { name: 'a #BPM of 0,0001 (a beat of 42 hours)', text: SOLO.replace('#BPM:300', '#BPM:0,0001'), refused: /a note can last at most 60 seconds/ },
  { name: 'no #TITLE', text: SOLO.replace('#TITLE:Fuzz Song\n', ''), refused: /the #TITLE header is missing/ },
  { name: 'no #ARTIST', text: SOLO.replace('#ARTIST:The Testers\n', ''), refused: /the #ARTIST header is missing/ },
  { name: 'no #AUDIO', text: SOLO.replace('#AUDIO:song.ogg\n', ''), refused: /names no audio file/ },
  { name: 'no #BPM', text: SOLO.replace('#BPM:300\n', ''), refused: /the #BPM header is missing/ },
  { name: 'no notes', text: '#TITLE:T\n#ARTIST:A\n#AUDIO:song.ogg\n#BPM:300\nE\n', refused: /the song has no notes/ },
  { name: 'P4', text: DUET.replace('\nP3\n', '\nP4\n'), refused: /only singers P1 and P2 \(or P3 for both\) exist, not P4/ },
  { name: 'duplicate P1 and P2 blocks', text: DUET.replace('E\n', 'P1\n: 40 2 5 again\nP2\n: 41 2 5 again\nP1\n: 44 1 1 more\nE\n'), refused: null },
  { name: 'duplicate #P1 headers', text: DUET.replace('#P2:Ben', '#P1:Carla\n#P2:Ben'), refused: null },
  { name: 'a UTF-8 BOM', text: `\uFEFF${SOLO}`, refused: null },
  { name: 'two BOMs', text: `\uFEFF\uFEFF${SOLO}`, refused: null },
  { name: 'a header without a colon', text: SOLO.replace('#GAP:1000', '#GAP 1000'), refused: /line 6: a header needs a colon/ },
  { name: 'a song ending two hours in', text: SOLO.replace('#GAP:1000', '#GAP:7200000'), refused: /#GAP 7200000 ms is longer than a song can be/ },
  { name: 'a song of 20,001 notes', text: `#TITLE:T\n#ARTIST:A\n#AUDIO:song.ogg\n#BPM:300\n${Array.from({ length: 20_001 }, (_, index) => `: ${index} 1 0 la`).join('\n')}\nE\n`, refused: /a song can have at most 20000 notes/ },
  { name: 'relative breaks adding past the end', text: DUET.replace('- 4 4', '- 4 999999999'), refused: /ends .* into the song; a song can last at most 30 minutes|far beyond/ },
];

/** A short pitch track (a singer on C4 for 3 s) to score parsed songs against. */
const TRACK: PitchTrack = (() => {
  const frames = 300;
  return { startSec: 0, hopSec: 0.01, midi: new Float32Array(frames).fill(60), active: new Uint8Array(frames).fill(1) };
})();

describe('fuzz karaoke-parsers: UltraStar TXT and LRC', () => {
  const tally = new FuzzTally('karaoke-parsers');
  const failures: string[] = [];
  const temp = makeTempDir('mixdeck-karaoke-fuzz-');
  writeFileSync(join(temp.path, 'song.ogg'), 'audio');
  afterAll(() => {
    tally.print();
    temp.remove();
  });

  /** Parses one text; a parsed song is also scored (the scorer must finish quickly). */
  const tryUltraStar = (label: string, text: string): UltraStarSong | SongParseError => {
    const startedAt = performance.now();
    try {
      const song = parseUltraStar(text);
      for (const voice of song.voices) scoreVoice(song, voice, TRACK, { difficulty: 'medium' });
      tally.count('txt parsed and scored');
      return song;
    } catch (error) {
      if (!(error instanceof SongParseError)) failures.push(`${label}: threw ${String(error)}`);
      else if (NOT_WORDS.test(error.message)) failures.push(`${label}: refusal not in words: ${error.message}`);
      tally.count('txt refused');
      return error as SongParseError;
    } finally {
      const elapsedMs = performance.now() - startedAt;
      if (elapsedMs > 2000) failures.push(`${label}: took ${Math.round(elapsedMs)} ms`);
    }
  };

  const tryLrc = (label: string, text: string): void => {
    const startedAt = performance.now();
    try {
      const lyrics = parseLrc(text);
      for (const line of lyrics.lines) {
        if (!Number.isFinite(line.startSec) || line.startSec < 0) failures.push(`${label}: a line at ${line.startSec} s`);
        for (const word of line.words) if (!Number.isFinite(word.startSec)) failures.push(`${label}: a word at ${word.startSec} s`);
      }
      tally.count(lyrics.lines.length > 0 ? 'lrc parsed' : 'lrc without timed lines');
    } catch (error) {
      failures.push(`${label}: parseLrc threw ${String(error)}`);
    } finally {
      if (performance.now() - startedAt > 2000) failures.push(`${label}: parseLrc took too long`);
    }
  };

  it('refuses each crafted song in words with its line, and accepts the odd-but-valid ones', () => {
    for (const { name, text, refused } of CRAFTED) {
      const result = tryUltraStar(name, text);
      if (refused) {
        expect(result, name).toBeInstanceOf(SongParseError);
        expect((result as SongParseError).message, name).toMatch(refused);
      } else {
        expect(result, name).not.toBeInstanceOf(SongParseError);
      }
    }
    expect(failures).toEqual([]);
  });

  it('survives seeded mutations of valid songs and random text', () => {
    const fuzzer = createFuzzer(0x4b41_5241);
    for (let index = 0; index < 3000; index += 1) {
      const kind = fuzzer.int(0, 5);
      const label = `seed ${fuzzer.seed} input ${index}`;
      if (kind === 0) tryUltraStar(label, fuzzer.text(400));
      else if (kind === 1) tryUltraStar(label, `#TITLE:${fuzzer.text(20)}\n#ARTIST:A\n#AUDIO:a.ogg\n#BPM:${fuzzer.text(6)}\n${fuzzer.text(300)}`);
      else if (kind === 2) tryUltraStar(label, mutateText(fuzzer, mutateText(fuzzer, fuzzer.pick([SOLO, DUET]))));
      else if (kind === 3) tryLrc(label, fuzzer.text(400));
      else tryLrc(label, mutateText(fuzzer, mutateText(fuzzer, LRC)));
    }
    expect(failures).toEqual([]);
  });

  it('decodes BOMs, legacy encodings and random bytes without throwing, then parses what they say', () => {
    const fuzzer = createFuzzer(0x454e_4344);
    const latin1 = new Uint8Array([...Buffer.from('#ENCODING:CP1252\n', 'latin1'), ...Buffer.from(SOLO.replace('Hel', 'H\xe9l').replace('world', 'w\xf6rld \x80'), 'latin1')]);
    const undeclaredLatin1 = new Uint8Array(Buffer.from(SOLO.replace('Hel', 'Gr\xfc\xdf'), 'latin1'));
    const utf8Bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(SOLO.replace('Hel', 'Hé€😀'), 'utf8')]);
    const utf16Bom = new Uint8Array([0xff, 0xfe, ...Buffer.from(SOLO, 'utf16le')]);
    const decodeAndParse = (label: string, bytes: Uint8Array): UltraStarSong | SongParseError => {
      let text: string;
      try {
        text = decodeSongText(bytes).text;
      } catch (error) {
        failures.push(`${label}: decodeSongText threw ${String(error)}`);
        return new SongParseError(0, 'not decoded');
      }
      return tryUltraStar(label, text);
    };
    expect((decodeAndParse('declared CP1252', latin1) as UltraStarSong).voices[0]!.lines[0]!.notes[0]!.text).toBe('Hél');
    expect((decodeAndParse('undeclared Latin-1', undeclaredLatin1) as UltraStarSong).voices[0]!.lines[0]!.notes[0]!.text).toBe('Grüß');
    expect((decodeAndParse('UTF-8 with BOM', utf8Bom) as UltraStarSong).voices[0]!.lines[0]!.notes[0]!.text).toBe('Hé€😀');
    // UTF-16 is not a song encoding: it is refused in words, not misread silently as notes.
    expect(decodeAndParse('UTF-16 with BOM', utf16Bom)).toBeInstanceOf(SongParseError);
    for (let index = 0; index < 400; index += 1) {
      const bytes = fuzzer.next() < 0.5 ? fuzzer.bytes(fuzzer.int(0, 300)) : new Uint8Array([...utf8Bom.subarray(0, fuzzer.int(0, utf8Bom.length)), ...fuzzer.bytes(fuzzer.int(0, 40))]);
      decodeAndParse(`seed ${fuzzer.seed} bytes ${index}`, bytes);
    }
    expect(failures).toEqual([]);
  });

  it('refuses the crafted songs through the import’s file reader too (the audio beside them)', async () => {
    for (const [index, { name, text, refused }] of CRAFTED.entries()) {
      const path = join(temp.path, `crafted-${index}.txt`);
      writeFileSync(path, text);
      const outcome = await readSongFile(path).then(
        () => null,
        (error: unknown) => error,
      );
      if (refused) {
        expect(outcome, name).toBeInstanceOf(SongParseError);
        expect((outcome as Error).message, name).not.toMatch(NOT_WORDS);
        tally.count('import refused');
      } else {
        expect(outcome, name).toBeNull();
        tally.count('import accepted');
      }
    }
    const lrcPath = join(temp.path, 'song.lrc');
    writeFileSync(lrcPath, `\uFEFF${LRC}`);
    expect((await readSongFile(lrcPath)).title).toBe('Fuzz Lyrics');
    tally.count('import accepted');
  });
});
