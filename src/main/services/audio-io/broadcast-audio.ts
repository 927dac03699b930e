import type { BroadcastAudioInputConfig, BroadcastLevels, BroadcastSpectrumReading, BroadcastTempo } from '../../../shared/contract';
import { LIVE_TEMPO_MIN_CONFIDENCE, LiveTempoTracker } from '../../../audio-engine/analysis';
import { LookaheadLimiter } from '../../../audio-engine/broadcast/limiter';
import { LevelMeters, type ChannelLevel } from '../../../audio-engine/broadcast/meters';
import { BroadcastSpectrum } from '../../../audio-engine/broadcast/spectrum';
import { deinterleaveS16Pair, interleaveS16Stereo, StereoResampler } from '../../../audio-engine/broadcast/pcm';
import { systemClock, type Clock } from '../broadcast/clock';
import type { Logger } from '../log/logger';
import { PlayerSource } from './player-source';
import { DeviceSource, FileSource, GeneratedSource, loadPortAudio, MonitorOutput, type PcmSource, type PortAudioModule } from './sources';

/** The encoder's PCM: s16le, 48 kHz, stereo. */
export const BROADCAST_RATE = 48000;
const FRAME_BYTES = 4;
/** No sound from the source for this long: fill with silence so the stream never stalls. */
const GAP_FILL_AFTER_MS = 250;
/** A device silent this long has gone (unplugged, powered off, taken by another app). */
const DEVICE_LOST_AFTER_MS = 1500;
/** A source running ahead of the wall clock by more than this has no clock of its own: drop the excess. */
const MAX_AHEAD_MS = 500;
const LEVELS_EVERY_MS = 100;
/** The scene's visualizer moves at about this rate (its bars are smoothed in the page). */
const SPECTRUM_EVERY_MS = 50;
const TEMPO_EVERY_MS = 1000;
const TEST_TONE_HZ = 440;

export type AudioInputState = 'off' | 'ok' | 'error';

export interface AudioInputHealth {
  state: AudioInputState;
  message: string | null;
  deviceName: string | null;
}

export interface BroadcastAudioOptions {
  config: BroadcastAudioInputConfig;
  ffmpegPath: string;
  logger: Logger;
  /** The processed PCM (s16le 48 kHz stereo), paced in real time: to the encoder. */
  onPcm: (pcm: Buffer) => void;
  onLevels?: (levels: BroadcastLevels) => void;
  /** The spectrum of the same PCM the meters and the encoders get (after the channel pick and the limiter). */
  onSpectrum?: (spectrum: BroadcastSpectrumReading) => void;
  onTempo?: (tempo: BroadcastTempo) => void;
  onHealth?: (health: AudioInputHealth) => void;
  clock?: Clock;
  portAudio?: () => PortAudioModule;
}

/**
 * The broadcast's sound, from the DJ's gear to the encoder: open the source, pick the channel pair,
 * resample to 48 kHz, limit (so a hot mixer never clips the stream), meter, track the tempo, and
 * hand the PCM on. If the device disappears mid-set the stream carries silence, the health says why,
 * and the set goes on; nothing waits for the network or the renderer.
 */
export class BroadcastAudio {
  private config: BroadcastAudioInputConfig;
  private readonly options: BroadcastAudioOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private source: PcmSource | null = null;
  private monitor: MonitorOutput | null = null;
  private resampler: StereoResampler | null = null;
  private readonly limiter: LookaheadLimiter;
  private readonly meters = new LevelMeters({ sampleRate: BROADCAST_RATE });
  private readonly tempo = new LiveTempoTracker(BROADCAST_RATE);
  private readonly spectrum = new BroadcastSpectrum({ sampleRate: BROADCAST_RATE });
  private readonly spectrumBands = new Float32Array(this.spectrum.bandCount);
  private lastSpectrumAt = 0;
  private readonly levels: ChannelLevel[] = [];
  private health: AudioInputHealth = { state: 'off', message: null, deviceName: null };
  private running = false;
  private startedAt = 0;
  /** Frames handed to the encoder since start (real sound and silence alike). */
  private framesOut = 0;
  private lastSourceDataAt = 0;
  private timer: unknown = null;
  private lastLevelsAt = 0;
  private lastTempoAt = 0;
  private generation = 0;
  /** Frames dropped because the source ran ahead of real time (an unclocked virtual device). */
  droppedAheadFrames = 0;
  /** Frames of silence written while the source gave nothing. */
  silenceFrames = 0;
  // Scratch buffers, grown on demand.
  private left = new Float32Array(4096);
  private right = new Float32Array(4096);
  private outLeft = new Float32Array(4096);
  private outRight = new Float32Array(4096);

  constructor(options: BroadcastAudioOptions) {
    this.options = options;
    this.config = { ...options.config };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child('audio-in');
    this.limiter = new LookaheadLimiter({ sampleRate: BROADCAST_RATE, ceilingDb: this.config.limiterCeilingDb });
  }

  get status(): AudioInputHealth {
    return { ...this.health };
  }

  get limiterOvers(): number {
    return this.limiter.oversCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.clock.now();
    this.framesOut = 0;
    this.lastSourceDataAt = this.startedAt;
    this.openSource();
    this.openMonitor();
    this.scheduleTick();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const source = this.source;
    this.source = null;
    await source?.stop();
    await this.monitor?.close();
    this.monitor = null;
    this.setHealth({ state: 'off', message: null, deviceName: null });
    // A tempo outlives neither its sound nor the set: the next reading starts from nothing.
    this.tempo.reset();
    this.spectrum.reset();
    this.options.onTempo?.(UNKNOWN_TEMPO);
  }

  /** Applies a new input choice; during a set the source is reopened only if it changed. */
  async reconfigure(config: BroadcastAudioInputConfig): Promise<void> {
    const previous = this.config;
    this.config = { ...config };
    this.limiter.setCeilingDb(config.limiterCeilingDb);
    if (!this.running) return;
    const sourceChanged =
      previous.source !== config.source ||
      previous.deviceName !== config.deviceName ||
      previous.sampleRate !== config.sampleRate ||
      previous.filePath !== config.filePath ||
      previous.channels[0] !== config.channels[0] ||
      previous.channels[1] !== config.channels[1];
    if (sourceChanged) {
      this.generation++;
      const old = this.source;
      this.source = null;
      await old?.stop();
      this.openSource();
    }
    if (previous.monitor !== config.monitor || previous.monitorDeviceName !== config.monitorDeviceName) {
      await this.monitor?.close();
      this.monitor = null;
      this.openMonitor();
    }
  }

  // -- internals ---------------------------------------------------------------------------------

  private openSource(): void {
    const config = this.config;
    const generation = this.generation;
    let source: PcmSource;
    let deviceName: string | null = null;
    try {
      switch (config.source) {
        case 'device': {
          const device = new DeviceSource((this.options.portAudio ?? loadPortAudio)(), config.deviceName, Math.max(...config.channels), config.sampleRate);
          deviceName = device.deviceName;
          source = device;
          break;
        }
        case 'file':
          if (!config.filePath) throw new Error('Choose the audio file to play.');
          source = new FileSource(this.options.ffmpegPath, config.filePath);
          break;
        case 'player':
          source = new PlayerSource();
          break;
        case 'tone':
          source = new GeneratedSource(this.clock, TEST_TONE_HZ);
          break;
        case 'none':
          source = new GeneratedSource(this.clock, 0);
          break;
      }
    } catch (error) {
      this.fail(`The audio input could not be opened: ${(error as Error).message} The set goes on with silence.`, config.deviceName);
      return;
    }
    this.source = source;
    this.resampler = new StereoResampler(source.sampleRate, BROADCAST_RATE);
    const [leftChannel, rightChannel] = config.source === 'device' ? [config.channels[0] - 1, config.channels[1] - 1] : [0, 1];
    this.setHealth({
      state: config.source === 'none' ? 'off' : 'ok',
      message: config.source === 'none' ? 'No audio input: the stream carries silence.' : null,
      deviceName,
    });
    this.logger.info('audio input opened', { source: config.source, device: deviceName, channels: config.channels, sampleRate: source.sampleRate });
    source.start(
      (block) => {
        if (generation !== this.generation || !this.running) return;
        this.lastSourceDataAt = this.clock.now();
        if (this.health.state === 'error') this.setHealth({ state: 'ok', message: null, deviceName });
        this.processBlock(block, source.channelCount, leftChannel, rightChannel);
      },
      (message) => {
        if (generation !== this.generation || !this.running) return;
        this.fail(`${message} The set goes on with silence.`, deviceName);
      },
    );
  }

  private openMonitor(): void {
    if (!this.config.monitor) return;
    try {
      this.monitor = new MonitorOutput((this.options.portAudio ?? loadPortAudio)(), this.config.monitorDeviceName);
    } catch (error) {
      this.logger.warn('monitor output could not be opened', { error: (error as Error).message });
    }
  }

  private fail(message: string, deviceName: string | null): void {
    this.logger.error('audio input failed', { message });
    this.setHealth({ state: 'error', message, deviceName });
  }

  private setHealth(health: AudioInputHealth): void {
    const same = health.state === this.health.state && health.message === this.health.message && health.deviceName === this.health.deviceName;
    this.health = health;
    if (!same) this.options.onHealth?.({ ...health });
  }

  private ensureScratch(frames: number): void {
    if (this.left.length >= frames) return;
    const size = Math.max(frames, this.left.length * 2);
    this.left = new Float32Array(size);
    this.right = new Float32Array(size);
    this.outLeft = new Float32Array(size + 8);
    this.outRight = new Float32Array(size + 8);
  }

  private processBlock(block: Int16Array, channelCount: number, leftChannel: number, rightChannel: number): void {
    const inFrames = Math.floor(block.length / channelCount);
    const resampler = this.resampler!;
    // A virtual device without a clock delivers as fast as it is read: keep the stream in real
    // time, and decide before spending any work on the block.
    const expectedOut = Math.round((inFrames * BROADCAST_RATE) / resampler.inputRate);
    if (this.framesOut + expectedOut - this.wallClockFrames() > (MAX_AHEAD_MS / 1000) * BROADCAST_RATE) {
      this.droppedAheadFrames += expectedOut;
      return;
    }
    this.ensureScratch(Math.max(inFrames, resampler.maxOutput(inFrames)));
    const frames = deinterleaveS16Pair(block, channelCount, leftChannel, rightChannel, this.left, this.right);
    const outFrames = resampler.process(this.left, this.right, frames, this.outLeft, this.outRight);
    this.emit(this.outLeft, this.outRight, outFrames);
  }

  private wallClockFrames(): number {
    return Math.floor(((this.clock.now() - this.startedAt) / 1000) * BROADCAST_RATE);
  }

  private emit(left: Float32Array, right: Float32Array, frames: number): void {
    if (frames <= 0) return;
    this.limiter.process([left, right], frames);
    this.meters.push([left, right], frames);
    if (this.options.onSpectrum) this.spectrum.push(left, right, frames);
    this.tempo.push([left, right], frames);
    const pcm = new Int16Array(frames * 2);
    interleaveS16Stereo(left, right, frames, pcm);
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, frames * FRAME_BYTES);
    this.framesOut += frames;
    this.options.onPcm(bytes);
    this.monitor?.write(bytes);
  }

  private scheduleTick(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), 20);
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const now = this.clock.now();
    // Silence when the source has gone quiet (unplugged, failed, not yet started), paced by the clock.
    if (this.config.source === 'device' && this.health.state === 'ok' && now - this.lastSourceDataAt >= DEVICE_LOST_AFTER_MS) {
      const name = this.health.deviceName ?? 'The audio input';
      this.fail(`"${name}" stopped sending sound (unplugged?). The set goes on with silence until it comes back.`, this.health.deviceName);
    }
    if (now - this.lastSourceDataAt >= GAP_FILL_AFTER_MS) {
      const missing = this.wallClockFrames() - this.framesOut;
      if (missing > 0) {
        this.ensureScratch(missing);
        this.outLeft.fill(0, 0, missing);
        this.outRight.fill(0, 0, missing);
        this.silenceFrames += missing;
        this.emit(this.outLeft, this.outRight, missing);
      }
    }
    if (now - this.lastLevelsAt >= LEVELS_EVERY_MS) {
      this.lastLevelsAt = now;
      const levels = this.meters.read(this.levels);
      this.options.onLevels?.({
        channels: levels.map((level) => ({ peakDb: round1(level.peakDb), peakHoldDb: round1(level.peakHoldDb), rmsDb: round1(level.rmsDb) })),
        limiterReductionDb: round1(this.limiter.takeReductionDb()),
        clipsPrevented: this.limiter.oversCount,
      });
    }
    if (this.options.onSpectrum && now - this.lastSpectrumAt >= SPECTRUM_EVERY_MS) {
      this.lastSpectrumAt = now;
      const bands = this.spectrum.read(this.spectrumBands);
      const edges = this.spectrum.edgesHz;
      this.options.onSpectrum({ bandsDb: Array.from(bands, round1), minHz: Math.round(edges[0]!), maxHz: Math.round(edges[edges.length - 1]!) });
    }
    if (now - this.lastTempoAt >= TEMPO_EVERY_MS) {
      this.lastTempoAt = now;
      this.options.onTempo?.(shownTempo(this.tempo.current));
    }
    this.scheduleTick();
  }
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

export const UNKNOWN_TEMPO: BroadcastTempo = Object.freeze({ tempoBpm: null, confidence: 0 });

/** What viewers and the DJ see: a number only when the tracker is sure of it, otherwise unknown. */
export function shownTempo(reading: { tempoBpm: number; confidence: number }): BroadcastTempo {
  const confidence = Math.round(reading.confidence * 100) / 100;
  if (!(reading.tempoBpm > 0) || reading.confidence < LIVE_TEMPO_MIN_CONFIDENCE) return { tempoBpm: null, confidence };
  return { tempoBpm: round1(reading.tempoBpm), confidence };
}
