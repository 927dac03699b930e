import { statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  MixdeckError,
  type BroadcastAudioInputConfig,
  type BroadcastLevels,
  type BroadcastNowPlaying,
  type BroadcastSceneShape,
  type BroadcastSpectrumReading,
  type BroadcastSetStateInfo,
  type BroadcastTargetStatus,
  type BroadcastTempo,
  type BroadcastVideoSource,
} from '../../../shared/contract';
import { BroadcastAudio, type AudioInputHealth } from '../audio-io/broadcast-audio';
import type { PortAudioModule } from '../audio-io/sources';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from './clock';
import { BroadcastEngine, type BroadcastEngineOptions, type BroadcastStatus } from './engine';
import type { VideoSource } from './plan';
import { PLATFORM_PRESETS, type EncodeProfile, type StreamTarget } from './presets';
import { entryLabel, formatCue, formatTracklistText, splitArtistTitle, type TracklistEntry } from './tracklist';

export const DEFAULT_AUDIO_INPUT: BroadcastAudioInputConfig = {
  source: 'device',
  deviceName: null,
  channels: [1, 2],
  sampleRate: 48000,
  monitor: false,
  monitorDeviceName: null,
  filePath: null,
  limiterCeilingDb: -1,
};

export const DEFAULT_VIDEO_SOURCE: BroadcastVideoSource = { kind: 'renderer', frameRate: 30 };

export interface LiveSetListeners {
  targetStatus?(targets: BroadcastTargetStatus[]): void;
  setState?(state: BroadcastSetStateInfo): void;
  levels?(levels: BroadcastLevels): void;
  /** The streamed sound's spectrum, from the same place as the levels (the scene's visualizer). */
  spectrum?(spectrum: BroadcastSpectrumReading): void;
  tempo?(tempo: BroadcastTempo): void;
  nowPlaying?(nowPlaying: BroadcastNowPlaying | null, tracklist: TracklistEntry[]): void;
}

export interface LiveSetOptions {
  /** A path, or how to find one when the set starts. */
  ffmpegPath: string | (() => string);
  logger: Logger;
  listeners: LiveSetListeners;
  clock?: Clock;
  portAudio?: () => PortAudioModule;
  /** Passed to every engine (tests shorten the backoff). */
  engine?: Partial<Omit<BroadcastEngineOptions, 'ffmpegPath' | 'logger' | 'recordDir'>>;
}

export interface GoLiveOptions {
  targets: (StreamTarget & { name?: string })[];
  audio: BroadcastAudioInputConfig;
  video: BroadcastVideoSource;
  record: boolean;
  recordingFolder: string;
  /** The recording's profile when it differs from the first target's (or there is no target). */
  recordingProfile?: Partial<EncodeProfile>;
}

export interface SetSummary {
  durationSec: number;
  recordingFolder: string | null;
  recordings: { path: string; error: string | null }[];
  tracklistTextPath: string | null;
  tracklistCuePath: string | null;
}

type SetPhase = BroadcastSetStateInfo['state'];

/**
 * One DJ set: the audio from the gear, the video source, the engine with its targets, the
 * recording, now playing and the stamped tracklist. Shared by the app (capabilities/broadcast)
 * and the headless CLI, so both behave the same. Plain Node.
 */
export class LiveSet {
  private readonly options: LiveSetOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private phase: SetPhase = 'idle';
  private engine: BroadcastEngine | null = null;
  private audio: BroadcastAudio | null = null;
  /** The input metered before Go Live (levels and tempo only, nothing encoded). */
  private preview: BroadcastAudio | null = null;
  private previewConfig: BroadcastAudioInputConfig | null = null;
  private audioHealth: AudioInputHealth = { state: 'off', message: null, deviceName: null };
  private video: BroadcastVideoSource = DEFAULT_VIDEO_SOURCE;
  private startedAt: number | null = null;
  private recordingFolder: string | null = null;
  private lastRecordingPath: string | null = null;
  private current: BroadcastNowPlaying | null = null;
  private tracklist: TracklistEntry[] = [];
  /** Per scene stream (a shape, or `single` when the page sends one stream for every encode). */
  private nextVideoSequence = new Map<string, number>();
  private lastStatus: BroadcastStatus | null = null;
  private tickTimer: unknown = null;
  private names = new Map<string, string>();
  /** What each target in the set was started with, to tell a restart from a changed target. */
  private fingerprints = new Map<string, string>();
  private keys: string[] = [];

  constructor(options: LiveSetOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child('set');
  }

  get state(): SetPhase {
    return this.phase;
  }

  get running(): boolean {
    return this.phase === 'live' || this.phase === 'starting';
  }

  elapsedSec(): number {
    return this.startedAt === null || this.phase === 'idle' ? 0 : (this.clock.now() - this.startedAt) / 1000;
  }

  /** The engine's process ids (for diagnostics and for tests that pull a plug). */
  processIds(): ReturnType<BroadcastEngine['processIds']> | null {
    return this.engine?.processIds() ?? null;
  }

  engineStatus(): BroadcastStatus | null {
    return this.engine?.getStatus() ?? null;
  }

  // -- the set ---------------------------------------------------------------------------------

  async goLive(options: GoLiveOptions): Promise<void> {
    if (this.phase !== 'idle') throw new MixdeckError('conflict', 'The set is already live; end it first.');
    if (options.video.kind === 'card' && options.video.imagePath && !statSync(options.video.imagePath, { throwIfNoEntry: false })?.isFile()) {
      throw new MixdeckError('invalid-input', `The card image "${options.video.imagePath}" does not exist.`);
    }
    this.phase = 'starting';
    // One reader per device: the set's input takes over from the preview.
    await this.stopPreviewAudio();
    this.video = options.video;
    this.names = new Map(options.targets.map((target) => [target.id, target.name ?? target.label ?? PLATFORM_PRESETS[target.platform].name]));
    this.fingerprints = new Map(options.targets.map((target) => [target.id, fingerprint(target)]));
    this.keys = options.targets.map((target) => target.streamKey.trim()).filter((key) => key.length > 0);
    for (const key of this.keys) this.options.logger.redactor.addSecret(key);
    this.recordingFolder = options.record ? options.recordingFolder : null;
    this.nextVideoSequence = new Map();
    this.tracklist = [];
    let ffmpegPath: string;
    try {
      ffmpegPath = typeof this.options.ffmpegPath === 'string' ? this.options.ffmpegPath : this.options.ffmpegPath();
    } catch (error) {
      this.phase = 'idle';
      throw new MixdeckError('unavailable', `ffmpeg was not found, so Mixdeck cannot broadcast: ${(error as Error).message}`);
    }
    const engine = new BroadcastEngine({
      ...this.options.engine,
      ffmpegPath,
      logger: this.options.logger,
      recordDir: options.recordingFolder,
    });
    this.engine = engine;
    engine.onDidChangeStatus((status) => {
      this.lastStatus = status;
      this.emitStatus();
    });
    const audio = new BroadcastAudio({
      config: options.audio,
      ffmpegPath,
      logger: this.options.logger,
      clock: this.clock,
      portAudio: this.options.portAudio,
      onPcm: (pcm) => engine.writeAudio(pcm),
      onLevels: (levels) => this.options.listeners.levels?.(levels),
      onSpectrum: (spectrum) => this.options.listeners.spectrum?.(spectrum),
      onTempo: (tempo) => this.options.listeners.tempo?.(tempo),
      onHealth: (health) => {
        this.audioHealth = health;
        this.emitSetState();
      },
    });
    try {
      await engine.start({
        audio: { kind: 'pcm' },
        video: engineVideo(options.video),
        targets: options.targets.map(({ name: _name, ...target }) => ({ ...target, label: target.label ?? _name })),
        recording: { enabled: options.record, profile: options.recordingProfile },
      });
    } catch (error) {
      this.engine = null;
      this.phase = 'idle';
      throw error;
    }
    this.audio = audio;
    audio.start();
    this.startedAt = engine.getStatus().state === 'running' ? this.clock.now() : this.clock.now();
    this.phase = 'live';
    if (this.current) {
      // What was on before Go Live opens the tracklist at 0:00.
      this.current = { ...this.current, setElapsedSec: 0 };
      this.tracklist.push({ setElapsedSec: 0, text: this.current.text, artist: this.current.artist, title: this.current.title });
      this.options.listeners.nowPlaying?.(this.current, [...this.tracklist]);
    }
    this.logger.info('set live', { targets: options.targets.length, record: options.record, video: options.video.kind, audio: options.audio.source });
    this.scheduleTick();
    this.emitStatus();
  }

  async end(): Promise<SetSummary> {
    if (this.phase !== 'live' && this.phase !== 'starting') {
      return { durationSec: 0, recordingFolder: null, recordings: [], tracklistTextPath: null, tracklistCuePath: null };
    }
    this.phase = 'ending';
    this.emitSetState();
    if (this.tickTimer !== null) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = null;
    const durationSec = this.elapsedSec();
    await this.audio?.stop();
    this.audio = null;
    const summary = await this.engine!.stop();
    const recordings = summary.recordings.map((recording) => ({ path: recording.mp4Path ?? recording.matroskaPath, error: recording.error ?? null }));
    let tracklistTextPath: string | null = null;
    let tracklistCuePath: string | null = null;
    const main = recordings[0]?.path;
    if (main && this.tracklist.length > 0) {
      const stem = main.replace(/\.(mp4|mkv)$/i, '');
      const started = new Date(this.startedAt ?? Date.now());
      const title = `Mixdeck set ${started.toISOString().slice(0, 16).replace('T', ' ')}`;
      try {
        tracklistTextPath = `${stem}.txt`;
        writeFileSync(tracklistTextPath, formatTracklistText(this.tracklist, title));
        tracklistCuePath = `${stem}.cue`;
        writeFileSync(tracklistCuePath, formatCue(this.tracklist, { title, performer: 'Mixdeck', fileName: basename(main) }));
      } catch (error) {
        this.logger.error('tracklist could not be saved', { error: (error as Error).message, folder: dirname(main) });
        tracklistTextPath = null;
        tracklistCuePath = null;
      }
    }
    this.lastRecordingPath = main ?? null;
    const recordingFolder = this.recordingFolder;
    this.engine = null;
    this.lastStatus = null;
    this.phase = 'idle';
    this.audioHealth = { state: 'off', message: null, deviceName: null };
    this.logger.info('set ended', { durationSec, recordings: recordings.map((recording) => recording.path) });
    if (this.previewConfig) this.startPreviewAudio(this.previewConfig);
    this.emitStatus();
    return { durationSec, recordingFolder, recordings, tracklistTextPath, tracklistCuePath };
  }

  /** Ends the set if one runs and stops the preview: for closing the app. */
  async close(): Promise<void> {
    await this.end();
    this.previewConfig = null;
    await this.stopPreviewAudio();
  }

  // -- during the set ----------------------------------------------------------------------------

  /**
   * Puts one target on air during the set: added if it is not in the set, reconnected now if it
   * is, and replaced (its old connection closed first) if its server, key or profile changed since
   * it joined. The other targets are untouched either way.
   */
  async putOnAir(target: StreamTarget & { name?: string }): Promise<void> {
    if (!this.hasTarget(target.id)) return this.addTarget(target);
    if (this.fingerprints.get(target.id) === fingerprint(target)) return this.restartTarget(target.id);
    await this.requireEngine().removeTarget(target.id);
    this.addTarget(target);
  }

  addTarget(target: StreamTarget & { name?: string }): void {
    const engine = this.requireEngine();
    this.fingerprints.set(target.id, fingerprint(target));
    this.names.set(target.id, target.name ?? target.label ?? PLATFORM_PRESETS[target.platform].name);
    if (target.streamKey.trim()) this.keys.push(target.streamKey.trim());
    engine.addTarget({ ...target, label: target.label ?? target.name });
  }

  hasTarget(id: string): boolean {
    return this.engine?.getStatus().targets.some((target) => target.id === id) ?? false;
  }

  async restartTarget(id: string): Promise<void> {
    await this.requireEngine().restartTarget(id);
  }

  /** Applies the suggested remedy to an overloaded encode (faster preset, smaller picture, fewer frames) without ending the set. */
  async applyRemedy(encodeId: string): Promise<{ step: string; description: string }> {
    const { remedy } = await this.requireEngine().applyRemedy(encodeId);
    this.emitStatus();
    return { step: remedy.step, description: remedy.description };
  }

  async stopTarget(id: string): Promise<void> {
    await this.requireEngine().stopTarget(id);
  }

  async removeTarget(id: string): Promise<void> {
    if (!this.hasTarget(id)) return;
    await this.requireEngine().removeTarget(id);
  }

  async setAudioInput(config: BroadcastAudioInputConfig): Promise<void> {
    await this.audio?.reconfigure(config);
    if (this.previewConfig) this.previewConfig = config;
    await this.preview?.reconfigure(config);
  }

  /**
   * Meter the input before Go Live, so the DJ can set the gain before anyone hears it: levels and
   * tempo events flow, nothing is encoded. During a set the set's own input does this; the preview
   * comes back after End.
   */
  async setPreview(config: BroadcastAudioInputConfig | null): Promise<void> {
    this.previewConfig = config;
    if (config === null) await this.stopPreviewAudio();
    else if (this.phase === 'idle' && !this.preview) this.startPreviewAudio(config);
  }

  get previewing(): boolean {
    return this.previewConfig !== null;
  }

  private startPreviewAudio(config: BroadcastAudioInputConfig): void {
    let ffmpegPath = '';
    try {
      ffmpegPath = typeof this.options.ffmpegPath === 'string' ? this.options.ffmpegPath : this.options.ffmpegPath();
    } catch {
      // Only a file source needs ffmpeg; it will say so in its health.
    }
    const preview = new BroadcastAudio({
      config,
      ffmpegPath,
      logger: this.options.logger,
      clock: this.clock,
      portAudio: this.options.portAudio,
      onPcm: () => undefined,
      onLevels: (levels) => this.options.listeners.levels?.(levels),
      onSpectrum: (spectrum) => this.options.listeners.spectrum?.(spectrum),
      onTempo: (tempo) => this.options.listeners.tempo?.(tempo),
      onHealth: (health) => {
        this.audioHealth = health;
        this.emitSetState();
      },
    });
    this.preview = preview;
    preview.start();
  }

  private async stopPreviewAudio(): Promise<void> {
    const preview = this.preview;
    this.preview = null;
    await preview?.stop();
  }

  setVideoSource(video: BroadcastVideoSource): void {
    if (this.phase !== 'idle') throw new MixdeckError('conflict', 'The video source is chosen before Go Live; end the set to change it.');
    this.video = video;
  }

  get videoSource(): BroadcastVideoSource {
    return this.video;
  }

  /** One MediaRecorder chunk from the renderer compositor, in order (per shape when the page sends one scene per shape). */
  videoChunk(sequence: number, data: Buffer, shape?: BroadcastSceneShape): { accepted: boolean; nextSequence: number; reason: string | null } {
    const stream = shape ?? 'single';
    const expected = this.nextVideoSequence.get(stream) ?? 0;
    if (this.phase !== 'live' || !this.engine) {
      return { accepted: false, nextSequence: expected, reason: 'No set is live.' };
    }
    if (this.video.kind !== 'renderer') {
      return { accepted: false, nextSequence: expected, reason: `The video source of this set is "${this.video.kind}", not the renderer.` };
    }
    const shapes = this.video.shapes;
    if (shapes ? !shape || !shapes.includes(shape) : shape !== undefined) {
      const reason = shapes
        ? `This set takes the ${shapes.join(' and ')} scene${shapes.length > 1 ? 's' : ''}, so a video chunk must say which one it belongs to.`
        : 'This set takes one scene for every target; send the chunks without a shape.';
      return { accepted: false, nextSequence: expected, reason };
    }
    if (sequence !== expected) {
      return {
        accepted: false,
        nextSequence: expected,
        reason: `Video chunk ${sequence} arrived where ${expected} was expected; WebM cannot skip a chunk.`,
      };
    }
    this.nextVideoSequence.set(stream, expected + 1);
    this.engine.writeVideo(data, shape);
    return { accepted: true, nextSequence: expected + 1, reason: null };
  }

  setNowPlaying(input: { text?: string; artist?: string; title?: string; source: BroadcastNowPlaying['source'] }): BroadcastNowPlaying {
    let artist = input.artist?.trim() || null;
    let title = input.title?.trim() || null;
    const typed = input.text?.trim() ?? '';
    if (!artist && !title && typed) ({ artist, title } = splitArtistTitle(typed));
    const text = typed || entryLabel({ text: '', artist, title });
    const live = this.phase === 'live';
    const elapsed = live ? Math.round(this.elapsedSec() * 10) / 10 : null;
    this.current = { text, artist, title, source: input.source, setElapsedSec: elapsed, changedAtMs: this.clock.now() };
    if (live && elapsed !== null) this.tracklist.push({ setElapsedSec: elapsed, text, artist, title });
    this.logger.info('now playing', { text, elapsedSec: elapsed });
    this.options.listeners.nowPlaying?.(this.current, [...this.tracklist]);
    return this.current;
  }

  get nowPlaying(): BroadcastNowPlaying | null {
    return this.current;
  }

  get tracklistEntries(): TracklistEntry[] {
    return [...this.tracklist];
  }

  /** Every key this set has seen, so a caller can check nothing printed contains one. */
  get secrets(): readonly string[] {
    return this.keys;
  }

  // -- status ------------------------------------------------------------------------------------

  targetStatuses(): BroadcastTargetStatus[] {
    const status = this.lastStatus ?? this.engine?.getStatus();
    return (status?.targets ?? []).map((target) => ({
      id: target.id,
      platform: target.platform,
      name: this.names.get(target.id) ?? target.label,
      host: target.host,
      state: target.state,
      reason: target.reason,
      bitrateKbps: Math.round(target.bitrateKbps),
      droppedFrames: target.droppedFrames,
      uptimeSec: Math.round(target.uptimeSec * 10) / 10,
      reconnects: target.reconnects,
      nextRetryInSec: target.nextRetryInSec,
      maxDurationSec: target.maxDurationSec,
      encodeId: target.encodeId,
      targetBitrateKbps: target.targetBitrateKbps,
      degraded: target.degraded,
    }));
  }

  setState(): BroadcastSetStateInfo {
    const status = this.lastStatus ?? this.engine?.getStatus() ?? null;
    const parts = status?.recordingParts ?? [];
    const currentPart = parts[parts.length - 1] ?? null;
    const bytes = parts.reduce((sum, part) => sum + (statSync(part, { throwIfNoEntry: false })?.size ?? 0), 0);
    return {
      state: this.phase,
      elapsedSec: Math.round(this.elapsedSec() * 10) / 10,
      startedAtMs: this.phase === 'idle' ? null : this.startedAt,
      recording: {
        active: this.phase !== 'idle' && currentPart !== null,
        path: this.phase !== 'idle' ? currentPart : this.lastRecordingPath,
        bytes: this.phase !== 'idle' ? bytes : this.lastRecordingPath ? (statSync(this.lastRecordingPath, { throwIfNoEntry: false })?.size ?? 0) : 0,
        folder: this.recordingFolder,
      },
      audioInput: { ...this.audioHealth },
      videoSource: this.video.kind,
      encodes: (status?.encodes ?? []).map((encode) => ({
        id: encode.id,
        width: encode.profile.width,
        height: encode.profile.height,
        fps: encode.fps,
        speed: encode.speed,
        droppedFrames: encode.droppedFrames,
        targetIds: encode.targetIds,
        failed: encode.failed,
        encodedFps: encode.encodedFps,
        overloaded: encode.overloaded,
        overloadReason: encode.overloadReason,
        remedy: encode.remedy ? { step: encode.remedy.step, description: encode.remedy.description } : null,
        droppedFramesByCause: encode.droppedFramesByCause,
      })),
    };
  }

  private emitStatus(): void {
    this.options.listeners.targetStatus?.(this.targetStatuses());
    this.emitSetState();
  }

  private emitSetState(): void {
    this.options.listeners.setState?.(this.setState());
  }

  private scheduleTick(): void {
    // The engine reports every second while running; this covers the set's own clock and the file size.
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = null;
      if (this.phase !== 'live') return;
      this.emitSetState();
      this.scheduleTick();
    }, 1000);
  }

  private requireEngine(): BroadcastEngine {
    if (!this.engine || this.phase !== 'live') throw new MixdeckError('conflict', 'No set is live.');
    return this.engine;
  }
}

function fingerprint(target: StreamTarget): string {
  return JSON.stringify([target.platform, target.server ?? null, target.streamKey.trim(), target.profile ?? {}]);
}

function engineVideo(video: BroadcastVideoSource): VideoSource {
  switch (video.kind) {
    case 'renderer':
      return { kind: 'webm', frameRate: video.frameRate, shapes: video.shapes };
    case 'card':
      return video.imagePath ? { kind: 'card', imagePath: video.imagePath, color: '0x101418' } : { kind: 'none', color: '0x101418' };
    case 'visualizer':
      return { kind: 'visualizer', style: video.style ?? 'waves' };
    case 'testsrc':
      return { kind: 'testsrc2' };
    case 'none':
      return { kind: 'none' };
  }
}

export function joinRecordingFolder(dataDir: string): string {
  return join(dataDir, 'recordings');
}
