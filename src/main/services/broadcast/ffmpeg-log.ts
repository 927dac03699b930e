/**
 * Reading what ffmpeg says: `-progress` key=value blocks, and `-loglevel repeat+level+…` log lines,
 * turned into a target's state and a reason in words.
 */

export interface ProgressBlock {
  frame?: number;
  fps?: number;
  totalSizeBytes?: number;
  outTimeUs?: number;
  dupFrames?: number;
  dropFrames?: number;
  speed?: number;
  ended: boolean;
}

/** Splits the `-progress` stream into blocks, each closed by `progress=continue|end`. */
export class ProgressParser {
  private partial = '';
  private block: Record<string, string> = {};

  push(chunk: string): ProgressBlock[] {
    const blocks: ProgressBlock[] = [];
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      const equals = line.indexOf('=');
      if (equals <= 0) continue;
      const key = line.slice(0, equals);
      const value = line.slice(equals + 1).trim();
      if (key === 'progress') {
        blocks.push(toBlock(this.block, value === 'end'));
        this.block = {};
      } else this.block[key] = value;
    }
    return blocks;
  }
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || value === 'N/A') return undefined;
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function toBlock(fields: Record<string, string>, ended: boolean): ProgressBlock {
  return {
    frame: numberOf(fields.frame),
    fps: numberOf(fields.fps),
    totalSizeBytes: numberOf(fields.total_size),
    outTimeUs: numberOf(fields.out_time_us ?? fields.out_time_ms),
    dupFrames: numberOf(fields.dup_frames),
    dropFrames: numberOf(fields.drop_frames),
    speed: numberOf(fields.speed?.replace(/x$/, '')),
    ended,
  };
}

export type LogLevel = 'quiet' | 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug' | 'trace';

export interface LogLine {
  level: LogLevel | null;
  /** The component in `[tcp @ 0x…]`, without the address. */
  component: string | null;
  message: string;
}

const LEVELS = new Set<string>(['quiet', 'panic', 'fatal', 'error', 'warning', 'info', 'verbose', 'debug', 'trace']);

/** `[tcp @ 0x55…] [error] Connection to … failed` → { component: 'tcp', level: 'error', message }. */
export function parseLogLine(line: string): LogLine {
  let rest = line.trimEnd();
  let component: string | null = null;
  let level: LogLevel | null = null;
  for (let guard = 0; guard < 3; guard++) {
    const match = /^\[([^\]]+)\]\s*/.exec(rest);
    if (!match) break;
    const inside = match[1]!;
    if (LEVELS.has(inside)) level = inside as LogLevel;
    else component = inside.replace(/\s*@\s*0x[0-9a-f]+$/i, '');
    rest = rest.slice(match[0].length);
  }
  return { level, component, message: rest };
}

/** Splits a byte stream into lines (ffmpeg ends progress lines with \r when stats are on). */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const lines = (this.partial + chunk).split(/\r\n|\n|\r/);
    this.partial = lines.pop() ?? '';
    return lines.filter((line) => line.length > 0);
  }
}

export type FailureKind = 'refused-key' | 'connection-refused' | 'unresolved' | 'unreachable' | 'tls' | 'not-rtmp' | 'dropped' | 'stalled' | 'other';

export interface PusherFailure {
  kind: FailureKind;
  /** A sentence for the DJ; never contains the stream key. */
  reason: string;
  /** Worth retrying by itself (a wrong key is not). */
  retryable: boolean;
}

/**
 * Watches one pusher's log lines and, when it exits, says why in words. The order of events
 * tells the cases apart: TCP never connected (unreachable, refused, unresolved), connected but
 * the publish failed before any byte was sent (the platform refused the key or the application),
 * or sent for a while and then broke (the connection dropped).
 */
export class PusherDiagnosis {
  private tcpConnected = false;
  private connectionRefused = false;
  private unresolved = false;
  private unreachable = false;
  private tlsFailed = false;
  private handshakeFailed = false;
  private serverError: string | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly label: string,
    private readonly host: string,
  ) {}

  observe(line: LogLine): void {
    const message = line.message;
    if (/Successfully connected to /i.test(message)) this.tcpConnected = true;
    if (/Connection refused/i.test(message) && !this.tcpConnected) this.connectionRefused = true;
    if (/Failed to resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i.test(message)) {
      this.unresolved = true;
    }
    if (/Network is unreachable|No route to host|Connection timed out|Operation timed out/i.test(message) && !this.tcpConnected) {
      this.unreachable = true;
    }
    if ((line.component === 'tls' || /\bTLS\b|certificate|GnuTLS|\bSSL\b/i.test(message)) && (line.level === 'error' || line.level === 'fatal')) {
      this.tlsFailed = true;
    }
    if (/RTMP handshake/i.test(message) && (line.level === 'error' || line.level === 'fatal')) this.handshakeFailed = true;
    const server = /Server error:\s*(.*)$/i.exec(message);
    if (server) this.serverError = server[1]!.trim();
    if (line.level === 'error' || line.level === 'fatal') this.lastError = message;
  }

  /** Why the pusher ended; `sentBytes` is what it had delivered to the server by then. */
  diagnose(sentBytes: number): PusherFailure {
    const { label, host } = this;
    if (sentBytes <= 0) {
      if (this.unresolved) return { kind: 'unresolved', reason: `Could not reach ${host}: the name does not resolve.`, retryable: true };
      if (this.connectionRefused) return { kind: 'connection-refused', reason: `The server ${host} refused the connection.`, retryable: true };
      if (this.unreachable) return { kind: 'unreachable', reason: `Could not reach ${host}.`, retryable: true };
      if (this.tlsFailed && !this.serverError) {
        return { kind: 'tls', reason: `The secure (RTMPS) connection to ${host} failed.`, retryable: true };
      }
      if (this.handshakeFailed && !this.serverError) {
        return {
          kind: 'not-rtmp',
          reason: `${host} did not answer as an RTMP ingest; check the server URL (and rtmp:// against rtmps://).`,
          retryable: true,
        };
      }
      if (this.tcpConnected || this.serverError) {
        const said = this.serverError ? ` (it said: ${this.serverError})` : '';
        return {
          kind: 'refused-key',
          reason: `${label} refused the stream key${said}. Check the key and the server, then restart this target.`,
          retryable: false,
        };
      }
      return { kind: 'unreachable', reason: `Could not reach ${host}.`, retryable: true };
    }
    if (this.serverError) return { kind: 'dropped', reason: `${label} ended the stream (it said: ${this.serverError}).`, retryable: true };
    return { kind: 'dropped', reason: `The connection to ${label} dropped.`, retryable: true };
  }

  get lastErrorMessage(): string | null {
    return this.lastError;
  }
}
