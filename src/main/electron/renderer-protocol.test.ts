import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-origin';
import { CONTENT_SECURITY_POLICY } from './csp';
import { serveRendererOverAppProtocol, type AppProtocolRequest } from './renderer-protocol';
import { FakeProtocol, recordingLogger } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

const SECRET = 'the contents of a file outside out/renderer';
const temp = makeTempDir();
// <temp>/secret.txt sits beside the renderer folder, one `..` away from it.
const rendererDir = join(temp.path, 'out', 'renderer');
let handle: (request: AppProtocolRequest) => Promise<Response>;

beforeAll(() => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mixdeck</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), 'export {};');
  writeFileSync(join(temp.path, 'out', 'secret.txt'), SECRET);
  writeFileSync(join(temp.path, 'secret.txt'), SECRET);
  symlinkSync(join(temp.path, 'secret.txt'), join(rendererDir, 'assets', 'linked.txt'));

  const protocol = new FakeProtocol();
  serveRendererOverAppProtocol(protocol, { rootDir: rendererDir, contentSecurityPolicy: CONTENT_SECURITY_POLICY, logger: recordingLogger() });
  const handler = protocol.handlers.get(APP_SCHEME);
  if (!handler) throw new Error('app:// was not handled');
  handle = handler;
});
afterAll(() => temp.remove());

const get = (url: string): Promise<Response> => handle({ url, method: 'GET' });

describe('the app:// scheme', () => {
  it('is registered as a standard, secure scheme that supports fetch and streaming, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('corsEnabled');
  });
});

describe('serving the built renderer over app://mixdeck', () => {
  it('serves the page with its CSP and nosniff headers', async () => {
    const response = await handle(new Request('app://mixdeck/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Mixdeck</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the folder root as index.html and scripts as JavaScript', async () => {
    expect(await (await get('app://mixdeck/')).text()).toContain('<title>Mixdeck</title>');
    const script = await get('app://mixdeck/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handle({ url: 'app://mixdeck/index.html', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await handle({ url: 'app://mixdeck/index.html', method: 'POST' })).status).toBe(405);
  });

  it.each([
    'app://mixdeck/../../etc/passwd',
    'app://mixdeck/%2e%2e/%2e%2e/etc/passwd',
    'app://mixdeck/%2e%2e/secret.txt',
    'app://mixdeck/..%2fsecret.txt',
    'app://mixdeck/%2e%2e%2fsecret.txt',
    'app://mixdeck/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://mixdeck/assets/..%2f..%2fsecret.txt',
    'app://mixdeck/%252e%252e%252fsecret.txt',
    'app://mixdeck/..%5csecret.txt',
    'app://mixdeck/%2f..%2fsecret.txt',
    'app://mixdeck/%2fetc%2fpasswd',
    'app://mixdeck/index.html%00.png',
    'app://mixdeck/%E0%A4%A',
    'app://mixdeck/assets/linked.txt',
  ])('refuses %s with a 404 and never the file', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each(['app://evil/index.html', 'app://mixdeck.evil/index.html', 'app://mixdeck:8080/index.html', 'file:///etc/passwd', 'https://mixdeck/index.html'])(
    'serves nothing for another host or scheme: %s',
    async (url) => {
      expect((await get(url)).status).toBe(404);
    },
  );

  it('answers 404 for a missing file and for a folder', async () => {
    expect((await get('app://mixdeck/nothing-here.js')).status).toBe(404);
    expect((await get('app://mixdeck/assets/')).status).toBe(404);
  });

  it('answers 404 rather than crashing when the renderer has not been built', async () => {
    const protocol = new FakeProtocol();
    serveRendererOverAppProtocol(protocol, { rootDir: join(temp.path, 'not-built'), contentSecurityPolicy: CONTENT_SECURITY_POLICY, logger: recordingLogger() });
    const response = await protocol.handlers.get(APP_SCHEME)!({ url: 'app://mixdeck/index.html', method: 'GET' });
    expect(response.status).toBe(404);
  });
});
