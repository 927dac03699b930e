import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseFile, type IAudioMetadata, type IRatio } from 'music-metadata';
import { analyseTrack } from '../../../audio-engine/analysis';
import { isMixdeckError } from '../../../shared/contract';
import { decodeAudioFile } from '../media/decode';

/** Everything the scanner stores about one readable file. */
export interface TrackRecord {
  path: string;
  fileSize: number;
  fileMtimeMs: number;
  fingerprint: string;
  title: string;
  artist: string;
  album: string;
  albumArtist: string;
  genre: string;
  year: number | null;
  trackNumber: number | null;
  discNumber: number | null;
  durationSec: number | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  bitrateKbps: number | null;
  encoderDelaySamples: number | null;
  encoderPaddingSamples: number | null;
  bpm: number | null;
  bpmConfidence: number | null;
  keyCamelot: string | null;
  keyName: string | null;
  keyConfidence: number | null;
  lufs: number | null;
  truePeakDbtp: number | null;
  replayGain: { trackGainDb: number | null; trackPeak: number | null; albumGainDb: number | null; albumPeak: number | null };
  coverMime: string | null;
  coverFile: string | null;
  lyrics: string;
  syncedLyrics: string | null;
  waveform: { min: Float32Array; max: Float32Array; rms: Float32Array } | null;
  analysed: boolean;
}

export interface ReadTrackOptions {
  ffmpegPath: string;
  /** Cover images are written here, named by their content hash (one file per album cover). */
  coversDir: string;
  /** Skip decoding and analysis (tags only). */
  analyse?: boolean;
  /** Longest stretch decoded for analysis; the rest of a DJ mix adds little and costs memory. */
  maxAnalysisSec?: number;
  signal?: AbortSignal;
}

/** A file that cannot be read as audio, with the reason in words. */
export class UnreadableFileError extends Error {}

const ANALYSIS_SAMPLE_RATE = 44100;

/** size + first and last 64 KiB: recognises a moved file without reading all of it. */
async function fingerprintOf(path: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(String(size));
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(Math.min(65536, size));
    await handle.read(chunk, 0, chunk.length, 0);
    hash.update(chunk);
    if (size > 65536) {
      const tail = Buffer.alloc(Math.min(65536, size - 65536));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * The LAME/Lavc "Info"/"Xing" header of an MP3 records the encoder's delay and padding
 * (12 bits each, 21 bytes after the encoder tag); players drop them for gapless joins.
 */
export async function mp3EncoderDelay(path: string): Promise<{ delay: number; padding: number } | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16384);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let start = 0;
    if (bytesRead >= 10 && head.toString('latin1', 0, 3) === 'ID3') {
      start = 10 + ((head[6]! & 0x7f) << 21) + ((head[7]! & 0x7f) << 14) + ((head[8]! & 0x7f) << 7) + (head[9]! & 0x7f);
      if (start + 4096 > bytesRead) {
        const { bytesRead: more } = await handle.read(head, 0, head.length, start);
        return findLameDelay(head.subarray(0, more));
      }
    }
    return findLameDelay(head.subarray(start, bytesRead));
  } finally {
    await handle.close();
  }
}

function findLameDelay(frame: Buffer): { delay: number; padding: number } | null {
  const window = frame.subarray(0, Math.min(frame.length, 2048));
  let xing = window.indexOf('Xing', 0, 'latin1');
  if (xing < 0) xing = window.indexOf('Info', 0, 'latin1');
  if (xing < 0) return null;
  for (const tag of ['LAME', 'Lavc', 'Lavf', 'GOGO']) {
    const at = window.indexOf(tag, xing, 'latin1');
    if (at > 0 && at - xing < 200 && at + 24 <= window.length) {
      const a = window[at + 21]!;
      const b = window[at + 22]!;
      const c = window[at + 23]!;
      return { delay: (a << 4) | (b >> 4), padding: ((b & 0x0f) << 8) | c };
    }
  }
  return null;
}

/** iTunes' gapless tag in MP4/M4A: " 00000000 00000840 000001C4 0000000000..." (hex: delay, padding). */
function iTunSmpb(metadata: IAudioMetadata): { delay: number; padding: number } | null {
  for (const tags of Object.values(metadata.native)) {
    for (const tag of tags) {
      if (!/iTunSMPB$/i.test(tag.id)) continue;
      const parts = String(tag.value).trim().split(/\s+/);
      if (parts.length >= 3) return { delay: parseInt(parts[1]!, 16), padding: parseInt(parts[2]!, 16) };
    }
  }
  return null;
}

/**
 * Lyrics some taggers keep in a user text frame rather than USLT (ffmpeg writes TXXX:USLT,
 * foobar2000 TXXX:UNSYNCEDLYRICS); music-metadata maps only the standard frames.
 */
function nativeLyrics(metadata: IAudioMetadata): string {
  for (const tags of Object.values(metadata.native)) {
    for (const tag of tags) {
      if (/^(TXXX:)?(USLT|UNSYNCED ?LYRICS|LYRICS)$/i.test(tag.id) && typeof tag.value === 'string' && tag.value.trim() !== '') return tag.value.trim();
    }
  }
  return '';
}

function gainDb(ratio: IRatio | undefined): number | null {
  return ratio && Number.isFinite(ratio.dB) ? ratio.dB : null;
}

function peakRatio(ratio: IRatio | undefined): number | null {
  return ratio && Number.isFinite(ratio.ratio) ? ratio.ratio : null;
}

function finiteOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** LRC text from ID3 SYLT-style synchronised lyrics (timestamps in ms). */
function syncedToLrc(lines: readonly { text: string; timestamp?: number }[]): string | null {
  const timed = lines.filter((line) => typeof line.timestamp === 'number');
  if (timed.length === 0) return null;
  return timed
    .map((line) => {
      const totalMs = line.timestamp!;
      const minutes = Math.floor(totalMs / 60000);
      const seconds = (totalMs % 60000) / 1000;
      return `[${String(minutes).padStart(2, '0')}:${seconds.toFixed(2).padStart(5, '0')}]${line.text}`;
    })
    .join('\n');
}

const COVER_EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/bmp': 'bmp' };

function reasonOf(error: unknown): string {
  const text = isMixdeckError(error) ? error.message : error instanceof Error ? error.message : String(error);
  return text.replace(/^Mixdeck cannot read "[^"]*": /, '').slice(0, 300);
}

/**
 * Reads one audio file: tags, cover, lyrics (embedded, or an .lrc beside it), ReplayGain,
 * encoder delay/padding, then decodes it and analyses tempo, key, loudness, peak and waveform.
 * Throws UnreadableFileError (with the reason) when the file is not audio Mixdeck can play.
 */
export async function readTrack(path: string, options: ReadTrackOptions): Promise<TrackRecord> {
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile()) throw new UnreadableFileError('the file is gone or is not a regular file');
  if (stats.size === 0) throw new UnreadableFileError('the file is empty');
  const fingerprint = await fingerprintOf(path, stats.size);

  let metadata: IAudioMetadata | null = null;
  let tagProblem: string | null = null;
  try {
    metadata = await parseFile(path, { duration: false });
  } catch (error) {
    tagProblem = reasonOf(error);
  }

  let decoded: Awaited<ReturnType<typeof decodeAudioFile>> | null = null;
  if (options.analyse !== false) {
    try {
      decoded = await decodeAudioFile(path, {
        ffmpegPath: options.ffmpegPath,
        sampleRate: metadata?.format.sampleRate && metadata.format.sampleRate <= 96000 ? Math.round(metadata.format.sampleRate) : ANALYSIS_SAMPLE_RATE,
        // ffmpeg's mono-to-stereo upmix lowers each side by 3 dB, which would under-read the
        // file's true peak (and let normalisation boost past the ceiling): analyse mono as mono.
        channels: metadata?.format.numberOfChannels === 1 ? 1 : 2,
        maxDurationSec: options.maxAnalysisSec ?? 20 * 60,
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const decodeProblem = reasonOf(error).replace(/\.$/, '');
      throw new UnreadableFileError(tagProblem ? `not a readable audio file (ffmpeg: ${decodeProblem}; tags: ${tagProblem})` : `the audio cannot be decoded (ffmpeg: ${decodeProblem})`);
    }
    // A file cut short (an interrupted copy or download) decodes to much less than its header promises.
    const declaredSec = metadata?.format.duration;
    const maxSec = options.maxAnalysisSec ?? 20 * 60;
    if (declaredSec !== undefined && Number.isFinite(declaredSec) && decoded.durationSec < maxSec - 1) {
      if (declaredSec - decoded.durationSec > 1 && decoded.durationSec < declaredSec * 0.5) {
        throw new UnreadableFileError(
          `the file is truncated: only ${decoded.durationSec.toFixed(1)} s of its ${declaredSec.toFixed(1)} s could be decoded`,
        );
      }
    }
  } else if (!metadata) {
    throw new UnreadableFileError(tagProblem ?? 'not an audio file');
  }
  if (metadata && metadata.format.hasAudio === false && !decoded) throw new UnreadableFileError('the file contains no audio stream');

  const common = metadata?.common;
  const format = metadata?.format;

  let coverFile: string | null = null;
  let coverMime: string | null = null;
  const picture = common?.picture?.find((item) => /front/i.test(item.type ?? '')) ?? common?.picture?.[0];
  if (picture && picture.data.length > 0) {
    const extension = COVER_EXTENSIONS[picture.format.toLowerCase()];
    if (extension) {
      const name = `${createHash('sha1').update(picture.data).digest('hex')}.${extension}`;
      const file = join(options.coversDir, name);
      if (!existsSync(file)) writeFileSync(file, picture.data);
      coverFile = name;
      coverMime = picture.format.toLowerCase() === 'image/jpg' ? 'image/jpeg' : picture.format.toLowerCase();
    }
  }

  const lrcPath = path.slice(0, path.length - extname(path).length) + '.lrc';
  let syncedLyrics: string | null = null;
  if (existsSync(lrcPath)) syncedLyrics = (await readFile(lrcPath, 'utf8')).replace(/^\uFEFF/, '');
  let lyrics = '';
  for (const tag of common?.lyrics ?? []) {
    if (tag.text) lyrics = lyrics ? `${lyrics}\n${tag.text}` : tag.text;
    if (syncedLyrics === null && tag.syncText.length > 0) syncedLyrics = syncedToLrc(tag.syncText);
    if (!tag.text && tag.syncText.length > 0 && lyrics === '') lyrics = tag.syncText.map((line) => line.text).join('\n');
  }
  if (lyrics === '' && metadata) lyrics = nativeLyrics(metadata);
  if (lyrics === '' && syncedLyrics) lyrics = syncedLyrics.replace(/^\[[^\]]*\]/gm, '').trim();

  let gapless: { delay: number; padding: number } | null = null;
  if (/\.mp3$/i.test(path)) gapless = await mp3EncoderDelay(path).catch(() => null);
  else if (metadata) gapless = iTunSmpb(metadata);

  const analysis = decoded ? analyseTrack(decoded.channels, decoded.sampleRate) : null;
  const tempoKnown = analysis !== null && analysis.tempoBpm > 0 && analysis.tempoConfidence > 0;

  return {
    path,
    fileSize: stats.size,
    fileMtimeMs: Math.floor(stats.mtimeMs),
    fingerprint,
    title: common?.title?.trim() || basename(path, extname(path)),
    artist: common?.artist?.trim() ?? '',
    album: common?.album?.trim() ?? '',
    albumArtist: common?.albumartist?.trim() ?? '',
    genre: common?.genre?.join(', ').trim() ?? '',
    year: finiteOrNull(common?.year),
    trackNumber: finiteOrNull(common?.track.no),
    discNumber: finiteOrNull(common?.disk.no),
    // What was actually decoded is the truth for playback (a header's duration can be off); a
    // very long file decoded only in part keeps its header's duration.
    durationSec: decoded && decoded.durationSec < (options.maxAnalysisSec ?? 20 * 60) - 1 ? decoded.durationSec : (finiteOrNull(format?.duration) ?? decoded?.durationSec ?? null),
    codec: format?.codec ?? null,
    sampleRate: finiteOrNull(format?.sampleRate),
    channels: finiteOrNull(format?.numberOfChannels),
    bitrateKbps: format?.bitrate ? Math.round(format.bitrate / 100) / 10 : null,
    encoderDelaySamples: gapless?.delay ?? null,
    encoderPaddingSamples: gapless?.padding ?? null,
    bpm: tempoKnown ? Math.round(analysis.tempoBpm * 100) / 100 : null,
    bpmConfidence: analysis ? analysis.tempoConfidence : null,
    keyCamelot: analysis?.key?.camelot ?? null,
    keyName: analysis?.key?.name ?? null,
    keyConfidence: analysis?.key?.confidence ?? null,
    lufs: analysis && Number.isFinite(analysis.integratedLufs) ? Math.round(analysis.integratedLufs * 100) / 100 : null,
    truePeakDbtp: analysis && Number.isFinite(analysis.truePeakDbtp) ? Math.round(analysis.truePeakDbtp * 100) / 100 : null,
    replayGain: {
      trackGainDb: gainDb(common?.replaygain_track_gain),
      trackPeak: peakRatio(common?.replaygain_track_peak),
      albumGainDb: gainDb(common?.replaygain_album_gain),
      albumPeak: peakRatio(common?.replaygain_album_peak),
    },
    coverMime,
    coverFile,
    lyrics,
    syncedLyrics,
    waveform: analysis ? analysis.peaks : null,
    analysed: analysis !== null,
  };
}
