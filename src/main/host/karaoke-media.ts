import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KARAOKE_MEDIA_KINDS, type KaraokeMediaKind } from '../services/karaoke/karaoke-library';
import { CONTENT_TYPES } from './static-files';

/** Finds the file behind a media URL path: a path, null (known URL, no such file) or undefined (not this resolver's URL). */
export type MediaFileResolver = (urlPath: string) => Promise<string | null | undefined>;

const KARAOKE_MEDIA_PATH = /^\/media\/karaoke\/(\d{1,12})\/([a-z]+)$/;

export function parseKaraokeMediaPath(urlPath: string): { songId: number; kind: KaraokeMediaKind } | null {
  const match = KARAOKE_MEDIA_PATH.exec(urlPath.split('?')[0]!);
  if (!match || !(KARAOKE_MEDIA_KINDS as readonly string[]).includes(match[2]!)) return null;
  return { songId: Number(match[1]), kind: match[2] as KaraokeMediaKind };
}

const EXTRA_TYPES: Record<string, string> = { '.jpeg': 'image/jpeg', '.mkv': 'video/x-matroska', '.avi': 'video/x-msvideo', '.mov': 'video/quicktime', '.m4v': 'video/mp4', '.ogv': 'video/ogg' };

/**
 * Serves a song's audio, video or image by id (the page never sees a file path), with byte
 * ranges so video can seek. Only files the database names are reachable: the resolver maps an
 * id to a path the import checked to lie in the song's own folder.
 */
export async function serveMediaFile(
  request: IncomingMessage,
  response: ServerResponse,
  resolver: MediaFileResolver,
  headers: Record<string, string>,
): Promise<boolean> {
  const urlPath = (request.url ?? '').split('?')[0]!;
  if (!urlPath.startsWith('/media/')) return false;
  const path = await resolver(urlPath);
  if (path === undefined) return false;
  const info = path ? await stat(path).catch(() => null) : null;
  if (!path || !info?.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    response.end('This song has no such file.');
    return true;
  }
  const extension = extname(path).toLowerCase();
  const type = CONTENT_TYPES[extension] ?? EXTRA_TYPES[extension] ?? 'application/octet-stream';
  const common = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', ...headers };
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
  let start = 0;
  let end = info.size - 1;
  if (range && (range[1] || range[2])) {
    start = range[1] ? Number(range[1]) : Math.max(0, info.size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
    if (start > end || start >= info.size) {
      response.writeHead(416, { ...common, 'Content-Range': `bytes */${info.size}` });
      response.end();
      return true;
    }
    response.writeHead(206, { ...common, 'Content-Range': `bytes ${start}-${end}/${info.size}`, 'Content-Length': String(end - start + 1) });
  } else {
    response.writeHead(200, { ...common, 'Content-Length': String(info.size) });
  }
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  createReadStream(path, { start, end }).on('error', () => response.destroy()).pipe(response);
  return true;
}
