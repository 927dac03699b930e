import { CALL_NAMES, IPC_EVENT_CHANNEL, ipcCallChannel, type CallName, type MixdeckBridge } from '../shared/contract';

/** The slice of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Builds `window.mixdeck`: one function per call channel and one event subscription.
 * ipcRenderer itself never reaches the page, and the page cannot name a channel.
 */
export function createBridge(ipcRenderer: IpcRendererLike): MixdeckBridge {
  const callFunctions = {} as Record<CallName, (input: unknown) => Promise<unknown>>;
  for (const name of CALL_NAMES) {
    const channel = ipcCallChannel(name);
    callFunctions[name] = (input: unknown) => ipcRenderer.invoke(channel, input);
  }
  return {
    transport: 'ipc',
    calls: Object.freeze(callFunctions),
    on(listener) {
      const wrapped = (_event: unknown, ...args: unknown[]): void => {
        if (typeof args[0] === 'string') listener(args[0], args[1]);
      };
      ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
      };
    },
  };
}
