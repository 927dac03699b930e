import type { IpcMainLike, InvokeEventLike, SenderFrameLike } from '../../src/main/host/ipc-host';
import type { IpcRendererLike } from '../../src/preload/bridge';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/**
 * An in-process stand-in for Electron's ipcMain/ipcRenderer pair, behaving as Electron does
 * where it matters to us: one handler per channel (a second registration throws), arguments and
 * results cross by structured clone (functions and class identity do not survive), an invoke on
 * a channel with no handler rejects with Electron's message, and a handler's thrown error reaches
 * the renderer as "Error invoking remote method '<channel>': <error>".
 */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export class FakeIpcRenderer implements IpcRendererLike {
  private readonly listeners = new Map<string, Set<RendererListener>>();

  constructor(
    private readonly main: FakeIpcMain,
    public senderFrame: SenderFrameLike | null = { url: 'app://mixdeck/index.html', parent: null },
  ) {}

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.main.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const clonedArgs = structuredClone(args);
    try {
      return structuredClone(await handler({ senderFrame: this.senderFrame }, ...clonedArgs));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }

  on(channel: string, listener: RendererListener): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(channel: string, listener: RendererListener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  /** What webContents.send does: deliver a cloned message to this page's listeners. */
  deliver(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: this }, ...cloned);
  }
}
