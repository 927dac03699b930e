/**
 * A recorder that stands in for the `electron` module in unit tests (the binary cannot run
 * here). It records what the glue asks Electron for — window options, handlers registered on
 * webContents, sessions, protocols and the app — so a test can assert them and call a recorded
 * handler the way Electron would. Use it with
 *   vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);
 */
import { PassThrough } from 'node:stream';
import type { Logger } from '../../services/log/logger';
import { Redactor } from '../../services/log/redact';

type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    };
    return this.on(event, wrapped);
  }

  /** Calls every listener for `event` as Electron would; answers how many there were. */
  emit(event: string, ...args: unknown[]): number {
    const listeners = this.listeners.get(event) ?? [];
    for (const listener of listeners) listener(...args);
    return listeners.length;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** What Electron hands to will-navigate and friends: the details plus preventDefault. */
export interface FakeNavigationEvent {
  readonly url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function navigationEvent(url: string): FakeNavigationEvent {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: unknown[][] = [];
  reloads = 0;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(...args: unknown[]): void {
    this.sent.push(args);
  }

  reload(): void {
    this.reloads += 1;
  }
}

export class FakeBrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  visible = false;
  destroyed = false;
  minimized = false;
  focused = 0;

  constructor(readonly options: Record<string, unknown>) {
    super();
    recorder.windows.push(this);
  }

  async loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
  }

  show(): void {
    this.visible = true;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
  }

  focus(): void {
    this.focused += 1;
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return recorder.windows.filter((window) => !window.destroyed);
  }

  static getFocusedWindow(): FakeBrowserWindow | null {
    return null;
  }
}

export class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  headersReceivedListener: Listener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: Listener): void => {
      this.headersReceivedListener = listener;
    },
  };

  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: Listener): void {
    this.devicePermissionHandler = handler;
  }

  /** Asks the recorded request handler, as Chromium would, and answers what it granted. */
  requestPermission(permission: string, details: Record<string, unknown>): boolean {
    if (!this.permissionRequestHandler) throw new Error('no permission request handler was registered');
    let granted: boolean | undefined;
    this.permissionRequestHandler({}, permission, (value: boolean) => (granted = value), details);
    if (granted === undefined) throw new Error('the permission request handler never answered');
    return granted;
  }

  checkPermission(permission: string, requestingOrigin: string, details: Record<string, unknown>): boolean {
    if (!this.permissionCheckHandler) throw new Error('no permission check handler was registered');
    return this.permissionCheckHandler(null, permission, requestingOrigin, details) as boolean;
  }

  /** Runs the recorded onHeadersReceived listener on a response and answers what it sent back. */
  receiveHeaders(url: string, responseHeaders: Record<string, string[]>): { responseHeaders?: Record<string, string[]>; cancel?: boolean } {
    if (!this.headersReceivedListener) throw new Error('no onHeadersReceived listener was registered');
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    this.headersReceivedListener({ url, responseHeaders, resourceType: 'mainFrame' }, (value: typeof answer) => (answer = value));
    if (!answer) throw new Error('the onHeadersReceived listener never answered');
    return answer;
  }
}

export class FakeProtocol {
  readonly handlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  readonly privilegedSchemes: unknown[] = [];

  handle(scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    this.handlers.set(scheme, handler);
  }

  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privilegedSchemes.push(...schemes);
  }
}

/** The `app` module: lifecycle events, paths, the single-instance lock, quit and exit. */
export class FakeApp extends Emitter {
  isPackaged = false;
  hasSingleInstanceLock = true;
  readonly paths = new Map<string, string>();
  appLogsPath: string | null = null;
  quitCalls = 0;
  exitCodes: number[] = [];
  sandboxEnabledBeforeReady = false;
  private ready = false;
  private readonly readyWaiters: (() => void)[] = [];

  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() must be called before ready');
    this.sandboxEnabledBeforeReady = true;
  }

  requestSingleInstanceLock(): boolean {
    return this.hasSingleInstanceLock;
  }

  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }

  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path "${name}" in the fake app`);
    return path;
  }

  setAppLogsPath(path: string): void {
    this.appLogsPath = path;
  }

  getVersion(): string {
    return '0.0.0-test';
  }

  getName(): string {
    return 'Mixdeck';
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** What Electron does when Chromium has started. */
  becomeReady(): void {
    this.ready = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    this.emit('ready');
  }

  /** Electron's quit: emits before-quit, and quits unless a listener prevented it. */
  quit(): void {
    this.quitCalls += 1;
    const event = navigationEvent('');
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('will-quit');
  }

  exit(code = 0): void {
    this.exitCodes.push(code);
  }
}

export class FakeSafeStorage {
  available = true;
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plain: string): Buffer {
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').reverse()]);
  }
  decryptString(sealed: Buffer): string {
    return Buffer.from(sealed.subarray(3)).reverse().toString('utf8');
  }
  getSelectedStorageBackend(): string {
    return 'gnome_libsecret';
  }
}

/**
 * A utilityProcess as Electron hands it out: `spawn` soon after fork, messages from the child's
 * parentPort as 'message', stderr a stream (with stdio 'pipe'), kill() ending it with 'exit'.
 * A test plays the child with `fromChild()` and `exitWith()`.
 */
export class FakeUtilityProcess extends Emitter {
  readonly stderr: PassThrough | null;
  readonly stdout: PassThrough | null;
  readonly received: unknown[] = [];
  pid: number | undefined = undefined;
  killed = false;
  exited = false;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { stdio?: string | string[]; serviceName?: string; env?: Record<string, string | undefined> },
  ) {
    super();
    const stdio = Array.isArray(options.stdio) ? options.stdio : [options.stdio ?? 'inherit', options.stdio ?? 'inherit', options.stdio ?? 'inherit'];
    this.stdout = stdio[1] === 'pipe' ? new PassThrough() : null;
    this.stderr = stdio[2] === 'pipe' ? new PassThrough() : null;
    recorder.utilityProcesses.push(this);
    setImmediate(() => {
      if (this.exited) return;
      this.pid = 40_000 + recorder.utilityProcesses.length;
      this.emit('spawn');
    });
  }

  /** What the parent posted to the child's parentPort. */
  postMessage(message: unknown): void {
    if (this.exited) throw new Error('the utility process has exited');
    this.received.push(message);
  }

  kill(): boolean {
    if (this.exited) return false;
    this.killed = true;
    setImmediate(() => this.exitWith(15));
    return true;
  }

  /** The child posts `message` on process.parentPort. */
  fromChild(message: unknown): void {
    if (!this.exited) this.emit('message', message);
  }

  exitWith(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.pid = undefined;
    this.emit('exit', code);
  }
}

export const recorder = {
  utilityProcesses: [] as FakeUtilityProcess[],
  windows: [] as FakeBrowserWindow[],
  /** URLs the glue asked the user's browser to open. */
  openedExternally: [] as string[],
  openedPaths: [] as string[],
  applicationMenus: [] as unknown[],
  reset(): void {
    this.utilityProcesses.length = 0;
    this.windows.length = 0;
    this.openedExternally.length = 0;
    this.openedPaths.length = 0;
    this.applicationMenus.length = 0;
  },
};

export const fakeElectronModule = {
  BrowserWindow: FakeBrowserWindow,
  utilityProcess: {
    fork: (modulePath: string, args: string[] = [], options: ConstructorParameters<typeof FakeUtilityProcess>[2] = {}) => new FakeUtilityProcess(modulePath, args, options),
  },
  shell: {
    async openExternal(url: string): Promise<void> {
      recorder.openedExternally.push(url);
    },
    async openPath(path: string): Promise<string> {
      recorder.openedPaths.push(path);
      return '';
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: (menu: unknown) => recorder.applicationMenus.push(menu),
  },
};

export interface LoggedLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A Logger that keeps its lines in memory, so tests stay quiet and can read what was logged. */
export function recordingLogger(lines: LoggedLine[] = []): Logger & { lines: LoggedLine[] } {
  const make = (): Logger & { lines: LoggedLine[] } => ({
    lines,
    debug: (message, fields) => void lines.push({ level: 'debug', message, fields }),
    info: (message, fields) => void lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => void lines.push({ level: 'error', message, fields }),
    child: () => make(),
    redactor: new Redactor(),
  });
  return make();
}
