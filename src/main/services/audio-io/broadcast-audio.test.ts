import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startToneSoundCard, type ToneSoundCard } from '../../../../tests/support/alsa-tone';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { RealFft } from '../../../audio-engine/dsp/fft';
import type { BroadcastAudioInputConfig, BroadcastLevels, BroadcastTempo } from '../../../shared/contract';
import { createLogger } from '../log/logger';
import { DEFAULT_AUDIO_INPUT } from '../broadcast/live-set';
import { BroadcastAudio, type AudioInputHealth } from './broadcast-audio';

const BASE: BroadcastAudioInputConfig = DEFAULT_AUDIO_INPUT;

/** The strongest frequency of interleaved s16 stereo (left channel), by FFT. */
function dominantHz(pcm: Buffer): number {
  const size = 16384;
  const frames = Math.min(size, Math.floor(pcm.length / 4));
  const frame = new Float64Array(size);
  for (let i = 0; i < frames; i++) frame[i] = (pcm.readInt16LE(i * 4) / 32768) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (frames - 1)));
  const fft = new RealFft(size);
  const re = new Float64Array(fft.binCount);
  const im = new Float64Array(fft.binCount);
  fft.forward(frame, re, im);
  let best = 1;
  for (let bin = 2; bin < fft.binCount; bin++) if (re[bin]! ** 2 + im[bin]! ** 2 > re[best]! ** 2 + im[best]! ** 2) best = bin;
  return (best * 48000) / size;
}

interface Run {
  pcm: Buffer[];
  levels: BroadcastLevels[];
  tempo: BroadcastTempo[];
  health: AudioInputHealth[];
  audio: BroadcastAudio;
}

function open(config: BroadcastAudioInputConfig, temp: string): Run {
  const run: Run = { pcm: [], levels: [], tempo: [], health: [], audio: null as unknown as BroadcastAudio };
  run.audio = new BroadcastAudio({
    config,
    ffmpegPath: 'ffmpeg',
    logger: createLogger({ directory: join(temp, 'logs'), level: 'warn' }),
    onPcm: (pcm) => run.pcm.push(Buffer.from(pcm)),
    onLevels: (levels) => run.levels.push(levels),
    onTempo: (tempo) => run.tempo.push(tempo),
    onHealth: (health) => run.health.push(health),
  });
  run.audio.start();
  return run;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (run: Run): number => run.pcm.reduce((sum, chunk) => sum + chunk.length, 0) / (48000 * 4);

describe('BroadcastAudio', () => {
  const temp = makeTempDir('mixdeck-broadcast-audio-');
  let card: ToneSoundCard;

  beforeAll(() => {
    card = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [500, 500, 750, 750], amplitude: 0.5, monitorDeviceName: 'mixdeck_monitor' });
    // PortAudio reads ALSA's configuration when it first starts in this process.
    process.env.ALSA_CONFIG_PATH = card.configPath;
  });
  afterAll(() => {
    card?.stop();
    temp.remove();
  });

  it('takes the chosen pair from the device, in real time, and plays it on the monitor', async () => {
    const startedAt = performance.now();
    const run = open({ ...BASE, deviceName: card.deviceName, channels: [3, 4], monitor: true, monitorDeviceName: 'mixdeck_monitor' }, temp.path);
    await sleep(2500);
    // Real time: as many seconds of sound as seconds passed (the device's start-up filled with silence).
    expect(Math.abs(seconds(run) - (performance.now() - startedAt) / 1000)).toBeLessThan(0.3);
    await run.audio.stop();
    expect(run.health[0]).toEqual({ state: 'ok', message: null, deviceName: card.deviceName });
    expect(Math.abs(dominantHz(Buffer.concat(run.pcm).subarray(48000 * 4)) - 750)).toBeLessThan(6);
    expect(run.levels.at(-1)!.channels[0]!.peakDb).toBeCloseTo(-6, 0);
    expect(run.tempo.length).toBeGreaterThanOrEqual(2);
    // The monitor device wrote what went on air.
    expect(existsSync(card.monitorFile)).toBe(true);
    const monitored = readFileSync(card.monitorFile);
    expect(monitored.length).toBeGreaterThan(48000 * 4);
    expect(Math.abs(dominantHz(monitored.subarray(monitored.length - 48000 * 4)) - 750)).toBeLessThan(6);
  });

  it('says which devices exist when the chosen one does not, and keeps the stream going with silence', async () => {
    const run = open({ ...BASE, deviceName: 'Pioneer DJM-900NXS2' }, temp.path);
    await sleep(1200);
    await run.audio.stop();
    expect(run.health[0]!.state).toBe('error');
    expect(run.health[0]!.message).toMatch(/There is no audio input called "Pioneer DJM-900NXS2"\. Connected inputs: .*"mixdeck_tone".*The set goes on with silence\./);
    expect(seconds(run)).toBeGreaterThan(0.9);
    expect(Buffer.concat(run.pcm).every((byte) => byte === 0)).toBe(true);
  });

  it('plays an audio file through ffmpeg at its own pace, and switches source mid-run', async () => {
    const file = join(temp.path, 'loop.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=1:sample_rate=44100', file]);
    const run = open({ ...BASE, source: 'file', filePath: file }, temp.path);
    await sleep(1500);
    // The last half second: before ffmpeg's first output the stream carried silence.
    const sofar = Buffer.concat(run.pcm);
    expect(Math.abs(dominantHz(sofar.subarray(sofar.length - 24000 * 4)) - 300)).toBeLessThan(6);
    const before = seconds(run);
    await run.audio.reconfigure({ ...BASE, source: 'none' });
    await sleep(800);
    await run.audio.stop();
    expect(run.health.at(-2)).toEqual({ state: 'off', message: 'No audio input: the stream carries silence.', deviceName: null });
    expect(seconds(run) - before).toBeGreaterThan(0.5);
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  it('shows the test tone\'s tempo as unknown, and clears the tempo when it stops', async () => {
    const run = open({ ...BASE, source: 'tone' }, temp.path);
    // The tracker's first estimate comes after 3 s of sound; wait for a few.
    await vi.waitFor(() => expect(run.tempo.length).toBeGreaterThanOrEqual(5), { timeout: 20_000, interval: 200 });
    await run.audio.stop();
    expect(run.tempo.every((reading) => reading.tempoBpm === null)).toBe(true);
    expect(run.tempo.at(-1)).toEqual({ tempoBpm: null, confidence: 0 });
  });
});
