import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import { APP_SCHEME } from './app-origin';
import { CONTENT_SECURITY_POLICY } from './csp';
import { createLibraryMediaHandler } from './media-protocol';
import { appProtocolHeaders, serveRendererOverAppProtocol, type AppProtocolRequest } from './renderer-protocol';
import { FakeProtocol, recordingLogger } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

const temp = makeTempDir();
const music = join(temp.path, 'music');
const secret = join(temp.path, 'secret.wav');
let core: AppCore;
let handle: (request: AppProtocolRequest) => Promise<Response>;
let trackId: number;
let audio: Buffer;

beforeAll(async () => {
  const rendererDir = join(temp.path, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  mkdirSync(music);
  writeFileSync(secret, 'not for the page');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', join(music, 'tone.wav')]);
  audio = readFileSync(join(music, 'tone.wav'));
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'ipc', logLevel: 'error' });
  // The rows a scan writes, written directly: this test is about serving, not scanning.
  const db = new Database(join(temp.path, 'data', 'mixdeck.db'));
  const folderId = Number(db.prepare('INSERT INTO library_folders (path, added_at) VALUES (?, 0)').run(music).lastInsertRowid);
  const insert = db.prepare('INSERT INTO tracks (path, folder_id, title, added_at) VALUES (?, ?, ?, 0)');
  trackId = Number(insert.run(join(music, 'tone.wav'), folderId, 'Tone').lastInsertRowid);
  symlinkSync(secret, join(music, 'link.wav'));
  insert.run(join(music, 'link.wav'), folderId, 'Link');
  insert.run(`${music}/../secret.wav`, folderId, 'Dots');
  db.close();
  const protocol = new FakeProtocol();
  const logger = recordingLogger();
  serveRendererOverAppProtocol(protocol, {
    rootDir: rendererDir,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    logger,
    media: createLibraryMediaHandler(() => core.dispatcher, appProtocolHeaders(CONTENT_SECURITY_POLICY), logger),
  });
  handle = protocol.handlers.get(APP_SCHEME)!;
});

afterAll(async () => {
  await core.close();
  temp.remove();
});

describe('library media over app://mixdeck/media/…', () => {
  it('serves a library track by id, whole and by Range', async () => {
    const whole = await handle(new Request(`app://mixdeck/media/track/${trackId}`));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await whole.arrayBuffer()).equals(audio)).toBe(true);
    const part = await handle(new Request(`app://mixdeck/media/track/${trackId}`, { headers: { range: 'bytes=10-19' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${audio.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(audio.subarray(10, 20))).toBe(true);
    const past = await handle(new Request(`app://mixdeck/media/track/${trackId}`, { headers: { range: `bytes=${audio.length + 5}-` } }));
    expect(past.status).toBe(416);
  });

  it('refuses symlinks and paths out of the folder, ids not in the library, and odd paths', async () => {
    for (const id of [trackId + 1, trackId + 2]) {
      const response = await handle(new Request(`app://mixdeck/media/track/${id}`));
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('not for the page');
    }
    for (const url of [
      'app://mixdeck/media/track/999999',
      'app://mixdeck/media/track/%2e%2e%2fsecret.wav',
      'app://mixdeck/media/track/..%2F..%2Fsecret.wav',
      'app://mixdeck/media/track/-1',
      'app://mixdeck/media/cover/1',
    ]) {
      const response = await handle({ url, method: 'GET' });
      expect(response.status, url).toBe(404);
    }
  });
});
