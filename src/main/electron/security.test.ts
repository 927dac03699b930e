import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, developmentRendererUrl } from './app-origin';
import { CONTENT_SECURITY_POLICY, DEVELOPMENT_CONTENT_SECURITY_POLICY } from './csp';
import { guardAllWebContents, hardenSession, type HardenableSession } from './security';
import { FakeApp, FakeSession, FakeWebContents, navigationEvent, recorder, recordingLogger } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

const DEV_ORIGIN = 'http://localhost:5173';
const APP_PAGE = 'app://mixdeck/index.html';

function hardened(trustedOrigins: readonly string[] = [APP_ORIGIN], contentSecurityPolicy = CONTENT_SECURITY_POLICY): FakeSession {
  const session = new FakeSession();
  hardenSession(session as unknown as HardenableSession, { trustedOrigins, contentSecurityPolicy, logger: recordingLogger() });
  return session;
}

/** `default-src 'self'; script-src …` → { 'default-src': ["'self'"], … } */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

describe('permission requests', () => {
  const mainFrame = (extra: Record<string, unknown> = {}) => ({ requestingUrl: APP_PAGE, isMainFrame: true, ...extra });

  it('grants the microphone and camera to the app', () => {
    const session = hardened();
    expect(session.requestPermission('media', mainFrame({ mediaTypes: ['audio'] }))).toBe(true);
    expect(session.requestPermission('media', mainFrame({ mediaTypes: ['video'] }))).toBe(true);
    expect(session.requestPermission('media', mainFrame({ mediaTypes: ['audio', 'video'] }))).toBe(true);
  });

  it('refuses a media request that does not say it is for a microphone or camera', () => {
    const session = hardened();
    expect(session.requestPermission('media', mainFrame())).toBe(false);
    expect(session.requestPermission('media', mainFrame({ mediaTypes: [] }))).toBe(false);
    expect(session.requestPermission('media', mainFrame({ mediaTypes: ['audio', 'screen'] }))).toBe(false);
  });

  it('grants Web MIDI but not system-exclusive MIDI', () => {
    const session = hardened();
    expect(session.requestPermission('midi', mainFrame())).toBe(true);
    expect(session.requestPermission('midiSysex', mainFrame())).toBe(false);
  });

  it('refuses everything else, even to the app', () => {
    const session = hardened();
    const refused = [
      'geolocation',
      'notifications',
      'openExternal',
      'display-capture',
      'clipboard-read',
      'fullscreen',
      'pointerLock',
      'hid',
      'serial',
      'usb',
      'fileSystem',
      'idle-detection',
      'window-management',
      'unknown',
    ];
    for (const permission of refused) expect(session.requestPermission(permission, mainFrame()), permission).toBe(false);
  });

  it('refuses media and MIDI to any other origin and to sub-frames', () => {
    const session = hardened();
    for (const requestingUrl of ['https://evil.example/', 'http://localhost:5173/', 'file:///tmp/x.html', 'app://other/index.html']) {
      expect(session.requestPermission('media', { requestingUrl, isMainFrame: true, mediaTypes: ['audio'] }), requestingUrl).toBe(false);
      expect(session.requestPermission('midi', { requestingUrl, isMainFrame: true }), requestingUrl).toBe(false);
    }
    expect(session.requestPermission('media', mainFrame({ isMainFrame: false, mediaTypes: ['audio'] }))).toBe(false);
  });

  it('trusts the dev server only when main says so', () => {
    const session = hardened([APP_ORIGIN, DEV_ORIGIN]);
    expect(session.requestPermission('media', { requestingUrl: `${DEV_ORIGIN}/`, isMainFrame: true, mediaTypes: ['audio'] })).toBe(true);
  });
});

describe('permission checks', () => {
  it('answer yes for media and MIDI at the app origin, no for anything else', () => {
    const session = hardened();
    expect(session.checkPermission('media', APP_ORIGIN, { isMainFrame: true, mediaType: 'audio', securityOrigin: APP_ORIGIN })).toBe(true);
    expect(session.checkPermission('midi', APP_ORIGIN, { isMainFrame: true })).toBe(true);
    expect(session.checkPermission('midiSysex', APP_ORIGIN, { isMainFrame: true })).toBe(false);
    expect(session.checkPermission('geolocation', APP_ORIGIN, { isMainFrame: true })).toBe(false);
    expect(session.checkPermission('notifications', APP_ORIGIN, { isMainFrame: true })).toBe(false);
    expect(session.checkPermission('hid', APP_ORIGIN, { isMainFrame: true })).toBe(false);
  });

  it('answer no to other origins and to frames embedded by them', () => {
    const session = hardened();
    expect(session.checkPermission('media', 'https://evil.example', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(session.checkPermission('midi', APP_ORIGIN, { isMainFrame: false, embeddingOrigin: 'https://evil.example' })).toBe(false);
  });

  it('never grant a device (HID, USB, serial, Bluetooth)', () => {
    const session = hardened();
    expect(session.devicePermissionHandler?.({ deviceType: 'hid', origin: APP_ORIGIN, device: {} })).toBe(false);
    expect(session.devicePermissionHandler?.({ deviceType: 'usb', origin: APP_ORIGIN, device: {} })).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('is set on every response, replacing whatever the response carried', () => {
    const session = hardened();
    const answer = session.receiveHeaders('app://mixdeck/index.html', {
      'content-security-policy': ["script-src * 'unsafe-eval'"],
      'X-Content-Type-Options': ['sniff'],
      'Content-Type': ['text/html'],
    });
    const headers = answer.responseHeaders ?? {};
    const csp = Object.entries(headers).filter(([name]) => name.toLowerCase() === 'content-security-policy');
    expect(csp).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
    expect(Object.entries(headers).filter(([name]) => name.toLowerCase() === 'x-content-type-options')).toEqual([['X-Content-Type-Options', ['nosniff']]]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('also covers responses from anywhere else the session might reach', () => {
    const answer = hardened().receiveHeaders('https://evil.example/', {});
    expect(answer.responseHeaders?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('allows only the app’s own scripts: no inline script, no eval, no plugins, no framing', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-hashes|wasm-unsafe-eval/);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    for (const sources of policy.values()) expect(sources).not.toContain('*');
  });

  it('loosens only script-src, and only for the development server', () => {
    const production = directives(CONTENT_SECURITY_POLICY);
    const development = directives(DEVELOPMENT_CONTENT_SECURITY_POLICY);
    expect(development.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    for (const [name, sources] of production) if (name !== 'script-src') expect(development.get(name), name).toEqual(sources);
  });
});

describe('every webContents the app creates', () => {
  it('is guarded the moment it is created', () => {
    const app = new FakeApp();
    guardAllWebContents(app as never, { trustedOrigins: [APP_ORIGIN], logger: recordingLogger(), openExternal: async () => {} });
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);

    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const away = navigationEvent('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('is guarded once, however many times it is handed over', () => {
    const app = new FakeApp();
    guardAllWebContents(app as never, { trustedOrigins: [APP_ORIGIN], logger: recordingLogger(), openExternal: async () => {} });
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(recorder.openedExternally).toEqual([]);
  });
});

describe('the development server', () => {
  it('is used only when it is a plain http server on this computer', () => {
    expect(developmentRendererUrl('http://localhost:5173')).toBe('http://localhost:5173/');
    expect(developmentRendererUrl('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/');
    expect(developmentRendererUrl(undefined)).toBeNull();
    expect(developmentRendererUrl('')).toBeNull();
    expect(developmentRendererUrl('http://192.168.1.20:5173')).toBeNull();
    expect(developmentRendererUrl('https://evil.example')).toBeNull();
    expect(developmentRendererUrl('http://localhost.evil.example:5173')).toBeNull();
    expect(developmentRendererUrl('file:///tmp/index.html')).toBeNull();
  });
});
