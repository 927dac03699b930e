import { isAbsolute, join } from 'node:path';
import { BrowserWindow, shell, type WebPreferences } from 'electron';
import { PACKAGE_ROOT } from '../paths';
import type { Logger } from '../services/log/logger';
import { guardWebContents } from './security';

export interface MainWindowOptions {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** app://mixdeck/index.html, or the dev server's URL in development. */
  entryUrl: string;
  /** Origins the window may navigate within. */
  trustedOrigins: readonly string[];
  logger: Logger;
  /** Window icon on Linux (macOS and Windows take it from the packaged app). */
  iconPath?: string;
}

/** The sandboxed preload electron-vite builds (electron.vite.config.ts: out/preload/[name].cjs). */
export const PRELOAD_PATH = join(PACKAGE_ROOT, 'out', 'preload', 'index.cjs');
export const WINDOW_ICON_PATH = join(PACKAGE_ROOT, 'resources', 'icon.png');

/** The window's background before the page paints: the app's own dark surface, no white flash. */
export const WINDOW_BACKGROUND = '#0f1115';

/**
 * Every security-relevant preference written out, defaults included: a missing value reads as
 * "unknown" to a reviewer and as `false` to some security linters.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  if (!isAbsolute(preloadPath)) throw new Error(`The preload path must be absolute, not "${preloadPath}".`);
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // A live set keeps drawing the camera and visualiser into the broadcast while the window is
    // minimised or behind OBS; a throttled page would freeze the stream's video.
    backgroundThrottling: false,
  };
}

const CRASH_RELOAD_INTERVAL_MS = 30_000;

/** The one window factory. Main keeps the audio and the broadcast; the window only shows them. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { logger } = options;
  const window = new BrowserWindow({
    title: 'Mixdeck',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const contents = window.webContents;

  guardWebContents(contents, {
    trustedOrigins: options.trustedOrigins,
    logger,
    openExternal: (url) => shell.openExternal(url),
  });

  window.once('ready-to-show', () => window.show());

  contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedUrl, isMainFrame) => {
    if (!isMainFrame) return;
    logger.error('the app page did not load', { errorCode, errorDescription, url: validatedUrl });
    // Show the window anyway, so a failed load is a visible problem rather than an invisible app.
    if (!window.isVisible()) window.show();
  });

  // If the page crashes mid-set, main is still streaming; bring the controls back, but never in a loop.
  let lastCrashReload = -Infinity;
  contents.on('render-process-gone', (_event, details) => {
    logger.error('the app page stopped', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const now = Date.now();
    if (now - lastCrashReload < CRASH_RELOAD_INTERVAL_MS) return;
    lastCrashReload = now;
    contents.reload();
  });

  window.on('unresponsive', () => logger.warn('the app page is not responding'));
  window.on('responsive', () => logger.info('the app page is responding again'));

  window.loadURL(options.entryUrl).catch((error: unknown) => logger.error('loading the app page failed', { url: options.entryUrl, error }));
  return window;
}
