import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import { startWebHost, type WebHost } from './web-host';

/** As the user's browser asks: with the session cookie that the launch address gave it. */
const fetchAsPage = (url: string, init: RequestInit = {}): Promise<Response> => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie: host.sessionCookie } });

const temp = makeTempDir();
const audio = Buffer.from(Array.from({ length: 5000 }, (_, index) => (index * 7) % 256));
let core: AppCore;
let host: WebHost;
let songId: number;

beforeAll(async () => {
  const staticDir = join(temp.path, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  const songDir = join(temp.path, 'songs', 'Song');
  mkdirSync(songDir, { recursive: true });
  writeFileSync(join(songDir, 'song.txt'), '#TITLE:Song\n#ARTIST:Me\n#AUDIO:song.ogg\n#BACKGROUND:../../secret.jpg\n#COVER:cover.jpg\n#VIDEO:empty.mp4\n#BPM:200\n: 0 4 0 la\nE\n');
  writeFileSync(join(songDir, 'song.ogg'), audio);
  writeFileSync(join(songDir, 'empty.mp4'), '');
  writeFileSync(join(temp.path, 'secret.jpg'), 'not for the page');
  // A cover that is a symlink to a private key outside the song's folder.
  mkdirSync(join(temp.path, '.ssh'));
  writeFileSync(join(temp.path, '.ssh', 'id_rsa'), 'PRIVATE KEY');
  symlinkSync(join(temp.path, '.ssh', 'id_rsa'), join(songDir, 'cover.jpg'));
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  host = await startWebHost({ ...core, staticDir });
  const context = { transport: 'web' as const, origin: host.url };
  core.grantPicked(join(temp.path, 'songs'), 'folder', 'song-folder');
  await core.dispatcher.dispatch('karaoke.importFolder', { folderPath: join(temp.path, 'songs') }, context);
  const listed = await core.dispatcher.dispatch('karaoke.listSongs', {}, context);
  songId = (listed as { ok: true; value: { songs: { id: number }[] } }).value.songs[0]!.id;
});

afterAll(async () => {
  await host.close();
  await core.close();
  temp.remove();
});

describe('the web host’s /media/karaoke/ route', () => {
  it('serves a song’s audio by id, whole and by Range, under the page’s security headers', async () => {
    const whole = await fetchAsPage(`${host.url}media/karaoke/${songId}/audio`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(whole.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(audio);
    const part = await fetchAsPage(`${host.url}media/karaoke/${songId}/audio`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/5000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(audio.subarray(100, 200));
  });

  it('answers every Range shape by HTTP’s rules, the zero-byte file included, and keeps serving', async () => {
    const audioUrl = `${host.url}media/karaoke/${songId}/audio`;
    const statusOf = async (url: string, range: string): Promise<[number, string | null]> => {
      const response = await fetchAsPage(url, { headers: { range } });
      await response.arrayBuffer();
      return [response.status, response.headers.get('content-range')];
    };
    expect(await statusOf(audioUrl, 'bytes=-100')).toEqual([206, 'bytes 4900-4999/5000']);
    expect(await statusOf(audioUrl, 'bytes=4990-')).toEqual([206, 'bytes 4990-4999/5000']);
    expect(await statusOf(audioUrl, 'bytes=5000-')).toEqual([416, 'bytes */5000']);
    expect(await statusOf(audioUrl, 'bytes=-0')).toEqual([416, 'bytes */5000']);
    expect(await statusOf(audioUrl, 'bytes=0-1,5-9')).toEqual([200, null]);
    expect(await statusOf(audioUrl, 'bytes=9-2')).toEqual([200, null]);
    expect(await statusOf(audioUrl, 'pages=1-2')).toEqual([200, null]);
    expect(await statusOf(audioUrl, `bytes=0-${'9'.repeat(400)}`)).toEqual([206, 'bytes 0-4999/5000']);
    const emptyUrl = `${host.url}media/karaoke/${songId}/video`;
    for (const range of ['', 'bytes=0-', 'bytes=0-0', 'bytes=-1', 'bytes=-0', 'bytes=5-9']) {
      const [status, contentRange] = await statusOf(emptyUrl, range);
      if (range === '') expect(status, 'no range').toBe(200);
      else expect([status, contentRange], range).toEqual([416, 'bytes */0']);
    }
    const head = await fetchAsPage(emptyUrl, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '0']);
    expect((await fetchAsPage(host.url)).status).toBe(200);
  });

  it('refuses a song file whose real path leaves the song’s folder (a cover linked to a key file)', async () => {
    const cover = await fetchAsPage(`${host.url}media/karaoke/${songId}/cover`);
    expect(cover.status).toBe(404);
    expect(await cover.text()).toBe('This song has no such file.');
  });

  it('never serves a file outside the song’s folder, an unknown song or a made-up kind', async () => {
    // The song names a background that climbs out of its folder: the import dropped it.
    expect((await fetchAsPage(`${host.url}media/karaoke/${songId}/background`)).status).toBe(404);
    expect((await fetchAsPage(`${host.url}media/karaoke/999/audio`)).status).toBe(404);
    expect((await fetchAsPage(`${host.url}media/karaoke/${songId}/passwd`)).status).toBe(404);
    expect((await fetchAsPage(`${host.url}media/karaoke/${songId}/..%2F..%2Fsecret.jpg`)).status).toBe(404);
  });
});
