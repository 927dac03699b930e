import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { RENDERER_DIR } from '../../src/main/paths';
import { call } from '../support/core-calls';
import { collectPageProblems, launchChromium } from '../support/chromium';
import { startRtmpServer, type RtmpServer } from '../support/rtmp-server';
import { makeTempDir } from '../support/temp-dir';

// The phone remote in Chromium: the desktop page (built: `npm run build` first) switches it on
// in Settings › Remote and shows a code and QR code; a second browser context pairs with that
// code, sees the set go live against a real nginx-rtmp on 127.0.0.1 and ends it, and is revoked
// from the desktop page; a context never paired is refused everything.

const STREAM_KEY = 'live_remote_e2e_key_0123456789';
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 300, audioBitrateKbps: 96 };

const temp = makeTempDir('mixdeck-remote-e2e-');
let rtmp: RtmpServer | undefined;
let core: AppCore | undefined;
let browser: Browser | undefined;
let webHost: WebHost | undefined;
let desktop: Page;
let remoteUrl: string;
const problems: string[] = [];

async function openPhone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  collectPageProblems(page, problems);
  await page.goto(remoteUrl);
  return { context, page };
}

beforeAll(async () => {
  rtmp = await startRtmpServer({ apps: ['twitch'], tls: false });
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'warn' });
  await call(core, 'broadcast.addTarget', { platform: 'twitch', name: 'Remote test channel', server: rtmp.rtmpUrl('twitch'), streamKey: STREAM_KEY, overrides: SMALL });
  await call(core, 'broadcast.setAudioInput', { source: 'tone' });
  await call(core, 'broadcast.setVideoSource', { kind: 'testsrc', frameRate: 30 });
  webHost = await startWebHost({ ...core, staticDir: RENDERER_DIR, port: 0 });
  browser = await launchChromium();
  desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  collectPageProblems(desktop, problems);
  await desktop.goto(`${webHost.launchUrl}#/settings`);
  const section = desktop.getByTestId('settings-remote');
  await section.scrollIntoViewIfNeeded();
  await desktop.getByTestId('remote-enabled').check();
  await desktop.getByTestId('remote-url').waitFor({ timeout: 15_000 });
  expect(await desktop.getByTestId('remote-url').textContent()).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
  remoteUrl = /http:\/\/127\.0\.0\.1:\d+\//.exec((await desktop.getByTestId('remote-url').textContent())!)![0];
  expect((await call(core, 'remote.status', {})).url).toBe(remoteUrl);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await webHost?.close();
  await core?.close();
  await rtmp?.stop();
  temp.remove();
});

describe('the phone remote in Chromium', () => {
  it('refuses a phone that is not paired: the pairing form, no session, no socket', async () => {
    const { context, page } = await openPhone();
    await page.locator('#pair').waitFor({ state: 'visible' });
    expect(await page.locator('#remote').isHidden()).toBe(true);
    const session = await page.evaluate(async () => (await fetch('/session')).json());
    expect(session).toEqual({ paired: false });
    const closeCode = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const socket = new WebSocket(`ws://${location.host}/remote-ws`, ['mixdeck-remote']);
          socket.onopen = () => resolve(-1);
          socket.onclose = (event) => resolve(event.code);
        }),
    );
    expect(closeCode).toBe(1006);
    await page.fill('#code', '000000');
    await page.click('#pair-button');
    await expect.poll(() => page.locator('#message').textContent(), { timeout: 10_000 }).toContain('not valid');
    await context.close();
  });

  it('pairs a second context with the code, goes live, sees live status, and ends the set', async () => {
    await desktop.getByTestId('remote-new-code').click();
    const code = (await desktop.getByTestId('remote-code').textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    const qr = desktop.getByTestId('remote-pairing').locator('img');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await vi.waitFor(async () => expect(await qr.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0));
    const { context, page } = await openPhone();
    await page.locator('#pair').waitFor({ state: 'visible' });
    await page.fill('#code', code);
    await page.fill('#device', 'E2E phone');
    await page.click('#pair-button');
    await page.locator('#remote').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => page.locator('#targets li').first().textContent(), { timeout: 15_000 }).toContain('Remote test channel');

    await page.click('#go-live');
    await expect.poll(() => page.locator('#targets li').first().getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    await vi.waitFor(() => expect(rtmp!.publishAttempts.some((attempt) => attempt.name === STREAM_KEY && attempt.accepted)).toBe(true), { timeout: 30_000 });
    expect(await page.locator('#set-state').textContent()).toMatch(/^live/);
    // Now playing typed on the laptop shows on the phone.
    await call(core!, 'broadcast.setNowPlaying', { artist: 'Test Artist', title: 'Remote Anthem' });
    await expect.poll(() => page.locator('#now-playing').textContent(), { timeout: 15_000 }).toContain('Remote Anthem');

    // One tap only arms End; the second ends the set.
    await page.click('#end');
    expect((await call(core!, 'broadcast.status', {})).set.state).toBe('live');
    await page.click('#end');
    await expect.poll(() => page.locator('#message').textContent(), { timeout: 90_000 }).toContain('The set ended');
    expect((await call(core!, 'broadcast.status', {})).set.state).toBe('idle');
    expect(rtmp!.recordings('twitch').length).toBeGreaterThan(0);

    // Revoked from the laptop: the phone is told at once and shown the pairing form again.
    await desktop.getByTestId('remote-new-code').click();
    const devices = desktop.getByTestId('remote-devices');
    await expect.poll(() => devices.textContent(), { timeout: 10_000 }).toContain('E2E phone');
    await devices.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => desktop.getByTestId('settings-remote').textContent(), { timeout: 10_000 }).toContain('No phone is paired');
    await page.locator('#pair').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#message').textContent()).toContain('no longer paired');
    expect(await page.evaluate(async () => (await fetch('/session')).json())).toEqual({ paired: false });
    await context.close();
    expect(problems.filter((problem) => !/WebSocket connection to .* failed/.test(problem) && !/status of 403/.test(problem))).toEqual([]);
  }, 240_000);
});
