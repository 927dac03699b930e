import { access } from 'node:fs/promises';
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
