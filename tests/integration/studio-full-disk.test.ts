/**
 * A full disk under the studio: a real, small tmpfs is the data folder (needs root to mount;
 * skipped with the reason when mounting is refused). The page's session saves through the real
 * IPC client, dispatcher and project store; the disk is filled, edits are made, and space freed.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { bindIpcHost } from '../../src/main/host/ipc-host';
import { createNodeRenderer } from '../../src/main/cli/studio-node-render';
import { resolveFfmpeg } from '../../src/main/services/media/ffmpeg-path';
import { ProjectExporter } from '../../src/main/services/studio/exporter';
import { ProjectStore, readLog } from '../../src/main/services/studio/project-store';
import { createBridge } from '../../src/preload/bridge';
import { ProjectSession } from '../../src/renderer/studio/session/project-session';
import { MainProjectStorage } from '../../src/renderer/studio/session/storage';
import { createBridgeClient } from '../../src/renderer/transport/bridge-client';
import { StudioProject } from '../../src/shared/studio';
import { FakeIpcMain, FakeIpcRenderer } from '../support/fake-ipc';

const TMPFS_SIZE = '3m';
let dataDir = '';
let mountRefused: string | null = null;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mixdeck-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', dataDir], { stdio: 'pipe' });
  } catch (error) {
    mountRefused = `mount -t tmpfs was refused (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); the full-disk test needs root`;
  }
});

afterAll(() => {
  if (!mountRefused) {
    // The core has closed every file by now; a busy mount is retried once after a moment.
    try {
      execFileSync('umount', [dataDir], { stdio: 'pipe' });
    } catch {
      execFileSync('sleep', ['1']);
      execFileSync('umount', ['-l', dataDir], { stdio: 'pipe' });
    }
  }
  rmdirSync(dataDir);
});

/** The page's side: the real bridge client over the IPC host, as the Electron page reaches main. */
async function startApp(): Promise<{ core: AppCore; storage: MainProjectStorage; close(): Promise<void> }> {
  const core = await createAppCore({ dataDir, transport: 'ipc', logLevel: 'warn' });
  const ipcMain = new FakeIpcMain();
  const renderer = new FakeIpcRenderer(ipcMain);
  const unbind = bindIpcHost({
    ipcMain,
    dispatcher: core.dispatcher,
    events: core.events,
    trustedOrigins: ['app://mixdeck'],
    sendToPages: (channel, name, payload) => renderer.deliver(channel, name, payload),
  });
  const storage = new MainProjectStorage(createBridgeClient(createBridge(renderer)));
  return {
    core,
    storage,
    close: async () => {
      unbind();
      await core.close();
    },
  };
}

/** Fills the file system to the last byte (pages, then single bytes); answers the filler's path. */
function fillDisk(): string {
  const filler = join(dataDir, 'filler.bin');
  const fd = openSync(filler, 'w');
  try {
    for (const size of [1 << 16, 4096, 1]) {
      const chunk = new Uint8Array(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('the studio on a full disk', () => {
  it('refuses saves in words while the disk is full, keeps the page’s edits, writes them once there is room, and loses no confirmed edit', async (context) => {
    if (mountRefused) {
      console.warn(`skipped: ${mountRefused}`);
      context.skip();
    }
    // The page's session needs the page's `window` for its pagehide listener; nothing else of it.
    const globals = globalThis as { window?: unknown };
    const hadWindow = 'window' in globals;
    globals.window ??= new EventTarget();

    const app = await startApp();
    const messages: { level: string; message: string }[] = [];
    const summary = await app.storage.create('Full disk', StudioProject.create({ name: 'Full disk' }).encode());
    const session = new ProjectSession(summary, await app.storage.load(summary.id), app.storage, (level, message) => messages.push({ level, message }));
    const confirmed: string[] = [];
    const made: string[] = [];
    const edit = async (name: string): Promise<boolean> => {
      session.project.addTrack({ kind: 'audio', name });
      made.push(name);
      await session.saveNow();
      const saved = session.read().saveState === 'saved';
      // Once a save goes through, every edit made so far is confirmed (failed ones ride along).
      if (saved) confirmed.splice(0, confirmed.length, ...made);
      return saved;
    };

    try {
      for (let index = 1; index <= 5; index += 1) expect(await edit(`Before ${index}`)).toBe(true);
      const filler = fillDisk();

      // Edits on a full disk until eleven saves were refused (the first ones still fit in the log's last page).
      let refusals = 0;
      for (let index = 1; refusals < 11 && index <= 300; index += 1) if (!(await edit(`Full ${index}`))) refusals += 1;
      expect(refusals).toBe(11);
      expect(session.read().saveState).toBe('error');
      const errors = messages.filter((entry) => entry.level === 'error').map((entry) => entry.message);
      // Said once, in words, not once per retry; no "unexpectedly", no "internal".
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/The disk holding your projects is full/);
      expect(errors[0]).not.toMatch(/unexpected|internal|ENOSPC|Error:/i);
      expect(session.unsavedProblem).toMatch(/disk holding your projects is full/);

      // What is on disk now: every confirmed edit, and no torn record for later ones to land behind.
      const logPath = join(dataDir, 'studio', 'projects', summary.id, 'updates.log');
      expect(readLog(new Uint8Array(readFileSync(logPath))).tornBytes).toBe(0);
      const onDisk = new ProjectStore({ dataDir });
      const names = StudioProject.fromUpdate(onDisk.readState(summary.id)).read().tracks.map((track) => track.name);
      onDisk.close();
      expect(names).toEqual(expect.arrayContaining(confirmed));

      // Room again: the kept edits are written by the session's own retry, with no new edit.
      rmSync(filler);
      await vi.waitFor(() => expect(session.read().saveState).toBe('saved'), { timeout: 40_000, interval: 200 });
      expect(messages.at(-1)).toEqual({ level: 'info', message: expect.stringMatching(/saved again/) });
      session.destroy();
      await app.close();

      // Reopened from the disk: every edit the page made is there, in order.
      const again = await startApp();
      try {
        const state = await again.storage.load(summary.id);
        const reopened = StudioProject.fromUpdate(state!).read().tracks.map((track) => track.name);
        expect(reopened).toEqual(made);
        expect(made.length).toBeGreaterThan(16);
      } finally {
        await again.close();
      }
    } finally {
      if (!hadWindow) delete globals.window;
    }
  }, 90_000);

  it('refuses an export in words when the disk is full, and leaves the old file and no temporary file behind', async (context) => {
    if (mountRefused) {
      console.warn(`skipped: ${mountRefused}`);
      context.skip();
    }
    const folder = join(dataDir, 'exports');
    mkdirSync(folder, { recursive: true });
    const outPath = join(folder, 'mix.flac');
    writeFileSync(outPath, 'the previous export');
    writeFileSync(join(folder, 'mix.wav'), 'the previous export');
    const project = StudioProject.create({ name: 'Export', tempoBpm: 120 });
    const keys = project.addTrack({ kind: 'instrument', name: 'Keys' });
    project.addNote(project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 }), { pitch: 60, startBeat: 0, lengthBeats: 2 });
    const ffmpegPath = resolveFfmpeg().path;
    const exporter = new ProjectExporter({ render: createNodeRenderer({ ffmpegPath }), ffmpegPath });
    for (const format of ['wav', 'flac'] as const) {
      const filler = fillDisk();
      try {
        const target = format === 'wav' ? join(folder, 'mix.wav') : outPath;
        await expect(exporter.export({ project: project.read(), outPath: target, format })).rejects.toThrow(
          new RegExp(`^The disk holding ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is full; mix\\.${format} was not written \\(an older file of that name is unchanged\\)\\.$`),
        );
        expect(readFileSync(target, 'utf8')).toBe('the previous export');
        expect(readdirSync(folder).filter((name) => name.endsWith('.mixdeck-export'))).toEqual([]);
      } finally {
        rmSync(filler);
      }
    }
    // With room again, the same export replaces the old file whole.
    const result = await exporter.export({ project: project.read(), outPath, format: 'flac' });
    expect(result.files[0]!.durationSec).toBeGreaterThan(3);
    expect(readFileSync(outPath).subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect(readdirSync(folder).filter((name) => name.endsWith('.mixdeck-export'))).toEqual([]);
  }, 90_000);
});
