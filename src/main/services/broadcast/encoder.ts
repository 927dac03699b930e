import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log/logger';
import { spawnTied } from '../media/child-lifetime';
import type { Clock } from './clock';
import { LineSplitter, ProgressParser, parseLogLine } from './ffmpeg-log';
import { FlvJoinCache, FlvTagReader, type FlvTag } from './flv';
import {
  buildEncoderArgs,
  formatCommand,
  PCM_BYTES_PER_FRAME,
  PCM_SAMPLE_RATE,
  PROGRESS_PIPE_FD,
  VIDEO_PIPE_FD,
  type AudioSource,
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
  /** Shared across encoders so one started mid-set can join the renderer's WebM. */
  webmJoin?: WebmJoin;
  onExit: (encoder: Encoder, expected: boolean, detail: string) => void;
}

const MAX_AUDIO_BACKLOG_MS = 2000;
const STOP_GRACE_MS = 8000;

/** One ffmpeg encoding one profile, its FLV split into tags for the pushers. */
export class Encoder {
  readonly id: string;
  readonly profile: EncodeProfile;
  readonly recordingPath: string | undefined;
  readonly cache = new FlvJoinCache();
  private readonly reader = new FlvTagReader();
  private readonly subscribers = new Set<TagSubscriber>();
  private readonly options: EncoderOptions;
  private child: ChildProcess | null = null;
  private stopping = false;
  private exited = false;
  private exitPromise: Promise<void> = Promise.resolve();
  private videoJoined: boolean;
  private lastErrors: string[] = [];
  lastTagAt = 0;
  startedAt = 0;
  ready = false;
  stats: EncoderStats = { fps: 0, speed: 0, frames: 0, droppedFrames: 0, duplicatedFrames: 0, outTimeSec: 0, audioDroppedMs: 0 };

  constructor(options: EncoderOptions) {
    this.options = options;
    this.id = options.id;
    this.profile = options.profile;
    this.recordingPath = options.recordingPath;
    // An encoder that starts with the renderer's stream sees its header itself.
    this.videoJoined = !options.webmJoin?.header;
  }

  get pid(): number | undefined {
    return this.child?.pid;
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
    const command = buildEncoderArgs({
      profile: this.profile,
      audio: this.options.audio,
      video: this.options.video,
      recordingPath: this.recordingPath,
    });
    logger.info('encoder starting', { encode: this.id, command: mask(formatCommand(ffmpegPath, command.args)) });
    const stdio: ('pipe' | 'ignore')[] = ['ignore', 'pipe', 'pipe', 'ignore', 'pipe'];
    if (command.usesStdin) stdio[0] = 'pipe';
    if (command.usesVideoPipe) stdio[VIDEO_PIPE_FD] = 'pipe';
    stdio[PROGRESS_PIPE_FD] = 'pipe';
    // Tied to main: its PCM pipe closing does not end an encode whose picture is generated.
    const child = spawnTied(ffmpegPath, command.args, { stdio, windowsHide: true });
    this.child = child;
    this.startedAt = clock.now();

    child.stdin?.on('error', () => undefined);
    (child.stdio[VIDEO_PIPE_FD] as Writable | null)?.on('error', () => undefined);

    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));

    const lines = new LineSplitter();
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      for (const raw of lines.push(text)) {
        const line = parseLogLine(raw);
        const message = mask(raw);
        // Closing the input pipes at the end makes the demuxers complain; that is the end, not a fault.
        if ((line.level === 'error' || line.level === 'fatal' || line.level === 'warning') && !this.stopping) {
          logger.warn('encoder says', { encode: this.id, line: message });
          if (line.level !== 'warning') this.lastErrors = [...this.lastErrors.slice(-4), mask(line.message)];
        } else logger.debug('encoder says', { encode: this.id, line: message });
      }
    });

    const progress = new ProgressParser();
    const progressPipe = child.stdio[PROGRESS_PIPE_FD] as Readable;
    progressPipe.setEncoding('utf8');
    progressPipe.on('data', (text: string) => {
      for (const block of progress.push(text)) {
        this.stats = {
          ...this.stats,
          fps: block.fps ?? this.stats.fps,
          speed: block.speed ?? this.stats.speed,
          frames: block.frame ?? this.stats.frames,
          droppedFrames: block.dropFrames ?? this.stats.droppedFrames,
          duplicatedFrames: block.dupFrames ?? this.stats.duplicatedFrames,
          outTimeSec: block.outTimeUs !== undefined ? block.outTimeUs / 1e6 : this.stats.outTimeSec,
        };
      }
    });

    this.exitPromise = new Promise<void>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
        if (this.exited) return;
        this.exited = true;
        this.ready = false;
        const detail = spawnError
          ? `ffmpeg could not start: ${spawnError.message}`
          : signal
            ? `ffmpeg was stopped by ${signal}`
            : `ffmpeg exited with code ${code}${this.lastErrors.length > 0 ? `: ${this.lastErrors[this.lastErrors.length - 1]}` : ''}`;
        logger.info('encoder ended', { encode: this.id, code, signal, expected: this.stopping });
        for (const subscriber of [...this.subscribers]) subscriber.onEncoderEnded();
        this.options.onExit(this, this.stopping, detail);
        resolve();
      };
      child.once('error', (error) => finish(null, null, error));
      child.once('close', (code, signal) => finish(code, signal));
    });
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

  /** PCM s16le 48 kHz stereo. Dropped (and counted) when ffmpeg falls more than 2 s behind. */
  writeAudio(pcm: Buffer): void {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited || this.stopping || stdin.destroyed) return;
    const backlogMs = (stdin.writableLength / (PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME)) * 1000;
    if (backlogMs > MAX_AUDIO_BACKLOG_MS) {
      this.stats.audioDroppedMs += (pcm.length / (PCM_SAMPLE_RATE * PCM_BYTES_PER_FRAME)) * 1000;
      return;
    }
    stdin.write(pcm);
  }

  /** A chunk of the renderer's WebM. */
  writeVideo(chunk: Buffer): void {
    const pipe = this.child?.stdio[VIDEO_PIPE_FD] as Writable | null | undefined;
    if (!pipe || this.exited || this.stopping || pipe.destroyed) return;
    if (!this.videoJoined) {
      const header = this.options.webmJoin?.header;
      const at = WebmJoin.clusterStart(chunk);
      if (!header || at < 0) return;
      pipe.write(header);
      chunk = chunk.subarray(at);
      this.videoJoined = true;
    }
    pipe.write(chunk);
  }

  /** Graceful: end the pipes and interrupt, so ffmpeg finishes the recording's index; kill if it hangs. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.child || this.exited) return this.exitPromise;
    this.stopping = true;
    this.child.stdin?.end();
    (this.child.stdio[VIDEO_PIPE_FD] as Writable | null)?.end();
    this.child.kill('SIGINT');
    const timer = this.options.clock.setTimeout(() => this.kill(), graceMs);
    await this.exitPromise;
    this.options.clock.clearTimeout(timer);
  }

  kill(): void {
    if (this.child && !this.exited) this.child.kill('SIGKILL');
  }

  whenExited(): Promise<void> {
    return this.exitPromise;
  }
}
