/**
 * A real, small music corpus made at test time: generated music with a known tempo and key
 * (the audio engine's synthesiser), encoded by ffmpeg into every format the library reads,
 * tagged, plus broken files. Used by the corpus test and the scan benchmark.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderClip } from '../../../../audio-engine/music-synth';
import type { MusicStyle } from '../../../../audio-engine/music-synth';
import type { KeyMode } from '../../../../audio-engine/analysis';

export const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';

export interface CorpusTrack {
  file: string;
  format: 'mp3' | 'flac' | 'wav' | 'aiff' | 'opus' | 'ogg' | 'm4a';
  style: MusicStyle;
  tempoBpm: number;
  key: { tonic: number; mode: KeyMode };
  camelot: string;
  durationSec: number;
  tags: { title: string; artist: string; album: string; genre: string; year: number };
  lyrics?: string;
  replayGainDb?: number;
  cover?: boolean;
  lrc?: string;
}

/** The tracks of the corpus: varied styles, tempos 90–174, keys in and out of 8A's neighbourhood. */
export const CORPUS: readonly CorpusTrack[] = [
  {
    file: 'house/push.mp3',
    format: 'mp3',
    style: 'house',
    tempoBpm: 124,
    key: { tonic: 9, mode: 'minor' },
    camelot: '8A',
    durationSec: 10,
    tags: { title: 'Push the Feeling', artist: 'Nightcrawlers', album: 'Club Classics', genre: 'House', year: 1995 },
    lyrics: 'Push the feeling on, keep it moving',
    replayGainDb: -6.5,
    cover: true,
  },
  {
    file: 'dnb/slam.flac',
    format: 'flac',
    style: 'drum-and-bass',
    tempoBpm: 174,
    key: { tonic: 5, mode: 'minor' },
    camelot: '4A',
    durationSec: 10,
    tags: { title: 'Slam', artist: 'Pendulum', album: 'Hold Your Colour', genre: 'Drum and Bass', year: 2005 },
    lrc: '[00:01.00]First line in time\n[00:03.50]Second line in time\n',
  },
  {
    file: 'techno/spastik.wav',
    format: 'wav',
    style: 'techno',
    tempoBpm: 128,
    key: { tonic: 4, mode: 'minor' },
    camelot: '9A',
    durationSec: 10,
    tags: { title: 'Spastik', artist: 'Plastikman', album: 'Sheet One', genre: 'Techno', year: 1993 },
  },
  {
    file: 'hiphop/passin.aiff',
    format: 'aiff',
    style: 'hip-hop',
    tempoBpm: 92,
    key: { tonic: 0, mode: 'major' },
    camelot: '8B',
    durationSec: 10,
    tags: { title: 'Passin Me By', artist: 'The Pharcyde', album: 'Bizarre Ride', genre: 'Hip-Hop', year: 1992 },
  },
  {
    file: 'rock/smells.opus',
    format: 'opus',
    style: 'rock',
    tempoBpm: 116,
    key: { tonic: 2, mode: 'minor' },
    camelot: '7A',
    durationSec: 10,
    tags: { title: 'Smells Like Teen Spirit', artist: 'Nirvana', album: 'Nevermind', genre: 'Rock', year: 1991 },
  },
  {
    file: 'breaks/block.ogg',
    format: 'ogg',
    style: 'breakbeat',
    tempoBpm: 136,
    key: { tonic: 11, mode: 'minor' },
    camelot: '10A',
    durationSec: 6,
    tags: { title: 'Block Rockin Beats', artist: 'The Chemical Brothers', album: 'Dig Your Own Hole', genre: 'Breakbeat', year: 1997 },
  },
  {
    file: 'funk/get-up.m4a',
    format: 'm4a',
    style: 'funk',
    tempoBpm: 106,
    key: { tonic: 7, mode: 'major' },
    camelot: '9B',
    durationSec: 10,
    tags: { title: 'Get Up Offa That Thing', artist: 'James Brown', album: 'Get Up Offa That Thing', genre: 'Funk', year: 1976 },
    lyrics: 'Get up offa that thing and dance till you feel better',
  },
];

/** Broken files, each with the kind of reason the scanner must give. */
export const BROKEN_FILES: readonly { file: string; reason: RegExp }[] = [
  { file: 'broken/garbage.mp3', reason: /decoded|readable/ },
  { file: 'broken/empty.wav', reason: /empty/ },
  { file: 'broken/text.m4a', reason: /decoded|readable/ },
  { file: 'broken/truncated.flac', reason: /truncated/ },
];

const SAMPLE_RATE = 22050;

function encoderArgs(format: CorpusTrack['format']): string[] {
  switch (format) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', '128k', '-ar', '44100', '-id3v2_version', '3'];
    case 'flac':
      return ['-c:a', 'flac', '-ar', '44100'];
    case 'wav':
      return ['-c:a', 'pcm_s16le', '-ar', '44100'];
    case 'aiff':
      return ['-c:a', 'pcm_s16be', '-ar', '44100', '-write_id3v2', '1'];
    case 'opus':
      return ['-c:a', 'libopus', '-b:a', '96k'];
    case 'ogg':
      return ['-c:a', 'libvorbis', '-q:a', '4', '-ar', '44100'];
    case 'm4a':
      return ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100'];
  }
}

/** Renders and encodes one track; the cover (a small PNG) is embedded when asked. */
export function writeCorpusTrack(root: string, track: CorpusTrack, work: string): string {
  const path = join(root, track.file);
  mkdirSync(dirname(path), { recursive: true });
  const clip = renderClip({ style: track.style, tempoBpm: track.tempoBpm, key: track.key, durationSec: track.durationSec, sampleRate: SAMPLE_RATE, seed: 11 + track.tempoBpm, channelCount: 2 });
  const interleaved = new Float32Array(clip.channels[0]!.length * 2);
  for (let index = 0; index < clip.channels[0]!.length; index += 1) {
    interleaved[index * 2] = clip.channels[0]![index]!;
    interleaved[index * 2 + 1] = clip.channels[1]![index]!;
  }
  const raw = join(work, `${track.tempoBpm}-${track.format}.f32`);
  writeFileSync(raw, new Uint8Array(interleaved.buffer));
  const inputs = ['-f', 'f32le', '-ar', String(SAMPLE_RATE), '-ac', '2', '-i', raw];
  const metadata: string[] = [];
  const tag = (key: string, value: string | number): void => void metadata.push('-metadata', `${key}=${value}`);
  tag('title', track.tags.title);
  tag('artist', track.tags.artist);
  tag('album', track.tags.album);
  tag('genre', track.tags.genre);
  tag('date', track.tags.year);
  if (track.lyrics) tag('lyrics', track.lyrics);
  if (track.replayGainDb !== undefined) tag('REPLAYGAIN_TRACK_GAIN', `${track.replayGainDb.toFixed(2)} dB`);
  const maps: string[] = [];
  if (track.cover) {
    const cover = join(work, 'cover.png');
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=0x3355aa:size=64x64', '-frames:v', '1', cover]);
    inputs.push('-i', cover);
    maps.push('-map', '0:a', '-map', '1:v', '-c:v', 'png', '-disposition:v', 'attached_pic', '-metadata:s:v', 'comment=Cover (front)');
  }
  execFileSync(FFMPEG, ['-v', 'error', '-y', ...inputs, ...maps, ...encoderArgs(track.format), ...metadata, path]);
  if (track.lrc) writeFileSync(path.replace(/\.[^.]+$/, '.lrc'), track.lrc);
  return path;
}

/** The broken files: random bytes, an empty file, text named .m4a, and a FLAC cut short. */
export function writeBrokenFiles(root: string, work: string): void {
  mkdirSync(join(root, 'broken'), { recursive: true });
  let state = 12345;
  const garbage = Buffer.alloc(20000);
  for (let index = 0; index < garbage.length; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    garbage[index] = state >>> 24;
  }
  writeFileSync(join(root, 'broken/garbage.mp3'), garbage);
  writeFileSync(join(root, 'broken/empty.wav'), '');
  writeFileSync(join(root, 'broken/text.m4a'), 'This is not audio at all, just a note someone saved with the wrong name.\n');
  const whole = join(work, 'whole.flac');
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=8:sample_rate=44100', '-c:a', 'flac', whole]);
  const bytes = readFileSync(whole);
  writeFileSync(join(root, 'broken/truncated.flac'), bytes.subarray(0, Math.floor(bytes.length * 0.2)));
}

/** Integrated loudness as ffmpeg's own EBU R128 meter measures it, the reference for ours. */
export function ffmpegIntegratedLufs(path: string): number {
  const result = spawnSync(FFMPEG, ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128', '-f', 'null', '-'], { encoding: 'utf8' });
  const summary = result.stderr.slice(result.stderr.lastIndexOf('Summary:'));
  const match = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  if (!match) throw new Error(`ffmpeg's ebur128 gave no integrated loudness for ${path}`);
  return Number(match[1]);
}
