import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientMessageSchema,
  REMOTE_ALLOWED_CALLS,
  REMOTE_FORWARDED_EVENTS,
  REMOTE_REVOKED_CLOSE_CODE,
  REMOTE_WS_PATH,
  REMOTE_WS_SUBPROTOCOL,
  RemotePlayerInputSchema,
  type Reply,
  type ServerMessage,
} from '../../shared/contract';
import type { Logger } from '../services/log/logger';
import type { RemotePairing } from '../services/remote/pairing';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { REMOTE_PAGE_CSS, REMOTE_PAGE_HTML, REMOTE_PAGE_SCRIPT } from './remote-page';

export interface RemoteHostOptions {
  dispatcher: Dispatcher;
  events: EventHub;
  logger: Logger;
  pairing: RemotePairing;
  /** 127.0.0.1 (tests, "this computer only") or the LAN address the user switched on. */
  host: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RemoteHost {
  readonly url: string;
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

const MAX_URL_CHARS = 512;
const MAX_PAIR_BODY_BYTES = 1024;
const MAX_MESSAGE_BYTES = 16 * 1024;
/** A phone that stops reading gets no more events past this, and is closed past twice this. */
const EVENT_BUFFER_CAP_BYTES = 1024 * 1024;
const COOKIE_PREFIX = 'mixdeck-remote-';
const REVOKED_REASON = 'This phone is no longer paired. Pair it again.';

const PairBodySchema = z.object({ code: z.string().max(16), name: z.string().max(120).default('Phone') }).strict();
const NoInputSchema = z.object({}).strict();

/** The allowed calls, each with the only input a phone may give it (a phone never picks a folder). */
const ALLOWED_INPUTS: Record<(typeof REMOTE_ALLOWED_CALLS)[number], z.ZodType> = {
  'broadcast.status': NoInputSchema,
  'broadcast.goLive': NoInputSchema,
  'broadcast.end': NoInputSchema,
  'broadcast.tracklist': NoInputSchema,
  'remote.player': RemotePlayerInputSchema,
};

const isAllowedCall = (name: string): name is (typeof REMOTE_ALLOWED_CALLS)[number] => (REMOTE_ALLOWED_CALLS as readonly string[]).includes(name);
/** JSON replacer: an absolute path becomes its file name alone (the recording's name, not its folder). */
function withoutLocalFolders(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !(value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value))) return value;
  const name = value.split(/[\\/]/).filter((part) => part !== '').pop();
  return name ?? null;
}

const isForwardedEvent = (name: string): boolean => (REMOTE_FORWARDED_EVENTS as readonly string[]).includes(name);

function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function parseJsonOrNull(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** Names from a phone are shown in the log, trimmed to what a call name can look like. */
const loggable = (name: unknown): string => String(name).replace(/[^\w.-]/g, '?').slice(0, 64);

function securityHeaders(origin: string): Record<string, string> {
  const wsOrigin = origin.replace(/^http/, 'ws');
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ${wsOrigin}; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/**
 * The phone remote's own listener, apart from the loopback web host: a small page, a pairing
 * endpoint, and a WebSocket that carries only REMOTE_ALLOWED_CALLS out and REMOTE_FORWARDED_EVENTS
 * in. The Host header must name this listener and a WebSocket's or pairing request's Origin must be
 * its own; the device token (an HttpOnly cookie) is checked on the upgrade and again on every
 * message, and a revoked device's sockets are closed at once. Every refused call is logged.
 */
export async function startRemoteHost(options: RemoteHostOptions): Promise<RemoteHost> {
  const { dispatcher, events, logger, pairing } = options;
  let port = 0;
  const allowedHosts = (): string[] => (options.host === '127.0.0.1' ? [`127.0.0.1:${port}`, `localhost:${port}`] : [`${options.host}:${port}`]);
  const cookieName = (): string => `${COOKIE_PREFIX}${port}`;

  const answer = (response: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void => {
    if (response.headersSent) return void response.destroy();
    const bytes = Buffer.from(body, 'utf8');
    response.writeHead(status, { ...securityHeaders(`http://${allowedHosts()[0]}`), 'Content-Type': type, 'Content-Length': String(bytes.length), ...extra });
    response.end(bytes);
  };
  const json = (response: ServerResponse, status: number, value: unknown, extra?: Record<string, string>): void =>
    answer(response, status, 'application/json; charset=utf-8', JSON.stringify(value), extra);

  const readBody = (request: IncomingMessage): Promise<string | null> =>
    new Promise((resolveBody) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PAIR_BODY_BYTES) {
          resolveBody(null);
          request.destroy();
        } else chunks.push(chunk);
      });
      request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
      request.on('error', () => resolveBody(null));
    });

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const host = request.headers.host ?? '';
    if (!allowedHosts().includes(host)) return answer(response, 421, 'text/plain; charset=utf-8', 'Wrong host name for this server.');
    const url = request.url ?? '/';
    if (url.length > MAX_URL_CHARS) return answer(response, 414, 'text/plain; charset=utf-8', 'That address is too long.');
    const path = url.split('?')[0];
    if (request.method === 'POST' && path === '/pair') {
      if (request.headers.origin !== `http://${host}`) {
        logger.warn('refused a pairing request from another page', { origin: loggable(request.headers.origin ?? '') });
        return json(response, 403, { message: 'Pair from the remote page Mixdeck served.' });
      }
      const text = await readBody(request);
      const parsed = PairBodySchema.safeParse(parseJsonOrNull(text));
      if (!parsed.success) return json(response, 400, { message: 'Send the six-digit code shown on the laptop.' });
      const result = pairing.pair(parsed.data.code, parsed.data.name);
      if (!result.ok) {
        logger.warn('refused a pairing attempt', { reason: result.reason });
        return json(response, 403, { message: result.reason });
      }
      logger.info('a phone paired with the remote', { device: result.device.id, name: result.device.name });
      const maxAgeSec = Math.max(1, Math.floor((result.device.expiresAtMs - Date.now()) / 1000));
      return json(response, 200, { device: result.device }, { 'Set-Cookie': `${cookieName()}=${result.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}` });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD here.');
    if (path === '/' || path === '/index.html') return answer(response, 200, 'text/html; charset=utf-8', REMOTE_PAGE_HTML);
    if (path === '/remote.js') return answer(response, 200, 'text/javascript; charset=utf-8', REMOTE_PAGE_SCRIPT);
    if (path === '/remote.css') return answer(response, 200, 'text/css; charset=utf-8', REMOTE_PAGE_CSS);
    // Browsers ask for an icon on their own; "none" is an answer, not an error.
    if (path === '/favicon.ico') return answer(response, 204, 'text/plain; charset=utf-8', '');
    if (path === '/session') {
      const device = pairing.verify(cookieValue(request.headers.cookie, cookieName()));
      return json(response, 200, device ? { paired: true, device: { name: device.name, expiresAtMs: device.expiresAtMs } } : { paired: false });
    }
    return answer(response, 404, 'text/plain; charset=utf-8', 'Not found.');
  };

  const server: Server = createServer({ requireHostHeader: false }, (request, response) => {
    response.on('error', (error) => logger.warn('a remote response failed', { error: error.message }));
    route(request, response).catch((error: unknown) => {
      logger.error('a remote request failed', { error });
      answer(response, 500, 'text/plain; charset=utf-8', 'Mixdeck could not answer this request; the details are in its log.');
    });
  });
  server.on('clientError', (_error: Error, socket: Socket) => socket.destroy());

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(REMOTE_WS_SUBPROTOCOL) ? REMOTE_WS_SUBPROTOCOL : false),
  });
  /** Each open socket and the token it brought (checked again on every message). */
  const sockets = new Map<WebSocket, { deviceId: string; token: string }>();

  const refuseUpgrade = (socket: Duplex, status: number, message: string): void => {
    socket.end(`HTTP/1.1 ${status} Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const host = request.headers.host ?? '';
    const path = (request.url ?? '').split('?')[0]!;
    let refusal: string | null = null;
    if (path !== REMOTE_WS_PATH) refusal = 'Not a Mixdeck remote address.';
    else if (!allowedHosts().includes(host)) refusal = 'Wrong host name for this server.';
    else if (request.headers.origin !== `http://${host}`) refusal = 'Only the remote page Mixdeck served may connect.';
    const token = cookieValue(request.headers.cookie, cookieName());
    const device = refusal ? null : pairing.verify(token);
    if (!refusal && !device) refusal = 'This phone is not paired, or its pairing expired or was revoked.';
    if (refusal || !device || !token) {
      // Never the cookie: it is the token.
      logger.warn('refused a remote connection', { path: loggable(path), origin: loggable(request.headers.origin ?? ''), reason: refusal });
      return refuseUpgrade(socket, 403, refusal ?? 'Refused.');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.set(ws, { deviceId: device.id, token });
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (error) => logger.warn('remote WebSocket error', { error: error.message }));
      ws.on('message', (data, isBinary) => {
        handleMessage(ws, isBinary ? null : String(data)).catch((error: unknown) => {
          logger.error('a remote message failed', { error });
          send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'internal', message: 'Something went wrong inside Mixdeck; the details are in its log.' } } });
        });
      });
    });
  });

  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > 2 * EVENT_BUFFER_CAP_BYTES) return void ws.terminate();
    if (message.t === 'event' && ws.bufferedAmount > EVENT_BUFFER_CAP_BYTES) return;
    // A phone learns what the set is doing, never where the laptop keeps its files.
    ws.send(JSON.stringify(message, withoutLocalFolders));
  };

  const closeRevoked = (ws: WebSocket): void => {
    sockets.delete(ws);
    ws.close(REMOTE_REVOKED_CLOSE_CODE, REVOKED_REASON);
    setTimeout(() => ws.terminate(), 2000).unref();
  };

  const refused = (message: string): Reply<never> => ({ ok: false, error: { code: 'forbidden', message } });

  const handleMessage = async (ws: WebSocket, text: string | null): Promise<void> => {
    const session = sockets.get(ws);
    const device = session ? pairing.verify(session.token) : null;
    if (!session || !device) return closeRevoked(ws);
    let parsedJson: unknown;
    try {
      if (text === null) throw new Error('binary');
      parsedJson = JSON.parse(text);
    } catch {
      return send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be JSON text.' } } });
    }
    const message = ClientMessageSchema.safeParse(parsedJson);
    if (!message.success) return send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be {t:"call", id, name, input}.' } } });
    const { id, name, input } = message.data;
    if (!isAllowedCall(name)) {
      logger.warn('refused a remote call outside its allow-list', { name: loggable(name), device: device.id });
      return send(ws, { t: 'reply', id, reply: refused(`The remote cannot use "${loggable(name)}".`) });
    }
    const checked = ALLOWED_INPUTS[name].safeParse(input ?? {});
    if (!checked.success) {
      logger.warn('refused a remote call with input outside its allow-list', { name, device: device.id });
      return send(ws, { t: 'reply', id, reply: refused('The remote sends this call without settings of its own.') });
    }
    logger.info('remote call', { name, device: device.id });
    if (name === 'remote.player') {
      const { action, value } = checked.data as z.infer<typeof RemotePlayerInputSchema>;
      // The desktop page's player already acts on controller actions; a phone is one more controller.
      events.emit('midi.action', { action, slot: null, value, note: null, device: `Phone remote (${device.name})` });
      return send(ws, { t: 'reply', id, reply: { ok: true, value: { action } } });
    }
    const reply = await dispatcher.dispatch(name, checked.data, { transport: 'web', origin: `remote:${device.id}` });
    send(ws, { t: 'reply', id, reply });
  };

  const offRevoke = pairing.onRevoke((deviceId) => {
    for (const [ws, session] of sockets) if (session.deviceId === deviceId) closeRevoked(ws);
  });
  const unsubscribe = events.subscribe((name, payload) => {
    if (!isForwardedEvent(name)) return;
    for (const ws of sockets.keys()) send(ws, { t: 'event', name, payload });
  });
  // Expiry happens without any message; look once a minute so an expired phone's socket closes too.
  const expiryTimer = setInterval(() => {
    for (const [ws, session] of sockets) if (!pairing.verify(session.token)) closeRevoked(ws);
  }, 60_000);
  expiryTimer.unref();

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  server.on('error', (error) => logger.error('the remote listener reported an error', { error }));
  port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}/`;
  logger.info('phone remote listening', { url });

  return {
    url,
    port,
    get connections() {
      return sockets.size;
    },
    async close() {
      clearInterval(expiryTimer);
      offRevoke();
      unsubscribe();
      for (const ws of sockets.keys()) ws.terminate();
      sockets.clear();
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      logger.info('phone remote stopped');
    },
  };
}
