import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import { call } from '../support/core-calls';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

// The audio sources a DJ has, in Debian's Chromium against the real web host: the system output
// (this machine's test card offers none, so the dashboard says what to do), a rehearsal file
// chosen by its path (granted by main's files.pick), and Mixdeck's own player, whose output the
// page taps and sends to main: main's meters hear it while it plays and silence once paused.
// Build first (`npm run build`).

const PLAYER_TONE_HZ = 660;

let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
let music = '';
const pageProblems: string[] = [];

const dialog = () => page.getByTestId('go-live-dialog');

async function checksAfterListening(): Promise<string[]> {
  await page.getByTestId('go-live').click();
  await dialog().getByRole('heading', { name: /Go live/ }).waitFor();
  await page.locator('[data-testid="go-live-checklist"][data-listening="false"]').waitFor({ timeout: 15_000 });
  const checks = await dialog().getByTestId('go-live-check').evaluateAll((items) => items.map((item) => item.getAttribute('data-check') ?? ''));
  await dialog().getByRole('button', { name: 'Cancel' }).click();
  await dialog().waitFor({ state: 'hidden' });
  return checks.sort();
}

describe('the broadcast audio sources', () => {
  beforeAll(async () => {
    // Main's picker only grants paths in the home folder or on a mounted volume.
    music = mkdtempSync(join(homedir(), 'mixdeck-e2e-sources-'));
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${PLAYER_TONE_HZ}:sample_rate=48000:duration=30,volume=4`, '-c:a', 'flac', '-metadata', 'title=Player Tone', '-metadata', 'artist=E2E', join(music, 'player tone.flac')]);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=3', join(music, 'rehearsal.wav')]);
    host = await startTestWebHost();
    await call(host.core, 'files.pick', { path: music, kind: 'folder', purpose: 'music-folder' });
    await call(host.core, 'library.folders.add', { path: music, scan: true });
    const started = Date.now();
    while ((await call(host.core, 'library.scanStatus', {})).progress?.state !== 'done') {
      if (Date.now() - started > 60_000) throw new Error('The scan did not finish');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await launchChromium([...MEDIA_FLAGS]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    collectPageProblems(page, pageProblems);
    await page.goto(`${host.url}#/broadcast`);
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (music) rmSync(music, { recursive: true, force: true });
  });

  it('offers the system output, and says what to do where no input carries it', async () => {
    await page.getByTestId('audio-source').selectOption('system');
    expect(await page.getByTestId('system-output-note').textContent()).toMatch(/No "Monitor of …" input is offered here/);
    expect(await page.getByTestId('audio-source').inputValue()).toBe('system');
  });

  it('takes a rehearsal file by its path once main has granted it, and refuses one that does not exist in words', async () => {
    await page.getByTestId('audio-source').selectOption('file');
    await page.getByTestId('rehearsal-file').fill(join(music, 'missing.wav'));
    await page.getByTestId('rehearsal-file-use').click();
    const refusal = page.locator('.bc-field-error', { hasText: /missing\.wav/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).not.toMatch(/files\.pick|Error:|ENOENT/);
    expect((await call(host!.core, 'broadcast.getAudioInput', {})).source).not.toBe('file');

    await page.getByTestId('rehearsal-file').fill(join(music, 'rehearsal.wav'));
    await page.getByTestId('rehearsal-file-use').click();
    await expect.poll(async () => (await call(host!.core, 'broadcast.getAudioInput', {})).filePath).toBe(join(music, 'rehearsal.wav'));
    expect(await page.getByTestId('audio-source').inputValue()).toBe('file');
    // The file loops at its own pace: the input is not silent.
    expect(await checksAfterListening()).not.toContain('silent-input');
  });

  it('puts Mixdeck\'s player on air: main hears the track while it plays and silence once it is paused', async () => {
    await page.getByTestId('audio-source').selectOption('player');
    await page.getByTestId('player-source-note').waitFor();
    await expect.poll(async () => (await call(host!.core, 'broadcast.getAudioInput', {})).source).toBe('player');
    // Nothing plays yet: silence.
    expect(await checksAfterListening()).toContain('silent-input');

    // Play the track from the library, then come back: the tap keeps sending while another area shows.
    await page.goto(`${host!.url}#/library`);
    await page.getByTestId('track-row').filter({ hasText: 'Player Tone' }).dblclick();
    await page.locator('[data-testid="player-bar"][data-status="playing"]').waitFor({ timeout: 20_000 });
    await page.goto(`${host!.url}#/broadcast`);
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
    expect(await checksAfterListening()).not.toContain('silent-input');
    // The meters (main's, after the limiter) show the tone's level, not silence.
    await page.getByTestId('go-live').click();
    await expect
      .poll(async () => Number.parseFloat(((await page.locator('.bc-meter-value').first().textContent()) ?? '').replace('−', '-')), { timeout: 10_000 })
      .toBeGreaterThan(-20);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'hidden' });

    await page.goto(`${host!.url}#/library`);
    await page.getByTestId('player-play').click();
    await page.locator('[data-testid="player-bar"][data-status="paused"]').waitFor();
    await page.goto(`${host!.url}#/broadcast`);
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
    expect(await checksAfterListening()).toContain('silent-input');
    expect(pageProblems).toEqual([]);
  });
});
