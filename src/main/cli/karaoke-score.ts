import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MixdeckError } from '../../shared/contract';
import { scoreRecording } from '../../audio-engine/karaoke/score-recording';
import type { Difficulty } from '../../audio-engine/karaoke/scoring';
import { decodeSongText } from '../../audio-engine/karaoke/text-decoding';
import { parseUltraStar, SongParseError } from '../../audio-engine/karaoke/ultrastar';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { decodeAudioFile } from '../services/media/decode';
import type { CliIo } from './io';

/** Song files are text of a few KB; the same bound as the song folder scan's. */
const MAX_SONG_FILE_BYTES = 2 * 1024 * 1024;

export const KARAOKE_SCORE_HELP = `mixdeck karaoke score SONG.txt --vocal VOCAL.wav [options]

Scores a recorded vocal against an UltraStar song, with the same engine as the singing screen.

Options:
  --vocal FILE        the singer's recording, from the song's start (any format ffmpeg reads)
  --difficulty LEVEL  easy (±2 semitones), medium (±1, default) or hard (exact)
  --delay-ms N        how late the recording is against the music (microphone latency)
  --singer 1|2        which singer of a duet (default 1)
  --transpose N       key change of the backing, -6 to 6 semitones (default 0)
  --json              one JSON object: score, notes, golden, lineBonus and a rating per line
`;

const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];
const ANALYSIS_SAMPLE_RATE = 48_000;

function integerOption(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new MixdeckError('invalid-input', `--${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return number;
}

export async function runKaraokeScore(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      vocal: { type: 'string' },
      difficulty: { type: 'string' },
      'delay-ms': { type: 'string' },
      singer: { type: 'string' },
      transpose: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(KARAOKE_SCORE_HELP);
    return 0;
  }
  const [songPath, ...extra] = positionals;
  if (!songPath || extra.length > 0 || !values.vocal) {
    io.err(`mixdeck karaoke score: give one song file and --vocal FILE.\n\n${KARAOKE_SCORE_HELP}`);
    return 2;
  }
  const difficulty = (values.difficulty ?? 'medium') as Difficulty;
  if (!DIFFICULTIES.includes(difficulty)) throw new MixdeckError('invalid-input', `--difficulty must be easy, medium or hard, not "${values.difficulty}".`);
  const delayMs = integerOption('delay-ms', values['delay-ms'], -2000, 2000, 0);
  const singer = integerOption('singer', values.singer, 1, 2, 1);
  const transposeSemitones = integerOption('transpose', values.transpose, -6, 6, 0);

  const songSize = await stat(songPath).then(
    (stats) => stats.size,
    () => {
      throw new MixdeckError('not-found', `The song file "${songPath}" does not exist or cannot be read.`);
    },
  );
  if (songSize > MAX_SONG_FILE_BYTES) throw new MixdeckError('invalid-input', `${songPath} is ${Math.round(songSize / 1024)} KB, far too large for a song file.`);
  const songBytes = await readFile(songPath).catch(() => {
    throw new MixdeckError('not-found', `The song file "${songPath}" does not exist or cannot be read.`);
  });
  let song;
  try {
    song = parseUltraStar(decodeSongText(new Uint8Array(songBytes)).text);
  } catch (error) {
    if (error instanceof SongParseError) throw new MixdeckError('invalid-input', `${songPath}: ${error.message}`);
    throw error;
  }
  if (singer > song.voices.length) throw new MixdeckError('invalid-input', `"${song.title}" has one singer; there is no singer ${singer}.`);

  const { path: ffmpegPath } = resolveFfmpeg();
  const vocal = await decodeAudioFile(values.vocal, { ffmpegPath, sampleRate: ANALYSIS_SAMPLE_RATE, channels: 1 });
  const result = scoreRecording(song, vocal.channels[0]!, vocal.sampleRate, { difficulty, delayMs, transposeSemitones, voiceIndex: singer - 1 });

  if (values.json) {
    io.out(
      JSON.stringify({
        song: { title: song.title, artist: song.artist },
        singer,
        difficulty,
        delayMs,
        transposeSemitones,
        score: result.score,
        notes: result.notes,
        golden: result.golden,
        lineBonus: result.lineBonus,
        lines: result.lines.map((line) => ({
          index: line.index,
          text: line.text,
          startSec: Number(line.startSec.toFixed(3)),
          rating: line.rating,
          perfection: Number(line.perfection.toFixed(3)),
          points: line.points,
        })),
      }),
    );
  } else {
    io.out(`${song.artist} — ${song.title} (${difficulty}${delayMs ? `, ${delayMs} ms delay` : ''})`);
    for (const line of result.lines) io.out(`  ${(line.rating ?? '—').padEnd(8)} ${String(line.points).padStart(5)}  ${line.text}`);
    io.out(`Score ${result.score} / 10000  (notes ${result.notes}, golden ${result.golden}, line bonus ${result.lineBonus})`);
  }
  return 0;
}
