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
  /** The body of a 405 or 416, in words (a refusal is never an empty page). */
  refusal: string | null;
}

function refused(status: 405 | 416, text: string, headers: Record<string, string>): MediaResponse {
  return { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }, open: null, refusal: text };
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
  if (method !== 'GET' && method !== 'HEAD') return refused(405, 'Only GET and HEAD.', { Allow: 'GET, HEAD' });
  const range = parseRangeHeader(rangeHeader, file.sizeBytes);
  if (range === 'unsatisfiable') {
    return refused(416, `That byte range is not in this file, which has ${file.sizeBytes} bytes.`, { ...base, 'Content-Range': `bytes */${file.sizeBytes}` });
  }
  const head = method === 'HEAD';
  if (range === null) {
    return {
      status: 200,
      headers: { ...base, 'Content-Length': String(file.sizeBytes) },
      open: head || file.sizeBytes === 0 ? null : () => createReadStream(file.path),
      refusal: null,
    };
  }
  return {
    status: 206,
    headers: { ...base, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${file.sizeBytes}` },
    open: head ? null : () => createReadStream(file.path, { start: range.start, end: range.end }),
    refusal: null,
  };
}
