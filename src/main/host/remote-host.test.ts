import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { REMOTE_REVOKED_CLOSE_CODE, REMOTE_WS_PATH, REMOTE_WS_SUBPROTOCOL, type CallName, type CallOutput } from '../../shared/contract';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import { RemotePairing } from '../services/remote/pairing';
import { startRemoteHost } from './remote-host';

const temp = makeTempDir('mixdeck-remote-');
let core: AppCore;
let remoteUrl: string;
let origin: string;

/** The log lines written so far, as Mixdeck wrote them to its log file. */
function logEntries(): Array<Record<string, unknown>> {
  return readFileSync(join(temp.path, 'data', 'logs', 'mixdeck.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function call<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> {
  const reply = await core.dispatcher.dispatch(name, input, { transport: 'web', origin: 'test' });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as CallOutput<N>;
}

async function pair(code: string, name = 'Test phone'): Promise<{ status: number; body: { message?: string; device?: { id: string } }; cookie: string | null }> {
  const response = await fetch(`${remoteUrl}pair`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ code, name }) });
  const setCookie = response.headers.get('set-cookie');
  return { status: response.status, body: (await response.json()) as { message?: string }, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

interface Phone {
  socket: WebSocket;
  messages: Array<{ t: string; id?: number; name?: string; reply?: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }>;
  closed: Promise<{ code: number; reason: string }>;
  call(name: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
}

let nextCallId = 1;
async function connect(cookie: string | null, headers: Record<string, string> = {}): Promise<Phone> {
  const socket = new WebSocket(`${remoteUrl.replace('http', 'ws').replace(/\/$/, '')}${REMOTE_WS_PATH}`, [REMOTE_WS_SUBPROTOCOL], {
    origin,
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
  const messages: Phone['messages'] = [];
  socket.on('error', () => {});
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Phone['messages'][number]));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    async call(name, input = {}) {
      const id = nextCallId++;
      socket.send(JSON.stringify({ t: 'call', id, name, input }));
      let found: Phone['messages'][number] | undefined;
      await vi.waitFor(() => {
        found = messages.find((message) => message.t === 'reply' && message.id === id);
        expect(found).toBeDefined();
      }, { timeout: 15_000 });
      return found!.reply!;
    },
  };
}

beforeAll(async () => {
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'info' });
});

afterAll(async () => {
  await core.close();
  temp.remove();
});

describe('the phone remote', () => {
  it('is off by default, and listens on 127.0.0.1 when switched on without LAN access', async () => {
    expect(await call('remote.status', {})).toEqual({ enabled: false, lanAccess: false, url: null, devices: [] });
    await expect(call('remote.newCode', {})).rejects.toThrow('Switch the phone remote on first');
    const status = await call('remote.enable', {});
    expect(status).toMatchObject({ enabled: true, lanAccess: false });
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    remoteUrl = status.url!;
    origin = remoteUrl.replace(/\/$/, '');
    const page = await fetch(remoteUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).toContain('src="/remote.js"');
  });

  it('pairs with the right code once; a wrong or reused code, or a request from another page, is refused', async () => {
    const { code, qrSvgDataUrl, url } = await call('remote.newCode', {});
    expect(url).toBe(remoteUrl);
    expect(Buffer.from(qrSvgDataUrl.replace('data:image/svg+xml;base64,', ''), 'base64').toString('utf8')).toContain('<svg');
    const wrong = await pair(code === '123456' ? '654321' : '123456');
    expect(wrong.status).toBe(403);
    expect(wrong.cookie).toBeNull();
    const right = await pair(code);
    expect(right.status).toBe(200);
    expect(right.cookie).toMatch(/^mixdeck-remote-\d+=[0-9a-f]{64}$/);
    const reused = await pair(code);
    expect(reused).toMatchObject({ status: 403, cookie: null, body: { message: expect.stringContaining('not valid') } });
    // A pairing request from another page (or none) is refused before the code is looked at.
    const fresh = await call('remote.newCode', {});
    const crossSite = await fetch(`${remoteUrl}pair`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: JSON.stringify({ code: fresh.code }) });
    expect(crossSite.status).toBe(403);
    expect((await call('remote.status', {})).devices.map((device) => device.name)).toEqual(['Test phone']);
  });

  it('refuses a WebSocket without a paired token, with a made-up one, or from another origin', async () => {
    await expect(connect(null)).rejects.toThrow('refused with 403');
    await expect(connect(`mixdeck-remote-${new URL(remoteUrl).port}=${'a'.repeat(64)}`)).rejects.toThrow('refused with 403');
    const { code } = await call('remote.newCode', {});
    const { cookie } = await pair(code);
    const other = new WebSocket(`${origin.replace('http', 'ws')}${REMOTE_WS_PATH}`, [REMOTE_WS_SUBPROTOCOL], { origin: 'http://evil.example', headers: { Cookie: cookie! } });
    const status = await new Promise<number>((resolve) => other.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    expect(status).toBe(403);
    other.on('error', () => {});
    other.terminate();
  });

  it('answers only its allow-list; every other call is refused and logged', async () => {
    const { code } = await call('remote.newCode', {});
    const { cookie } = await pair(code, 'Allow-list phone');
    const phone = await connect(cookie);
    expect(await phone.call('broadcast.status')).toMatchObject({ ok: true, value: { set: { state: 'idle' } } });
    // The set's state names the recording; a phone gets its file name, never the laptop's folders.
    const status = await core.dispatcher.dispatch('broadcast.status', {}, { transport: 'web', origin: 'test' });
    const set = (status as { ok: true; value: { set: Record<string, unknown> } }).value.set;
    const recording = { active: true, path: join(temp.path, 'Sets', 'set-2026-12-04.mkv'), bytes: 1, folder: join(temp.path, 'Sets') };
    core.events.emit('broadcast.setState', { ...set, recording } as never);
    await vi.waitFor(() => expect(phone.messages.some((message) => message.name === 'broadcast.setState')).toBe(true));
    const sent = phone.messages.find((message) => message.name === 'broadcast.setState') as unknown as { payload: { recording: unknown } };
    expect(sent.payload.recording).toEqual({ active: true, path: 'set-2026-12-04.mkv', bytes: 1, folder: 'Sets' });
    expect(JSON.stringify(phone.messages)).not.toContain(temp.path);
    for (const name of ['settings.get', 'broadcast.addTarget', 'remote.newCode', 'remote.revoke', 'library.list', 'no.such.call']) {
      const reply = await phone.call(name, {});
      expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('The remote cannot use') } });
      expect(logEntries()).toContainEqual(expect.objectContaining({ level: 'warn', scope: 'main.remote', message: 'refused a remote call outside its allow-list', name }));
    }
    // Go Live from a phone never chooses a folder or targets.
    const withFolder = await phone.call('broadcast.goLive', { recordingFolder: '/etc' });
    expect(withFolder).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    phone.socket.close();
  });

  it('sends player transport to the page as controller actions', async () => {
    const { code } = await call('remote.newCode', {});
    const { cookie } = await pair(code, 'Player phone');
    const phone = await connect(cookie);
    const actions: unknown[] = [];
    const off = core.events.subscribe((name, payload) => {
      if (name === 'midi.action') actions.push(payload);
    });
    expect(await phone.call('remote.player', { action: 'player.next' })).toMatchObject({ ok: true });
    expect(await phone.call('remote.player', { action: 'player.playPause', value: 0 })).toMatchObject({ ok: true });
    expect(await phone.call('remote.player', { action: 'studio.record' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    off();
    expect(actions).toEqual([
      { action: 'player.next', slot: null, value: 1, note: null, device: 'Phone remote (Player phone)' },
      { action: 'player.playPause', slot: null, value: 0, note: null, device: 'Phone remote (Player phone)' },
    ]);
    // Only the remote's events reach it: a settings change is not among them.
    core.events.emit('settings.changed', core.settings.get());
    core.events.emit('broadcast.nowPlaying', { nowPlaying: null, tracklist: [] });
    await vi.waitFor(() => expect(phone.messages.some((message) => message.t === 'event' && message.name === 'broadcast.nowPlaying')).toBe(true));
    expect(phone.messages.some((message) => message.name === 'settings.changed')).toBe(false);
    phone.socket.close();
  });

  it('refuses a revoked token at once, on the open socket and on the next connection', async () => {
    const { code } = await call('remote.newCode', {});
    const { cookie, body } = await pair(code, 'Revoked phone');
    const phone = await connect(cookie);
    expect(await phone.call('broadcast.status')).toMatchObject({ ok: true });
    const { revoked, devices } = await call('remote.revoke', { id: body.device!.id });
    expect(revoked).toBe(true);
    expect(devices.map((device) => device.name)).not.toContain('Revoked phone');
    expect(await phone.closed).toEqual({ code: REMOTE_REVOKED_CLOSE_CODE, reason: 'This phone is no longer paired. Pair it again.' });
    await expect(connect(cookie)).rejects.toThrow('refused with 403');
    // The token never reaches the log.
    expect(readFileSync(join(temp.path, 'data', 'logs', 'mixdeck.log'), 'utf8')).not.toContain(cookie!.split('=')[1]!);
    const session = (await (await fetch(`${remoteUrl}session`, { headers: { Cookie: cookie! } })).json()) as { paired: boolean };
    expect(session.paired).toBe(false);
  });

  it('forgets every phone and stops listening when switched off', async () => {
    const { code } = await call('remote.newCode', {});
    const { cookie } = await pair(code, 'Last phone');
    const phone = await connect(cookie);
    expect(await call('remote.disable', {})).toEqual({ enabled: false, lanAccess: false, url: null, devices: [] });
    await phone.closed;
    await expect(fetch(remoteUrl)).rejects.toThrow();
  });
});

describe('an expired pairing', () => {
  it('is refused on the open socket at its next message, and on the next connection', async () => {
    let nowMs = Date.now();
    const pairing = new RemotePairing({ now: () => nowMs, tokenLifetimeMs: 60_000 });
    const host = await startRemoteHost({ dispatcher: core.dispatcher, events: core.events, logger: core.logger, pairing, host: '127.0.0.1' });
    try {
      remoteUrl = host.url;
      origin = host.url.replace(/\/$/, '');
      const { code } = pairing.newCode();
      const { cookie } = await pair(code, 'Short-lived phone');
      const phone = await connect(cookie);
      expect(await phone.call('broadcast.status')).toMatchObject({ ok: true });
      nowMs += 60_001;
      phone.socket.send(JSON.stringify({ t: 'call', id: 9999, name: 'broadcast.status', input: {} }));
      expect(await phone.closed).toEqual({ code: REMOTE_REVOKED_CLOSE_CODE, reason: 'This phone is no longer paired. Pair it again.' });
      expect(phone.messages.some((message) => message.id === 9999)).toBe(false);
      await expect(connect(cookie)).rejects.toThrow('refused with 403');
    } finally {
      await host.close();
    }
  });
});
