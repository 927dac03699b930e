import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import { startWebHost, type WebHost } from './web-host';

/** A raw request: the path goes on the wire exactly as written (no URL normalisation). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolveRequest, rejectRequest) => {
    // With the session cookie the launch address gave the user's browser.
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, cookie: host.sessionCookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveRequest({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', rejectRequest);
    req.end();
  });
}

const temp = makeTempDir();
const music = join(temp.path, 'music');
const secret = join(temp.path, 'secret.mp3');
let core: AppCore;
let host: WebHost;
let trackId: number;
let coverTrackId: number;
let audio: Buffer;

beforeAll(async () => {
  const staticDir = join(temp.path, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  mkdirSync(music);
  writeFileSync(secret, 'not for the page');
  const cover = join(temp.path, 'cover.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=red:size=32x32', '-frames:v', '1', cover]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-metadata', 'title=Plain', join(music, 'plain.flac')]);
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=1', '-i', cover,
    '-map', '0', '-map', '1', '-c:v', 'png', '-disposition:v', 'attached_pic', '-metadata', 'title=Covered', join(music, 'covered.mp3'),
  ]);
  audio = readFileSync(join(music, 'plain.flac'));
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  host = await startWebHost({ ...core, staticDir, port: 0 });
  core.grantPicked(music, 'folder', 'music-folder');
  const added = await core.dispatcher.dispatch('library.folders.add', { path: music, scan: false }, { transport: 'web', origin: 'test' });
  expect(added.ok).toBe(true);
  const scan = await core.dispatcher.dispatch('library.scan', {}, { transport: 'web', origin: 'test' });
  expect(scan.ok).toBe(true);
  // Wait for the worker to finish.
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const status = await core.dispatcher.dispatch('library.scanStatus', {}, { transport: 'web', origin: 'test' });
    if (status.ok && (status.value as { progress: { state: string } | null }).progress?.state === 'done') break;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  const found = await core.dispatcher.dispatch('library.search', { query: '', sort: 'title' }, { transport: 'web', origin: 'test' });
  const rows = (found as { ok: true; value: { rows: { id: number; title: string; hasCover: boolean }[] } }).value.rows;
  expect(rows.map((row) => row.title)).toEqual(['Covered', 'Plain']);
  trackId = rows.find((row) => row.title === 'Plain')!.id;
  coverTrackId = rows.find((row) => row.title === 'Covered')!.id;
  expect(rows.find((row) => row.title === 'Covered')!.hasCover).toBe(true);
}, 60_000);

afterAll(async () => {
  await host?.close();
  await core?.close();
  temp.remove();
});

describe('the web host media route', () => {
  it('serves a library track whole, with its type and Accept-Ranges', async () => {
    const response = await get(host.port, `/media/track/${trackId}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('audio/flac');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.body.equals(audio)).toBe(true);
  });

  it('answers Range requests with 206 and Content-Range', async () => {
    const first = await get(host.port, `/media/track/${trackId}`, { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${audio.length}`);
    expect(first.body.equals(audio.subarray(0, 100))).toBe(true);
    const open = await get(host.port, `/media/track/${trackId}`, { range: `bytes=${audio.length - 10}-` });
    expect(open.status).toBe(206);
    expect(open.body.equals(audio.subarray(audio.length - 10))).toBe(true);
    const suffix = await get(host.port, `/media/track/${trackId}`, { range: 'bytes=-20' });
    expect(suffix.headers['content-range']).toBe(`bytes ${audio.length - 20}-${audio.length - 1}/${audio.length}`);
    expect(suffix.body.equals(audio.subarray(audio.length - 20))).toBe(true);
  });

  it('answers 416 for a range past the end', async () => {
    const response = await get(host.port, `/media/track/${trackId}`, { range: `bytes=${audio.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${audio.length}`);
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await get(host.port, `/media/track/${trackId}`, {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(audio.length));
    expect(response.body.length).toBe(0);
  });

  it('serves embedded cover art extracted at scan time', async () => {
    const response = await get(host.port, `/media/cover/${coverTrackId}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.body.subarray(1, 4).toString()).toBe('PNG');
    expect((await get(host.port, `/media/cover/${trackId}`)).status).toBe(404);
  });

  it.each([
    '/media/track/../../secret.mp3',
    '/media/track/%2e%2e%2f%2e%2e%2fsecret.mp3',
    '/media/track/..%2fsecret.mp3',
    `/media/track/${encodeURIComponent('/etc/passwd')}`,
    '/media//etc/passwd',
    '/media/track//etc/passwd',
    '/media/track/0',
    '/media/track/-1',
    '/media/track/01',
    '/media/track/1.5',
    '/media/track/1e3',
    '/media/file/1',
    '/media/track/1/extra',
    '/media/track/99999999',
  ])('refuses %s', async (path) => {
    const response = await get(host.port, path);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('not for the page');
  });

  it('refuses a track whose file became a symlink out of the folder, or whose path leads out', async () => {
    const direct = new Database(join(temp.path, 'data', 'mixdeck.db'));
    const folderId = direct.prepare('SELECT id FROM library_folders').pluck().get() as number;
    symlinkSync(secret, join(music, 'link.mp3'));
    const insert = direct.prepare(`INSERT INTO tracks (path, folder_id, title, added_at) VALUES (?, ?, ?, 0)`);
    const viaLink = Number(insert.run(join(music, 'link.mp3'), folderId, 'Link').lastInsertRowid);
    const viaDots = Number(insert.run(`${music}/../secret.mp3`, folderId, 'Dots').lastInsertRowid);
    const viaAbsolute = Number(insert.run(secret, folderId, 'Absolute').lastInsertRowid);
    direct.close();
    for (const id of [viaLink, viaDots, viaAbsolute]) {
      const response = await get(host.port, `/media/track/${id}`);
      expect(response.status).toBe(403);
      expect(response.body.toString()).toContain('outside the library');
      expect(response.body.toString()).not.toContain('not for the page');
    }
  });

  it('refuses other methods and other host names', async () => {
    expect((await get(host.port, `/media/track/${trackId}`, {}, 'POST')).status).toBe(405);
    expect((await get(host.port, `/media/track/${trackId}`, { host: 'evil.example:80' })).status).toBe(421);
  });
});
