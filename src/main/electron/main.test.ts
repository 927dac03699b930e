import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, IPC_EVENT_CHANNEL, IPC_PREFIX } from '../../shared/contract';
import { createBridge } from '../../preload/bridge';
import { FakeIpcRenderer, type FakeIpcMain } from '../../../tests/support/fake-ipc';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { FakeApp, FakeProtocol, FakeSafeStorage, FakeSession } from './testing/fake-electron';
import { recorder } from './testing/fake-electron';
import { PRELOAD_PATH } from './window';
import { captureChildEntry, currentCaptureLauncher, useCaptureLauncher } from '../services/audio-io/capture-launcher';

/**
 * The entry point itself, run against the recorder: what it registers before `ready`, what it
 * wires after, and how it quits. The one thing not covered is Electron really starting.
 */
vi.mock('electron', async () => {
  const fake = await import('./testing/fake-electron');
  const { FakeIpcMain: IpcMain } = await import('../../../tests/support/fake-ipc');
  // A packaged app: the configuration users run, and the one whose security matters.
  const app = new fake.FakeApp();
  app.isPackaged = true;
  return {
    ...fake.fakeElectronModule,
    app,
    ipcMain: new IpcMain(),
    protocol: new fake.FakeProtocol(),
    session: { defaultSession: new fake.FakeSession() },
    safeStorage: new fake.FakeSafeStorage(),
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/home/dj/Music'] }),
      showErrorBox: (title: string) => {
        throw new Error(`unexpected error box: ${title}`);
      },
    },
  };
});

interface FakeElectronForMain {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  protocol: FakeProtocol;
  session: { defaultSession: FakeSession };
  safeStorage: FakeSafeStorage;
}

const temp = makeTempDir();
const savedEnv = { data: process.env.MIXDECK_DATA_DIR, renderer: process.env.ELECTRON_RENDERER_URL };
const listenersBefore = {
  uncaught: new Set(process.listeners('uncaughtException')),
  rejection: new Set(process.listeners('unhandledRejection')),
};
let electron: FakeElectronForMain;
let beforeReady: { schemes: unknown[]; userData: string | undefined; handled: number; lockAsked: boolean };

beforeAll(async () => {
  process.env.MIXDECK_DATA_DIR = temp.path;
  // Set, as `electron-vite dev` would; a packaged app must ignore it.
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
  electron = (await import('electron')) as unknown as FakeElectronForMain;
  await import('./main');
  beforeReady = {
    schemes: [...electron.protocol.privilegedSchemes],
    userData: electron.app.paths.get('userData'),
    handled: electron.protocol.handlers.size,
    lockAsked: electron.app.listenerCount('second-instance') > 0,
  };
  electron.app.becomeReady();
  await vi.waitFor(() => expect(recorder.windows).toHaveLength(1));
});

afterAll(() => {
  useCaptureLauncher(null);
  for (const listener of process.listeners('uncaughtException')) if (!listenersBefore.uncaught.has(listener)) process.off('uncaughtException', listener);
  for (const listener of process.listeners('unhandledRejection')) if (!listenersBefore.rejection.has(listener)) process.off('unhandledRejection', listener);
  if (savedEnv.data === undefined) delete process.env.MIXDECK_DATA_DIR;
  else process.env.MIXDECK_DATA_DIR = savedEnv.data;
  if (savedEnv.renderer === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = savedEnv.renderer;
  temp.remove();
});

const logText = (): string => readFileSync(join(temp.path, 'logs', 'mixdeck.log'), 'utf8');

describe('the Electron entry point', () => {
  it('captures the mixer in a utilityProcess (the runAsNode fuse is off), started with the capture entry', async () => {
    const launcher = currentCaptureLauncher();
    expect(launcher.kind).toBe('utility-process');
    const events = { pcm: vi.fn(), error: vi.fn(), failedToStart: vi.fn(), exit: vi.fn() };
    const child = launcher.launch({ deviceId: 1, channelCount: 2, sampleRate: 48000, framesPerBuffer: 480 }, events);
    const forked = recorder.utilityProcesses.at(-1)!;
    expect(forked.modulePath).toBe(captureChildEntry());
    forked.fromChild({ type: 'pcm', data: new Uint8Array([1, 0, 2, 0]).buffer });
    expect(events.pcm).toHaveBeenCalledWith(new Uint8Array([1, 0, 2, 0]));
    forked.exitWith(0);
    await child.stop();
  });

  it('before ready: sandboxes every renderer, registers app:// as privileged, takes the single-instance lock and points userData at the data folder', () => {
    expect(electron.app.sandboxEnabledBeforeReady).toBe(true);
    expect(beforeReady.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(beforeReady.handled).toBe(0);
    expect(beforeReady.lockAsked).toBe(true);
    expect(beforeReady.userData).toBe(temp.path);
    expect(electron.app.appLogsPath).toBe(join(temp.path, 'logs'));
  });

  it('after ready: serves app://, hardens the session and opens one window on app://mixdeck (never the dev server) with the built preload', () => {
    expect([...electron.protocol.handlers.keys()]).toEqual(['app']);
    const session = electron.session.defaultSession;
    expect(session.permissionRequestHandler).not.toBeNull();
    expect(session.permissionCheckHandler).not.toBeNull();
    expect(session.devicePermissionHandler).not.toBeNull();
    expect(session.headersReceivedListener).not.toBeNull();
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    const [window] = recorder.windows;
    expect(window?.loadedUrls).toEqual(['app://mixdeck/index.html']);
    expect((window?.options.webPreferences as { preload: string }).preload).toBe(PRELOAD_PATH);
    expect(recorder.applicationMenus).toHaveLength(1);
  });

  it('binds every call of the contract on ipcMain, and nothing outside the mixdeck: prefix', () => {
    const channels = [...electron.ipcMain.handlers.keys()];
    expect(channels).toHaveLength(CALL_NAMES.length);
    for (const channel of channels) expect(channel.startsWith(IPC_PREFIX)).toBe(true);
  });

  it('answers the app page through the preload bridge, with the native folder picker', async () => {
    const bridge = createBridge(new FakeIpcRenderer(electron.ipcMain));
    expect(await bridge.calls['app.info']({})).toMatchObject({ ok: true, value: { transport: 'ipc', nativeDialogs: true, version: '0.0.0-test' } });
    expect(await bridge.calls['system.pickFolder']({ title: 'Music folder' })).toEqual({ ok: true, value: { path: '/home/dj/Music' } });
    expect(await bridge.calls['files.nativeDialog']({ kind: 'folder', purpose: 'music-folder', title: 'Add a music folder' })).toEqual({ ok: true, value: { path: '/home/dj/Music' } });
  });

  it('refuses a page from any other origin, the dev server included once packaged', async () => {
    for (const url of ['https://evil.example/', 'http://localhost:5173/']) {
      const bridge = createBridge(new FakeIpcRenderer(electron.ipcMain, { url, parent: null }));
      expect(await bridge.calls['app.info']({}), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('offers no reload or developer tools in the packaged menu', () => {
    const menu = JSON.stringify(recorder.applicationMenus[0]);
    expect(menu).not.toMatch(/"(reload|forceReload|toggleDevTools)"/);
  });

  it('logs an uncaught exception instead of dying, and tells the page in words', () => {
    const ours = process.listeners('uncaughtException').filter((listener) => !listenersBefore.uncaught.has(listener));
    expect(ours).toHaveLength(1);
    ours[0]!(new Error('the mixer fell off the table'), 'uncaughtException');
    expect(logText()).toContain('the mixer fell off the table');
    expect(recorder.windows[0]?.webContents.sent).toContainEqual([IPC_EVENT_CHANNEL, 'app.notice', expect.objectContaining({ level: 'error' })]);
  });

  it('brings the existing window back when Mixdeck is started a second time', () => {
    const [window] = recorder.windows;
    window!.minimized = true;
    electron.app.emit('second-instance', {}, [], temp.path, {});
    expect(window!.minimized).toBe(false);
    expect(window!.focused).toBeGreaterThan(0);
    expect(recorder.windows).toHaveLength(1);
  });

  it('closes the core before quitting when the last window closes', async () => {
    electron.app.emit('window-all-closed');
    await vi.waitFor(() => expect(electron.app.quitCalls).toBe(2));
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(logText()).toContain('core stopping');
  });
});
