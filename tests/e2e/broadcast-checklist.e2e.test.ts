import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import { call } from '../support/core-calls';
import { startRtmpServer, type RtmpServer } from '../support/rtmp-server';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

// The Go Live confirmation's checklist in Debian's Chromium, against the real web host (its audio
// from the ALSA test card, which reads /dev/zero: a connected but silent mixer) and a real
// nginx-rtmp. Each condition is made true, seen in the dialog, fixed, and seen gone. Build first.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const KEY = 'live_checklist_e2e_key_31';
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 400, audioBitrateKbps: 128, x264Preset: 'ultrafast' } as const;

let rtmp: RtmpServer | undefined;
let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
const pageProblems: string[] = [];

const check = (id: string) => page.locator(`[data-testid="go-live-dialog"] [data-testid="go-live-check"][data-check="${id}"]`);
const dialog = () => page.getByTestId('go-live-dialog');

/** Opens the confirmation and waits until it has listened to the input. */
async function openConfirmation(): Promise<void> {
  await page.getByTestId('go-live').click();
  await dialog().getByRole('heading', { name: /Go live on/ }).waitFor();
  await page.locator('[data-testid="go-live-checklist"][data-listening="false"]').waitFor({ timeout: 15_000 });
}

async function cancelConfirmation(): Promise<void> {
  await dialog().getByRole('button', { name: 'Cancel' }).click();
  await dialog().waitFor({ state: 'hidden' });
}

async function checksShown(): Promise<string[]> {
  return (await dialog().getByTestId('go-live-check').evaluateAll((items) => items.map((item) => item.getAttribute('data-check') ?? ''))).sort();
}

describe('the Go Live checklist', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    [rtmp, host] = await Promise.all([startRtmpServer({ apps: ['twitch'] }), startTestWebHost()]);
    // A target saved without its key, no audio source, and an upload too small for the target.
    await call(host.core, 'broadcast.addTarget', { platform: 'twitch', server: rtmp.rtmpUrl('twitch'), overrides: SMALL });
    await call(host.core, 'broadcast.setAudioInput', { source: 'none' });
    await call(host.core, 'broadcast.setUploadBandwidth', { uploadKbps: 500 });
    browser = await launchChromium([...MEDIA_FLAGS]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    collectPageProblems(page, pageProblems);
    await page.goto(`${host.url}#/broadcast`);
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
    await page.getByTestId('target-row').waitFor();
    // A scene of background and text only: no camera, no logo, and the visualizer switched off.
    await page.getByTestId('visualizer-toggle').click();
    await page.locator('[data-testid="visualizer-toggle"][aria-pressed="false"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await rtmp?.stop();
  });

  it('lists no audio input, no video source, a target without a key and a small upload before the set starts', async () => {
    await openConfirmation();
    expect(await checksShown()).toEqual(['no-audio-input', 'no-key', 'no-video', 'upload']);
    expect(await check('no-key').textContent()).toBe('Twitch has no stream key and will fail. Add it with Edit.');
    expect(await check('upload').textContent()).toMatch(/need about 0\.6 Mbps but your upload is 0\.5 Mbps/);
    expect(await dialog().getByRole('button', { name: 'Go live anyway' }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-go-live-checklist.png') });
    await cancelConfirmation();
  });

  it('hears silence on a connected input, and hears the tone once it is chosen', async () => {
    // The test card's input reads /dev/zero: a mixer that is plugged in but sends nothing.
    await page.getByTestId('audio-source').selectOption('device');
    await openConfirmation();
    expect(await checksShown()).toEqual(['no-key', 'no-video', 'silent-input', 'upload']);
    expect(await check('silent-input').textContent()).toMatch(/^The input is silent: nothing louder than -60 dBFS in the last 1\.5 seconds\. Check the mixer's output, the channels \(\d \+ \d\) and the gain\.$/);
    await cancelConfirmation();

    await page.getByTestId('audio-source').selectOption('tone');
    await openConfirmation();
    expect(await checksShown()).toEqual(['no-key', 'no-video', 'upload']);
    await cancelConfirmation();
  });

  it('sees the picture once the camera is on, and the key once it is added with Edit', async () => {
    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => page.getByTestId('camera-toggle').getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    await page.getByTestId('edit-target').click();
    const edit = page.getByTestId('edit-target-dialog');
    await edit.getByRole('heading', { name: 'Edit Twitch' }).waitFor();
    // The saved server and profile are shown; the key never is.
    expect(await edit.getByTestId('target-server').inputValue()).toBe(rtmp!.rtmpUrl('twitch'));
    expect(await edit.getByTestId('profile-width').inputValue()).toBe('320');
    expect(await edit.getByTestId('target-key').inputValue()).toBe('');
    await edit.getByTestId('target-key').fill(KEY);
    await edit.getByTestId('save-target').click();
    await edit.waitFor({ state: 'hidden' });
    await page.locator('[data-testid="target-row"] .bc-key-set').waitFor();

    await openConfirmation();
    expect(await checksShown()).toEqual(['upload']);
  });

  it('still goes live when the DJ says so, restarts a live target with new settings, and leaves no error after End', async () => {
    await dialog().getByRole('button', { name: 'Go live anyway' }).click();
    await page.locator('[data-testid="set-controls"][data-set-state="live"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="target-row"][data-state="live"]').waitFor({ timeout: 20_000 });

    // Edit on air: the target is restarted with its new bitrate; the set goes on.
    await page.getByTestId('edit-target').click();
    const edit = page.getByTestId('edit-target-dialog');
    await edit.getByTestId('edit-restarts').waitFor();
    await edit.getByTestId('profile-videoBitrateKbps').fill('300');
    await edit.getByRole('button', { name: 'Save and restart' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => rtmp!.publishAttempts.filter((attempt) => attempt.name === KEY && attempt.accepted).length, { timeout: 20_000 }).toBe(2);
    await page.locator('[data-testid="target-row"][data-state="live"]').waitFor({ timeout: 20_000 });
    expect((await call(host!.core, 'broadcast.listTargets', {})).targets[0]!.profile.videoBitrateKbps).toBe(300);

    // The test tone has no beat: its tempo is unknown, not a number.
    expect(await page.getByTestId('tempo').textContent()).toBe('— BPM');

    await page.getByTestId('end-set').click();
    await page.getByTestId('end-dialog').getByRole('button', { name: 'End set' }).click();
    await page.locator('[data-testid="set-controls"][data-set-state="idle"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('last-recording').waitFor();
    // Late events of the ended set have had time to arrive: nothing red stays.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await page.getByTestId('broadcast-error').count()).toBe(0);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    expect(await page.getByTestId('tempo').textContent()).toBe('— BPM');
  });

  it('shows the tempo as unknown after a reload, and says ready once the upload is enough', async () => {
    await page.reload();
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
    expect(await page.getByTestId('tempo').textContent()).toBe('— BPM');
    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => page.getByTestId('camera-toggle').getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    await page.getByTestId('upload-kbps').fill('20000');
    await page.getByTestId('upload-kbps').press('Tab');
    await page.getByTestId('bandwidth-line').filter({ hasText: /Targets need/ }).waitFor();
    await openConfirmation();
    expect(await checksShown()).toEqual([]);
    await dialog().getByTestId('go-live-ready').waitFor();
    expect(await dialog().getByRole('button', { name: 'Go live now' }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-go-live-ready.png') });
    await cancelConfirmation();
    expect(pageProblems).toEqual([]);
  });
});
