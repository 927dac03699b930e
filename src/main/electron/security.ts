import type { App, Session, WebContents } from 'electron';
import { originOf } from '../host/ipc-host';
import type { Logger } from '../services/log/logger';
import { isTrustedUrl } from './app-origin';
import { openExternalLink } from './external-links';

/**
 * The only permissions a Mixdeck page is ever granted, and only at the app's own origin:
 * `media` for the microphone and camera (karaoke, the broadcast camera) and `midi` for
 * controllers. `midiSysex` is refused: system-exclusive messages can rewrite a controller's
 * firmware and memory, and mapping a controller needs notes and control changes only.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'midi']);
const MEDIA_TYPES: ReadonlySet<string> = new Set(['audio', 'video']);

export interface PermissionQuery {
  readonly permission: string;
  /** Origin of the frame that asks. */
  readonly origin: string;
  readonly isMainFrame: boolean;
  /** For `media`: what is asked for. Undefined on a check that does not say. */
  readonly mediaTypes?: readonly string[];
}

export function isPermissionGranted(query: PermissionQuery, trustedOrigins: readonly string[]): boolean {
  if (!GRANTED_PERMISSIONS.has(query.permission)) return false;
  if (!query.isMainFrame || !trustedOrigins.includes(query.origin)) return false;
  if (query.permission === 'media' && query.mediaTypes !== undefined) {
    return query.mediaTypes.length > 0 && query.mediaTypes.every((type) => MEDIA_TYPES.has(type));
  }
  return true;
}

export interface SessionSecurityOptions {
  /** app://mixdeck, and the dev server's origin in development. */
  trustedOrigins: readonly string[];
  contentSecurityPolicy: string;
  logger: Logger;
}

export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/** Response headers with every copy of `names` removed, whatever their case. */
function withoutHeaders(headers: Record<string, string[]>, names: readonly string[]): Record<string, string[]> {
  const drop = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

/**
 * Permissions denied by default, devices (HID, USB, serial) never granted, and the CSP set as a
 * response header on everything the session loads — a header, unlike the page's meta tag,
 * also covers the document's first bytes and frame-ancestors.
 */
export function hardenSession(session: HardenableSession, options: SessionSecurityOptions): void {
  const { trustedOrigins, logger } = options;

  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const origin = originOf(details.requestingUrl);
    // A media request must say what it wants; one that names nothing is refused.
    const mediaTypes = permission === 'media' ? ('mediaTypes' in details ? (details.mediaTypes ?? []) : []) : undefined;
    const granted = isPermissionGranted({ permission, origin, isMainFrame: details.isMainFrame, mediaTypes }, trustedOrigins);
    if (!granted) logger.warn('permission refused', { permission, origin });
    callback(granted);
  });

  // A check only reports state (e.g. whether device labels may be shown); the request handler
  // above is the gate, and it insists on audio/video. So a check that names no media type passes.
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    if (details.embeddingOrigin !== undefined && !trustedOrigins.includes(originOf(details.embeddingOrigin))) return false;
    const mediaTypes = details.mediaType === 'audio' || details.mediaType === 'video' ? [details.mediaType] : undefined;
    return isPermissionGranted({ permission, origin: originOf(requestingOrigin), isMainFrame: details.isMainFrame, mediaTypes }, trustedOrigins);
  });

  session.setDevicePermissionHandler(() => false);

  session.webRequest.onHeadersReceived((details, callback) => {
    // DevTools' own pages carry their own policy; everything else gets ours.
    if (details.url.startsWith('devtools:')) return callback({});
    const headers = withoutHeaders(details.responseHeaders ?? {}, ['content-security-policy', 'x-content-type-options']);
    callback({
      responseHeaders: {
        ...headers,
        'Content-Security-Policy': [options.contentSecurityPolicy],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

export interface WebContentsGuardOptions {
  trustedOrigins: readonly string[];
  logger: Logger;
  /** shell.openExternal; only ever called with an allow-listed https URL. */
  openExternal: (url: string) => Promise<void>;
}

export type GuardableWebContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

const guarded = new WeakSet<object>();

/**
 * Every webContents, whoever creates it: no new windows (allow-listed https links go to the
 * user's browser instead), no navigation or redirect away from the app's origin, no <webview>.
 * Applying it twice to the same contents is a no-op.
 */
export function guardWebContents(contents: GuardableWebContents, options: WebContentsGuardOptions): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const { trustedOrigins, logger } = options;

  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url, options.openExternal, logger);
    return { action: 'deny' };
  });

  const keepInApp = (kind: string) => (event: { readonly url: string; preventDefault(): void }) => {
    if (isTrustedUrl(event.url, trustedOrigins)) return;
    event.preventDefault();
    // A plain link to a platform's help page opens in the browser; a redirect never does.
    if (kind === 'navigation') openExternalLink(event.url, options.openExternal, logger);
    else logger.warn(`${kind} away from the app refused`, { origin: originOf(event.url) });
  };
  contents.on('will-navigate', keepInApp('navigation'));
  contents.on('will-frame-navigate', keepInApp('frame navigation'));
  contents.on('will-redirect', keepInApp('redirect'));

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('a <webview> was refused');
  });
}

/** Guards every webContents the app ever creates, not only the main window's. */
export function guardAllWebContents(app: Pick<App, 'on'>, options: WebContentsGuardOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, options));
}
