import { WS_PATH, type MixdeckBridge, type MixdeckClient } from '../../shared/contract';
import { createBridgeClient } from './bridge-client';
import { createWebSocketClient } from './ws-client';

declare global {
  interface Window {
    mixdeck?: MixdeckBridge;
  }
}

/** Electron's preload gives us `window.mixdeck`; in a browser we talk to the web host that served the page. */
export function connectToMain(): MixdeckClient {
  if (window.mixdeck) return createBridgeClient(window.mixdeck);
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketClient({ url: `${scheme}//${window.location.host}${WS_PATH}` });
}
