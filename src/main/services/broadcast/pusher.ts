import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Logger } from '../log/logger';
import { spawnTied } from '../media/child-lifetime';
import type { Clock } from './clock';
import type { Encoder, TagSubscriber } from './encoder';
import { LineSplitter, ProgressParser, PusherDiagnosis, parseLogLine, type LogLine, type PusherFailure } from './ffmpeg-log';
import { FLV_TAG_SCRIPT, tagHeaderWithTimestamp, type FlvTag } from './flv';
import { buildPusherArgs, formatCommand, PROGRESS_PIPE_FD } from './plan';
import type { ResolvedTarget } from './presets';
import { RtmpRelaySession, RtmpUrlError, type RelayEvent } from './rtmp-relay';

export type TargetState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface TargetStatus {
  id: string;
  platform: ResolvedTarget['platform'];
  label: string;
  /** The ingest host, never the key. */
  host: string;
  encodeId: string;
  state: TargetState;
  /** Why it is not live, in words; null when all is well. */
  reason: string | null;
  /** What reached the server over the last few seconds. */
  bitrateKbps: number;
  /** Video frames this target skipped because its connection could not keep up. */
  droppedFrames: number;
  /** Seconds since it last went live; 0 when not live. */
  uptimeSec: number;
  reconnects: number;
  /** When reconnecting: seconds until the next attempt. */
  nextRetryInSec: number | null;
  /** The platform ends a broadcast after this long (Facebook: 8 h). */
  maxDurationSec: number | null;
}

export interface PusherOptions {
  target: ResolvedTarget;
  ffmpegPath: string;
  logger: Logger;
  clock: Clock;
  mask: (text: string) => string;
  onChange: () => void;
  /** Waits between reconnection attempts; the last one repeats. */
  backoffMs?: readonly number[];
  /** Live but nothing reached the server for this long: reconnect. */
  stallTimeoutMs?: number;
  /** Not live this long after starting: give up on this attempt. */
  connectTimeoutMs?: number;
  /** Live this long: the next failure starts the backoff again from the first step. */
  stableAfterMs?: number;
}

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000, 10_000] as const;
const BITRATE_WINDOW_MS = 5000;
const STOP_GRACE_MS = 5000;
/** What the near-zero probe (the stream always starts with its configuration) makes ffmpeg say every time. */
const EXPECTED_WARNINGS = /not enough frames to estimate rate|Could not find codec parameters for stream \d+ \(Audio: aac/;
/** A key that worked earlier in the set may be refused briefly while the platform closes the old session. */
const REFUSALS_TOLERATED_AFTER_LIVE = 3;

interface Session {
  child: ChildProcess;
  /** The local relay this ffmpeg publishes to; it holds the real URL, ffmpeg never sees it. */
  relay: RtmpRelaySession;
  diagnosis: PusherDiagnosis;
  spawnedAt: number;
  sentBytes: number;
  lastGrowthAt: number;
  baseTimestampMs: number;
  joined: boolean;
  dropping: boolean;
  /** Why this session is ending, when Mixdeck ended it. */
  ending: 'user' | 'restart' | 'encoder' | null;
  killedFor: PusherFailure | null;
  exited: Promise<void>;
}

/**
 * One target: a `-c copy` ffmpeg that takes the encoder's FLV on stdin and publishes it. It
 * starts, stops, restarts and reconnects on its own, without touching the encoder or the other
 * targets. Only the FLV bytes this target has not taken in time are dropped, from a keyframe to
 * the next, so a slow link never slows anyone else.
 */
export class TargetPusher implements TagSubscriber {
  readonly target: ResolvedTarget;
  state: TargetState = 'idle';
  reason: string | null = null;
  reconnects = 0;
  droppedFrames = 0;
  liveSince: number | null = null;
  /** For the figures in the tests and logs: how long the latest (re)connection took to go live. */
  lastConnectMs: number | null = null;
  private readonly options: PusherOptions;
  private readonly backoffMs: readonly number[];
  private encoder: Encoder | null = null;
  private session: Session | null = null;
  private wanted = false;
  private attempt = 0;
  private refusalsAfterLive = 0;
  private everLive = false;
  private retryTimer: unknown = null;
  private nextRetryAt: number | null = null;
  private connectStartedAt: number | null = null;
  private bytesBeforeSession = 0;
  private samples: { at: number; bytes: number }[] = [];
  private readonly maxBufferedBytes: number;
  /** A relay is being opened for the next session. */
  private opening = false;

  constructor(options: PusherOptions) {
    this.options = options;
    this.target = options.target;
    this.backoffMs = options.backoffMs && options.backoffMs.length > 0 ? options.backoffMs : DEFAULT_BACKOFF_MS;
    const { videoBitrateKbps, audioBitrateKbps } = options.target.profile;
    // About three seconds of stream may wait in the pipe before this target starts skipping.
    this.maxBufferedBytes = Math.max(512 * 1024, ((videoBitrateKbps + audioBitrateKbps) * 1000 * 3) / 8);
  }

  get pid(): number | undefined {
    return this.session?.child.pid;
  }

  get encodeId(): string | null {
    return this.encoder?.id ?? null;
  }

  attach(encoder: Encoder): void {
    this.encoder?.unsubscribe(this);
    this.encoder = encoder;
    encoder.subscribe(this);
  }

  detach(): void {
    this.encoder?.unsubscribe(this);
    this.encoder = null;
  }

  /** Go live as soon as the encoder has a keyframe. */
  start(): void {
    this.wanted = true;
    this.attempt = 0;
    this.refusalsAfterLive = 0;
    this.clearRetry();
    this.connectStartedAt = this.options.clock.now();
    if (!this.session) this.spawnWhenReady();
  }

  /** Stop publishing; the target stays in the set, idle. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    const session = this.session;
    if (session) await this.endSession(session, 'user');
    this.setState('idle', null);
  }

  /** A fresh connection now, whatever the state (a failed key the user has fixed, a stuck link). */
  async restart(): Promise<void> {
    this.wanted = true;
    this.attempt = 0;
    this.refusalsAfterLive = 0;
    this.clearRetry();
    this.connectStartedAt = this.options.clock.now();
    const session = this.session;
    if (session) await this.endSession(session, 'restart');
    else this.spawnWhenReady();
  }

  /** Give up, with a reason, until restarted (the encoder behind it cannot run). */
  fail(reason: string): void {
    this.wanted = false;
    this.clearRetry();
    const session = this.session;
    if (session) this.kill(session, { kind: 'other', reason, retryable: false });
    this.setState('failed', reason);
  }

  onEncoderReady(): void {
    if (this.wanted && !this.session && this.retryTimer === null) this.spawn();
  }

  onEncoderEnded(): void {
    // Whatever this pusher joined is over; it ends cleanly and rejoins the next stream.
    const session = this.session;
    if (session && !session.ending) void this.endSession(session, 'encoder');
  }

  onTag(tag: FlvTag): void {
    const session = this.session;
    if (!session || !session.joined || session.ending) return;
    // Configuration was sent at join time; the encoder does not repeat it.
    if (tag.type === FLV_TAG_SCRIPT || tag.isSequenceHeader) return;
    const stdin = session.child.stdin;
    if (!stdin || stdin.destroyed) return;
    if (session.dropping) {
      if (tag.isVideoKeyframe && stdin.writableLength < this.maxBufferedBytes / 2) {
        session.dropping = false;
        this.options.logger.info('target caught up', { target: this.target.id, droppedFrames: this.droppedFrames });
      } else {
        if (tag.isVideoFrame && this.state === 'live') this.droppedFrames++;
        return;
      }
    } else if (stdin.writableLength > this.maxBufferedBytes) {
      // Also while a slow connection is being made: it starts on a fresh keyframe, not on stale data.
      session.dropping = true;
      if (tag.isVideoFrame && this.state === 'live') this.droppedFrames++;
      this.options.logger.warn('target cannot keep up, skipping to the next keyframe', { target: this.target.id });
      return;
    }
    this.write(session, tag, tag.timestampMs - session.baseTimestampMs);
  }

  /** Called about once a second: watchdogs and the bitrate window. */
  tick(): void {
    const now = this.options.clock.now();
    const session = this.session;
    if (session && !session.ending && !session.killedFor) {
      const { label, host } = this.target;
      if (this.state !== 'live' && now - session.spawnedAt > (this.options.connectTimeoutMs ?? 15_000)) {
        this.kill(session, { kind: 'unreachable', reason: `Could not reach ${host} (no answer).`, retryable: true });
      } else if (
        this.state === 'live' &&
        now - session.lastGrowthAt > (this.options.stallTimeoutMs ?? 10_000) &&
        this.encoder !== null &&
        now - this.encoder.lastTagAt < 2000
      ) {
        this.kill(session, { kind: 'stalled', reason: `${label} stopped taking the stream.`, retryable: true });
      }
    }
    this.samples.push({ at: now, bytes: this.bytesBeforeSession + (session?.sentBytes ?? 0) });
    while (this.samples.length > 2 && now - this.samples[0]!.at > BITRATE_WINDOW_MS) this.samples.shift();
  }

  status(): TargetStatus {
    const now = this.options.clock.now();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const bitrateKbps =
      this.state === 'live' && first && last && last.at > first.at ? Math.round(((last.bytes - first.bytes) * 8) / (last.at - first.at)) : 0;
    return {
      id: this.target.id,
      platform: this.target.platform,
      label: this.target.label,
      host: this.target.host,
      encodeId: this.encoder?.id ?? '',
      state: this.state,
      reason: this.reason,
      bitrateKbps,
      droppedFrames: this.droppedFrames,
      uptimeSec: this.state === 'live' && this.liveSince !== null ? Math.max(0, (now - this.liveSince) / 1000) : 0,
      reconnects: this.reconnects,
      nextRetryInSec: this.state === 'reconnecting' && this.nextRetryAt !== null ? Math.max(0, (this.nextRetryAt - now) / 1000) : null,
      maxDurationSec: this.target.limits.maxDurationSec ?? null,
    };
  }

  private spawnWhenReady(): void {
    if (!this.wanted) return;
    if (this.encoder?.ready) this.spawn();
    else this.setState('connecting', this.state === 'reconnecting' ? this.reason : null);
  }

  private spawn(): void {
    const encoder = this.encoder;
    if (!encoder || !encoder.ready || this.session || this.opening) return;
    const { logger } = this.options;
    const diagnosis = new PusherDiagnosis(this.target.label, this.target.host);
    this.opening = true;
    if (this.state !== 'reconnecting') this.setState('connecting', null);
    RtmpRelaySession.open({ url: this.target.url, onEvent: (event) => this.onRelayEvent(event, diagnosis) }).then(
      (relay) => {
        this.opening = false;
        if (!this.wanted || this.session || !this.encoder?.ready) {
          relay.close();
          return;
        }
        this.spawnThrough(relay, diagnosis);
      },
      (error: unknown) => {
        this.opening = false;
        if (!this.wanted) return;
        if (error instanceof RtmpUrlError) {
          this.wanted = false;
          this.setState('failed', `${this.target.label}: ${error.message}`);
          return;
        }
        logger.error('target relay could not open', { target: this.target.id, error: error instanceof Error ? error.message : String(error) });
        this.wanted = false;
        this.setState('failed', `Mixdeck could not open a local connection for ${this.target.label}.`);
      },
    );
  }

  /** What the relay saw of the ingest, told to the diagnosis as the lines ffmpeg would have printed. */
  private onRelayEvent(event: RelayEvent, diagnosis: PusherDiagnosis): void {
    const host = this.target.host;
    const line = (level: LogLine['level'], message: string, component: string | null = null): void =>
      diagnosis.observe({ level, component, message });
    switch (event.kind) {
      case 'connected':
        line('verbose', `Successfully connected to ${host}`);
        break;
      case 'connect-failed':
        if (event.code === 'ECONNREFUSED') line('error', 'Connection refused');
        else if (/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)$/.test(event.code)) line('error', 'Failed to resolve hostname');
        else if (event.code === 'ETIMEDOUT') line('error', 'Connection timed out');
        else if (event.code === 'EHOSTUNREACH') line('error', 'No route to host');
        else if (event.code === 'ENETUNREACH') line('error', 'Network is unreachable');
        else line('error', `Connection failed (${event.code})`);
        break;
      case 'tls-failed':
        line('error', `TLS connection failed (${event.detail})`, 'tls');
        this.options.logger.warn('target secure connection failed', { target: this.target.id, host, detail: event.detail });
        break;
      case 'closed-by-server':
        break;
      case 'refused-peer':
        this.options.logger.warn('a process other than the target ffmpeg connected to its local relay; turned away', { target: this.target.id });
        break;
      case 'protocol':
        this.options.logger.warn('the local relay refused what the target ffmpeg sent', { target: this.target.id, detail: event.detail });
        break;
    }
  }

  private spawnThrough(relay: RtmpRelaySession, diagnosis: PusherDiagnosis): void {
    const encoder = this.encoder!;
    const { ffmpegPath, logger, clock, mask } = this.options;
    // ffmpeg gets the relay's one-time local URL; the key stays in this process.
    const args = buildPusherArgs(relay.localUrl);
    logger.info('target connecting', {
      target: this.target.id,
      destination: mask(this.target.url),
      command: mask(formatCommand(ffmpegPath, args)),
    });
    const stdio: ('pipe' | 'ignore')[] = ['pipe', 'ignore', 'pipe', 'ignore', 'pipe'];
    const child = spawnTied(ffmpegPath, args, { stdio, windowsHide: true });
    relay.expectProcess(child.pid);
    const now = clock.now();
    let resolveExit: () => void = () => undefined;
    const session: Session = {
      child,
      relay,
      diagnosis,
      spawnedAt: now,
      sentBytes: 0,
      lastGrowthAt: now,
      baseTimestampMs: 0,
      joined: false,
      dropping: false,
      ending: null,
      killedFor: null,
      exited: new Promise<void>((resolve) => (resolveExit = resolve)),
    };
    this.session = session;
    if (this.state !== 'reconnecting') this.setState('connecting', null);

    child.stdin!.on('error', () => undefined);
    const lines = new LineSplitter();
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      for (const raw of lines.push(text)) {
        const line = parseLogLine(raw);
        // ffmpeg only ever reaches the local relay; whether the ingest was reached, the relay says.
        if (!/Successfully connected to /i.test(line.message)) session.diagnosis.observe(line);
        if (/^Output #0, flv, to /.test(line.message)) this.goLive(session);
        if ((line.level === 'error' || line.level === 'fatal' || line.level === 'warning') && !EXPECTED_WARNINGS.test(line.message)) {
          logger.warn('target ffmpeg says', { target: this.target.id, line: mask(raw) });
        } else logger.debug('target ffmpeg says', { target: this.target.id, line: mask(raw) });
      }
    });
    const progress = new ProgressParser();
    const progressPipe = child.stdio[PROGRESS_PIPE_FD] as Readable;
    progressPipe.setEncoding('utf8');
    progressPipe.on('data', (text: string) => {
      for (const block of progress.push(text)) {
        const bytes = block.totalSizeBytes ?? 0;
        if (bytes > session.sentBytes) {
          session.sentBytes = bytes;
          session.lastGrowthAt = clock.now();
          this.goLive(session);
        }
      }
    });

    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      if (error) session.diagnosis.observe({ level: 'error', component: null, message: error.message });
      session.relay.close();
      this.onSessionEnded(session, code, signal);
      resolveExit();
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));

    // Join on the latest keyframe: configuration first, then the GOP so far, all re-stamped from 0.
    const cache = encoder.cache;
    const gop = cache.gopTags;
    session.baseTimestampMs = gop[0]?.timestampMs ?? 0;
    child.stdin!.write(cache.fileHeader!);
    for (const tag of cache.configTags) this.write(session, tag, 0);
    for (const tag of gop) this.write(session, tag, tag.timestampMs - session.baseTimestampMs);
    session.joined = true;
  }

  private write(session: Session, tag: FlvTag, timestampMs: number): void {
    const stdin = session.child.stdin!;
    // Everything written in this tick goes to ffmpeg as one writev, not two syscalls per tag.
    if (stdin.writableCorked === 0) {
      stdin.cork();
      process.nextTick(() => stdin.uncork());
    }
    stdin.write(tagHeaderWithTimestamp(tag.bytes, timestampMs));
    stdin.write(tag.bytes.subarray(11));
  }

  private goLive(session: Session): void {
    if (this.session !== session || session.ending || this.state === 'live') return;
    const now = this.options.clock.now();
    this.liveSince = now;
    if (this.connectStartedAt !== null) this.lastConnectMs = now - this.connectStartedAt;
    this.connectStartedAt = null;
    if (this.everLive) this.reconnects++;
    this.everLive = true;
    this.refusalsAfterLive = 0;
    this.nextRetryAt = null;
    this.options.logger.info('target live', { target: this.target.id, connectMs: this.lastConnectMs });
    this.setState('live', null);
  }

  private kill(session: Session, failure: PusherFailure): void {
    session.killedFor = failure;
    this.options.logger.warn('target ffmpeg ended by Mixdeck', { target: this.target.id, reason: failure.reason });
    session.child.kill('SIGKILL');
  }

  private async endSession(session: Session, why: NonNullable<Session['ending']>): Promise<void> {
    session.ending = why;
    session.child.stdin?.end();
    const timer = this.options.clock.setTimeout(() => session.child.kill('SIGKILL'), STOP_GRACE_MS);
    await session.exited;
    this.options.clock.clearTimeout(timer);
  }

  private onSessionEnded(session: Session, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.session !== session) return;
    this.session = null;
    this.bytesBeforeSession += session.sentBytes;
    const now = this.options.clock.now();
    const wasLiveFor = this.state === 'live' && this.liveSince !== null ? now - this.liveSince : 0;
    this.liveSince = null;
    this.options.logger.info('target ffmpeg ended', { target: this.target.id, code, signal, ending: session.ending });

    if (session.ending === 'user' || !this.wanted) {
      if (this.state !== 'failed') this.setState('idle', null);
      return;
    }
    if (session.ending === 'restart' || session.ending === 'encoder') {
      this.connectStartedAt = now;
      this.setState('connecting', session.ending === 'encoder' ? 'The encoder restarted; rejoining.' : null);
      this.spawnWhenReady();
      return;
    }

    const failure = session.killedFor ?? session.diagnosis.diagnose(session.sentBytes);
    let retryable = failure.retryable;
    if (!retryable && this.everLive && this.refusalsAfterLive < REFUSALS_TOLERATED_AFTER_LIVE) {
      this.refusalsAfterLive++;
      retryable = true;
    }
    if (!retryable) {
      this.wanted = false;
      this.options.logger.warn('target failed', { target: this.target.id, reason: failure.reason });
      this.setState('failed', failure.reason);
      return;
    }
    if (wasLiveFor >= (this.options.stableAfterMs ?? 10_000)) this.attempt = 0;
    const delay = this.backoffMs[Math.min(this.attempt, this.backoffMs.length - 1)]!;
    this.attempt++;
    this.nextRetryAt = now + delay;
    if (this.connectStartedAt === null) this.connectStartedAt = now;
    this.options.logger.warn('target reconnecting', { target: this.target.id, reason: failure.reason, inMs: delay });
    this.setState('reconnecting', failure.reason);
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      this.spawnWhenReady();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryAt = null;
  }

  private setState(state: TargetState, reason: string | null): void {
    if (this.state === state && this.reason === reason) return;
    this.state = state;
    this.reason = reason === null ? null : this.options.mask(reason);
    this.options.onChange();
  }
}
