import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { sessionSubprotocols, WS_PATH } from '../../shared/contract';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';
import type { Logger } from '../services/log/logger';
import { RENDERER_DIR } from '../paths';
import { startWebHost, type WebHost } from './web-host';

const temp = makeTempDir('mixdeck-slow-');
let core: AppCore;
let host: WebHost;
const warnings: string[] = [];

beforeAll(async () => {
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  const logger: Logger = { ...core.logger, warn: (message, fields) => (warnings.push(message), core.logger.warn(message, fields)) };
  // Small caps, so a test fills them in moments; the close grace is long enough to read the reason.
  host = await startWebHost({ ...core, logger, staticDir: RENDERER_DIR, clientBufferLimits: { dropEventsAboveBytes: 256 * 1024, closeAboveBytes: 1024 * 1024, closeGraceMs: 20_000 } });
});

afterAll(async () => {
  await host.close();
  await core.close();
  temp.remove();
});

/** A page that connects properly and then stops reading: its socket is paused. */
async function connectAndStopReading(): Promise<{ socket: WebSocket; received: () => number; replies: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, sessionSubprotocols(host.sessionToken), { origin: `http://127.0.0.1:${host.port}` });
  let count = 0;
  // Replies are kept from the start: once the page reads again, they may arrive in the same burst as the events.
  const replies: unknown[] = [];
  socket.on('message', (data) => {
    count += 1;
    const message = JSON.parse(String(data)) as { t: string };
    if (message.t === 'reply') replies.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.pause();
  return { socket, received: () => count, replies, closed };
}

describe('a page that stops reading', () => {
  it('gets no more events past the soft cap, stays connected, and gets replies again once it reads', async () => {
    const page = await connectAndStopReading();
    const settings = core.settings.get();
    const eventBytes = JSON.stringify({ t: 'event', name: 'settings.changed', payload: settings }).length;
    // Far more than the kernel's socket buffers and the cap together.
    const sent = Math.ceil((48 * 1024 * 1024) / eventBytes);
    for (let index = 0; index < sent; index += 1) core.events.emit('settings.changed', settings);
    expect(warnings).toContain('a page is not reading; its events are dropped');
    page.socket.resume();
    page.socket.send(JSON.stringify({ t: 'call', id: 1, name: 'app.ping', input: { nonce: 'still here' } }));
    await vi.waitFor(() => expect(page.replies).toHaveLength(1), { timeout: 30_000 });
    expect(page.replies[0]).toMatchObject({ id: 1, reply: { ok: true, value: { nonce: 'still here' } } });
    expect(page.received()).toBeLessThan(sent);
    expect(page.socket.readyState).toBe(WebSocket.OPEN);
    page.socket.close();
  }, 60_000);

  it('is closed with a reason in words past the hard cap, and the host serves others', async () => {
    const page = await connectAndStopReading();
    // Calls whose replies pile up unread.
    const call = JSON.stringify({ t: 'call', id: 2, name: 'settings.get', input: {} });
    for (let index = 0; index < 40_000; index += 1) page.socket.send(call);
    await vi.waitFor(() => expect(warnings).toContain('closed a page that stopped reading'), { timeout: 30_000 });
    page.socket.resume();
    expect(await page.closed).toEqual({ code: 1008, reason: 'This page stopped reading its messages, so Mixdeck closed the connection.' });
    await vi.waitFor(() => expect(host.connections).toBe(0));
    expect((await fetch(host.launchUrl)).status).toBe(200);
  }, 60_000);
});
