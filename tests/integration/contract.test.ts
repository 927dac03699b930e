import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  DEFAULT_SETTINGS,
  MixdeckError,
  WS_PATH,
  sessionSubprotocols,
  type CallName,
  type MixdeckClient,
  type Settings,
} from '../../src/shared/contract';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { bindIpcHost } from '../../src/main/host/ipc-host';
import type { WebHost } from '../../src/main/host/web-host';
import { createBridge } from '../../src/preload/bridge';
import { createBridgeClient } from '../../src/renderer/transport/bridge-client';
import { createWebSocketClient, type WebSocketLike } from '../../src/renderer/transport/ws-client';
import { FakeIpcMain, FakeIpcRenderer } from '../support/fake-ipc';
import { makeTempDir } from '../support/temp-dir';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

interface Connected {
  client: MixdeckClient;
  core: AppCore;
  close(): Promise<void>;
}

/** Connects as the served page does: its Origin, and the session token the host put in the page. */
function connectWebSocket(host: () => WebHost, options: { reconnectInitialMs?: number; reconnectMaxMs?: number } = {}) {
  const port = host().port;
  return createWebSocketClient({
    url: `ws://127.0.0.1:${port}${WS_PATH}`,
    sessionToken: host().sessionToken,
    refreshSessionToken: async () => host().sessionToken,
    createSocket: (url, protocols) => new WebSocket(url, protocols, { origin: `http://127.0.0.1:${port}` }) as unknown as WebSocketLike,
    ...options,
  });
}

/** One way to reach main per transport; the suite below cannot tell them apart. */
const transports: Record<'ipc' | 'web', (dataDir: string) => Promise<Connected>> = {
  async ipc(dataDir) {
    const core = await createAppCore({ dataDir, transport: 'ipc', logLevel: 'warn' });
    const ipcMain = new FakeIpcMain();
    const renderer = new FakeIpcRenderer(ipcMain);
    const unbind = bindIpcHost({
      ipcMain,
      dispatcher: core.dispatcher,
      events: core.events,
      trustedOrigins: ['app://mixdeck'],
      sendToPages: (channel, name, payload) => renderer.deliver(channel, name, payload),
    });
    const client = createBridgeClient(createBridge(renderer));
    return {
      client,
      core,
      close: async () => {
        unbind();
        await core.close();
      },
    };
  },
  async web(dataDir) {
    const host = await startTestWebHost({ dataDir });
    const client = connectWebSocket(() => host.host);
    return {
      client,
      core: host.core,
      close: async () => {
        client.close();
        await host.close();
      },
    };
  },
};

async function expectError(promise: Promise<unknown>, code: string): Promise<MixdeckError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MixdeckError);
  expect((error as MixdeckError).code).toBe(code);
  return error as MixdeckError;
}

for (const [kind, connect] of Object.entries(transports)) {
  describe(`the contract over ${kind}`, () => {
    let temp: ReturnType<typeof makeTempDir>;
    let connected: Connected;

    beforeAll(async () => {
      temp = makeTempDir();
      connected = await connect(temp.path);
    });
    afterAll(async () => {
      await connected.close();
      temp.remove();
    });

    it('says which transport carries it', async () => {
      const info = await connected.client.call('app.info', {});
      expect(info.transport).toBe(kind);
      expect(info.name).toBe('Mixdeck');
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.startupNotices).toEqual([]);
    });

    it('answers a ping with the same nonce', async () => {
      const pong = await connected.client.call('app.ping', { nonce: 'abc123' });
      expect(pong.nonce).toBe('abc123');
      expect(Math.abs(pong.serverTimeMs - Date.now())).toBeLessThan(5_000);
    });

    it('starts from the default settings on a new database', async () => {
      expect(await connected.client.call('settings.get', {})).toEqual(DEFAULT_SETTINGS);
    });

    it('saves a settings change, tells every page, and keeps it across a restart', async () => {
      const seen: Settings[] = [];
      const off = connected.client.on('settings.changed', (settings) => seen.push(settings));
      const musicDir = join(temp.path, 'Music');
      mkdirSync(musicDir);
      connected.core.grantPicked(musicDir, 'folder', 'music-folder');
      const updated = await connected.client.call('settings.update', {
        appearance: { theme: 'booth' },
        audio: { sampleRate: 44100 },
        folders: { music: [musicDir] },
      });
      expect(updated.appearance.theme).toBe('booth');
      expect(updated.audio.sampleRate).toBe(44100);
      expect(updated.audio.bufferFrames).toBe(DEFAULT_SETTINGS.audio.bufferFrames);
      await expect.poll(() => seen.length).toBe(1);
      expect(seen[0]!.folders.music).toEqual([musicDir]);
      off();

      await connected.close();
      connected = await connect(temp.path);
      const reread = await connected.client.call('settings.get', {});
      expect(reread.appearance.theme).toBe('booth');
      expect(reread.folders.music).toEqual([musicDir]);
    });

    it('refuses a value outside the schema with a typed validation error naming the field', async () => {
      const error = await expectError(connected.client.call('settings.update', { appearance: { theme: 'purple' as 'dark' } }), 'invalid-input');
      expect(error.issues?.[0]?.path).toBe('appearance.theme');
      // The sentence names the field in words, never the call or the schema's path.
      expect(error.message).toMatch(/theme/i);
      expect(error.message).not.toMatch(/settings\.update|appearance\./);
    });

    it('refuses unknown fields, wrong types and non-object input', async () => {
      await expectError(connected.client.call('settings.update', { audio: { volume: 11 } } as never), 'invalid-input');
      await expectError(connected.client.call('settings.update', { audio: { sampleRate: '48000' } } as never), 'invalid-input');
      await expectError(connected.client.call('settings.update', 'everything' as never), 'invalid-input');
      await expectError(connected.client.call('app.ping', { nonce: 'x'.repeat(65) }), 'invalid-input');
      await expectError(connected.client.call('settings.get', null as never), 'invalid-input');
    });

    it('refuses a folder that does not exist, or is a file, in words, and keeps the old value', async () => {
      const before = await connected.client.call('settings.get', {});
      // As if picked: the settings service's own checks answer.
      connected.core.grantPicked('/no/such/folder', 'folder', 'music-folder');
      const missing = await expectError(connected.client.call('settings.update', { folders: { music: ['/no/such/folder'] } }), 'invalid-input');
      expect(missing.message).toBe('Music folder "/no/such/folder" does not exist.');
      const file = join(temp.path, 'not-a-folder.txt');
      writeFileSync(file, 'x');
      connected.core.grantPicked(file, 'folder', 'recordings-folder');
      const notFolder = await expectError(connected.client.call('settings.update', { folders: { recordings: file } }), 'invalid-input');
      expect(notFolder.message).toContain('is a file, not a folder');
      await expectError(connected.client.call('settings.update', { folders: { music: ['relative/path'] } }), 'invalid-input');
      expect(await connected.client.call('settings.get', {})).toEqual(before);
    });

    it('resets one section to its defaults', async () => {
      await connected.client.call('settings.update', { appearance: { uiScalePercent: 150 }, audio: { bufferFrames: 1024 } });
      const reset = await connected.client.call('settings.reset', { section: 'appearance' });
      expect(reset.appearance).toEqual(DEFAULT_SETTINGS.appearance);
      expect(reset.audio.bufferFrames).toBe(1024);
    });

    it('answers an unknown call with unknown-channel', async () => {
      await expectError(connected.client.call('settings.delete-everything' as CallName, {} as never), 'unknown-channel');
    });

    it('lists audio devices or says why it cannot', async () => {
      const result = await connected.client.call('audio.listDevices', {});
      expect(Array.isArray(result.devices)).toBe(true);
      expect(result.error === null || result.error.startsWith('Audio devices cannot be listed')).toBe(true);
    });

    it('has no native folder picker in the web host, and says what to do instead', async () => {
      const info = await connected.client.call('app.info', {});
      expect(info.nativeDialogs).toBe(false);
      const error = await expectError(connected.client.call('system.pickFolder', {}), 'not-supported');
      expect(error.message).toContain('full path');
    });
  });
}

describe('the IPC transport', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let core: AppCore;
  let ipcMain: FakeIpcMain;
  let unbind: () => void;

  beforeAll(async () => {
    temp = makeTempDir();
    core = await createAppCore({ dataDir: temp.path, transport: 'ipc', logLevel: 'error' });
    ipcMain = new FakeIpcMain();
    unbind = bindIpcHost({ ipcMain, dispatcher: core.dispatcher, events: core.events, trustedOrigins: ['app://mixdeck'], sendToPages: () => {} });
  });
  afterAll(async () => {
    unbind();
    await core.close();
    temp.remove();
  });

  it('registers one prefixed channel per call and nothing else', () => {
    expect([...ipcMain.handlers.keys()].every((channel) => channel.startsWith('mixdeck:call:'))).toBe(true);
    expect(ipcMain.handlers.has('mixdeck:call:settings.update')).toBe(true);
  });

  it('refuses calls from a page at another origin, and from a sub-frame', async () => {
    const stranger = createBridgeClient(createBridge(new FakeIpcRenderer(ipcMain, { url: 'https://evil.example/', parent: null })));
    await expectError(stranger.call('settings.get', {}), 'forbidden');
    const subFrame = createBridgeClient(createBridge(new FakeIpcRenderer(ipcMain, { url: 'app://mixdeck/index.html', parent: {} })));
    await expectError(subFrame.call('settings.get', {}), 'forbidden');
  });

  it('refuses a call with extra arguments', async () => {
    const renderer = new FakeIpcRenderer(ipcMain);
    const reply = await renderer.invoke('mixdeck:call:settings.get', {}, 'extra');
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-message' } });
  });

  it('exposes one function per call and no way to name a channel', () => {
    const bridge = createBridge(new FakeIpcRenderer(ipcMain));
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'on', 'transport']);
    expect(typeof bridge.calls['settings.get']).toBe('function');
    expect(Object.isFrozen(bridge.calls)).toBe(true);
  });
});

describe('the WebSocket transport', () => {
  let host: TestWebHost;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    host = await startTestWebHost();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });
  afterAll(async () => {
    await host.close();
  });

  const origin = (): string => `http://127.0.0.1:${host.host.port}`;

  function open(options: WebSocket.ClientOptions, protocols: string[] = sessionSubprotocols(host.host.sessionToken)): Promise<{ socket: WebSocket; status: 'open' | number }> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.host.port}${WS_PATH}`, protocols, options);
      sockets.push(socket);
      socket.once('open', () => resolve({ socket, status: 'open' }));
      socket.once('unexpected-response', (_request, response) => resolve({ socket, status: response.statusCode ?? 0 }));
      socket.once('error', () => resolve({ socket, status: -1 }));
    });
  }

  function nextMessage(socket: WebSocket): Promise<unknown> {
    return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  }

  it('refuses a page from another origin (a website the user happens to have open)', async () => {
    expect((await open({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await open({})).status).toBe(403);
    expect((await open({ origin: origin() })).status).toBe('open');
  });

  it('refuses another local client with the right Origin but without this start’s session token', async () => {
    expect((await open({ origin: origin() }, [])).status).toBe(403);
    expect((await open({ origin: origin() }, ['mixdeck'])).status).toBe(403);
    expect((await open({ origin: origin() }, sessionSubprotocols('0'.repeat(64)))).status).toBe(403);
    expect((await open({ origin: origin() }, sessionSubprotocols(host.host.sessionToken.slice(0, 63)))).status).toBe(403);
    const refusal = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.host.port}${WS_PATH}`, { origin: origin() });
      sockets.push(socket);
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      });
      socket.once('error', (error) => resolve(error.message));
    });
    expect(refusal).toMatch(/session token of the page Mixdeck served/);
    // The page the host served carries the token, and the right one opens the connection.
    const page = await (await fetch(host.url)).text();
    expect(page).toContain(`<meta name="mixdeck-session" content="${host.host.sessionToken}" />`);
    const { socket, status } = await open({ origin: origin() });
    expect(status).toBe('open');
    expect(socket.protocol).toBe('mixdeck');
  });

  it('serves the page and media only to whoever opened the launch address (another local user gets nothing)', async () => {
    const base = host.host.url;
    // Another program on this machine knows the port, not the key: no page, no token, no media.
    const bare = await fetch(base);
    expect(bare.status).toBe(403);
    const refusal = await bare.text();
    expect(refusal).toMatch(/address it printed/);
    expect(refusal).not.toContain(host.host.sessionToken);
    expect((await fetch(`${base}?key=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await fetch(`${base}index.html`)).status).toBe(403);
    expect((await fetch(`${base}media/track/1`)).status).toBe(403);
    expect((await fetch(`${base}media/karaoke/1/audio`)).status).toBe(403);
    // The launch address answers with the page and an HttpOnly, same-site cookie for this port only.
    const launched = await fetch(host.host.launchUrl);
    expect(launched.status).toBe(200);
    const cookie = launched.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`mixdeck-session-${host.host.port}=`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // With the cookie, a reload needs no key, and media is answered by its own rules (404 for an unknown id).
    const headers = { cookie: host.host.sessionCookie };
    expect((await fetch(base, { headers })).status).toBe(200);
    expect((await fetch(`${base}media/track/999999`, { headers })).status).toBe(404);
    expect((await fetch(base, { headers: { cookie: `mixdeck-session-${host.host.port}=${'f'.repeat(64)}` } })).status).toBe(403);
  });

  it('refuses a request whose Host header names another server (DNS rebinding)', async () => {
    expect((await open({ origin: origin(), headers: { host: `evil.example:${host.host.port}` } })).status).toBe(403);
  });

  it('answers text that is not JSON, and JSON that is not a call, with bad-message', async () => {
    const { socket } = await open({ origin: origin() });
    socket.send('{not json');
    expect(await nextMessage(socket)).toMatchObject({ t: 'reply', id: null, reply: { ok: false, error: { code: 'bad-message' } } });
    socket.send(JSON.stringify({ t: 'call', id: 7, name: 42 }));
    expect(await nextMessage(socket)).toMatchObject({ t: 'reply', id: 7, reply: { ok: false, error: { code: 'bad-message' } } });
  });

  it('closes a connection that sends an oversized message, and keeps serving others', async () => {
    const { socket } = await open({ origin: origin() });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ t: 'call', id: 1, name: 'app.ping', input: { nonce: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    const { socket: other } = await open({ origin: origin() });
    other.send(JSON.stringify({ t: 'call', id: 2, name: 'app.ping', input: { nonce: 'ok' } }));
    expect(await nextMessage(other)).toMatchObject({ id: 2, reply: { ok: true, value: { nonce: 'ok' } } });
  });

  it('serves the app with a strict CSP and refuses paths outside it', async () => {
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fetc/passwd', '/%00', '/does-not-exist.js']) {
      const response = await fetch(new URL(path, host.url), { redirect: 'manual' });
      expect(response.status, path).toBe(404);
    }
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });

  it('the client reconnects by itself when the host comes back', async () => {
    const dataDir = makeTempDir();
    let restartable = await startTestWebHost({ dataDir: dataDir.path });
    const port = restartable.host.port;
    const client = connectWebSocket(() => restartable.host, { reconnectInitialMs: 50, reconnectMaxMs: 200 });
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    expect((await client.call('app.ping', { nonce: 'before' })).nonce).toBe('before');
    await restartable.close();
    await expect.poll(() => client.connectionState).toBe('reconnecting');
    restartable = await startTestWebHost({ dataDir: dataDir.path, port });
    await expect.poll(() => client.connectionState, { timeout: 5_000 }).toBe('connected');
    expect((await client.call('app.ping', { nonce: 'after' })).nonce).toBe('after');
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    client.close();
    await restartable.close();
    dataDir.remove();
  });
});
