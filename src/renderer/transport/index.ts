import { SESSION_META_NAME, WS_PATH, type MixdeckBridge, type MixdeckClient } from '../../shared/contract';
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
  return createWebSocketClient({
    url: `${scheme}//${window.location.host}${WS_PATH}`,
    sessionToken: sessionTokenIn(document),
    // A restarted web host has a new token; the page it serves now carries it.
    refreshSessionToken: async () => {
      const page = await fetch('/', { cache: 'no-store', credentials: 'same-origin' });
      return page.ok ? sessionTokenIn(new DOMParser().parseFromString(await page.text(), 'text/html')) : null;
    },
  });
}

/** The web host's session token, from the meta tag it put in the page. */
function sessionTokenIn(page: Document): string | null {
  return page.querySelector<HTMLMetaElement>(`meta[name="${SESSION_META_NAME}"]`)?.content || null;
}
