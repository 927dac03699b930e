import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { call, failure } from '../../../tests/support/core-calls';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { StudioProject } from '../../shared/studio';
import { decodeWav, encodeWav } from '../../audio-engine/studio/wav';
import { createAppCore, type AppCore } from '../app-core';
import { loadNodeStudioEngine } from '../cli/studio-node-audio';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('studio capability', () => {
  const temp = makeTempDir('mixdeck-studio-cap-');
  let core: AppCore;
  beforeAll(async () => {
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
  });
  afterAll(async () => {
    await core?.close();
    temp.remove();
  });

  it('creates, saves updates to, reopens, renames, shares and deletes a project', async () => {
    const created = await call(core, 'studio.create', { name: 'Sketch' });
    const page = StudioProject.fromUpdate(Buffer.from((await call(core, 'studio.open', { projectId: created.id })).stateBase64, 'base64'));
    expect(page.read().name).toBe('Sketch');
    const saves: Promise<unknown>[] = [];
    page.doc.on('update', (update: Uint8Array) => saves.push(call(core, 'studio.saveUpdate', { projectId: created.id, updateBase64: b64(update) })));
    page.addTrack({ kind: 'instrument', name: 'Keys' });
    page.setTempo(87);
    await Promise.all(saves);
    const reopened = StudioProject.fromUpdate(Buffer.from((await call(core, 'studio.open', { projectId: created.id })).stateBase64, 'base64'));
    expect(reopened.read()).toEqual(page.read());
    expect((await call(core, 'studio.rename', { projectId: created.id, name: 'Sketch 2' })).name).toBe('Sketch 2');
    const shared = await call(core, 'studio.setShare', { projectId: created.id, share: { serverUrl: 'ws://127.0.0.1:1234', room: 'sketch' } });
    expect(shared.share).toEqual({ serverUrl: 'ws://127.0.0.1:1234', room: 'sketch' });
    expect((await call(core, 'studio.list', {})).map((info) => info.name)).toContain('Sketch 2');
    await call(core, 'studio.delete', { projectId: created.id });
    expect((await failure(core, 'studio.open', { projectId: created.id })).code).toBe('not-found');
  });

  it('refuses bad input in words and saves nothing', async () => {
    const created = await call(core, 'studio.create', { name: 'Guarded' });
    expect((await failure(core, 'studio.open', { projectId: '../../etc' })).code).toBe('invalid-input');
    expect((await failure(core, 'studio.saveUpdate', { projectId: created.id, updateBase64: 'not base64!' })).message).toMatch(/base64/);
    expect((await failure(core, 'studio.saveUpdate', { projectId: created.id, updateBase64: b64(new Uint8Array([9, 9, 9])) })).message).toMatch(/not a Yjs update/);
    expect((await failure(core, 'studio.setShare', { projectId: created.id, share: { serverUrl: 'http://x', room: 'a' } })).message).toMatch(/ws:\/\//);
    expect((await failure(core, 'studio.export', { projectId: created.id, outPath: join(temp.path, 'x.ogg') })).message).toMatch(/\.wav, \.flac or \.mp3/);
    const state = Buffer.from((await call(core, 'studio.open', { projectId: created.id })).stateBase64, 'base64');
    expect(StudioProject.fromUpdate(state).read().tracks).toEqual([]);
  });

  it('imports a MIDI file as an update the page applies, and exports with progress events', async () => {
    const engine = await loadNodeStudioEngine();
    const song = StudioProject.create({ tempoBpm: 120 });
    const lead = song.addTrack({ kind: 'instrument', name: 'Lead' });
    const clip = song.addNoteClip({ trackId: lead, startBeat: 0, lengthBeats: 2 });
    song.addNotes(clip, [{ pitch: 69, startBeat: 0, lengthBeats: 1 }]);
    const midPath = join(temp.path, 'lead.mid');
    writeFileSync(midPath, engine.exportMidi(song.read()));

    const created = await call(core, 'studio.create', { name: 'Imported' });
    const page = new Y.Doc();
    Y.applyUpdate(page, Buffer.from((await call(core, 'studio.open', { projectId: created.id })).stateBase64, 'base64'));
    core.grantPicked(midPath, 'file', 'studio-import');
    const imported = await call(core, 'studio.importMidi', { projectId: created.id, source: { path: midPath } });
    expect(imported.noteCount).toBe(1);
    Y.applyUpdate(page, Buffer.from(imported.updateBase64, 'base64'));
    expect(new StudioProject(page).read().tracks.map((track) => track.name)).toEqual(['Lead']);

    const progress: { stage: string; fraction: number }[] = [];
    const off = core.events.subscribe((name, payload) => {
      if (name === 'studio.exportProgress') progress.push(payload as { stage: string; fraction: number });
    });
    const outPath = join(temp.path, 'export', 'imported.wav');
    mkdirSync(join(temp.path, 'export'));
    core.grantPicked(join(temp.path, 'export'), 'folder', 'export-folder');
    const result = await call(core, 'studio.export', { projectId: created.id, outPath, bits: 16, stems: true, exportId: 'e1' });
    off();
    expect(result.exportId).toBe('e1');
    expect(result.files.map((file) => file.trackId)).toEqual([null, imported.trackIds[0]]);
    expect(progress[0]).toMatchObject({ stage: 'render', fraction: 0 });
    expect(progress.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
    expect(progress.map((event) => event.fraction)).toEqual([...progress.map((event) => event.fraction)].sort((a, b) => a - b));
    const { readFileSync } = await import('node:fs');
    const wav = decodeWav(new Uint8Array(readFileSync(outPath)));
    expect(wav.bits).toBe(16);
    expect(Math.max(...(wav.channels[0] as Float32Array).subarray(0, 24_000).map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('keeps a take recorded in the page, sent in pieces, as a WAV in the project folder that export and playback read', async () => {
    const created = await call(core, 'studio.create', { name: 'Takes' });
    const tone = new Float32Array(48_000).map((_, index) => 0.5 * Math.sin((2 * Math.PI * 220 * index) / 48_000));
    const wav = encodeWav([tone, tone], 48_000, 16);
    const half = 100_000;
    const takeId = 'take-1';
    await call(core, 'studio.appendTake', { projectId: created.id, takeId, offsetBytes: 0, dataBase64: b64(wav.subarray(0, half)) });
    // A piece that does not follow on is refused, and the take is not spoiled by it.
    expect((await failure(core, 'studio.appendTake', { projectId: created.id, takeId, offsetBytes: 0, dataBase64: b64(wav.subarray(0, 10)) })).message).toMatch(/100000 bytes so far/);
    await call(core, 'studio.appendTake', { projectId: created.id, takeId, offsetBytes: half, dataBase64: b64(wav.subarray(half)) });
    const { sourceId, durationSec } = await call(core, 'studio.finishTake', { projectId: created.id, takeId });
    expect(sourceId).toBe(`file:${join(temp.path, 'studio', 'projects', created.id, 'takes', 'take-1.wav')}`);
    expect(durationSec).toBeCloseTo(1, 2);
    const pcm = await call(core, 'studio.readSource', { sourceId });
    const left = new Float32Array(Buffer.from(pcm.channelsBase64[0]!, 'base64').buffer.slice(0));
    expect(Math.max(...left.subarray(0, 4800).map(Math.abs))).toBeCloseTo(0.5, 2);
  });

  it('refuses a take that is not audio, and keeps nothing of it', async () => {
    const created = await call(core, 'studio.create', { name: 'Bad take' });
    await call(core, 'studio.appendTake', { projectId: created.id, takeId: 'junk', offsetBytes: 0, dataBase64: b64(new TextEncoder().encode('not a wav file at all')) });
    expect((await failure(core, 'studio.finishTake', { projectId: created.id, takeId: 'junk' })).message).toMatch(/could not be read back, so it was not kept/);
    expect((await failure(core, 'studio.finishTake', { projectId: created.id, takeId: 'junk' })).code).toBe('not-found');
    expect((await failure(core, 'studio.appendTake', { projectId: created.id, takeId: '../escape', offsetBytes: 0, dataBase64: 'AAAA' })).code).toBe('invalid-input');
  });
});
