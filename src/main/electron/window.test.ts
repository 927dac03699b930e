import { isAbsolute, join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PACKAGE_ROOT } from '../paths';
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin';
import { navigationEvent, recorder, recordingLogger, type FakeBrowserWindow } from './testing/fake-electron';
import { createMainWindow, PRELOAD_PATH, secureWebPreferences } from './window';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

const DEV_ORIGIN = 'http://localhost:5173';

function openWindow(trustedOrigins: readonly string[] = [APP_ORIGIN]): FakeBrowserWindow {
  createMainWindow({ preloadPath: PRELOAD_PATH, entryUrl: APP_ENTRY_URL, trustedOrigins, logger: recordingLogger() });
  const window = recorder.windows.at(-1);
  if (!window) throw new Error('no BrowserWindow was created');
  return window;
}

function webPreferencesOf(window: FakeBrowserWindow): Record<string, unknown> {
  return window.options.webPreferences as Record<string, unknown>;
}

beforeEach(() => recorder.reset());

describe('the main window (Electron security checklist)', () => {
  it('creates exactly one window and loads the app from app://mixdeck, not file://', () => {
    const window = openWindow();
    expect(recorder.windows).toHaveLength(1);
    expect(window.loadedUrls).toEqual(['app://mixdeck/index.html']);
  });

  it('isolates the page: context isolation and the sandbox on, written out', () => {
    const prefs = webPreferencesOf(openWindow());
    expect(Object.hasOwn(prefs, 'contextIsolation') && prefs.contextIsolation).toBe(true);
    expect(Object.hasOwn(prefs, 'sandbox') && prefs.sandbox).toBe(true);
  });

  it('gives the page no Node.js anywhere: main frame, workers and sub-frames', () => {
    const prefs = webPreferencesOf(openWindow());
    expect(prefs).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('keeps web security on, insecure content and experimental features off, and no <webview>', () => {
    const prefs = webPreferencesOf(openWindow());
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('disableBlinkFeatures');
  });

  it('loads the built, sandboxed preload by an absolute path inside out/preload', () => {
    const preload = webPreferencesOf(openWindow()).preload as string;
    expect(isAbsolute(preload)).toBe(true);
    const inside = relative(join(PACKAGE_ROOT, 'out', 'preload'), preload);
    expect(inside).toBe('index.cjs');
  });

  it('refuses a relative preload path instead of letting Electron guess', () => {
    expect(() => secureWebPreferences('out/preload/index.cjs')).toThrow(/absolute/);
  });

  it('stays hidden on a dark background until the page is ready, at a usable minimum size', () => {
    const window = openWindow();
    expect(window.options).toMatchObject({ show: false, minWidth: 1024, minHeight: 640 });
    expect(window.options.backgroundColor).toMatch(/^#[0-3][0-9a-f][0-3][0-9a-f][0-3][0-9a-f]$/i);
    expect(window.isVisible()).toBe(false);
    window.emit('ready-to-show');
    expect(window.isVisible()).toBe(true);
  });

  it('keeps drawing while minimised, so the broadcast video never freezes', () => {
    expect(webPreferencesOf(openWindow()).backgroundThrottling).toBe(false);
  });
});

describe('new windows and external links', () => {
  it('denies every window.open, even to an allow-listed site', () => {
    const { webContents } = openWindow();
    for (const url of ['https://help.twitch.tv/s/article/streaming', 'https://evil.example/', 'app://mixdeck/index.html', 'about:blank']) {
      expect(webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('sends an allow-listed https link to the user’s browser instead', () => {
    const { webContents } = openWindow();
    webContents.windowOpenHandler?.({ url: 'https://help.twitch.tv/s/article/twitch-stream-key-faq' });
    webContents.windowOpenHandler?.({ url: 'https://support.google.com/youtube/answer/2474026' });
    expect(recorder.openedExternally).toEqual([
      'https://help.twitch.tv/s/article/twitch-stream-key-faq',
      'https://support.google.com/youtube/answer/2474026',
    ]);
  });

  it('opens nothing that is not https on an allow-listed host', () => {
    const { webContents } = openWindow();
    const refused = [
      'http://twitch.tv/',
      'https://twitch.tv.evil.example/',
      'https://eviltwitch.tv/',
      'https://evil.example/twitch.tv',
      'https://user:pass@twitch.tv/',
      'https://twitch.tv:8443/',
      'https://support.google.com/accounts',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://twitch.tv/share',
      'not a url',
    ];
    for (const url of refused) webContents.windowOpenHandler?.({ url });
    expect(recorder.openedExternally).toEqual([]);
  });
});

describe('navigation', () => {
  it('prevents the window from navigating to another origin', () => {
    const { webContents } = openWindow();
    for (const url of ['https://evil.example/', 'http://localhost:5173/', 'file:///etc/passwd', 'app://other/index.html']) {
      const event = navigationEvent(url);
      webContents.emit('will-navigate', event);
      expect(event.defaultPrevented, url).toBe(true);
    }
    expect(recorder.openedExternally).toEqual([]);
  });

  it('lets the app navigate within its own origin', () => {
    const { webContents } = openWindow();
    const event = navigationEvent('app://mixdeck/index.html#/library');
    webContents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('allows the dev server origin only when it is trusted', () => {
    const { webContents } = openWindow([APP_ORIGIN, DEV_ORIGIN]);
    const event = navigationEvent(`${DEV_ORIGIN}/index.html`);
    webContents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('turns a plain link to a platform help page into a browser tab, not a navigation', () => {
    const { webContents } = openWindow();
    const event = navigationEvent('https://help.twitch.tv/');
    webContents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    expect(recorder.openedExternally).toEqual(['https://help.twitch.tv/']);
  });

  it('prevents sub-frame navigation and server redirects away from the app', () => {
    const { webContents } = openWindow();
    for (const name of ['will-frame-navigate', 'will-redirect']) {
      const away = navigationEvent('https://help.twitch.tv/');
      webContents.emit(name, away);
      expect(away.defaultPrevented, name).toBe(true);
      const home = navigationEvent('app://mixdeck/index.html');
      webContents.emit(name, home);
      expect(home.defaultPrevented, name).toBe(false);
    }
    expect(recorder.openedExternally).toEqual([]);
  });

  it('refuses to attach a <webview>', () => {
    const { webContents } = openWindow();
    const event = navigationEvent('');
    expect(webContents.emit('will-attach-webview', event, {}, { src: 'https://evil.example/' })).toBe(1);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('when the page crashes mid-set', () => {
  it('reloads it once, and not again within the same half minute', () => {
    const window = openWindow();
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(window.webContents.reloads).toBe(1);
  });

  it('does not reload after a clean exit', () => {
    const window = openWindow();
    window.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(window.webContents.reloads).toBe(0);
  });
});
