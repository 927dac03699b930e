/**
 * The Electron entry point: app lifecycle and wiring only. Everything it wires is built and
 * tested elsewhere — the core (src/main/app-core.ts), the IPC host, the window factory, the
 * session hardening — so this file stays thin enough to read in one go.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, utilityProcess, type OpenDialogOptions } from 'electron';
import { createAppCore, type AppCore } from '../app-core';
import type { NativeDialogRequest } from '../capabilities/files';
import { bindIpcHost, originOf } from '../host/ipc-host';
import { defaultDataDir, RENDERER_DIR } from '../paths';
import { useCaptureLauncher } from '../services/audio-io/capture-launcher';
import { createLogger, type Logger } from '../services/log/logger';
import { utilityProcessCaptureLauncher } from './capture-utility';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, developmentRendererUrl } from './app-origin';
import { CONTENT_SECURITY_POLICY, DEVELOPMENT_CONTENT_SECURITY_POLICY } from './csp';
import { installApplicationMenu } from './menu';
import { withKaraokeMedia } from './karaoke-media-protocol';
import { createLibraryMediaHandler } from './media-protocol';
import { appProtocolHeaders, serveRendererOverAppProtocol } from './renderer-protocol';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { guardAllWebContents, hardenSession } from './security';
import { createMainWindow, PRELOAD_PATH, WINDOW_ICON_PATH } from './window';

const CORE_CLOSE_TIMEOUT_MS = 5_000;

const devServerUrl = app.isPackaged ? null : developmentRendererUrl(process.env.ELECTRON_RENDERER_URL);
const development = !app.isPackaged;
const trustedOrigins = devServerUrl ? [APP_ORIGIN, originOf(devServerUrl)] : [APP_ORIGIN];

// One data folder for the desktop app, the web host and the CLI (MIXDECK_DATA_DIR overrides it).
// Set before anything reads it: the single-instance lock and Chromium's own storage live there too.
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);
app.setAppLogsPath(join(dataDir, 'logs'));

// Both must happen before `ready`. enableSandbox makes every renderer sandboxed, whatever
// options a future window might forget.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
// The runAsNode fuse is off in a packaged build: the mixer is captured in a utilityProcess.
useCaptureLauncher(utilityProcessCaptureLauncher(utilityProcess));

let core: AppCore | null = null;
let mainWindow: BrowserWindow | null = null;
let unbindIpc: (() => void) | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';
// Until the core exists, a plain logger on the same file; then the core's, which also knows
// the secret values to redact. Long-lived handlers get `scoped`, which always writes to the current one.
const bootLogger = createLogger({ directory: join(dataDir, 'logs'), echo: development }, 'electron');
const log = (): Logger => core?.logger.child('electron') ?? bootLogger;
function scoped(scope: string): Logger {
  const target = (): Logger => log().child(scope);
  return {
    debug: (message, fields) => target().debug(message, fields),
    info: (message, fields) => target().info(message, fields),
    warn: (message, fields) => target().warn(message, fields),
    error: (message, fields) => target().error(message, fields),
    child: (child) => scoped(`${scope}.${child}`),
    get redactor() {
      return log().redactor;
    },
  };
}

process.on('uncaughtException', (error) => {
  log().error('uncaught exception in main', { error });
  core?.events.emit('app.notice', { level: 'error', message: 'Something went wrong inside Mixdeck; the details are in the log.' });
});
process.on('unhandledRejection', (reason) => log().error('unhandled promise rejection in main', { error: reason }));

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({
      preloadPath: PRELOAD_PATH,
      entryUrl: devServerUrl ?? APP_ENTRY_URL,
      trustedOrigins,
      logger: scoped('window'),
      ...(process.platform === 'linux' ? { iconPath: WINDOW_ICON_PATH } : {}),
    });
    mainWindow.on('closed', () => (mainWindow = null));
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** The native open dialog; app-core grants what it returns to the page for this run. */
async function nativeDialog(request: NativeDialogRequest): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: request.title ?? (request.kind === 'folder' ? 'Choose a folder' : 'Choose a file'),
    properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
    ...(request.extensions ? { filters: [{ name: 'Files', extensions: request.extensions }] } : {}),
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

const pickFolder = (title?: string): Promise<string | null> => nativeDialog({ kind: 'folder', ...(title ? { title } : {}) });

async function start(): Promise<void> {
  await app.whenReady();
  const contentSecurityPolicy = devServerUrl ? DEVELOPMENT_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  hardenSession(session.defaultSession, { trustedOrigins, contentSecurityPolicy, logger: scoped('session') });
  guardAllWebContents(app, { trustedOrigins, logger: scoped('web-contents'), openExternal: (url) => shell.openExternal(url) });
  serveRendererOverAppProtocol(protocol, {
    rootDir: RENDERER_DIR,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    logger: scoped('app-protocol'),
    media: withKaraokeMedia(() => core?.karaokeMediaFiles ?? null, createLibraryMediaHandler(() => core?.dispatcher ?? null, appProtocolHeaders(CONTENT_SECURITY_POLICY), scoped('media-protocol')), appProtocolHeaders(CONTENT_SECURITY_POLICY)),
  });

  const secretCipher = createSafeStorageCipher(safeStorage);
  if (!safeStorage.isEncryptionAvailable()) log().warn('the system keychain is not available; stream keys cannot be saved');
  else if (secretCipher.weak) log().warn('stream keys are protected by a weak fallback key', { protection: secretCipher.description });

  core = await createAppCore({ dataDir, transport: 'ipc', secretCipher, pickFolder, nativeDialog, logEcho: development, appVersion: app.getVersion() });
  unbindIpc = bindIpcHost({
    ipcMain,
    dispatcher: core.dispatcher,
    events: core.events,
    trustedOrigins,
    sendToPages: (channel, name, payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, name, payload);
    },
  });

  installApplicationMenu({
    platform: process.platform,
    development,
    appName: app.getName(),
    openLogsFolder: () => void shell.openPath(join(dataDir, 'logs')),
  });
  showMainWindow();
  log().info('desktop app started', { development, devServer: devServerUrl !== null, secrets: secretCipher.description });
}

/** Closes the core (database, devices, broadcasts); a core that hangs does not keep the app alive. */
async function closeCore(): Promise<void> {
  unbindIpc?.();
  unbindIpc = null;
  if (!core) return;
  const closing = core.close();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), CORE_CLOSE_TIMEOUT_MS).unref());
  try {
    if ((await Promise.race([closing, timeout])) === 'timeout') log().warn('the core did not stop in time; quitting anyway');
  } catch (error) {
    log().error('the core did not stop cleanly', { error });
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Mixdeck owns the data folder and the audio devices; it shows its window instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    // Before the core is up, start() is about to open the window anyway.
    if (core) showMainWindow();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
  app.on('window-all-closed', () => {
    // On macOS the app (and a running broadcast) stays until Cmd+Q.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (shutdown === 'closed') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void closeCore().finally(() => {
      shutdown = 'closed';
      app.quit();
    });
  });

  start().catch((error: unknown) => {
    log().error('Mixdeck could not start', { error });
    dialog.showErrorBox('Mixdeck could not start', `${error instanceof Error ? error.message : String(error)}\n\nThe details are in ${join(dataDir, 'logs')}.`);
    app.exit(1);
  });
}
