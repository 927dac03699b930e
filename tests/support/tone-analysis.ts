import { execFileSync } from 'node:child_process';
import { RealFft } from '../../src/audio-engine/dsp/fft';

const RATE = 48000;
const FFT_SIZE = 32768;

/** The left channel of `durationSec` of a media file from `fromSec`, decoded by ffmpeg at 48 kHz. */
export function decodeLeft(file: string, fromSec: number, durationSec: number): Float32Array {
  // pan, not -ac 1: a downmix would add 3 dB to a tone on both channels.
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(fromSec), '-t', String(durationSec), '-i', file, '-vn', '-af', 'pan=mono|c0=c0', '-ar', String(RATE), '-f', 'f32le', 'pipe:1'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4)));
}

/**
 * The strongest frequency in a stretch of audio (Hann window, 32768-point FFT, parabolic
 * interpolation: better than 0.5 Hz on a steady tone), and the sample peak in dBFS. A spectral
 * peak, not zero crossings, so an odd click in what a virtual sound card delivered does not move it.
 */
export function analyseTone(file: string, fromSec: number, durationSec = 1): { frequencyHz: number; peakDb: number; samples: number } {
  const samples = decodeLeft(file, fromSec, durationSec);
  let peak = 0;
  for (const value of samples) peak = Math.max(peak, Math.abs(value));
  const frame = new Float64Array(FFT_SIZE);
  const length = Math.min(samples.length, FFT_SIZE);
  for (let i = 0; i < length; i++) frame[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1)));
  const fft = new RealFft(FFT_SIZE);
  const re = new Float64Array(fft.binCount);
  const im = new Float64Array(fft.binCount);
  fft.forward(frame, re, im);
  let best = 1;
  const power = (bin: number): number => re[bin]! * re[bin]! + im[bin]! * im[bin]!;
  for (let bin = 2; bin < fft.binCount - 1; bin++) if (power(bin) > power(best)) best = bin;
  const [a, b, c] = [Math.log(power(best - 1) + 1e-30), Math.log(power(best) + 1e-30), Math.log(power(best + 1) + 1e-30)];
  const offset = (0.5 * (a - c)) / (a - 2 * b + c);
  return { frequencyHz: ((best + (Number.isFinite(offset) ? offset : 0)) * RATE) / FFT_SIZE, peakDb: 20 * Math.log10(peak), samples: samples.length };
}
