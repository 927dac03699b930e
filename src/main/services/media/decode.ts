import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { MixdeckError } from '../../../shared/contract';
import { spawnTied } from './child-lifetime';

export interface DecodeOptions {
  ffmpegPath: string;
  sampleRate: number;
  /** 1 folds to mono; 2 keeps (or makes) stereo. */
  channels: 1 | 2;
  /** Decode only this much, from the start (analysis of very long files). */
  maxDurationSec?: number;
  signal?: AbortSignal;
}

export interface DecodedAudio {
  readonly sampleRate: number;
  /** One Float32Array per channel, in [-1, 1]. */
  readonly channels: Float32Array[];
  readonly durationSec: number;
}

/**
 * How many decodes run at once, and how many may wait. Input (the page, a scan) sets how many
 * decodes are asked for; without a bound, 60 asked at once started 60 ffmpegs. Those beyond
 * the running ones wait their turn; past the queue, a decode is refused in words.
 */
export const DECODE_LIMITS = { running: Math.max(2, Math.min(4, availableParallelism())), waiting: 64 };

let runningDecodes = 0;
const waitingDecodes: (() => void)[] = [];

/** How many decodes hold an ffmpeg now, and how many wait for one (for tests and the log). */
export function decodeLoad(): { running: number; waiting: number } {
  return { running: runningDecodes, waiting: waitingDecodes.length };
}

async function takeDecodeSlot(signal: AbortSignal | undefined): Promise<() => void> {
  if (runningDecodes >= DECODE_LIMITS.running) {
    if (waitingDecodes.length >= DECODE_LIMITS.waiting) {
      throw new MixdeckError('unavailable', `Mixdeck is already decoding ${runningDecodes} files with ${waitingDecodes.length} more waiting; try again when those are done.`);
    }
    await new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = (): void => {
        const at = waitingDecodes.indexOf(turn);
        if (at >= 0) waitingDecodes.splice(at, 1);
        reject(new MixdeckError('conflict', 'Decoding was cancelled.'));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      waitingDecodes.push(turn);
    });
  }
  runningDecodes += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    runningDecodes -= 1;
    // The slot passes to the next waiter, which counts itself back in.
    waitingDecodes.shift()?.();
  };
}

/** The last meaningful line ffmpeg printed, which names the problem ("Invalid data found…"). */
function ffmpegReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    // "Error marking filters as finished" follows the real error and says nothing about the file.
    .filter((line) => line !== '' && !line.startsWith('Press [q]') && !/^Error marking filters as finished/i.test(line));
  const reason = lines.reverse().find((line) => /error|invalid|could not|no such|not find|unsupported|does not contain|end of file/i.test(line)) ?? lines[0] ?? '';
  return reason.replace(/^\[[^\]]+\]\s*/, '').slice(0, 200);
}

/**
 * Decodes any file ffmpeg can read to float PCM at the asked rate and channel count.
 * A corrupt, truncated or silent-by-accident file is refused with ffmpeg's reason in words.
 */
export async function decodeAudioFile(path: string, options: DecodeOptions): Promise<DecodedAudio> {
  const release = await takeDecodeSlot(options.signal);
  try {
    return await decodeInSlot(path, options);
  } finally {
    release();
  }
}

async function decodeInSlot(path: string, options: DecodeOptions): Promise<DecodedAudio> {
  try {
    await access(path);
  } catch {
    throw new MixdeckError('not-found', `The file "${path}" does not exist or cannot be read.`);
  }
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-i', path, '-vn', '-sn', '-dn'];
  if (options.maxDurationSec !== undefined) args.push('-t', String(options.maxDurationSec));
  args.push('-ac', String(options.channels), '-ar', String(options.sampleRate), '-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1');

  const child = spawnTied(options.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(new MixdeckError('unavailable', `ffmpeg was not found at "${options.ffmpegPath}".`));
      else if (error.name === 'AbortError') reject(new MixdeckError('conflict', 'Decoding was cancelled.'));
      else reject(error);
    });
    child.on('close', resolve);
  });
  const data = Buffer.concat(chunks);
  if (exitCode !== 0 && data.length === 0) {
    throw new MixdeckError('invalid-input', `Mixdeck cannot read "${path}": ${ffmpegReason(stderr) || `ffmpeg exited with code ${exitCode}`}.`);
  }
  const frameBytes = 4 * options.channels;
  const frameCount = Math.floor(data.length / frameBytes);
  if (frameCount === 0) throw new MixdeckError('invalid-input', `"${path}" contains no audio.`);
  // Copy into aligned memory (Buffer chunks may start at any byte offset), then de-interleave.
  const interleaved = new Float32Array(frameCount * options.channels);
  new Uint8Array(interleaved.buffer).set(data.subarray(0, frameCount * frameBytes));
  const channels = Array.from({ length: options.channels }, () => new Float32Array(frameCount));
  for (let frame = 0; frame < frameCount; frame += 1) {
    for (let channel = 0; channel < options.channels; channel += 1) channels[channel]![frame] = interleaved[frame * options.channels + channel]!;
  }
  return { sampleRate: options.sampleRate, channels, durationSec: frameCount / options.sampleRate };
}
