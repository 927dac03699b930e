import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { StudioProject } from '../../../shared/studio';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { ProjectStore, readLog } from './project-store';

const CHILD = fileURLToPath(new URL('./project-store.crash-child.ts', import.meta.url));
const temps: { remove(): void }[] = [];
afterEach(() => temps.splice(0).forEach((temp) => temp.remove()));

function tempDir(): string {
  const temp = makeTempDir('mixdeck-studio-store-');
  temps.push(temp);
  return temp.path;
}

function noteCount(project: StudioProject): number {
  return project.read().clips.reduce((sum, clip) => sum + (clip.kind === 'notes' ? clip.notes.length : 0), 0);
}

describe('studio project store', () => {
  it('creates, lists, renames, shares and deletes projects; updates survive a reopen', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Demo' });
    const info = store.create('Demo', project.encode());
    project.doc.on('update', (update: Uint8Array) => store.append(info.id, update));
    project.addTrack({ kind: 'instrument', name: 'Keys' });
    project.setTempo(99);
    store.create('Other');
    expect(store.list().map((entry) => entry.name).sort()).toEqual(['Demo', 'Other']);
    expect(store.rename(info.id, '  Demo v2 ').name).toBe('Demo v2');
    expect(store.setShare(info.id, { serverUrl: 'ws://127.0.0.1:1234', room: 'demo' }).share).toEqual({ serverUrl: 'ws://127.0.0.1:1234', room: 'demo' });
    store.close();

    const reopened = new ProjectStore({ dataDir });
    const loaded = StudioProject.fromUpdate(reopened.readState(info.id));
    expect(loaded.read().tempoBpm).toBe(99);
    expect(loaded.read().tracks.map((track) => track.name)).toEqual(['Keys']);
    expect(reopened.info(info.id).share?.room).toBe('demo');
    expect(() => reopened.append(info.id, new Uint8Array([1, 2, 3]))).toThrow(/not a Yjs update/);
    expect(() => reopened.rename(info.id, '   ')).toThrow(/needs a name/);
    reopened.delete(info.id);
    expect(() => reopened.info(info.id)).toThrow(/no studio project/);
    expect(() => reopened.info('../etc')).toThrow(/not a studio project id/);
    reopened.close();
  });

  it('compacts a long log into one update without losing edits', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Long' });
    const info = store.create('Long', project.encode());
    project.doc.on('update', (update: Uint8Array) => store.append(info.id, update));
    const keys = project.addTrack({ kind: 'instrument' });
    const clip = project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 512 });
    for (let index = 0; index < 900; index += 1) project.addNote(clip, { pitch: 40 + (index % 40), startBeat: index * 0.5, lengthBeats: 0.5 });
    const logPath = join(store.rootDir, info.id, 'updates.log');
    store.close();
    // 900 records would be far bigger than the compacted log.
    expect(statSync(logPath).size).toBeLessThan(200_000);
    expect(noteCount(StudioProject.fromUpdate(new ProjectStore({ dataDir }).readState(info.id)))).toBe(900);
  });

  it('drops a record torn by a crash mid-write and keeps appending after it', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Torn' });
    const info = store.create('Torn', project.encode());
    project.doc.on('update', (update: Uint8Array) => store.append(info.id, update));
    project.addTrack({ kind: 'audio', name: 'Vocal' });
    store.close();
    const logPath = join(store.rootDir, info.id, 'updates.log');
    // A header promising 500 bytes, and only 3 of them: what a kill mid-write leaves.
    appendFileSync(logPath, new Uint8Array([0xf4, 0x01, 0, 0, 1, 2, 3]));
    const reopened = new ProjectStore({ dataDir });
    const loaded = StudioProject.fromUpdate(reopened.readState(info.id));
    expect(loaded.read().tracks.map((track) => track.name)).toEqual(['Vocal']);
    loaded.doc.on('update', (update: Uint8Array) => reopened.append(info.id, update));
    loaded.addTrack({ kind: 'bus', name: 'FX' });
    reopened.close();
    const again = StudioProject.fromUpdate(new ProjectStore({ dataDir }).readState(info.id));
    expect(again.read().tracks.map((track) => track.name)).toEqual(['Vocal', 'FX']);
    expect(readFileSync(logPath).length).toBeGreaterThan(0);
  });

  it('keeps whole records written after a torn one (cut mid-record, then a good record appended), and cuts the torn bytes off', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Resync' });
    const info = store.create('Resync', project.encode());
    project.doc.on('update', (update: Uint8Array) => store.append(info.id, update));
    project.addTrack({ kind: 'audio', name: 'One' });
    project.addTrack({ kind: 'audio', name: 'Two' });
    store.close();
    const logPath = join(store.rootDir, info.id, 'updates.log');
    // Cut the last record ("Two") in the middle of its update.
    const whole = readFileSync(logPath);
    const records = readLog(new Uint8Array(whole)).updates;
    const lastRecordBytes = 12 + records[records.length - 1]!.length;
    truncateSync(logPath, whole.length - Math.floor(lastRecordBytes / 2));

    // A good record lands after the torn one (as a writer that did not know of the tear would do).
    const later = StudioProject.fromUpdate(readLogState(logPath));
    const before = later.stateVector();
    later.addTrack({ kind: 'bus', name: 'Three' });
    const goodRecord = frame(later.encodeSince(before));
    appendFileSync(logPath, goodRecord);

    const contents = readLog(new Uint8Array(readFileSync(logPath)));
    expect(contents.tornBytes).toBe(lastRecordBytes - Math.floor(lastRecordBytes / 2));
    const reopened = new ProjectStore({ dataDir });
    expect(StudioProject.fromUpdate(reopened.readState(info.id)).read().tracks.map((track) => track.name)).toEqual(['One', 'Three']);
    // Opening for edits cuts the torn bytes off and keeps every whole record.
    const edited = StudioProject.fromUpdate(reopened.readState(info.id));
    edited.doc.on('update', (update: Uint8Array) => reopened.append(info.id, update, { durable: true }));
    edited.addTrack({ kind: 'audio', name: 'Four' });
    reopened.close();
    expect(readLog(new Uint8Array(readFileSync(logPath))).tornBytes).toBe(0);
    expect(StudioProject.fromUpdate(new ProjectStore({ dataDir }).readState(info.id)).read().tracks.map((track) => track.name)).toEqual(['One', 'Three', 'Four']);
  });

  it('refuses a record whose checksum does not match, however plausible its length', () => {
    const project = StudioProject.create({ name: 'Checksum' });
    const record = frame(project.encode());
    record[record.length - 1] = record[record.length - 1]! ^ 0x01;
    const contents = readLog(record);
    expect(contents.updates).toHaveLength(0);
    expect(contents.tornBytes).toBe(record.length);
  });

  it('reads a log in the old framing (length, then update) and rewrites it in the new one when it is next edited', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const info = store.create('Old');
    store.close();
    const logPath = join(store.rootDir, info.id, 'updates.log');
    const project = StudioProject.create({ name: 'Old' });
    project.addTrack({ kind: 'audio', name: 'Legacy' });
    const update = project.encode();
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, update.length, true);
    writeFileSync(logPath, Buffer.concat([header, update]));
    const reopened = new ProjectStore({ dataDir });
    expect(StudioProject.fromUpdate(reopened.readState(info.id)).read().tracks.map((track) => track.name)).toEqual(['Legacy']);
    const edited = StudioProject.fromUpdate(reopened.readState(info.id));
    edited.doc.on('update', (next: Uint8Array) => reopened.append(info.id, next));
    edited.addTrack({ kind: 'audio', name: 'New' });
    reopened.close();
    const contents = readLog(new Uint8Array(readFileSync(logPath)));
    expect(contents.legacy).toBe(false);
    expect(contents.tornBytes).toBe(0);
    expect(StudioProject.fromUpdate(new ProjectStore({ dataDir }).readState(info.id)).read().tracks.map((track) => track.name)).toEqual(['Legacy', 'New']);
  });

  it('creates project files 0600 and folders 0700', () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const info = store.create('Private', StudioProject.create({ name: 'Private' }).encode());
    store.appendTake(info.id, 'take-1', 0, new Uint8Array([1, 2, 3]), 1000);
    store.close();
    const folder = join(store.rootDir, info.id);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, 'takes')).mode & 0o777).toBe(0o700);
    for (const file of ['updates.log', 'project.json', 'takes/take-1.part']) expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600);
  });

  it('survives a process killed mid-edit, losing at most the last second (here: nothing acknowledged)', async () => {
    const dataDir = tempDir();
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Crash' });
    const keys = project.addTrack({ kind: 'instrument' });
    project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4096 });
    const info = store.create('Crash', project.encode());
    store.close();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, info.id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAcknowledged = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const acknowledgedAtKill = await new Promise<{ count: number; atMs: number }>((resolve, reject) => {
      let firstAt = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        const numbers = chunk.toString().trim().split('\n').map(Number).filter(Number.isFinite);
        lastAcknowledged = Math.max(lastAcknowledged, ...numbers);
        firstAt ||= Date.now();
        if (Date.now() - firstAt > 1500) {
          child.kill('SIGKILL');
          resolve({ count: lastAcknowledged, atMs: Date.now() });
        }
      });
      child.on('exit', (code) => (code !== null ? reject(new Error(`child exited early (${code}): ${stderr}`)) : undefined));
    });
    await new Promise((resolve) => child.once('close', resolve));
    expect(acknowledgedAtKill.count).toBeGreaterThan(20);

    const loaded = StudioProject.fromUpdate(new ProjectStore({ dataDir }).readState(info.id));
    const saved = noteCount(loaded);
    // Every edit the child had finished (and printed) is on disk; at most the one in flight is lost.
    expect(saved).toBeGreaterThanOrEqual(acknowledgedAtKill.count);
    expect(saved).toBeLessThanOrEqual(lastAcknowledged + 1);
  });
});

/** One record as the store frames it: magic, length, CRC-32, update. */
function frame(update: Uint8Array): Uint8Array {
  const record = new Uint8Array(12 + update.length);
  const view = new DataView(record.buffer);
  record.set([0x4d, 0x44, 0x4b, 0x52], 0);
  view.setUint32(4, update.length, true);
  view.setUint32(8, zlibCrc32(update), true);
  record.set(update, 12);
  return record;
}

function readLogState(path: string): Uint8Array {
  return Y.mergeUpdates(readLog(new Uint8Array(readFileSync(path))).updates);
}
