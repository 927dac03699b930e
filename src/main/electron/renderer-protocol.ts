import { readFile } from 'node:fs/promises';
import { contentTypeOf, pageSecurityHeaders, resolveStaticFile } from '../host/static-files';
import type { Logger } from '../services/log/logger';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-origin';

/** The part of a protocol request the handler reads; Electron passes a full fetch Request. */
export interface AppProtocolRequest {
  readonly url: string;
  readonly method: string;
}

export interface RendererProtocolOptions {
  /** The built renderer (out/renderer); nothing outside it is ever served. */
  rootDir: string;
  contentSecurityPolicy: string;
  logger: Logger;
  /** Serves /media/… (library audio and covers, see media-protocol.ts); without it those paths are 404. */
  media?: (request: AppProtocolRequest) => Promise<Response>;
}

/** The same security headers the web host sends, so the page runs under one policy in both hosts. */
export function appProtocolHeaders(contentSecurityPolicy: string): Record<string, string> {
  return pageSecurityHeaders(contentSecurityPolicy);
}

/**
 * Maps an app:// URL to a file inside `rootDir`, or null: wrong scheme or host, encoded or plain
 * `..` escapes, backslashes, NUL and symlinks out of the folder are all refused
 * (resolveStaticFile, shared with the web host, does the path checks).
 */
export function rendererFileFor(rootDir: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  try {
    return resolveStaticFile(rootDir, url.pathname);
  } catch {
    // The folder itself is missing (the renderer was not built): nothing to serve.
    return null;
  }
}

/** The app:// handler: GET and HEAD for files of the built renderer, 404 for anything else. */
export function createRendererRequestHandler(options: RendererProtocolOptions): (request: AppProtocolRequest) => Promise<Response> {
  const headers = appProtocolHeaders(options.contentSecurityPolicy);
  const plain = (status: number, text: string): Response =>
    new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    if (options.media && request.url.startsWith(`${APP_ORIGIN}/media/`)) return options.media(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET and HEAD.');
    const file = rendererFileFor(options.rootDir, request.url);
    if (!file) {
      options.logger.warn('app:// request refused', { url: request.url.slice(0, 200) });
      return plain(404, 'Not found.');
    }
    try {
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' } });
    } catch (error) {
      options.logger.error('app:// file could not be read', { url: request.url.slice(0, 200), error });
      return plain(404, 'Not found.');
    }
  };
}

/** The part of Electron's `protocol` used here; the real one fits. */
export interface AppProtocolRegistry {
  handle(scheme: string, handler: (request: AppProtocolRequest) => Promise<Response>): void;
}

/** Registers the handler for app:// on a session's protocol object (after `app` is ready). */
export function serveRendererOverAppProtocol(protocol: AppProtocolRegistry, options: RendererProtocolOptions): void {
  protocol.handle(APP_SCHEME, createRendererRequestHandler(options));
}
