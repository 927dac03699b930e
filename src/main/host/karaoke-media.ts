import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, sep } from 'node:path';
import { KARAOKE_MEDIA_KINDS, type KaraokeMediaKind } from '../services/karaoke/karaoke-library';
import { contentTypeOfMedia } from '../services/media/content-types';
import type { ServableFile } from '../services/media/media-response';
import { answerFile, answerText } from './file-answer';
import { CONTENT_TYPES } from './static-files';

/** A song's file as the karaoke library names it, and the song's own folder it must lie in. */
export interface KaraokeMediaFile {
  path: string;
  songFolder: string;
}

/** Finds the file behind a media URL path: a file, null (known URL, no such file) or undefined (not this resolver's URL). */
export type MediaFileResolver = (urlPath: string) => Promise<KaraokeMediaFile | null | undefined>;

const KARAOKE_MEDIA_PATH = /^\/media\/karaoke\/(\d{1,12})\/([a-z]+)$/;

export function parseKaraokeMediaPath(urlPath: string): { songId: number; kind: KaraokeMediaKind } | null {
  const match = KARAOKE_MEDIA_PATH.exec(urlPath.split('?')[0]!);
  if (!match || !(KARAOKE_MEDIA_KINDS as readonly string[]).includes(match[2]!)) return null;
  return { songId: Number(match[1]), kind: match[2] as KaraokeMediaKind };
}

const VIDEO_TYPES: Record<string, string> = { '.mkv': 'video/x-matroska', '.avi': 'video/x-msvideo', '.mov': 'video/quicktime', '.m4v': 'video/mp4', '.ogv': 'video/ogg' };

function karaokeContentType(path: string): string {
  const extension = extname(path).toLowerCase();
  return CONTENT_TYPES[extension] ?? VIDEO_TYPES[extension] ?? contentTypeOfMedia(extension);
}

/**
 * The file behind a `/media/karaoke/<song>/<kind>` path, ready to serve: undefined when the path
 * is not karaoke's, null when the song has no such file. The file is followed to its real path,
 * which must lie inside the song folder's real path: a `cover.jpg` that is a symlink to a key
 * file elsewhere is refused. Shared by the web host and Electron's app:// protocol.
 */
export async function servableKaraokeFile(resolver: MediaFileResolver, urlPath: string): Promise<ServableFile | null | undefined> {
  const found = await resolver(urlPath).catch(() => null);
  if (found === undefined) return undefined;
  if (!found) return null;
  try {
    const [realFile, realFolder] = await Promise.all([realpath(found.path), realpath(found.songFolder)]);
    if (!realFile.startsWith(realFolder + sep)) return null;
    const info = await stat(realFile);
    if (!info.isFile()) return null;
    return { path: realFile, contentType: karaokeContentType(realFile), sizeBytes: info.size, modifiedMs: info.mtimeMs };
  } catch {
    return null;
  }
}

/**
 * Serves a song's audio, video or image by id (the page never sees a file path), with byte
 * ranges so video can seek. Answers false when the URL is not a karaoke media URL.
 */
export async function serveKaraokeMedia(
  request: IncomingMessage,
  response: ServerResponse,
  resolver: MediaFileResolver,
  securityHeaders: Record<string, string>,
): Promise<boolean> {
  const file = await servableKaraokeFile(resolver, (request.url ?? '').split('?')[0]!);
  if (file === undefined) return false;
  if (!file) answerText(response, 404, 'This song has no such file.', securityHeaders);
  else answerFile(request, response, file, securityHeaders);
  return true;
}
