import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';

const temp = makeTempDir();
let core: AppCore;
const context = { transport: 'web' as const, origin: 'http://127.0.0.1:1' };
const call = (name: string, input: unknown) => core.dispatcher.dispatch(name, input, context);
const events: string[] = [];

beforeAll(async () => {
  const songDir = join(temp.path, 'songs', 'One');
  mkdirSync(songDir, { recursive: true });
  writeFileSync(join(songDir, 'one.txt'), '#TITLE:One\n#ARTIST:Me\n#AUDIO:one.ogg\n#BPM:200\n: 0 4 0 la\nE\n');
  writeFileSync(join(songDir, 'one.ogg'), 'audio');
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  core.events.subscribe((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
  // As if the user had picked them in the folder dialog.
  core.grantPicked(join(temp.path, 'songs'), 'folder', 'song-folder');
  core.grantPicked(join(temp.path, 'nowhere'), 'folder', 'song-folder');
});

afterAll(async () => {
  await core.close();
  temp.remove();
});

describe('the karaoke capability through the dispatcher', () => {
  it('imports with progress events, then keeps a score and ranks it', async () => {
    const imported = await call('karaoke.importFolder', { folderPath: join(temp.path, 'songs') });
    expect(imported).toMatchObject({ ok: true, value: { added: 1, refused: [] } });
    expect(events.some((event) => event.startsWith('karaoke.importProgress') && event.includes('"filesDone":1'))).toBe(true);
    const listed = (await call('karaoke.listSongs', {})) as { ok: true; value: { songs: { id: number; title: string }[] } };
    const songId = listed.value.songs[0]!.id;
    const saved = await call('karaoke.saveScore', { songId, singerName: '  Ann ', difficulty: 'hard', score: 7000, notes: 6000, golden: 500, lineBonus: 500, lineRatings: [{ index: 0, rating: 'Great', points: 7000 }] });
    expect(saved).toMatchObject({ ok: true, value: { singerName: 'Ann', rank: 1, voiceIndex: 0 } });
    expect(await call('karaoke.leaderboard', { songId })).toMatchObject({ ok: true, value: { entries: [{ singerName: 'Ann', score: 7000 }] } });
  });

  it('lets the library player play an imported song: its audio URL is karaoke media, not a library-folder file', async () => {
    const listed = (await call('karaoke.listSongs', {})) as { ok: true; value: { songs: { id: number }[] } };
    const songId = listed.value.songs[0]!.id;
    const found = (await call('library.search', { query: 'One' })) as { ok: true; value: { rows: { id: number }[] } };
    expect(found.value.rows.map((row) => row.id)).toContain(songId);
    expect(await call('library.track', { id: songId })).toMatchObject({ ok: true, value: { audioUrl: `/media/karaoke/${songId}/audio` } });
    expect(await call('library.mediaUrls', { id: songId })).toMatchObject({ ok: true, value: { audioUrl: `/media/karaoke/${songId}/audio` } });
  });

  it('refuses bad input in words before any service sees it', async () => {
    const noName = await call('karaoke.saveScore', { songId: 1, singerName: '   ', difficulty: 'hard', score: 1, notes: 0, golden: 0, lineBonus: 0, lineRatings: [] });
    expect(noName).toMatchObject({ ok: false, error: { code: 'invalid-input', issues: [{ path: 'singerName', message: 'Give the singer a name' }] } });
    expect(await call('karaoke.saveScore', { songId: 1, singerName: 'A', difficulty: 'expert', score: 1, notes: 0, golden: 0, lineBonus: 0, lineRatings: [] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('karaoke.saveScore', { songId: 1, singerName: 'A', difficulty: 'easy', score: 10_001, notes: 0, golden: 0, lineBonus: 0, lineRatings: [] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await call('karaoke.setMicDelay', { delayMs: 5000 })).toMatchObject({ ok: false, error: { code: 'invalid-input', issues: [{ path: 'delayMs', message: expect.stringMatching(/over one second/) }] } });
    expect(await call('karaoke.importFolder', { folderPath: join(temp.path, 'nowhere') })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/does not exist/) } });
    expect(await call('karaoke.openSong', { songId: 424242 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keeps the measured microphone delay (140 ms until then)', async () => {
    expect(await call('karaoke.getMicDelay', {})).toMatchObject({ ok: true, value: { delayMs: 140, calibrated: false } });
    expect(await call('karaoke.setMicDelay', { delayMs: 95 })).toMatchObject({ ok: true, value: { delayMs: 95, calibrated: true } });
    expect(await call('karaoke.getMicDelay', {})).toMatchObject({ ok: true, value: { delayMs: 95 } });
  });
});
