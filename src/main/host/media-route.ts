import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallOutput } from '../../shared/contract';
import { parseMediaPath } from '../services/library/media-files';
import type { Logger } from '../services/log/logger';
import type { Dispatcher } from './dispatcher';
import { answerFile, answerText } from './file-answer';

const STATUS_OF_ERROR: Record<string, number> = { 'not-found': 404, forbidden: 403, 'invalid-input': 404 };

/**
 * GET/HEAD /media/track/<id> and /media/cover/<id>: a library file by track id, with Range.
 * The path check lives in the library service (library.mediaFile); anything that is not
 * exactly /media/<kind>/<positive integer> is refused before it is looked at.
 */
export async function serveLibraryMedia(
  request: IncomingMessage,
  response: ServerResponse,
  dispatcher: Dispatcher,
  securityHeaders: Record<string, string>,
  logger: Logger,
): Promise<void> {
  const plain = (status: number, text: string): void => answerText(response, status, text, securityHeaders);
  const target = parseMediaPath(request.url ?? '');
  if (!target) return plain(404, 'Not a library media address.');
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET and HEAD.');
  const reply = await dispatcher.dispatch('library.mediaFile', { kind: target.kind, id: target.trackId }, { transport: 'web', origin: 'media-route' });
  if (!reply.ok) {
    logger.warn('media request refused', { url: (request.url ?? '').slice(0, 100), code: reply.error.code });
    return plain(STATUS_OF_ERROR[reply.error.code] ?? 500, reply.error.message);
  }
  answerFile(request, response, reply.value as CallOutput<'library.mediaFile'>, securityHeaders);
}
