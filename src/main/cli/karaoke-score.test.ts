import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { CliIo } from './io';
import { runKaraokeScore } from './karaoke-score';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** A melody of 0.4 s notes (8 beats at 300 BPM) from 0.5 s, in two lines, the last note golden. */
const MELODY = [9, 12, 16, 12, 9, 16, 12, 9];
const NOTE_SEC = 0.4;
const SONG = [
  '#TITLE:Tones',
  '#ARTIST:Test',
  '#AUDIO:tone.ogg',
  '#BPM:300',
  '#GAP:500',
  ...MELODY.flatMap((pitch, index) => [...(index === 4 ? ['- 32'] : []), `${index === 7 ? '*' : ':'} ${index * 8} 8 ${pitch} la`]),
  'E',
].join('\n');

/** An ffmpeg expression singing the melody (pitch stepped every note), shifted by semitones and seconds. */
function melodyExpression(shiftSemitones: number, lateSec: number): string {
  const parts = MELODY.map((pitch, index) => {
    const start = 0.5 + lateSec + index * NOTE_SEC;
    const frequencyHz = 440 * 2 ** ((pitch - 9 + shiftSemitones) / 12);
    return `${frequencyHz.toFixed(3)}*between(t,${start.toFixed(3)},${(start + NOTE_SEC - 0.0001).toFixed(4)})`;
  });
  return `0.5*sin(2*PI*t*(${parts.join('+')}))`;
}

async function score(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) };
  const code = await runKaraokeScore(args, io).catch((error: Error) => {
    err += error.message;
    return -1;
  });
  return { code, out, err };
}

describe('mixdeck karaoke score', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const path = (name: string): string => join(temp.path, name);

  beforeAll(() => {
    temp = makeTempDir();
    writeFileSync(path('song.txt'), `${SONG}\n`);
    const sing = (name: string, shiftSemitones: number, lateSec = 0): void => {
      execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `aevalsrc=exprs='${melodyExpression(shiftSemitones, lateSec)}':s=48000:d=4.5`, path(name)]);
    };
    sing('in-tune.wav', 0);
    sing('octave-down.wav', -12);
    sing('sharp.wav', 1);
    sing('late.wav', 0, 0.15);
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '4', path('silence.wav')]);
  });
  afterAll(() => temp.remove());

  const json = async (vocal: string, ...options: string[]) => {
    const result = await score([path('song.txt'), '--vocal', path(vocal), '--json', ...options]);
    expect(result.err).toBe('');
    return JSON.parse(result.out) as { score: number; notes: number; golden: number; lineBonus: number; lines: { rating: string }[] };
  };

  it('scores a singer in tune near perfect, and an octave down the same', async () => {
    const inTune = await json('in-tune.wav');
    expect(inTune.score).toBeGreaterThanOrEqual(9500);
    expect(inTune.golden).toBeGreaterThan(0);
    expect(inTune.lines.map((line) => line.rating)).toEqual(['Perfect', 'Perfect']);
    expect((await json('octave-down.wav')).score).toBe(inTune.score);
  });

  it('forgives a semitone sharp on Easy but not on Hard', async () => {
    expect((await json('sharp.wav', '--difficulty', 'easy')).score).toBeGreaterThanOrEqual(9500);
    expect((await json('sharp.wav', '--difficulty', 'hard')).score).toBeLessThan(2000);
  });

  it('scores 150 ms late lower, unless --delay-ms 150 is given', async () => {
    const late = await json('late.wav', '--difficulty', 'hard');
    const corrected = await json('late.wav', '--difficulty', 'hard', '--delay-ms', '150');
    expect(corrected.score).toBeGreaterThanOrEqual(9500);
    expect(late.score).toBeLessThan(corrected.score - 2000);
  });

  it('gives silence 0', async () => {
    expect(await json('silence.wav')).toMatchObject({ score: 0, notes: 0, golden: 0, lineBonus: 0 });
  });

  it('refuses bad options and broken songs in words', async () => {
    writeFileSync(path('broken.txt'), '#TITLE:x\n#ARTIST:y\n#AUDIO:a.ogg\n#BPM:300\n: 0 4\nE\n');
    const broken = await score([path('broken.txt'), '--vocal', path('in-tune.wav')]);
    expect(broken.err).toContain('broken.txt: line 5: a note is');
    const level = await score([path('song.txt'), '--vocal', path('in-tune.wav'), '--difficulty', 'extreme']);
    expect(level.err).toContain('--difficulty must be easy, medium or hard');
    const singer = await score([path('song.txt'), '--vocal', path('in-tune.wav'), '--singer', '2']);
    expect(singer.err).toContain('has one singer');
    const missing = await score([path('song.txt')]);
    expect(missing.code).toBe(2);
  });

  it('refuses a note of 2,000,000,000 beats at once, in words, instead of scoring it', async () => {
    writeFileSync(path('endless.txt'), '#TITLE:x\n#ARTIST:y\n#AUDIO:a.ogg\n#BPM:300\n: 0 2000000000 0 la\nE\n');
    const startedAt = performance.now();
    const endless = await score([path('endless.txt'), '--vocal', path('in-tune.wav')]);
    expect(endless.err).toContain('endless.txt: line 5: a note of 2000000000 beats lasts years; a note can last at most 60 seconds');
    expect(performance.now() - startedAt).toBeLessThan(5000);
  });
});
