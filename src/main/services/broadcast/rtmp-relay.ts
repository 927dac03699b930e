import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { connect as tcpConnect, createServer, isIP, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { amfString, decodeAmf0, encodeAmf0, type AmfValue } from './rtmp-amf';
import { ChunkReader, ChunkWriter, MESSAGE_ABORT, MESSAGE_COMMAND_AMF0, MESSAGE_COMMAND_AMF3, type RtmpMessage } from './rtmp-chunks';

/**
 * The local RTMP relay that keeps stream keys off every command line.
 *
 * A pusher ffmpeg publishes to `rtmp://127.0.0.1:PORT/relay/NONCE`: a port and a random name
 * made for that one connection. The relay opens the real connection (TCP, or TLS for rtmps://),
 * passes the handshake through unchanged, and rewrites only what names the destination in the
 * commands the pusher sends — `connect` (app, tcUrl) and the stream name of `releaseStream`,
 * `FCPublish`, `publish` and `FCUnpublish` — re-chunking those commands with the sender's chunk
 * size. Everything the server says goes back to ffmpeg byte for byte, so ffmpeg still reads a
 * refusal exactly as before.
 *
 * It accepts one connection per session, from 127.0.0.1, and on Linux only from the process it
 * was told to expect (the socket's owner is looked up in /proc): another local user who reads
 * the nonce in `ps` cannot use it. Nothing here logs or reports the URL, the app or the name.
 */

export const RELAY_APP = 'relay';
const HANDSHAKE_CLIENT_BYTES = 1 + 1536 + 1536;
const WAIT_FOR_PUSHER_MS = 30_000;
const CLOSE_GRACE_MS = 2000;
/** Errors of the network, not of TLS, when an rtmps:// connection fails. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EADDRNOTAVAIL']);
const STREAM_NAME_COMMANDS = new Set(['releaseStream', 'FCPublish', 'publish', 'FCUnpublish']);

/** The destination as ffmpeg's RTMP client reads it from a URL (libavformat/rtmpproto.c). */
export interface RtmpEndpoint {
  secure: boolean;
  host: string;
  port: number;
  app: string;
  tcUrl: string;
  streamName: string;
}

export class RtmpUrlError extends Error {}

/**
 * Splits an rtmp(s) URL the way ffmpeg does, so the ingest sees the very app, tcUrl and stream
 * name it saw when ffmpeg connected to it directly: the app is the first path segment (two when
 * there are three, e.g. `app/instance/KEY`), the rest is the stream name, `.flv` is dropped and
 * `.mp4`/`.f4v` get `mp4:`. YouTube's backup `live2?backup=1/KEY` gives app `live2?backup=1`.
 */
export function parseRtmpUrl(url: string): RtmpEndpoint {
  const match = /^(rtmps?):\/\/([^/?#]*)(.*)$/i.exec(url.trim());
  if (!match) throw new RtmpUrlError('The server URL must start with rtmp:// or rtmps://.');
  const secure = match[1]!.toLowerCase() === 'rtmps';
  const authority = match[2]!;
  const path = match[3]!;
  if (authority.includes('@')) throw new RtmpUrlError('A user name and password in the server URL are not supported.');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(authority);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else {
    const colon = authority.indexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (!host) throw new RtmpUrlError('The server URL has no host.');
  const port = portText ? Number.parseInt(portText, 10) : secure ? 443 : 1935;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RtmpUrlError('The server URL has a port that cannot be.');

  let app: string;
  let name: string | null;
  if (path.startsWith('/ondemand/')) {
    app = 'ondemand';
    name = path.slice('/ondemand/'.length);
  } else {
    const next = path.startsWith('/') ? path.slice(1) : path;
    const slash = next.indexOf('/');
    if (slash < 0) {
      app = next;
      name = null;
    } else {
      const rest = next.slice(slash + 1);
      const colon = rest.indexOf(':');
      const secondSlash = rest.indexOf('/');
      if (secondSlash < 0 || (colon >= 0 && colon < secondSlash)) {
        app = next.slice(0, slash);
        name = rest;
      } else {
        app = next.slice(0, slash + 1 + secondSlash);
        name = rest.slice(secondSlash + 1);
      }
    }
  }
  let streamName = '';
  if (name) {
    if (!name.includes(':') && /\.(f4v|mp4)$/.test(name)) streamName = `mp4:${name}`;
    else streamName = name.endsWith('.flv') ? name.slice(0, -4) : name;
  }
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return { secure, host, port, app, tcUrl: `${secure ? 'rtmps' : 'rtmp'}://${hostInUrl}:${port}/${app}`, streamName };
}

// ---------------------------------------------------------------------------------------------

/** Certificate authorities trusted for rtmps:// besides the system's (a private ingest, tests). */
const extraAuthorities: string[] = [];

export function trustRtmpsAuthority(pem: string): void {
  if (!extraAuthorities.includes(pem)) extraAuthorities.push(pem);
}

export type RelayEvent =
  /** The connection to the ingest is up (TLS included). */
  | { kind: 'connected' }
  /** The ingest could not be reached; `code` is the system's (ECONNREFUSED, ENOTFOUND…). */
  | { kind: 'connect-failed'; code: string }
  | { kind: 'tls-failed'; detail: string }
  /** The ingest closed or broke the connection after it was up. */
  | { kind: 'closed-by-server' }
  /** Someone other than the expected pusher connected, and was turned away. */
  | { kind: 'refused-peer' }
  /** The pusher sent something the relay will not forward (a wrong name, an unreadable command). */
  | { kind: 'protocol'; detail: string };

export interface RelaySessionOptions {
  url: string;
  onEvent?: (event: RelayEvent) => void;
}

/** One pusher connection's relay: a port of its own, a nonce, one upstream connection. */
export class RtmpRelaySession {
  readonly localUrl: string;
  readonly endpoint: RtmpEndpoint;
  private readonly nonce: string;
  private readonly server: Server;
  private readonly port: number;
  private readonly onEvent: (event: RelayEvent) => void;
  private expectedPid: number | null | undefined = undefined;
  private local: Socket | null = null;
  private upstream: Socket | null = null;
  private closed = false;
  private waitTimer: NodeJS.Timeout | null = null;

  static async open(options: RelaySessionOptions): Promise<RtmpRelaySession> {
    const endpoint = parseRtmpUrl(options.url);
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', backlog: 4 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new RtmpRelaySession(server, endpoint, options.onEvent ?? (() => undefined));
  }

  private constructor(server: Server, endpoint: RtmpEndpoint, onEvent: (event: RelayEvent) => void) {
    this.server = server;
    this.endpoint = endpoint;
    this.onEvent = onEvent;
    this.port = (server.address() as { port: number }).port;
    // 144 random bits, URL-safe: nothing ffmpeg's URL parsing treats specially.
    this.nonce = randomBytes(18).toString('base64url');
    this.localUrl = `rtmp://127.0.0.1:${this.port}/${RELAY_APP}/${this.nonce}`;
    server.on('connection', (socket: Socket) => void this.accept(socket));
    server.on('error', () => this.close());
    this.waitTimer = setTimeout(() => this.stopListening(), WAIT_FOR_PUSHER_MS);
    this.waitTimer.unref();
  }

  /** The process that will connect (the pusher ffmpeg just spawned); anyone else is turned away. */
  expectProcess(pid: number | undefined): void {
    this.expectedPid = pid ?? null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** At once: both connections are dropped. */
  close(): void {
    this.finish();
    this.local?.destroy();
    this.upstream?.destroy();
  }

  /** Both connections end after what is already on its way is delivered. */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.local?.end();
    this.upstream?.end();
    const local = this.local;
    const upstream = this.upstream;
    setTimeout(() => {
      local?.destroy();
      upstream?.destroy();
    }, CLOSE_GRACE_MS).unref();
  }

  private stopListening(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    if (this.server.listening) this.server.close();
  }

  private async accept(socket: Socket): Promise<void> {
    socket.on('error', () => undefined);
    const fromLoopback = socket.remoteAddress === '127.0.0.1' || socket.remoteAddress === '::ffff:127.0.0.1';
    if (this.closed || this.local || !fromLoopback || this.expectedPid === undefined) {
      socket.destroy();
      return;
    }
    const owned = this.expectedPid === null ? false : await socketBelongsTo(this.expectedPid, socket.remotePort ?? 0, this.port);
    if (owned === false) {
      socket.destroy();
      this.onEvent({ kind: 'refused-peer' });
      return;
    }
    if (this.closed || this.local) {
      socket.destroy();
      return;
    }
    this.local = socket;
    this.stopListening();
    this.relay(socket);
  }

  private relay(local: Socket): void {
    const { secure, host, port } = this.endpoint;
    let up = false;
    const pending: Buffer[] = [];
    const upstream: Socket = secure
      ? tlsConnect({
          host,
          port,
          servername: isIP(host) ? undefined : host,
          ca: extraAuthorities.length > 0 ? [...rootCertificates, ...extraAuthorities] : undefined,
        })
      : tcpConnect({ host, port });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    local.setNoDelay(true);

    upstream.once(secure ? 'secureConnect' : 'connect', () => {
      up = true;
      this.onEvent({ kind: 'connected' });
      for (const bytes of pending.splice(0)) this.toUpstream(bytes);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (this.closed) return;
      const code = error.code ?? 'UNKNOWN';
      if (up) {
        this.onEvent({ kind: 'closed-by-server' });
        this.finish();
        return;
      }
      if (secure && !NETWORK_ERRORS.has(code)) this.onEvent({ kind: 'tls-failed', detail: code });
      else this.onEvent({ kind: 'connect-failed', code });
      this.close();
    });
    // What the ingest says goes to ffmpeg untouched; an ingest that hangs up after saying why
    // (a refused key) gets its last words delivered before ffmpeg's connection ends.
    upstream.on('data', (bytes: Buffer) => {
      if (!local.write(bytes)) upstream.pause();
    });
    local.on('drain', () => upstream.resume());
    upstream.on('drain', () => local.resume());
    upstream.on('close', () => {
      if (this.closed) return;
      if (up) this.onEvent({ kind: 'closed-by-server' });
      this.finish();
    });
    local.on('close', () => this.finish());

    let handshakeLeft = HANDSHAKE_CLIENT_BYTES;
    const reader = new ChunkReader();
    const writer = new ChunkWriter();
    let connected = false;
    local.on('data', (bytes: Buffer) => {
      if (this.closed) return;
      const out: Buffer[] = [];
      if (handshakeLeft > 0) {
        const raw = bytes.subarray(0, handshakeLeft);
        handshakeLeft -= raw.length;
        out.push(raw);
        bytes = bytes.subarray(raw.length);
      }
      if (bytes.length > 0) {
        try {
          for (const message of reader.push(bytes)) {
            if (message.typeId === MESSAGE_ABORT) continue;
            const rewritten = this.rewrite(message, connected);
            if (isCommand(message) && commandName(rewritten) === 'connect') connected = true;
            out.push(writer.write(rewritten));
          }
        } catch (error) {
          this.onEvent({ kind: 'protocol', detail: error instanceof Error ? error.message : 'unreadable' });
          this.close();
          return;
        }
      }
      for (const chunk of out) {
        if (up) this.toUpstream(chunk);
        else pending.push(chunk);
      }
    });
    local.resume();
  }

  private toUpstream(bytes: Buffer): void {
    if (!this.upstream!.write(bytes)) this.local?.pause();
  }

  /** The destination put into the commands that name it; anything else passes unchanged. */
  private rewrite(message: RtmpMessage, connected: boolean): RtmpMessage {
    if (!isCommand(message)) return message;
    const amf3 = message.typeId === MESSAGE_COMMAND_AMF3;
    const values = decodeAmf0(amf3 ? message.payload.subarray(1) : message.payload);
    const name = values[0]?.type === 'string' ? values[0].value : '';
    const { app, tcUrl, streamName } = this.endpoint;
    const localBase = `rtmp://127.0.0.1:${this.port}/`;

    if (name === 'connect') {
      if (connected) throw new Error('The pusher connected twice.');
      const object = values[2];
      if (object?.type !== 'object') throw new Error('The connect command has no properties.');
      const appEntry = object.entries.find(([key]) => key === 'app');
      if (appEntry?.[1].type !== 'string' || appEntry[1].value !== RELAY_APP) throw new Error('The connect command names another application.');
      object.entries = object.entries.map(([key, value]): [string, AmfValue] => {
        if (key === 'app') return [key, amfString(app)];
        if (key === 'tcUrl' || (value.type === 'string' && value.value.startsWith(localBase))) return [key, amfString(tcUrl)];
        return [key, value];
      });
    } else {
      if (!connected) throw new Error(`"${name}" came before connect.`);
      if (STREAM_NAME_COMMANDS.has(name)) {
        const stream = values[3];
        if (stream?.type !== 'string' || stream.value !== this.nonce) throw new Error(`"${name}" names a stream this relay did not issue.`);
        values[3] = amfString(streamName);
      }
    }
    const body = encodeAmf0(values);
    return { ...message, payload: amf3 ? Buffer.concat([message.payload.subarray(0, 1), body]) : body };
  }
}

function isCommand(message: RtmpMessage): boolean {
  return message.typeId === MESSAGE_COMMAND_AMF0 || message.typeId === MESSAGE_COMMAND_AMF3;
}

function commandName(message: RtmpMessage): string {
  try {
    const values = decodeAmf0(message.typeId === MESSAGE_COMMAND_AMF3 ? message.payload.subarray(1) : message.payload);
    return values[0]?.type === 'string' ? values[0].value : '';
  } catch {
    return '';
  }
}

/**
 * Whether the TCP connection from 127.0.0.1:clientPort to 127.0.0.1:relayPort is a socket of
 * process `pid`. Linux only (null elsewhere: the nonce is then the only check).
 */
export async function socketBelongsTo(pid: number, clientPort: number, relayPort: number): Promise<boolean | null> {
  if (process.platform !== 'linux' || !existsSync('/proc/net/tcp')) return null;
  const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  // The client's socket is IPv4, or IPv6 with the IPv4-mapped loopback address.
  const tables: [string, string][] = [
    ['/proc/net/tcp', '0100007F'],
    ['/proc/net/tcp6', '0000000000000000FFFF00000100007F'],
  ];
  let inode: string | undefined;
  try {
    for (const [table, loopback] of tables) {
      if (!existsSync(table)) continue;
      const local = `${loopback}:${hexPort(clientPort)}`;
      const remote = `${loopback}:${hexPort(relayPort)}`;
      for (const line of (await readFile(table, 'utf8')).split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        if (fields[1] === local && fields[2] === remote) inode = fields[9];
      }
    }
    if (!inode || inode === '0') return false;
    const fdDir = `/proc/${pid}/fd`;
    for (const fd of await readdir(fdDir)) {
      const target = await readlink(`${fdDir}/${fd}`).catch(() => '');
      if (target === `socket:[${inode}]`) return true;
    }
  } catch {
    return false;
  }
  return false;
}
