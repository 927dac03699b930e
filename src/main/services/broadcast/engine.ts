import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MixdeckError } from '../../../shared/contract';
import type { Logger } from '../log/logger';
import { spawnTied } from '../media/child-lifetime';
import { systemClock, type Clock } from './clock';
import { Encoder } from './encoder';
import { degradedReason, nextRemedy, type Remedy } from './overload';
import { buildRemuxArgs, profileKey, redactArgs, SINGLE_VIDEO_STREAM, videoStreamFor, type AudioSource, type SceneShape, type VideoPacing, type VideoSource } from './plan';
import { LANDSCAPE_PROFILE, PLATFORM_PRESETS, resolveTarget, validateTarget, type EncodeProfile, type StreamTarget } from './presets';
import { DEFAULT_BACKOFF_MS, TargetPusher, type TargetStatus } from './pusher';
import { WebmJoin } from './webm';

export type { TargetState, TargetStatus } from './pusher';

export interface BroadcastEngineOptions {
  ffmpegPath: string;
  logger: Logger;
  /** Where the set's recording goes. Created if missing. */
  recordDir: string;
  clock?: Clock;
  /** Waits between a target's reconnection attempts (default 1, 2, 4, 8, 10 s). */
  backoffMs?: readonly number[];
  stallTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Keep the crash-safe .mkv after the MP4 is made (default: removed once the MP4 checks out). */
  keepMatroska?: boolean;
  /** Apply the suggested remedy by itself when an encode is overloaded (default: only offered). */
  autoRemedy?: boolean;
  /** `every-frame` is the route before late frames were dropped, for benchmarks (default `wall-clock`). */
  videoPacing?: VideoPacing;
  /**
   * Each encode as two processes: x264 in one, the sound and the outputs in a muxer that never
   * waits for x264 (see plan.ts, buildSplitEncoderArgs). The route that keeps the sound whole and
   * the recording as long as the set under heavy overload; starts a few seconds slower.
   */
  splitEncoder?: boolean;
}

export interface RecordingOptions {
  enabled: boolean;
  /** Defaults to the first target's profile, so the recording costs no extra encode. */
  profile?: Partial<EncodeProfile>;
}

export interface BroadcastConfig {
  audio: AudioSource;
  video: VideoSource;
  targets: StreamTarget[];
  recording?: RecordingOptions;
}

export type EngineState = 'idle' | 'running' | 'stopping';

export interface EncodeStatus {
  id: string;
  profile: EncodeProfile;
  running: boolean;
  records: boolean;
  fps: number;
  speed: number;
  droppedFrames: number;
  duplicatedFrames: number;
  audioDroppedMs: number;
  /** Media time this encoder has produced (its part of the recording, when it records). */
  encodedSec: number;
  restarts: number;
  /** Why this encode gave up, when it did. */
  failed: string | null;
  targetIds: string[];
  /** Frames a second actually encoded over the last few seconds, against the profile's `fps`. */
  encodedFps: number;
  /** The encoder has been behind real time for a few seconds (video frames are being dropped, never audio). */
  overloaded: boolean;
  /** In words ("Encoding overloaded: the computer cannot encode 1280×720 at 30 fps fast enough…"); null when it keeps up. */
  overloadReason: string | null;
  /** What would make this encode cheaper, offered while it is overloaded (`applyRemedy`). */
  remedy: Remedy | null;
  /** Video frames that did not reach the viewers, by cause: this encoder behind, the renderer's WebM missing, each target's connection. */
  droppedFramesByCause: { encoder: number; renderer: number; network: number };
}

/** A target's status as the engine adds to it: what it should send, and whether it falls far short. */
export interface EngineTargetStatus extends TargetStatus {
  /** The encode's video + audio bitrate, what `bitrateKbps` should be near. */
  targetBitrateKbps: number;
  /** Live, but sending far below `targetBitrateKbps` (with why); null when it is not. */
  degraded: string | null;
}

export interface BroadcastStatus {
  state: EngineState;
  uptimeSec: number;
  targets: EngineTargetStatus[];
  encodes: EncodeStatus[];
  /** The Matroska files written so far (a new part after an encoder restart). */
  recordingParts: string[];
}

export interface RecordingResult {
  matroskaPath: string;
  /** Null when the remux failed; the .mkv is then kept. */
  mp4Path: string | null;
  error?: string;
}

export interface BroadcastSummary {
  durationSec: number;
  recordings: RecordingResult[];
}

export interface Disposable {
  dispose(): void;
}

interface EncoderSlot {
  id: string;
  profile: EncodeProfile;
  encoder: Encoder;
  records: boolean;
  restarts: number;
  /** Exits in a row that came soon after starting: a setup problem, not a hiccup. */
  quickFailures: number;
  /** Frames dropped by encoders this slot ran before the current one. */
  droppedBefore: { encoder: number; renderer: number };
  /** A remedy is being applied: the next encoder is warming up. */
  remedying: boolean;
  restartTimer: unknown;
  failed: string | null;
}

const TICK_MS = 1000;
const QUICK_FAILURE_MS = 5000;
const MAX_QUICK_FAILURES = 3;
/** How long an encoder started by a remedy may take to produce its first keyframe. */
const REMEDY_READY_TIMEOUT_MS = 20_000;

/**
 * Goes live everywhere at once. One encoder per distinct profile, whose FLV main fans out to one
 * independent copy-pusher per target (see README.md for why not one ffmpeg with tee): a target can
 * be added, removed, stopped or restarted, and reconnects by itself, without a dropped frame on
 * the others. The recording is written by the encoder itself, never through the network.
 */
export class BroadcastEngine {
  private readonly options: BroadcastEngineOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly secrets = new Set<string>();
  private readonly listeners = new Set<(status: BroadcastStatus) => void>();
  private readonly slots = new Map<string, EncoderSlot>();
  private readonly pushers = new Map<string, TargetPusher>();
  private readonly recordingParts: string[] = [];
  private state: EngineState = 'idle';
  private config: BroadcastConfig | null = null;
  private startedAt = 0;
  private recordingStem: string | null = null;
  private tickTimer: unknown = null;
  private emitQueued = false;
  /** The renderer's WebM streams (one per scene shape, or a single one), each remembered for encoders that join late. */
  private webmJoins = new Map<string, WebmJoin>();
  /** Encoders started by a remedy that do not carry the targets yet; they are fed too. */
  private readonly warming = new Set<Encoder>();

  constructor(options: BroadcastEngineOptions) {
    this.options = options;
    this.logger = options.logger.child('broadcast');
    this.clock = options.clock ?? systemClock;
  }

  // -- events and status ------------------------------------------------------------------------

  onDidChangeStatus(listener: (status: BroadcastStatus) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  getStatus(): BroadcastStatus {
    const targets = [...this.pushers.values()].map((pusher) => this.targetStatus(pusher.status()));
    const encodes = [...this.slots.values()].map((slot) => ({
      id: slot.id,
      profile: slot.profile,
      running: slot.encoder.running,
      records: slot.records,
      fps: slot.encoder.stats.fps,
      speed: slot.encoder.stats.speed,
      droppedFrames: slot.encoder.stats.droppedFrames,
      duplicatedFrames: slot.encoder.stats.duplicatedFrames,
      audioDroppedMs: Math.round(slot.encoder.stats.audioDroppedMs),
      encodedSec: slot.encoder.stats.outTimeSec,
      restarts: slot.restarts,
      failed: slot.failed,
      targetIds: targets.filter((target) => target.encodeId === slot.id).map((target) => target.id),
      ...this.encodeHealth(slot, targets),
    }));
    return {
      state: this.state,
      uptimeSec: this.state === 'running' ? (this.clock.now() - this.startedAt) / 1000 : 0,
      targets,
      encodes,
      recordingParts: [...this.recordingParts],
    };
  }

  private targetStatus(status: TargetStatus): EngineTargetStatus {
    const slot = this.slots.get(status.encodeId);
    const targetBitrateKbps = slot ? slot.profile.videoBitrateKbps + slot.profile.audioBitrateKbps : 0;
    // The bitrate is measured over 5 s: judge it once the target has been live that long.
    const judged = status.state === 'live' && status.uptimeSec >= 6;
    const degraded = judged ? degradedReason(status.label, status.bitrateKbps, targetBitrateKbps, slot?.encoder.health.health().overloaded ?? false) : null;
    return { ...status, targetBitrateKbps, degraded };
  }

  private encodeHealth(
    slot: EncoderSlot,
    targets: readonly EngineTargetStatus[],
  ): Pick<EncodeStatus, 'encodedFps' | 'overloaded' | 'overloadReason' | 'remedy' | 'droppedFramesByCause'> {
    const health = slot.encoder.health.health();
    const network = targets.filter((target) => target.encodeId === slot.id).reduce((sum, target) => sum + target.droppedFrames, 0);
    return {
      encodedFps: health.encodedFps,
      overloaded: health.overloaded,
      overloadReason: health.reason,
      remedy: health.remedy,
      droppedFramesByCause: {
        encoder: slot.droppedBefore.encoder + health.encoderDroppedFrames,
        renderer: slot.droppedBefore.renderer + health.rendererMissingFrames,
        network,
      },
    };
  }

  /** Process ids, for diagnostics (and for tests that pull the plug). */
  processIds(): { encoders: number[]; videoEncoders: number[]; targets: Record<string, number | undefined> } {
    return {
      encoders: [...this.slots.values()].map((slot) => slot.encoder.pid).filter((pid): pid is number => pid !== undefined),
      videoEncoders: [...this.slots.values()].map((slot) => slot.encoder.videoPid).filter((pid): pid is number => pid !== undefined),
      targets: Object.fromEntries([...this.pushers].map(([id, pusher]) => [id, pusher.pid])),
    };
  }

  // -- the set ----------------------------------------------------------------------------------

  async start(config: BroadcastConfig): Promise<void> {
    if (this.state !== 'idle') throw new MixdeckError('conflict', 'A broadcast is already running; stop it first.');
    const ids = new Set<string>();
    for (const target of config.targets) {
      if (ids.has(target.id)) throw new MixdeckError('invalid-input', `Two targets share the id "${target.id}".`);
      ids.add(target.id);
      this.check(target);
    }
    const recording = config.recording ?? { enabled: true };
    if (!recording.enabled && config.targets.length === 0) {
      throw new MixdeckError('invalid-input', 'Add a target or turn the recording on: there is nothing to broadcast to.');
    }
    checkSources(config.audio, config.video);
    checkFfmpeg(this.options.ffmpegPath);
    if (recording.enabled) {
      try {
        mkdirSync(this.options.recordDir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new MixdeckError('unavailable', `Mixdeck cannot write the recording to "${this.options.recordDir}": ${(error as Error).message}`);
      }
    }

    this.config = config;
    this.state = 'running';
    this.startedAt = this.clock.now();
    this.recordingParts.length = 0;
    this.recordingStem = `mixdeck-set-${new Date(this.startedAt).toISOString().replace(/[:.]/g, '-')}`;
    this.webmJoins = new Map(
      config.video.kind === 'webm' ? (config.video.shapes ?? [SINGLE_VIDEO_STREAM]).map((stream): [string, WebmJoin] => [stream, new WebmJoin()]) : [],
    );

    const resolved = config.targets.map((target) => resolveTarget(target));
    if (recording.enabled) {
      const profile = recording.profile
        ? { ...(resolved[0]?.profile ?? LANDSCAPE_PROFILE), ...definedOnly(recording.profile) }
        : (resolved[0]?.profile ?? LANDSCAPE_PROFILE);
      this.ensureSlot(profile, true);
    }
    this.logger.info('broadcast starting', {
      targets: resolved.map((target) => ({ id: target.id, platform: target.platform, host: target.host, encode: profileKey(target.profile) })),
      recording: recording.enabled,
    });
    for (const target of resolved) this.addPusher(target);
    this.scheduleTick();
    this.emitSoon();
  }

  async stop(): Promise<BroadcastSummary> {
    if (this.state !== 'running') return { durationSec: 0, recordings: [] };
    this.state = 'stopping';
    this.emitSoon();
    const durationSec = (this.clock.now() - this.startedAt) / 1000;
    if (this.tickTimer !== null) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = null;

    await Promise.all([...this.pushers.values()].map((pusher) => pusher.stop()));
    for (const slot of this.slots.values()) if (slot.restartTimer !== null) this.clock.clearTimeout(slot.restartTimer);
    await Promise.all([...this.slots.values()].map((slot) => slot.encoder.stop()));
    await Promise.all([...this.warming].map((encoder) => encoder.stop()));
    this.warming.clear();

    const recordings: RecordingResult[] = [];
    for (const part of this.recordingParts) recordings.push(await this.remux(part));

    for (const pusher of this.pushers.values()) pusher.detach();
    this.pushers.clear();
    this.slots.clear();
    this.config = null;
    this.state = 'idle';
    this.logger.info('broadcast stopped', { durationSec, recordings: recordings.map((recording) => recording.mp4Path ?? recording.matroskaPath) });
    this.emitSoon();
    return { durationSec, recordings };
  }

  /** PCM s16le 48 kHz stereo from the mixer, for `audio: { kind: 'pcm' }`. */
  writeAudio(pcm: Buffer): void {
    for (const slot of this.slots.values()) slot.encoder.writeAudio(pcm);
    for (const encoder of this.warming) encoder.writeAudio(pcm);
  }

  /** The renderer's MediaRecorder WebM chunks, for `video: { kind: 'webm' }`; with `shapes`, each to the encodes of its shape. */
  writeVideo(chunk: Buffer, shape?: SceneShape): void {
    const stream = shape ?? SINGLE_VIDEO_STREAM;
    this.webmJoins.get(stream)?.remember(chunk);
    const video = this.config?.video;
    if (!video) return;
    for (const slot of this.slots.values()) if (videoStreamFor(video, slot.profile) === stream) slot.encoder.writeVideo(chunk);
    for (const encoder of this.warming) if (videoStreamFor(video, encoder.profile) === stream) encoder.writeVideo(chunk);
  }

  // -- targets during the set ---------------------------------------------------------------------

  addTarget(target: StreamTarget): void {
    this.requireRunning();
    if (this.pushers.has(target.id)) throw new MixdeckError('conflict', `A target with the id "${target.id}" is already in the set.`);
    this.check(target);
    const resolved = resolveTarget(target);
    this.logger.info('target added', { target: resolved.id, platform: resolved.platform, host: resolved.host });
    this.addPusher(resolved);
    this.emitSoon();
  }

  async removeTarget(id: string): Promise<void> {
    const pusher = this.pusherOf(id);
    this.pushers.delete(id);
    await pusher.stop();
    pusher.detach();
    this.logger.info('target removed', { target: id });
    await this.releaseUnusedSlots();
    this.emitSoon();
  }

  /** Stop one target; it stays in the set, idle, until restarted. */
  async stopTarget(id: string): Promise<void> {
    await this.pusherOf(id).stop();
    this.emitSoon();
  }

  /** Connect one target again now (after a fixed key, a failure, or a stop). */
  async restartTarget(id: string): Promise<void> {
    this.requireRunning();
    const pusher = this.pusherOf(id);
    const slot = [...this.slots.values()].find((candidate) => candidate.id === pusher.encodeId);
    if (slot?.failed) {
      // The encoder behind it had given up: give it another chance too.
      slot.failed = null;
      slot.quickFailures = 0;
      this.replaceEncoder(slot);
    }
    await pusher.restart();
    this.emitSoon();
  }

  // -- internals --------------------------------------------------------------------------------

  private check(target: StreamTarget): void {
    if (target.streamKey) {
      this.secrets.add(target.streamKey.trim());
      this.options.logger.redactor.addSecret(target.streamKey.trim());
    }
    const errors = validateTarget(target).filter((problem) => problem.severity === 'error');
    const first = errors[0];
    if (first) {
      const label = target.label?.trim() || PLATFORM_PRESETS[target.platform]?.name || 'This target';
      throw new MixdeckError(
        'invalid-input',
        first.message.startsWith(label) ? first.message : `${label}: ${first.message}`,
        errors.map((problem) => ({ path: `targets.${target.id}.${problem.field}`, message: problem.message })),
      );
    }
  }

  private readonly mask = (text: string): string => redactArgs([text], [...this.secrets])[0]!;

  private requireRunning(): void {
    if (this.state !== 'running') throw new MixdeckError('conflict', 'No broadcast is running.');
  }

  private pusherOf(id: string): TargetPusher {
    const pusher = this.pushers.get(id);
    if (!pusher) throw new MixdeckError('not-found', `There is no target "${id}" in this set.`);
    return pusher;
  }

  private addPusher(target: ReturnType<typeof resolveTarget>): void {
    const slot = this.ensureSlot(target.profile, false);
    const pusher = new TargetPusher({
      target,
      ffmpegPath: this.options.ffmpegPath,
      logger: this.logger.child(target.id),
      clock: this.clock,
      mask: this.mask,
      onChange: () => this.emitSoon(),
      backoffMs: this.options.backoffMs ?? DEFAULT_BACKOFF_MS,
      stallTimeoutMs: this.options.stallTimeoutMs,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    this.pushers.set(target.id, pusher);
    pusher.attach(slot.encoder);
    pusher.start();
  }

  private ensureSlot(profile: EncodeProfile, records: boolean): EncoderSlot {
    const id = profileKey(profile);
    const existing = this.slots.get(id);
    if (existing) {
      if (records && !existing.records) throw new Error('The recording must be planned before the targets');
      return existing;
    }
    const slot: EncoderSlot = {
      id,
      profile,
      records,
      restarts: 0,
      quickFailures: 0,
      restartTimer: null,
      failed: null,
      droppedBefore: { encoder: 0, renderer: 0 },
      remedying: false,
      encoder: this.newEncoder(id, profile, records),
    };
    this.slots.set(id, slot);
    slot.encoder.start();
    return slot;
  }

  private newEncoder(id: string, profile: EncodeProfile, records: boolean): Encoder {
    const config = this.config!;
    let recordingPath: string | undefined;
    if (records) {
      const part = this.recordingParts.length + 1;
      recordingPath = join(this.options.recordDir, `${this.recordingStem}${part > 1 ? `-part${part}` : ''}.mkv`);
      this.recordingParts.push(recordingPath);
    }
    return new Encoder({
      id,
      ffmpegPath: this.options.ffmpegPath,
      profile,
      audio: config.audio,
      video: config.video,
      recordingPath,
      logger: this.logger.child(`encode:${id}`),
      clock: this.clock,
      mask: this.mask,
      webmJoin: this.webmJoins.get(videoStreamFor(config.video, profile)),
      onExit: (encoder, expected, detail) => this.onEncoderExit(encoder, expected, detail),
      onHealthChange: (encoder, change) => this.onEncoderHealthChange(encoder, change),
      pacing: this.options.videoPacing,
      split: this.options.splitEncoder,
    });
  }

  /** An encoder died mid-set: start a new one (a new recording part) with backoff; its targets rejoin. */
  private onEncoderExit(encoder: Encoder, expected: boolean, detail: string): void {
    const slot = this.slots.get(encoder.id);
    if (expected || this.state !== 'running' || !slot || slot.encoder !== encoder) return;
    slot.quickFailures = this.clock.now() - encoder.startedAt < QUICK_FAILURE_MS ? slot.quickFailures + 1 : 0;
    if (slot.quickFailures >= MAX_QUICK_FAILURES) {
      // It cannot even start (a missing image, a broken input): retrying would only fill the log.
      slot.failed = `The encoder for ${slot.profile.width}×${slot.profile.height} keeps stopping: ${this.mask(detail)}`;
      this.logger.error('encoder gave up', { encode: slot.id, reason: slot.failed });
      for (const pusher of this.pushers.values()) if (pusher.encodeId === slot.id) pusher.fail(slot.failed);
      this.emitSoon();
      return;
    }
    const delay = DEFAULT_BACKOFF_MS[Math.min(slot.restarts, DEFAULT_BACKOFF_MS.length - 1)]!;
    slot.restarts++;
    this.logger.error('encoder stopped unexpectedly, restarting', { encode: slot.id, detail: this.mask(detail), inMs: delay });
    slot.restartTimer = this.clock.setTimeout(() => {
      slot.restartTimer = null;
      if (this.state !== 'running' || this.slots.get(slot.id) !== slot) return;
      this.replaceEncoder(slot);
    }, delay);
    this.emitSoon();
  }

  private onEncoderHealthChange(encoder: Encoder, change: 'overloaded' | 'recovered'): void {
    const slot = this.slots.get(encoder.id);
    if (!slot || slot.encoder !== encoder || this.state !== 'running') return;
    if (change === 'overloaded' && this.options.autoRemedy && encoder.health.health().remedy) {
      void this.applyRemedy(slot.id).catch((error: unknown) => this.logger.error('remedy failed', { encode: slot.id, error }));
    }
    this.emitSoon();
  }

  /**
   * Makes an overloaded encode cheaper without ending the set: a new encoder with the suggested
   * profile starts beside the old one and is fed the same sound and picture; once it has a
   * keyframe, every target of the encode rejoins it and the old one finishes its recording part.
   * Targets see one quick re-publish (their ffmpeg joins the new stream's configuration).
   */
  async applyRemedy(encodeId: string): Promise<{ remedy: Remedy; profile: EncodeProfile }> {
    this.requireRunning();
    const slot = this.slots.get(encodeId);
    if (!slot) throw new MixdeckError('not-found', `There is no encode "${encodeId}" in this set.`);
    if (slot.remedying) throw new MixdeckError('conflict', 'A remedy for this encode is already being applied.');
    const remedy = slot.encoder.health.health().remedy ?? nextRemedy(slot.profile);
    if (!remedy) throw new MixdeckError('conflict', 'This encode is already as light as Mixdeck can make it.');
    slot.remedying = true;
    try {
      const old = slot.encoder;
      slot.profile = { ...slot.profile, ...remedy.changes };
      this.logger.info('applying remedy', { encode: slot.id, step: remedy.step, changes: remedy.changes });
      const next = this.newEncoder(slot.id, slot.profile, slot.records);
      const overloadedSince = old.health.health().overloadedSinceMs;
      if (overloadedSince !== null) next.health.inheritOverload(overloadedSince);
      this.warming.add(next);
      next.start();
      const deadline = this.clock.now() + REMEDY_READY_TIMEOUT_MS;
      while (!next.ready && next.running && this.clock.now() < deadline && this.state === 'running') await delay(100);
      this.warming.delete(next);
      if (!next.ready || this.state !== 'running') {
        await next.stop();
        throw new MixdeckError('unavailable', 'The encoder with the lighter settings did not start; the set goes on as it was.');
      }
      const oldHealth = old.health.health();
      slot.droppedBefore = {
        encoder: slot.droppedBefore.encoder + oldHealth.encoderDroppedFrames,
        renderer: slot.droppedBefore.renderer + oldHealth.rendererMissingFrames,
      };
      slot.encoder = next;
      for (const pusher of this.pushers.values()) {
        if (pusher.encodeId !== slot.id) continue;
        pusher.attach(next);
        const state = pusher.status().state;
        if (state !== 'idle' && state !== 'failed') await pusher.restart();
      }
      await old.stop();
      this.emitSoon();
      return { remedy, profile: slot.profile };
    } finally {
      slot.remedying = false;
    }
  }

  private replaceEncoder(slot: EncoderSlot): void {
    slot.encoder = this.newEncoder(slot.id, slot.profile, slot.records);
    for (const pusher of this.pushers.values()) if (pusher.encodeId === slot.id) pusher.attach(slot.encoder);
    slot.encoder.start();
    this.emitSoon();
  }

  /** An encode with no target left (and no recording) stops, freeing its CPU. */
  private async releaseUnusedSlots(): Promise<void> {
    const used = new Set([...this.pushers.values()].map((pusher) => pusher.encodeId));
    for (const slot of [...this.slots.values()]) {
      if (slot.records || used.has(slot.id)) continue;
      this.slots.delete(slot.id);
      if (slot.restartTimer !== null) this.clock.clearTimeout(slot.restartTimer);
      await slot.encoder.stop();
    }
  }

  private async remux(matroskaPath: string): Promise<RecordingResult> {
    const size = statSync(matroskaPath, { throwIfNoEntry: false })?.size ?? 0;
    if (size === 0) return { matroskaPath, mp4Path: null, error: 'The recording is empty.' };
    const mp4Path = matroskaPath.replace(/\.mkv$/, '.mp4');
    const args = buildRemuxArgs(matroskaPath, mp4Path);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawnTied(this.options.ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
      child.once('error', (error) => resolve({ code: null, stderr: error.message }));
      child.once('close', (code) => resolve({ code, stderr }));
    });
    const mp4Size = statSync(mp4Path, { throwIfNoEntry: false })?.size ?? 0;
    if (result.code !== 0 || mp4Size === 0) {
      const error = `The MP4 could not be made (${this.mask(result.stderr.trim().split('\n').pop() ?? 'unknown error')}); the .mkv is kept.`;
      this.logger.error('remux failed', { matroskaPath, error });
      return { matroskaPath, mp4Path: null, error };
    }
    if (!this.options.keepMatroska) unlinkSync(matroskaPath);
    return { matroskaPath, mp4Path };
  }

  private scheduleTick(): void {
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = null;
      if (this.state !== 'running') return;
      for (const pusher of this.pushers.values()) pusher.tick();
      this.emit();
      this.scheduleTick();
    }, TICK_MS);
  }

  private emitSoon(): void {
    if (this.emitQueued) return;
    this.emitQueued = true;
    queueMicrotask(() => {
      this.emitQueued = false;
      this.emit();
    });
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.getStatus();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.logger.error('status listener threw', { error });
      }
    }
  }
}

function checkSources(audio: AudioSource, video: VideoSource): void {
  if (audio.kind === 'file' && !statSync(audio.path, { throwIfNoEntry: false })?.isFile()) {
    throw new MixdeckError('invalid-input', `The audio file "${audio.path}" does not exist.`);
  }
  if (audio.kind === 'sine' && !(audio.frequencyHz > 0 && audio.frequencyHz < 24_000)) {
    throw new MixdeckError('invalid-input', 'A test tone needs a frequency between 0 and 24000 Hz.');
  }
  if (video.kind === 'card' && !statSync(video.imagePath, { throwIfNoEntry: false })?.isFile()) {
    throw new MixdeckError('invalid-input', `The card image "${video.imagePath}" does not exist.`);
  }
}

function checkFfmpeg(ffmpegPath: string): void {
  const result = spawnSync(ffmpegPath, ['-hide_banner', '-version'], { timeout: 10_000, windowsHide: true });
  if (result.error || result.status !== 0) {
    throw new MixdeckError('unavailable', `ffmpeg ("${ffmpegPath}") does not run, so Mixdeck cannot broadcast. Install ffmpeg or set FFMPEG_PATH.`);
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
