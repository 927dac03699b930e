import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import { startWebHost, type WebHost } from './web-host';

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
  writeFileSync(join(songDir, 'song.txt'), '#TITLE:Song\n#ARTIST:Me\n#AUDIO:song.ogg\n#BACKGROUND:../../secret.jpg\n#BPM:200\n: 0 4 0 la\nE\n');
  writeFileSync(join(songDir, 'song.ogg'), audio);
  writeFileSync(join(temp.path, 'secret.jpg'), 'not for the page');
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
    const whole = await fetch(`${host.url}media/karaoke/${songId}/audio`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(whole.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(audio);
    const part = await fetch(`${host.url}media/karaoke/${songId}/audio`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/5000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(audio.subarray(100, 200));
  });

  it('never serves a file outside the song’s folder, an unknown song or a made-up kind', async () => {
    // The song names a background that climbs out of its folder: the import dropped it.
    expect((await fetch(`${host.url}media/karaoke/${songId}/background`)).status).toBe(404);
    expect((await fetch(`${host.url}media/karaoke/999/audio`)).status).toBe(404);
    expect((await fetch(`${host.url}media/karaoke/${songId}/passwd`)).status).toBe(404);
    expect((await fetch(`${host.url}media/karaoke/${songId}/..%2F..%2Fsecret.jpg`)).status).toBe(404);
  });
});
