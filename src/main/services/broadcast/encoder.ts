import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log/logger';
import { spawnTied } from '../media/child-lifetime';
import type { Clock } from './clock';
import { LineSplitter, ProgressParser, parseLogLine, type ProgressBlock } from './ffmpeg-log';
import { FlvJoinCache, FlvTagReader, type FlvTag } from './flv';
import { EncodeHealthMonitor, type HealthChange } from './overload';
import {
  buildEncoderArgs,
  buildSplitEncoderArgs,
  formatCommand,
  PCM_BYTES_PER_FRAME,
  PCM_SAMPLE_RATE,
  PROGRESS_PIPE_FD,
  VIDEO_PIPE_FD,
  type AudioSource,
  type VideoPacing,
  type VideoSource,
} from './plan';
import type { EncodeProfile } from './presets';
import { WebmJoin } from './webm';

/** What an encoder hands every tag to. */
export interface TagSubscriber {
  onTag(tag: FlvTag): void;
  /** The encoder has a keyframe and the codec configuration: a pusher can join now. */
  onEncoderReady(): void;
  /** The encoder's stream ended (stopped or crashed): what was joined is over. */
  onEncoderEnded(): void;
}

export interface EncoderStats {
  fps: number;
  speed: number;
  frames: number;
  droppedFrames: number;
  duplicatedFrames: number;
  outTimeSec: number;
  /** PCM the encoder could not take in time and that was dropped, in milliseconds. */
  audioDroppedMs: number;
}

export interface EncoderOptions {
  id: string;
  ffmpegPath: string;
  profile: EncodeProfile;
  audio: AudioSource;
  video: VideoSource;
  recordingPath?: string;
  logger: Logger;
  clock: Clock;
  mask: (text: string) => string;
  /** How video is paced (default `wall-clock`: late frames dropped; see plan.ts). */
  pacing?: VideoPacing;
  /** Encode as two processes, picture and sound apart (plan.ts, buildSplitEncoderArgs). */
  split?: boolean;
  /** Shared across encoders so one started mid-set can join the renderer's WebM. */
  webmJoin?: WebmJoin;
  onExit: (encoder: Encoder, expected: boolean, detail: string) => void;
  /** The encoder fell behind real time, or caught up again. */
  onHealthChange?: (encoder: Encoder, change: Exclude<HealthChange, null>) => void;
}

/** Past this much PCM waiting in ffmpeg's stdin, new PCM is dropped (counted): main must not hold the set in memory. */
const MAX_AUDIO_BACKLOG_MS = 30_000;
const STOP_GRACE_MS = 8000;
/** At most this long to let ffmpeg take in the sound still waiting in its pipe when the set ends. */
const AUDIO_DRAIN_MAX_MS = 4000;
/** About 2 s of PCM: the visualizer's copy of the sound is dropped past it. */
const VISUALIZER_BACKLOG_BYTES = 2 * PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME;
/** The renderer's WebM counts as missing after this long without a chunk (MediaRecorder sends several a second). */
const RENDERER_STALL_MS = 1000;
/** After this long without a chunk the page's picture is taken as gone: its last frame is held (plan.ts). */
const RENDERER_GONE_MS = 4000;

/** One ffmpeg encoding one profile, its FLV split into tags for the pushers. */
export class Encoder {
  readonly id: string;
  readonly profile: EncodeProfile;
  readonly recordingPath: string | undefined;
  readonly cache = new FlvJoinCache();
  private readonly reader = new FlvTagReader();
  private readonly subscribers = new Set<TagSubscriber>();
  private readonly options: EncoderOptions;
  /** The muxer (sound, outputs) when the encode is split, else the one ffmpeg. */
  private child: ChildProcess | null = null;
  /** The video process (x264) of a split encode. */
  private videoChild: ChildProcess | null = null;
  private stopping = false;
  private exited = false;
  private exitPromise: Promise<void> = Promise.resolve();
  private videoJoined: boolean;
  private lastErrors: string[] = [];
  lastTagAt = 0;
  startedAt = 0;
  ready = false;
  stats: EncoderStats = { fps: 0, speed: 0, frames: 0, droppedFrames: 0, duplicatedFrames: 0, outTimeSec: 0, audioDroppedMs: 0 };
  readonly health: EncodeHealthMonitor;
  private lastVideoChunkAt = 0;
  private lastProgressAt = 0;
  private rendererMissingFrames = 0;
  private pcmWrittenBytes = 0;
  /** Main ended the page's picture (the renderer went silent): the video process's exit is expected. */
  private rendererGone = false;
  /** The page's WebM has reached this encoder at least once. */
  private videoJoinedOnce = false;

  constructor(options: EncoderOptions) {
    this.options = options;
    this.id = options.id;
    this.profile = options.profile;
    this.recordingPath = options.recordingPath;
    this.health = new EncodeHealthMonitor(options.profile);
    // An encoder that starts with the renderer's stream sees its header itself.
    this.videoJoined = !options.webmJoin?.header;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The video process of a split encode (x264 runs there). */
  get videoPid(): number | undefined {
    return this.videoChild?.pid;
  }

  get running(): boolean {
    return this.child !== null && !this.exited;
  }

  get usesStdin(): boolean {
    return this.options.audio.kind === 'pcm';
  }

  subscribe(subscriber: TagSubscriber): void {
    this.subscribers.add(subscriber);
    if (this.ready) subscriber.onEncoderReady();
  }

  unsubscribe(subscriber: TagSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  start(): void {
    const { ffmpegPath, logger, clock, mask } = this.options;
    const split = this.options.split === true;
    let child: ChildProcess;
    if (split) {
      const command = buildSplitEncoderArgs({ profile: this.profile, audio: this.options.audio, video: this.options.video, recordingPath: this.recordingPath });
      logger.info('encoder starting', {
        encode: this.id,
        video: mask(formatCommand(ffmpegPath, command.video.args)),
        mux: mask(formatCommand(ffmpegPath, command.mux.args)),
      });
      const videoStdio: ('pipe' | 'ignore')[] = [command.video.usesStdin ? 'pipe' : 'ignore', 'pipe', 'pipe', command.video.usesVideoPipe ? 'pipe' : 'ignore', 'pipe'];
      const videoChild = spawnTied(ffmpegPath, command.video.args, { stdio: videoStdio, windowsHide: true });
      this.videoChild = videoChild;
      videoChild.stdin?.on('error', () => undefined);
      (videoChild.stdio[VIDEO_PIPE_FD] as Writable | null)?.on('error', () => undefined);
      this.readLog(videoChild, 'video');
      this.readProgress(videoChild, (block) => {
        this.stats = {
          ...this.stats,
          fps: block.fps ?? this.stats.fps,
          frames: block.frame ?? this.stats.frames,
          droppedFrames: block.dropFrames ?? this.stats.droppedFrames,
          duplicatedFrames: block.dupFrames ?? this.stats.duplicatedFrames,
        };
      });
      // The H.264 goes from the video process straight into the muxer: main never touches it.
      const muxStdio: ('pipe' | 'ignore' | Readable)[] = [command.mux.usesStdin ? 'pipe' : 'ignore', 'pipe', 'pipe', videoChild.stdout!, 'pipe'];
      child = spawnTied(ffmpegPath, command.mux.args, { stdio: muxStdio, windowsHide: true });
      // The muxer has its own copy of the pipe's read end; main's copy must never read from it.
      videoChild.stdout!.destroy();
      this.readProgress(child, (block) => {
        this.stats = {
          ...this.stats,
          speed: block.speed ?? this.stats.speed,
          outTimeSec: block.outTimeUs !== undefined ? block.outTimeUs / 1e6 : this.stats.outTimeSec,
        };
        this.observeHealth();
      });
    } else {
      const command = buildEncoderArgs({
        profile: this.profile,
        audio: this.options.audio,
        video: this.options.video,
        recordingPath: this.recordingPath,
        pacing: this.options.pacing,
      });
      logger.info('encoder starting', { encode: this.id, command: mask(formatCommand(ffmpegPath, command.args)) });
      const stdio: ('pipe' | 'ignore')[] = ['ignore', 'pipe', 'pipe', 'ignore', 'pipe'];
      if (command.usesStdin) stdio[0] = 'pipe';
      if (command.usesVideoPipe) stdio[VIDEO_PIPE_FD] = 'pipe';
      // Tied to main: its PCM pipe closing does not end an encode whose picture is generated.
      child = spawnTied(ffmpegPath, command.args, { stdio, windowsHide: true });
      this.readProgress(child, (block) => {
        this.stats = {
          ...this.stats,
          fps: block.fps ?? this.stats.fps,
          speed: block.speed ?? this.stats.speed,
          frames: block.frame ?? this.stats.frames,
          droppedFrames: block.dropFrames ?? this.stats.droppedFrames,
          duplicatedFrames: block.dupFrames ?? this.stats.duplicatedFrames,
          outTimeSec: block.outTimeUs !== undefined ? block.outTimeUs / 1e6 : this.stats.outTimeSec,
        };
        this.observeHealth();
      });
    }
    this.child = child;
    this.startedAt = clock.now();
    this.lastVideoChunkAt = this.startedAt;
    this.lastProgressAt = this.startedAt;

    child.stdin?.on('error', () => undefined);
    (this.videoInput as Writable | null)?.on('error', () => undefined);
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.readLog(child, split ? 'mux' : 'encoder');

    const videoChild = this.videoChild;
    const videoExited = videoChild
      ? new Promise<void>((resolve) => {
          videoChild.once('error', () => resolve());
          videoChild.once('close', (code, signal) => {
            // Without its picture the muxer would go on with sound alone: end both, the engine starts a new pair.
            // (Unless main ended the page's picture itself: then the sound goes on alone, as it should.)
            if (!this.stopping && !this.exited && !this.rendererGone) {
              this.lastErrors = [...this.lastErrors.slice(-4), `the video encoder stopped (${signal ?? `code ${code}`})`];
              this.kill();
            }
            resolve();
          });
        })
      : Promise.resolve();
    this.exitPromise = new Promise<void>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
        if (this.exited) return;
        this.exited = true;
        this.ready = false;
        if (videoChild && videoChild.exitCode === null && videoChild.signalCode === null) videoChild.kill('SIGKILL');
        const detail = spawnError
          ? `ffmpeg could not start: ${spawnError.message}`
          : signal
            ? `ffmpeg was stopped by ${signal}`
            : `ffmpeg exited with code ${code}${this.lastErrors.length > 0 ? `: ${this.lastErrors[this.lastErrors.length - 1]}` : ''}`;
        logger.info('encoder ended', { encode: this.id, code, signal, expected: this.stopping });
        void videoExited.then(() => {
          for (const subscriber of [...this.subscribers]) subscriber.onEncoderEnded();
          this.options.onExit(this, this.stopping, detail);
          resolve();
        });
      };
      child.once('error', (error) => finish(null, null, error));
      child.once('close', (code, signal) => finish(code, signal));
    });
  }

  /** Where the renderer's WebM goes: the video process when the encode is split, else the one ffmpeg. */
  private get videoInput(): Writable | null {
    return ((this.videoChild ?? this.child)?.stdio[VIDEO_PIPE_FD] as Writable | null | undefined) ?? null;
  }

  private readLog(child: ChildProcess, part: string): void {
    const { logger, mask } = this.options;
    const lines = new LineSplitter();
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      for (const raw of lines.push(text)) {
        const line = parseLogLine(raw);
        const message = mask(raw);
        // Closing the input pipes at the end makes the demuxers complain; that is the end, not a fault.
        if ((line.level === 'error' || line.level === 'fatal' || line.level === 'warning') && !this.stopping) {
          logger.warn('encoder says', { encode: this.id, part, line: message });
          if (line.level !== 'warning') this.lastErrors = [...this.lastErrors.slice(-4), mask(line.message)];
        } else logger.debug('encoder says', { encode: this.id, part, line: message });
      }
    });
  }

  private readProgress(child: ChildProcess, onBlock: (block: ProgressBlock) => void): void {
    const progress = new ProgressParser();
    const progressPipe = child.stdio[PROGRESS_PIPE_FD] as Readable;
    progressPipe.setEncoding('utf8');
    progressPipe.on('data', (text: string) => {
      for (const block of progress.push(text)) onBlock(block);
    });
  }

  private observeHealth(): void {
    const now = this.options.clock.now();
    if (this.usesVideoPipe) {
      // Frames the page never sent are the renderer's, not the encoder's, to answer for.
      const missingFrom = Math.max(this.lastProgressAt, this.lastVideoChunkAt + RENDERER_STALL_MS);
      if (now > missingFrom) this.rendererMissingFrames += ((now - missingFrom) / 1000) * this.profile.fps;
    }
    this.lastProgressAt = now;
    const input = this.videoInput;
    if (this.videoChild && input && !input.writableEnded && this.videoJoinedOnce && now - this.lastVideoChunkAt > RENDERER_GONE_MS) {
      // The muxer interleaves sound with picture: a picture that merely stalls would hold the
      // sound back. Ended, the video stream finishes (players hold its last frame) and the sound
      // goes on alone to the end of the set.
      this.options.logger.warn('the renderer stopped sending its picture; the set goes on with sound only', { encode: this.id, silentMs: now - this.lastVideoChunkAt });
      this.rendererGone = true;
      input.end();
    }
    const change = this.health.observe({
      atMs: now,
      frames: this.stats.frames,
      outTimeSec: this.stats.outTimeSec,
      rendererMissingFrames: this.rendererMissingFrames,
    });
    if (change) {
      const health = this.health.health();
      const fields = { encode: this.id, encodedFps: health.encodedFps, speed: health.speed };
      if (change === 'overloaded') this.options.logger.warn('encoder overloaded', fields);
      else this.options.logger.info('encoder caught up', fields);
      this.options.onHealthChange?.(this, change);
    }
  }

  private get usesVideoPipe(): boolean {
    return this.options.video.kind === 'webm';
  }

  private onData(chunk: Buffer): void {
    let tags: FlvTag[];
    try {
      tags = this.reader.push(chunk);
    } catch (error) {
      this.options.logger.error('encoder output unreadable', { encode: this.id, error });
      this.kill();
      return;
    }
    if (tags.length === 0) return;
    if (!this.cache.fileHeader) this.cache.fileHeader = this.reader.fileHeader;
    this.lastTagAt = this.options.clock.now();
    for (const tag of tags) {
      this.cache.remember(tag);
      if (!this.ready && this.cache.ready) {
        this.ready = true;
        this.options.logger.info('encoder ready', { encode: this.id, afterMs: this.lastTagAt - this.startedAt });
        for (const subscriber of [...this.subscribers]) subscriber.onEncoderReady();
      }
      for (const subscriber of this.subscribers) subscriber.onTag(tag);
    }
  }

  /** PCM s16le 48 kHz stereo. Dropped (and counted) when ffmpeg falls more than 30 s behind. */
  writeAudio(pcm: Buffer): void {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited || this.stopping || stdin.destroyed) return;
    const backlogMs = (stdin.writableLength / (PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME)) * 1000;
    if (backlogMs > MAX_AUDIO_BACKLOG_MS) {
      this.stats.audioDroppedMs += (pcm.length / (PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME)) * 1000;
      return;
    }
    stdin.write(pcm);
    this.pcmWrittenBytes += pcm.length;
    // The visualizer's own copy of the sound only draws the picture: it may be dropped when behind.
    const drawing = this.videoChild?.stdin;
    if (drawing && !drawing.destroyed && drawing.writableLength < VISUALIZER_BACKLOG_BYTES) drawing.write(pcm);
  }

  /** A chunk of the renderer's WebM. */
  writeVideo(chunk: Buffer): void {
    const pipe = this.videoInput;
    if (!pipe || this.exited || this.stopping || pipe.destroyed || pipe.writableEnded) return;
    this.lastVideoChunkAt = this.options.clock.now();
    if (!this.videoJoined) {
      const header = this.options.webmJoin?.header;
      const at = WebmJoin.clusterStart(chunk);
      if (!header || at < 0) return;
      pipe.write(header);
      chunk = chunk.subarray(at);
      this.videoJoined = true;
    }
    pipe.write(chunk);
    this.videoJoinedOnce = true;
  }

  /** Graceful: end the pipes and interrupt, so ffmpeg finishes the recording's index; kill if it hangs. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.child || this.exited) return this.exitPromise;
    this.stopping = true;
    this.child.stdin?.end();
    this.videoInput?.end();
    const timer = this.options.clock.setTimeout(() => this.kill(), graceMs);
    const videoChild = this.videoChild;
    if (videoChild) {
      // The video process finishes its frames and closes the pipe; with the sound ended too, the
      // muxer reads what is left of both, writes the recording's index and exits by itself.
      videoChild.stdin?.end();
      if (videoChild.exitCode === null && videoChild.signalCode === null) {
        const videoEnded = new Promise<void>((resolve) => videoChild.once('close', () => resolve()));
        videoChild.kill('SIGINT');
        await videoEnded;
      }
      if (!this.usesStdin && !this.exited) this.child.kill('SIGINT');
    } else {
      await this.drainAudio();
      this.child.kill('SIGINT');
    }
    await this.exitPromise;
    this.options.clock.clearTimeout(timer);
  }

  /**
   * The set's last seconds of sound may still wait in the pipe (an encoder running behind): let
   * ffmpeg read them before it is interrupted, so the recording ends where the set did. Bounded,
   * so a hung encoder still stops.
   */
  private async drainAudio(): Promise<void> {
    if (!this.usesStdin || this.pcmWrittenBytes === 0) return;
    const writtenSec = this.pcmWrittenBytes / (PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME);
    const deadline = this.options.clock.now() + AUDIO_DRAIN_MAX_MS;
    while (!this.exited && this.stats.outTimeSec < writtenSec - 0.05 && this.options.clock.now() < deadline) {
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, 50));
    }
  }

  kill(): void {
    if (this.child && !this.exited) this.child.kill('SIGKILL');
    const videoChild = this.videoChild;
    if (videoChild && videoChild.exitCode === null && videoChild.signalCode === null) videoChild.kill('SIGKILL');
  }

  whenExited(): Promise<void> {
    return this.exitPromise;
  }
}
