import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientMessageSchema,
  MixdeckError,
  SESSION_META_NAME,
  WS_MAX_MESSAGE_BYTES,
  WS_PATH,
  WS_SESSION_PROTOCOL_PREFIX,
  WS_SUBPROTOCOL,
  type ServerMessage,
} from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { Logger } from '../services/log/logger';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { answerText } from './file-answer';
import { serveKaraokeMedia, type MediaFileResolver } from './karaoke-media';
import { contentTypeOf, pageSecurityHeaders, resolveStaticFile } from './static-files';
import { serveLibraryMedia } from './media-route';

/** How much a page may leave unread before Mixdeck stops sending it events, then closes it. */
export interface ClientBufferLimits {
  /** Past this many unsent bytes, events for that page are dropped (replies still go). */
  dropEventsAboveBytes: number;
  /** Past this many, the connection is closed with a reason; the page reconnects and reloads its state. */
  closeAboveBytes: number;
  /** The close frame waits behind the unread bytes; a page still not reading is cut off after this. */
  closeGraceMs?: number;
}

export const DEFAULT_CLIENT_BUFFER_LIMITS: ClientBufferLimits = { dropEventsAboveBytes: 16 * 1024 * 1024, closeAboveBytes: 64 * 1024 * 1024, closeGraceMs: 2000 };

export interface WebHostOptions {
  dispatcher: Dispatcher;
  events: EventHub;
  logger: Logger;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Loopback only: LAN access is a later, opt-in remote-control feature. */
  host?: '127.0.0.1' | 'localhost';
  /** 0 picks a free port. */
  port?: number;
  /** Karaoke songs’ audio, video and images under /media/karaoke/ (see karaoke-media.ts). */
  karaokeMediaFiles?: MediaFileResolver;
  clientBufferLimits?: ClientBufferLimits;
  /**
   * The secret the page must bring (hex). `mixdeck web` keeps one per data folder (a 0600 file),
   * so a restarted host still knows the pages it served; by default each start draws its own.
   */
  sessionToken?: string;
}

export interface WebHost {
  /** The server's address, without the session key: pages it serves refuse to open from it. */
  readonly url: string;
  /**
   * The address to open the app at: it carries the session key once, and the answer leaves the
   * key in an HttpOnly cookie for this port, so reloads and media requests need nothing more.
   * Print it only to the user who started Mixdeck. Never log it.
   */
  readonly launchUrl: string;
  /** `name=value` of the session cookie, for clients (tests) that are not a browser. */
  readonly sessionCookie: string;
  readonly port: number;
  /** How many pages are connected now. */
  readonly connections: number;
  /** This start's secret: in the served index.html, required on every WebSocket. Never log it. */
  readonly sessionToken: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = pageSecurityHeaders(CONTENT_SECURITY_POLICY);
/** Longer request targets are refused before routing (Node itself caps the whole header block). */
const MAX_URL_CHARS = 2048;
const SLOW_CLIENT_CLOSE_CODE = 1008;
const SLOW_CLIENT_REASON = 'This page stopped reading its messages, so Mixdeck closed the connection.';

const HTTP_STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 431: 'Request Header Fields Too Large' };

/** A plain-text answer written straight to a socket that is not (or no longer) an HTTP response. */
function refuseOnSocket(socket: Duplex, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  socket.end(`HTTP/1.1 ${status} ${HTTP_STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${text}`);
}

function sameSecret(offered: string, expected: string): boolean {
  // Hashing first gives both sides one length, so the comparison's time says nothing about the token.
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

const SESSION_QUERY_KEY = 'key';
const SESSION_COOKIE_PREFIX = 'mixdeck-session-';
const NO_SESSION_MESSAGE = 'Open Mixdeck at the address it printed when it started: that address carries the key of this run, which this request did not bring.';

/** The `key` of the query string, when there is one. */
function sessionKeyInQuery(url: string): string | null {
  const at = url.indexOf('?');
  if (at < 0) return null;
  try {
    return new URLSearchParams(url.slice(at + 1).split('#')[0]).get(SESSION_QUERY_KEY);
  } catch {
    return null;
  }
}

/** Cookies are shared by every port of a host name, so the cookie's name carries the port. */
function hasSessionCookie(cookieHeader: string | undefined, name: string, sessionToken: string): boolean {
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name && sameSecret(part.slice(at + 1).trim(), sessionToken)) return true;
  }
  return false;
}

/** The token among the offered subprotocols, when `mixdeck` is offered too; null otherwise. */
function offeredSessionToken(protocolHeader: string | undefined): string | null {
  const offered = (protocolHeader ?? '').split(',').map((protocol) => protocol.trim());
  if (!offered.includes(WS_SUBPROTOCOL)) return null;
  const entry = offered.find((protocol) => protocol.startsWith(WS_SESSION_PROTOCOL_PREFIX));
  return entry ? entry.slice(WS_SESSION_PROTOCOL_PREFIX.length) : null;
}

/** The served page carries the session token in a meta tag: no inline script, so the CSP stays strict. */
function withSessionMeta(html: string, sessionToken: string): string {
  const meta = `<meta name="${SESSION_META_NAME}" content="${sessionToken}" />`;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

/**
 * The same contract as Electron's IPC, over a WebSocket on loopback, plus the built renderer
 * over HTTP. Guards against other sites in the user's browser and other local programs: the
 * Host header must name this server (DNS rebinding), a WebSocket's Origin must be this server's
 * own, and it must offer this start's session token, which only the page it served knows.
 * Every HTTP request goes through one guarded handler: whatever fails becomes a 4xx/5xx in
 * words and never ends the process.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { dispatcher, events, logger } = options;
  const hostName = options.host ?? '127.0.0.1';
  const limits = options.clientBufferLimits ?? DEFAULT_CLIENT_BUFFER_LIMITS;
  const indexFile = join(options.staticDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new MixdeckError('not-found', `The app is not built yet (no ${indexFile}). Run "npm run build" first; "npm run web" does it for you.`);
  }
  const realIndexFile = realpathSync(indexFile);
  const sessionToken = options.sessionToken ?? randomBytes(32).toString('hex');
  if (!/^[0-9a-f]{32,128}$/.test(sessionToken)) throw new MixdeckError('invalid-input', 'The web host\'s session key must be 32 to 128 hexadecimal digits.');
  let port = 0;
  const cookieName = (): string => `${SESSION_COOKIE_PREFIX}${port}`;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((host) => `http://${host}`);

  const text = (response: ServerResponse, status: number, message: string): void => answerText(response, status, message, SECURITY_HEADERS);

  const serveIndex = async (request: IncomingMessage, response: ServerResponse, setCookie: string | null): Promise<void> => {
    const page = Buffer.from(withSessionMeta(await readFile(realIndexFile, 'utf8'), sessionToken), 'utf8');
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(page.length),
      'Cache-Control': 'no-store',
      ...(setCookie ? { 'Set-Cookie': setCookie } : {}),
      ...SECURITY_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : page);
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowedHosts().includes(request.headers.host ?? '')) return text(response, 421, 'Wrong host name for this server.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(response, 405, 'Only GET and HEAD.');
    const url = request.url ?? '/';
    if (url.length > MAX_URL_CHARS) return text(response, 414, 'That address is too long.');
    const keyInQuery = sessionKeyInQuery(url);
    const session = keyInQuery !== null && sameSecret(keyInQuery, sessionToken) ? 'by-key' : hasSessionCookie(request.headers.cookie, cookieName(), sessionToken) ? 'by-cookie' : null;
    if (url.startsWith('/media/') && session === null) return text(response, 403, NO_SESSION_MESSAGE);
    if (options.karaokeMediaFiles && url.startsWith('/media/karaoke/')) {
      if (!(await serveKaraokeMedia(request, response, options.karaokeMediaFiles, SECURITY_HEADERS))) text(response, 404, 'Not found.');
      return;
    }
    if (url.startsWith('/media/')) return serveLibraryMedia(request, response, dispatcher, SECURITY_HEADERS, logger);
    const file = resolveStaticFile(options.staticDir, url);
    if (!file) return text(response, 404, 'Not found.');
    if (file === realIndexFile) {
      if (session === null) return text(response, 403, NO_SESSION_MESSAGE);
      return serveIndex(request, response, session === 'by-key' ? `${cookieName()}=${sessionToken}; Path=/; HttpOnly; SameSite=Strict` : null);
    }
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') return void response.end();
    const stream = createReadStream(file);
    stream.on('error', () => response.destroy());
    response.on('close', () => stream.destroy());
    stream.pipe(response);
  };

  // requireHostHeader off: a request without Host reaches the route's own refusal, in words.
  const server: Server = createServer({ requireHostHeader: false }, (request, response) => {
    response.on('error', (error) => logger.warn('a web response failed', { error: error.message }));
    route(request, response).catch((error: unknown) => {
      logger.error('a web request failed', { url: (request.url ?? '').slice(0, 100), error });
      text(response, 500, 'Mixdeck could not answer this request; the details are in its log.');
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    if (error.code === 'HPE_HEADER_OVERFLOW') return refuseOnSocket(socket, 431, 'The request’s headers are too long.');
    refuseOnSocket(socket, 400, 'That request could not be read as HTTP.');
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });
  const sockets = new Set<WebSocket>();
  const droppedEvents = new WeakMap<WebSocket, number>();

  /** Why an upgrade is refused, in words, or null to accept it. */
  const upgradeRefusal = (request: IncomingMessage): { status: number; message: string } | null => {
    if ((request.url ?? '').split('?')[0] !== WS_PATH) return { status: 404, message: 'Not a Mixdeck WebSocket address.' };
    if (!allowedHosts().includes(request.headers.host ?? '')) return { status: 403, message: 'Wrong host name for this server.' };
    if (!allowedOrigins().includes(request.headers.origin ?? '')) return { status: 403, message: 'Only the Mixdeck page this server served may connect.' };
    const offered = offeredSessionToken(request.headers['sec-websocket-protocol']);
    if (offered === null || !sameSecret(offered, sessionToken)) {
      return { status: 403, message: 'This connection did not bring the session token of the page Mixdeck served. Reload the Mixdeck page.' };
    }
    return null;
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const refusal = upgradeRefusal(request);
      if (refusal) {
        // The path and origin only: the offered protocols may hold a token and are never logged.
        logger.warn('refused a WebSocket connection', { path: (request.url ?? '').split('?')[0]!.slice(0, 100), origin: (request.headers.origin ?? '').slice(0, 100), status: refusal.status });
        return refuseOnSocket(socket, refusal.status, refusal.message);
      }
      const origin = request.headers.origin!;
      wss.handleUpgrade(request, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        ws.on('error', (error) => logger.warn('WebSocket error', { error: error.message }));
        ws.on('message', (data, isBinary) => {
          handleMessage(ws, isBinary ? null : String(data), origin).catch((error: unknown) => {
            logger.error('a WebSocket message failed', { error });
            send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'internal', message: 'Something went wrong inside Mixdeck; the details are in its log.' } } });
          });
        });
      });
    } catch (error) {
      logger.error('a WebSocket upgrade failed', { error });
      socket.destroy();
    }
  });

  const closeSlowClient = (ws: WebSocket): void => {
    if (ws.readyState !== ws.OPEN) return;
    logger.warn('closed a page that stopped reading', { bufferedBytes: ws.bufferedAmount, droppedEvents: droppedEvents.get(ws) ?? 0 });
    ws.close(SLOW_CLIENT_CLOSE_CODE, SLOW_CLIENT_REASON);
    setTimeout(() => ws.terminate(), limits.closeGraceMs ?? 2000).unref();
  };

  /** Sends unless the page has fallen too far behind: events are dropped first, then the page is closed. */
  const sendText = (ws: WebSocket, text: string, kind: 'reply' | 'event'): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > limits.closeAboveBytes) return closeSlowClient(ws);
    if (kind === 'event' && ws.bufferedAmount > limits.dropEventsAboveBytes) {
      const dropped = (droppedEvents.get(ws) ?? 0) + 1;
      droppedEvents.set(ws, dropped);
      if (dropped === 1) logger.warn('a page is not reading; its events are dropped', { bufferedBytes: ws.bufferedAmount });
      return;
    }
    ws.send(text);
  };

  const send = (ws: WebSocket, message: ServerMessage): void => sendText(ws, JSON.stringify(message), message.t);

  const handleMessage = async (ws: WebSocket, text: string | null, origin: string): Promise<void> => {
    let json: unknown;
    try {
      if (text === null) throw new Error('binary');
      json = JSON.parse(text);
    } catch {
      send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be JSON text.' } } });
      return;
    }
    const message = ClientMessageSchema.safeParse(json);
    if (!message.success) {
      const rawId = (json as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) && rawId >= 0 ? rawId : null;
      send(ws, { t: 'reply', id, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be {t:"call", id, name, input}.' } } });
      return;
    }
    const reply = await dispatcher.dispatch(message.data.name, message.data.input, { transport: 'web', origin });
    send(ws, { t: 'reply', id: message.data.id, reply });
  };

  const unsubscribe = events.subscribe((name, payload) => {
    const text = JSON.stringify({ t: 'event', name, payload } satisfies ServerMessage);
    for (const ws of sockets) sendText(ws, text, 'event');
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, hostName === 'localhost' ? '127.0.0.1' : hostName, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  server.on('error', (error) => logger.error('the web server reported an error', { error }));
  port = (server.address() as AddressInfo).port;
  const url = `http://${hostName}:${port}/`;
  logger.info('web host listening', { url });

  return {
    url,
    launchUrl: `${url}?${SESSION_QUERY_KEY}=${sessionToken}`,
    sessionCookie: `${cookieName()}=${sessionToken}`,
    port,
    sessionToken,
    get connections() {
      return sockets.size;
    },
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
