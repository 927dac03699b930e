import { createReadStream, type ReadStream } from 'node:fs';
import { parseRangeHeader } from './content-types';

export interface ServableFile {
  path: string;
  contentType: string;
  sizeBytes: number;
  modifiedMs: number;
}

/** What to send back for a media request, the same for the web host and Electron's protocol. */
export interface MediaResponse {
  status: 200 | 206 | 405 | 416;
  headers: Record<string, string>;
  /** Null for HEAD, 405 and 416. */
  open: (() => ReadStream) | null;
}

/**
 * GET/HEAD of a library file with HTTP Range support (RFC 9110): `bytes=a-b`, `bytes=a-`
 * and `bytes=-n` answer 206 with Content-Range; a range past the end answers 416 with
 * `Content-Range: bytes * /size`; no (or an unusable) Range header answers 200 with all of it.
 */
export function mediaResponse(file: ServableFile, method: string, rangeHeader: string | undefined): MediaResponse {
  const base: Record<string, string> = {
    'Content-Type': file.contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-cache',
    'Last-Modified': new Date(file.modifiedMs).toUTCString(),
  };
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { Allow: 'GET, HEAD' }, open: null };
  const range = parseRangeHeader(rangeHeader, file.sizeBytes);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${file.sizeBytes}`, 'Content-Length': '0' }, open: null };
  }
  const head = method === 'HEAD';
  if (range === null) {
    return {
      status: 200,
      headers: { ...base, 'Content-Length': String(file.sizeBytes) },
      open: head || file.sizeBytes === 0 ? null : () => createReadStream(file.path),
    };
  }
  return {
    status: 206,
    headers: { ...base, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${file.sizeBytes}` },
    open: head ? null : () => createReadStream(file.path, { start: range.start, end: range.end }),
  };
}
