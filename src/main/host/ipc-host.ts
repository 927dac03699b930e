import { CALL_NAMES, IPC_EVENT_CHANNEL, ipcCallChannel, type Reply } from '../../shared/contract';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';

/** The part of a sender frame main looks at (Electron's WebFrameMain has these). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
}

/** The slice of Electron's ipcMain this host uses; a real ipcMain satisfies it. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcHostOptions {
  ipcMain: IpcMainLike;
  dispatcher: Dispatcher;
  events: EventHub;
  /** Origins of pages allowed to call (the app's own custom protocol, and the dev server in development). */
  trustedOrigins: readonly string[];
  /** Sends an event to every app window (webContents.send in Electron). */
  sendToPages(channel: string, name: string, payload: unknown): void;
}

/**
 * One sender check for every call, as VS Code's validatedIpcMain does: only our channels,
 * only from the main frame of a page at a trusted origin. Then the dispatcher validates input.
 */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    // Custom protocols (app://mixdeck) have an opaque origin "null"; compare scheme + host.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'invalid';
  }
}

export function bindIpcHost(options: IpcHostOptions): () => void {
  const { ipcMain, dispatcher, events, trustedOrigins } = options;
  const channels: string[] = [];

  for (const name of CALL_NAMES) {
    const channel = ipcCallChannel(name);
    channels.push(channel);
    ipcMain.handle(channel, async (event, ...args): Promise<Reply<unknown>> => {
      const frame = event.senderFrame;
      const origin = frame ? originOf(frame.url) : 'none';
      if (!frame || frame.parent !== null || !trustedOrigins.includes(origin)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not talk to Mixdeck.' } };
      }
      if (args.length !== 1) {
        return { ok: false, error: { code: 'bad-message', message: `${name} takes exactly one argument.` } };
      }
      return dispatcher.dispatch(name, args[0], { transport: 'ipc', origin });
    });
  }

  const unsubscribe = events.subscribe((name, payload) => options.sendToPages(IPC_EVENT_CHANNEL, name, payload));

  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
