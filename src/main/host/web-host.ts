import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientMessageSchema, MixdeckError, WS_MAX_MESSAGE_BYTES, WS_PATH, type ServerMessage } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { Logger } from '../services/log/logger';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { serveMediaFile, type MediaFileResolver } from './karaoke-media';
import { contentTypeOf, pageSecurityHeaders, resolveStaticFile } from './static-files';
import { serveLibraryMedia } from './media-route';

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
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  /** How many pages are connected now. */
  readonly connections: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = pageSecurityHeaders(CONTENT_SECURITY_POLICY);

/**
 * The same contract as Electron's IPC, over a WebSocket on loopback, plus the built renderer
 * over HTTP. Guards against other sites in the user's browser: the Host header must name this
 * server (DNS rebinding) and a WebSocket's Origin must be this server's own.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { dispatcher, events, logger } = options;
  const hostName = options.host ?? '127.0.0.1';
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new MixdeckError('not-found', `The app is not built yet (no ${join(options.staticDir, 'index.html')}). Run "npm run build" first; "npm run web" does it for you.`);
  }
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((host) => `http://${host}`);

  const sendError = (response: ServerResponse, status: number, text: string): void => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end(text);
  };

  const serveStatic = (request: IncomingMessage, response: ServerResponse): void => {
    if (!allowedHosts().includes(request.headers.host ?? '')) return sendError(response, 421, 'Wrong host name for this server.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, 405, 'Only GET and HEAD.');
    if (options.karaokeMediaFiles && request.url?.startsWith('/media/karaoke/')) return void serveMediaFile(request, response, options.karaokeMediaFiles, SECURITY_HEADERS).then((served) => served || sendError(response, 404, 'Not found.'), () => sendError(response, 500, 'That file could not be read.'));
    if ((request.url ?? '').startsWith('/media/')) return void serveLibraryMedia(request, response, dispatcher, SECURITY_HEADERS, logger);
    const file = resolveStaticFile(options.staticDir, request.url ?? '/');
    if (!file) return sendError(response, 404, 'Not found.');
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  };

  const server: Server = createServer(serveStatic);
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    const origin = request.headers.origin ?? '';
    if (path !== WS_PATH || !allowedHosts().includes(request.headers.host ?? '') || !allowedOrigins().includes(origin)) {
      logger.warn('refused a WebSocket connection', { path, origin: origin.slice(0, 100) });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (error) => logger.warn('WebSocket error', { error }));
      ws.on('message', (data, isBinary) => void handleMessage(ws, data.toString(), isBinary, origin));
    });
  });

  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  const handleMessage = async (ws: WebSocket, text: string, isBinary: boolean, origin: string): Promise<void> => {
    let json: unknown;
    try {
      if (isBinary) throw new Error('binary');
      json = JSON.parse(text);
    } catch {
      send(ws, { t: 'reply', id: null, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be JSON text.' } } });
      return;
    }
    const message = ClientMessageSchema.safeParse(json);
    if (!message.success) {
      const rawId = (json as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 ? rawId : null;
      send(ws, { t: 'reply', id, reply: { ok: false, error: { code: 'bad-message', message: 'A message must be {t:"call", id, name, input}.' } } });
      return;
    }
    const reply = await dispatcher.dispatch(message.data.name, message.data.input, { transport: 'web', origin });
    send(ws, { t: 'reply', id: message.data.id, reply });
  };

  const unsubscribe = events.subscribe((name, payload) => {
    const text = JSON.stringify({ t: 'event', name, payload } satisfies ServerMessage);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, hostName === 'localhost' ? '127.0.0.1' : hostName, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${hostName}:${port}/`;
  logger.info('web host listening', { url });

  return {
    url,
    port,
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
