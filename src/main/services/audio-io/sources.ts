import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Clock } from '../broadcast/clock';
import { spawnTied } from '../media/child-lifetime';
import { currentCaptureLauncher, type CaptureChild, type CaptureEvents, type CaptureLauncher } from './capture-launcher';

/**
 * Where the broadcast's sound comes from. Every source hands over interleaved s16le blocks in its
 * own channel count and rate; `BroadcastAudio` picks the pair, resamples, limits and meters.
 */
export interface PcmSource {
  readonly channelCount: number;
  readonly sampleRate: number;
  /** Starts delivering; `onError` is called at most once, with a sentence, when the source dies. */
  start(onData: (block: Int16Array) => void, onError: (message: string) => void): void;
  stop(): Promise<void>;
}

// -- a PortAudio input (the DJ mixer) ------------------------------------------------------------

interface PortAudioDevice {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
}

interface PortAudioStream {
  start(): void;
  /** naudiodon 2's abort() passes the native quit two arguments and throws: only quit() works. */
  quit(callback?: () => void): Promise<void> | void;
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'end' | 'close', listener: () => void): void;
  write?(chunk: Buffer): boolean;
  removeAllListeners(): void;
}

export interface PortAudioModule {
  getDevices(): PortAudioDevice[];
  AudioIO(options: { inOptions?: Record<string, unknown>; outOptions?: Record<string, unknown> }): PortAudioStream;
}

let portAudio: PortAudioModule | null = null;

/** naudiodon is loaded on first use, so a machine without working audio still starts. */
export function loadPortAudio(): PortAudioModule {
  if (!portAudio) portAudio = createRequire(import.meta.url)('naudiodon') as PortAudioModule;
  return portAudio;
}

/** Finds an input by its name (exact first, then case-insensitive, then a part of it). */
export function findDevice(module: PortAudioModule, name: string | null, direction: 'input' | 'output'): PortAudioDevice {
  const devices = module.getDevices().filter((device) => (direction === 'input' ? device.maxInputChannels : device.maxOutputChannels) > 0);
  if (devices.length === 0) throw new Error(`This machine has no audio ${direction} PortAudio can open.`);
  if (name === null) {
    return devices.find((device) => device.name === 'default') ?? devices[0]!;
  }
  const lower = name.toLowerCase();
  const found =
    devices.find((device) => device.name === name) ??
    devices.find((device) => device.name.toLowerCase() === lower) ??
    devices.find((device) => device.name.toLowerCase().includes(lower));
  if (!found) {
    const names = devices.map((device) => `"${device.name}"`).join(', ');
    throw new Error(`There is no audio ${direction} called "${name}". Connected ${direction}s: ${names}.`);
  }
  return found;
}

/** 10 ms at 48 kHz: short enough for the meters, long enough for a busy machine. */
export const DEVICE_FRAMES_PER_BUFFER = 480;

/**
 * A PortAudio input, opened in a process of its own (capture-child.mjs): naudiodon prints to stdout
 * from native code, and a driver that hangs on an unplugged device must not take the set with it.
 * The device is looked up here (listing prints nothing) so a wrong name fails at once, in words.
 * How the process is started is the launcher's business (Node's child process, or Electron's
 * utilityProcess in the desktop app: capture-launcher.ts).
 */
export class DeviceSource implements PcmSource {
  readonly channelCount: number;
  readonly sampleRate: number;
  readonly deviceName: string;
  private child: CaptureChild | null = null;
  private readonly device: PortAudioDevice;

  constructor(
    module: PortAudioModule,
    deviceName: string | null,
    channelsNeeded: number,
    sampleRate: number,
    private readonly launcher: CaptureLauncher = currentCaptureLauncher(),
  ) {
    this.device = findDevice(module, deviceName, 'input');
    this.deviceName = this.device.name;
    if (channelsNeeded > this.device.maxInputChannels) {
      throw new Error(`"${this.device.name}" has ${this.device.maxInputChannels} input channels; channel ${channelsNeeded} does not exist on it.`);
    }
    this.channelCount = Math.max(2, channelsNeeded);
    this.sampleRate = sampleRate;
  }

  start(onData: (block: Int16Array) => void, onError: (message: string) => void): void {
    let failed = false;
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      onError(message);
    };
    const request = { deviceId: this.device.id, channelCount: this.channelCount, sampleRate: this.sampleRate, framesPerBuffer: DEVICE_FRAMES_PER_BUFFER };
    let remainder: Uint8Array | null = null;
    const frameBytes = this.channelCount * 2;
    let child: CaptureChild | null = null;
    const events: CaptureEvents = {
      pcm: (chunk) => {
        let data = chunk;
        if (remainder) {
          data = new Uint8Array(remainder.length + chunk.length);
          data.set(remainder);
          data.set(chunk, remainder.length);
        }
        const whole = data.length - (data.length % frameBytes);
        remainder = whole < data.length ? data.slice(whole) : null;
        if (whole === 0) return;
        // Copy: Int16Array needs 2-byte alignment and the chunk's memory is the transport's.
        const block = new Int16Array(whole / 2);
        new Uint8Array(block.buffer).set(data.subarray(0, whole));
        onData(block);
      },
      // Once stop() has begun, what the child says while it winds down is no failure.
      error: (message) => {
        if (this.child === child) fail(`"${this.device.name}" failed: ${message}`);
      },
      failedToStart: (message) => fail(`"${this.device.name}" could not be opened: ${message}`),
      exit: (reason) => {
        if (this.child !== child) return;
        this.child = null;
        fail(`"${this.device.name}" stopped (${reason}).`);
      },
    };
    try {
      child = this.launcher.launch(request, events);
    } catch (error) {
      fail(`"${this.device.name}" could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.child = child;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await child?.stop();
  }
}

/** Stops a PortAudio stream, waiting at most 2 s (a device that vanished may never answer). */
async function quitStream(stream: PortAudioStream): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      void Promise.resolve(stream.quit(done)).catch(done);
    } catch {
      done();
    }
  });
}

// -- an audio file, decoded by ffmpeg at its own pace (rehearsal, the CLI's --audio-file) -------------

export class FileSource implements PcmSource {
  readonly channelCount = 2;
  readonly sampleRate = 48000;
  private child: ChildProcess | null = null;

  constructor(
    private readonly ffmpegPath: string,
    private readonly path: string,
    private readonly loop = true,
  ) {}

  start(onData: (block: Int16Array) => void, onError: (message: string) => void): void {
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', ...(this.loop ? ['-stream_loop', '-1'] : []), '-i', this.path];
    args.push('-vn', '-ac', '2', '-ar', '48000', '-f', 's16le', 'pipe:1');
    const child = spawnTied(this.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.child = child;
    let stderr = '';
    let remainder: Buffer | null = null;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const data = remainder ? Buffer.concat([remainder, chunk]) : chunk;
      const whole = data.length - (data.length % 4);
      remainder = whole < data.length ? Buffer.from(data.subarray(whole)) : null;
      if (whole === 0) return;
      const block = new Int16Array(whole / 2);
      Buffer.from(block.buffer).set(data.subarray(0, whole));
      onData(block);
    });
    child.once('error', (error) => onError(`The audio file could not be read: ${error.message}`));
    child.once('close', (code) => {
      if (this.child !== child) return;
      this.child = null;
      const why = stderr.trim().split('\n').pop();
      onError(code === 0 ? 'The audio file ended.' : `The audio file could not be read${why ? `: ${why}` : '.'}`);
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      }, 2000).unref();
    });
  }
}

// -- generated sound, paced by the clock (a test tone, or nothing) ---------------------------------

export class GeneratedSource implements PcmSource {
  readonly channelCount = 2;
  readonly sampleRate = 48000;
  private timer: unknown = null;
  private phase = 0;

  /** `frequencyHz` 0 gives silence. */
  constructor(
    private readonly clock: Clock,
    private readonly frequencyHz: number,
    private readonly amplitude = 0.25,
  ) {}

  start(onData: (block: Int16Array) => void): void {
    const startedAt = this.clock.now();
    let sentFrames = 0;
    const step = (2 * Math.PI * this.frequencyHz) / this.sampleRate;
    const tick = (): void => {
      const due = Math.floor(((this.clock.now() - startedAt) / 1000) * this.sampleRate) - sentFrames;
      if (due > 0) {
        const block = new Int16Array(due * 2);
        if (this.frequencyHz > 0) {
          for (let frame = 0; frame < due; frame++) {
            const value = Math.round(Math.sin(this.phase) * this.amplitude * 32767);
            this.phase += step;
            block[frame * 2] = value;
            block[frame * 2 + 1] = value;
          }
          this.phase %= 2 * Math.PI;
        }
        sentFrames += due;
        onData(block);
      }
      this.timer = this.clock.setTimeout(tick, 20);
    };
    tick();
  }

  stop(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    return Promise.resolve();
  }
}

/** A monitor output: what goes on air, on the booth headphones or speakers. */
export class MonitorOutput {
  private stream: PortAudioStream | null = null;
  readonly deviceName: string;

  constructor(module: PortAudioModule, deviceName: string | null) {
    const device = findDevice(module, deviceName, 'output');
    this.deviceName = device.name;
    this.stream = module.AudioIO({
      outOptions: { deviceId: device.id, channelCount: 2, sampleFormat: 16, sampleRate: 48000, closeOnError: false },
    });
    this.stream.on('error', () => undefined);
    this.stream.start();
  }

  write(pcm: Buffer): void {
    this.stream?.write?.(pcm);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    return stream ? quitStream(stream) : Promise.resolve();
  }
}
