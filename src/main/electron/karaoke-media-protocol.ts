import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MediaFileResolver } from '../host/karaoke-media';
import { contentTypeOfMedia } from '../services/media/content-types';
import { fileMediaResponse, plainMediaResponse } from './media-protocol';
import type { AppProtocolRequest } from './renderer-protocol';

type MediaHandler = (request: AppProtocolRequest & { headers?: Headers }) => Promise<Response>;

/**
 * Karaoke songs' audio, video and images at app://mixdeck/media/karaoke/<song>/<kind>, the
 * path the web host serves too; anything else goes on to `next` (the library's media).
 * The file comes from the karaoke library (an id the import checked, inside the song's folder).
 */
export function withKaraokeMedia(resolver: () => MediaFileResolver | null, next: MediaHandler, securityHeaders: Record<string, string>): MediaHandler {
  const plain = (status: number, text: string): Response => plainMediaResponse(status, text, securityHeaders);
  return async (request) => {
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return next(request);
    }
    if (!pathname.startsWith('/media/karaoke/')) return next(request);
    const resolve = resolver();
    if (!resolve) return plain(503, 'Mixdeck is still starting.');
    const path = await resolve(pathname).catch(() => null);
    const info = path ? await stat(path).catch(() => null) : null;
    if (!path || !info?.isFile()) return plain(404, 'This song has no such file.');
    return fileMediaResponse({ path, contentType: contentTypeOfMedia(extname(path).toLowerCase()), sizeBytes: info.size, modifiedMs: info.mtimeMs }, request, securityHeaders);
  };
}
