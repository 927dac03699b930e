import { servableKaraokeFile, type MediaFileResolver } from '../host/karaoke-media';
import { fileMediaResponse, plainMediaResponse } from './media-protocol';
import type { AppProtocolRequest } from './renderer-protocol';

type MediaHandler = (request: AppProtocolRequest & { headers?: Headers }) => Promise<Response>;

/**
 * Karaoke songs' audio, video and images at app://mixdeck/media/karaoke/<song>/<kind>, the
 * path the web host serves too; anything else goes on to `next` (the library's media).
 * The file is found and checked as the web host does it (host/karaoke-media: an id the import
 * checked, really inside the song's folder) and answered by the same Range implementation.
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
    const file = await servableKaraokeFile(resolve, pathname);
    if (!file) return plain(404, 'This song has no such file.');
    return fileMediaResponse(file, request, securityHeaders);
  };
}
