import { realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

/**
 * The security headers every page response carries, from the web host and from Electron's
 * app:// protocol alike, so the page runs under one policy whichever host serves it —
 * including cross-origin isolation, which gives audio worklets SharedArrayBuffer.
 */
export function pageSecurityHeaders(contentSecurityPolicy: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(self), midi=(self), geolocation=(), payment=(), usb=()',
  };
}

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Longer URL paths are refused before they reach the file system. */
export const MAX_STATIC_PATH_CHARS = 1024;

/**
 * Maps a URL path to a file inside `root`, or null. Decodes once, refuses NUL, `..` escapes
 * (encoded or not) and symlinks that lead outside the folder. Never throws: a path the file
 * system cannot look up (a file used as a folder, a name too long, a loop) is simply not found.
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  if (urlPath.length > MAX_STATIC_PATH_CHARS) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  try {
    const realRoot = realpathSync(resolve(root));
    const candidate = resolve(realRoot, relative);
    if (candidate !== realRoot && !candidate.startsWith(realRoot + sep)) return null;
    const stats = statSync(candidate, { throwIfNoEntry: false });
    if (!stats?.isFile()) return null;
    const real = realpathSync(candidate);
    if (!real.startsWith(realRoot + sep)) return null;
    return real;
  } catch {
    // ENOTDIR (/index.html/x), ENAMETOOLONG, ELOOP, EACCES: there is no such file to serve.
    return null;
  }
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

