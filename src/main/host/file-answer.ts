import type { IncomingMessage, ServerResponse } from 'node:http';
import { mediaResponse, type ServableFile } from '../services/media/media-response';

/**
 * Answers an HTTP request with a file its owner checked: whole (200), by Range (206) or
 * "range not satisfiable" (416), by the one Range implementation Electron's protocol uses too
 * (services/media/media-response). Headers are written once; a read error or a client that
 * goes away ends the response and the file stream, never the process.
 */
export function answerFile(request: IncomingMessage, response: ServerResponse, file: ServableFile, securityHeaders: Record<string, string>): void {
  const answer = mediaResponse(file, request.method ?? 'GET', request.headers.range);
  response.writeHead(answer.status, { ...securityHeaders, ...answer.headers });
  if (!answer.open) return void response.end(request.method === 'HEAD' ? undefined : (answer.refusal ?? undefined));
  const stream = answer.open();
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
  stream.pipe(response);
}

/** A short plain-text answer (a refusal in words), unless an answer has already begun. */
export function answerText(response: ServerResponse, status: number, text: string, securityHeaders: Record<string, string>): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}
