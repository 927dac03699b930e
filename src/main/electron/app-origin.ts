import type { CustomScheme } from 'electron';
import { originOf } from '../host/ipc-host';

/** Mixdeck's pages live at app://mixdeck/, a privileged custom protocol, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mixdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `standard` gives the scheme real origins and relative URLs, `secure` makes it a secure context
 * (getUserMedia, Web MIDI and AudioWorklet need one), `supportFetchAPI` lets the page fetch its own
 * assets, `stream` lets media elements read from it. Never `bypassCSP`.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

/** True when `url` belongs to one of the app's own origins (app://mixdeck, and the dev server in development). */
export function isTrustedUrl(url: string, trustedOrigins: readonly string[]): boolean {
  return trustedOrigins.includes(originOf(url));
}

/**
 * The dev server electron-vite starts, only when it is on this computer: a packaged app never
 * loads a page from the network, and neither does a development build pointed at another host.
 */
export function developmentRendererUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.protocol === 'http:' && loopback ? url.href : null;
  } catch {
    return null;
  }
}
