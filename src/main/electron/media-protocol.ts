import { Readable } from 'node:stream';
import type { CallOutput } from '../../shared/contract';
import type { Dispatcher } from '../host/dispatcher';
import { parseMediaPath } from '../services/library/media-files';
import { mediaResponse, type ServableFile } from '../services/media/media-response';
import type { Logger } from '../services/log/logger';
import type { AppProtocolRequest } from './renderer-protocol';

const STATUS_OF_ERROR: Record<string, number> = { 'not-found': 404, forbidden: 403, 'invalid-input': 404 };

/** A short plain-text answer (a refusal, or "still starting") with the app's security headers. */
export function plainMediaResponse(status: number, text: string, securityHeaders: Record<string, string>): Response {
  return new Response(text, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** A file checked by its owner, answered whole or by Range (206/416) with the app's security headers. */
export function fileMediaResponse(file: ServableFile, request: AppProtocolRequest & { headers?: Headers }, securityHeaders: Record<string, string>): Response {
  const answer = mediaResponse(file, request.method, request.headers?.get('range') ?? undefined);
  const body = answer.open ? (Readable.toWeb(answer.open()) as ReadableStream<Uint8Array>) : request.method === 'HEAD' ? null : answer.refusal;
  return new Response(body, { status: answer.status, headers: { ...securityHeaders, ...answer.headers } });
}

/**
 * Library audio and covers on the page's own origin, app://mixdeck/media/<track|cover>/<id>,
 * the same path the web host serves: same-origin, so no CSP source, CORS or CORP exception is
 * needed, and the renderer uses one relative URL in both hosts. The path check is the
 * library service's (library.mediaFile); this only turns its answer into a Range response.
 */
export function createLibraryMediaHandler(
  dispatcher: () => Dispatcher | null,
  securityHeaders: Record<string, string>,
  logger: Logger,
): (request: AppProtocolRequest & { headers?: Headers }) => Promise<Response> {
  const plain = (status: number, text: string): Response => plainMediaResponse(status, text, securityHeaders);
  return async (request) => {
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return plain(404, 'Not found.');
    }
    const target = parseMediaPath(pathname);
    if (!target) return plain(404, 'Not a library media address.');
    const core = dispatcher();
    if (!core) return plain(503, 'Mixdeck is still starting.');
    const reply = await core.dispatch('library.mediaFile', { kind: target.kind, id: target.trackId }, { transport: 'ipc', origin: 'media-protocol' });
    if (!reply.ok) {
      logger.warn('media request refused', { url: request.url.slice(0, 100), code: reply.error.code });
      return plain(STATUS_OF_ERROR[reply.error.code] ?? 500, reply.error.message);
    }
    return fileMediaResponse(reply.value as CallOutput<'library.mediaFile'>, request, securityHeaders);
  };
}
