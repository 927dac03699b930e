import { isEventName, MixdeckError, type ConnectionState, type MixdeckBridge, type MixdeckClient } from '../../shared/contract';
import { ListenerMap } from './listeners';
import { unwrapReply } from './reply';

/** The client over Electron IPC, through the preload's `window.mixdeck`. */
export function createBridgeClient(bridge: MixdeckBridge): MixdeckClient {
  const eventListeners = new ListenerMap<unknown>();
  bridge.on((name, payload) => {
    if (isEventName(name)) eventListeners.emit(name, payload);
  });
  return {
    transport: 'ipc',
    connectionState: 'connected',
    async call(name, input) {
      const fn = bridge.calls[name];
      if (typeof fn !== 'function') throw new MixdeckError('unknown-channel', `There is no call named "${name}".`);
      return unwrapReply(await fn(input)) as never;
    },
    on(name, listener) {
      return eventListeners.add(name, listener as (value: unknown) => void);
    },
    onConnectionChange(listener: (state: ConnectionState) => void) {
      listener('connected');
      return () => {};
    },
  };
}
