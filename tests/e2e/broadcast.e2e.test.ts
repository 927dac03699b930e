import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import { startRtmpServer, type RtmpServer } from '../support/rtmp-server';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

// The live-set dashboard in Debian's Chromium (fake camera and microphone) against the real web
// host and a real nginx-rtmp on 127.0.0.1 with one application per platform. What each
// "platform" recorded is checked with ffprobe. Build the renderer first: `npx electron-vite build`.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const BANNER = 'Mixdeck e2e — live from 127.0.0.1';

interface TargetSpec {
  platform: 'twitch' | 'youtube' | 'facebook' | 'tiktok' | 'kick';
  label: string;
  app: string;
  tls: boolean;
  key: string;
  portrait: boolean;
}

const TARGETS: readonly TargetSpec[] = [
  { platform: 'twitch', label: 'Twitch', app: 'twitch', tls: false, key: 'live_42_e2eTwitchKey', portrait: false },
  { platform: 'youtube', label: 'YouTube', app: 'youtube', tls: true, key: 'abcd-efgh-ijkl-mnop', portrait: false },
  { platform: 'facebook', label: 'Facebook', app: 'facebook', tls: true, key: 'FB-e2e-9876543210', portrait: false },
  { platform: 'tiktok', label: 'TikTok', app: 'tiktok', tls: false, key: 'tiktok-e2e-key-55', portrait: true },
];

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

function probe(file: string): { streams: ProbedStream[]; durationSec: number } {
  const json = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height:format=duration', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  ) as { streams: ProbedStream[]; format: { duration?: string } };
  return { streams: json.streams, durationSec: Number(json.format.duration ?? 0) };
}

/** One frame, 64×36, as RGB bytes: enough to see what the scene drew where. */
function frameRgb(file: string, atSec: number, width: number, height: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    maxBuffer: 1 << 20,
  });
}

function averageRow(rgb: Buffer, width: number, row: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let x = 0; x < width; x += 1) for (let c = 0; c < 3; c += 1) sum[c]! += rgb[(row * width + x) * 3 + c]!;
  return [sum[0]! / width, sum[1]! / width, sum[2]! / width];
}

/** rtmp-server.ts refuses stream names starting with "bad", as a platform refuses a wrong key. */
const REFUSED: TargetSpec = { platform: 'kick', label: 'Kick', app: 'kick', tls: false, key: 'bad-e2e-kick-key', portrait: false };

let rtmp: RtmpServer | undefined;
let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
const pageProblems: string[] = [];

async function addTarget(spec: TargetSpec): Promise<void> {
  const server = spec.tls ? rtmp!.rtmpsUrl(spec.app) : rtmp!.rtmpUrl(spec.app);
  const dialog = page.getByTestId('add-target-dialog');
  const opener = page.getByTestId('add-target').or(page.getByTestId('add-first-target'));
  await opener.first().click();
  await dialog.waitFor();
  await dialog.locator('label.bc-platform-choice', { hasText: spec.label }).click();
  // The preset is shown; platforms with a list of ingests get "Other server…" for the local one.
  const choice = dialog.getByTestId('target-server-choice');
  if (await choice.count()) await choice.selectOption('__other__');
  await dialog.getByTestId('target-server').fill(server);
  await dialog.getByTestId('target-key').fill(spec.key);
  // Small frames keep two encodes and Chromium's VP8 within this shared 2-core machine.
  expect(await dialog.getByTestId('profile-width').inputValue()).toBe(spec.portrait ? '720' : '1280');
  await dialog.getByTestId('profile-width').fill(spec.portrait ? '360' : '640');
  await dialog.getByTestId('profile-height').fill(spec.portrait ? '640' : '360');
  await dialog.getByTestId('profile-videoBitrateKbps').fill('800');
  await dialog.getByTestId('save-target').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-testid="target-row"]', { hasText: spec.label }).waitFor();
}

describe('the broadcast dashboard', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    [rtmp, host] = await Promise.all([startRtmpServer({ tls: true }), startTestWebHost()]);
    browser = await launchChromium([...MEDIA_FLAGS]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    collectPageProblems(page, pageProblems);
    await page.goto(`${host.url}#/broadcast`);
    await page.locator('[data-testid="broadcast-dashboard"][data-loaded="true"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await rtmp?.stop();
  });

  it('adds Twitch, YouTube, Facebook and TikTok with their keys masked from then on', async () => {
    await page.getByTestId('empty-broadcast').waitFor();
    for (const spec of TARGETS) await addTarget(spec);
    expect(await page.getByTestId('target-row').count()).toBe(4);
    await expect.poll(() => page.locator('.bc-key-set').count()).toBe(4);
    const html = await page.content();
    for (const spec of TARGETS) expect(html).not.toContain(spec.key);
  });

  it('shows main\'s reason in words when it refuses a target, and saves nothing', async () => {
    await page.getByTestId('add-target').click();
    const dialog = page.getByTestId('add-target-dialog');
    await dialog.locator('label.bc-platform-choice', { hasText: 'Custom' }).click();
    await dialog.getByTestId('target-server').fill('http://127.0.0.1/live');
    await dialog.getByTestId('save-target').click();
    await dialog.getByText('The server must be an rtmp:// or rtmps:// address').first().waitFor();
    expect(await dialog.getByTestId('target-server').getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('target-row').count()).toBe(4);
  });

  it('goes live after a confirmation, turns every row live, and streams the page scene to every platform', async () => {
    // The set's audio: main's 440 Hz test tone (this machine has no mixer); the scene: the page's compositor.
    await page.getByTestId('audio-source').selectOption('tone');
    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => page.getByTestId('camera-toggle').getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    await page.getByTestId('scene-banner').fill(BANNER);
    await page.getByTestId('now-playing-input').fill('Kerri Chandler — Rain');
    await page.getByTestId('now-playing-set').click();
    await page.getByTestId('now-playing').getByText('Kerri Chandler — Rain').waitFor();

    // 4 targets at 800 + 160 kbps need about 4.2 Mbps: more than a 3 Mbps upload can carry.
    await page.getByTestId('upload-kbps').fill('3000');
    await page.getByTestId('upload-kbps').press('Tab');
    await page.getByTestId('bandwidth-line').filter({ hasText: /need about 4\.\d Mbps but your upload is 3\.0 Mbps/ }).waitFor();

    await page.getByTestId('go-live').click();
    const confirm = page.getByTestId('go-live-dialog');
    await confirm.getByRole('heading', { name: 'Go live on 4 targets?' }).waitFor();
    // The checklist says the upload is too small; the DJ goes live anyway.
    await confirm.locator('[data-testid="go-live-check"][data-check="upload"]').filter({ hasText: 'streams will stutter' }).waitFor();
    await confirm.getByRole('button', { name: 'Go live anyway' }).click();

    const startedMs = Date.now();
    await page.locator('[data-testid="set-controls"][data-set-state="live"]').waitFor({ timeout: 15_000 });
    for (const spec of TARGETS) {
      await page.locator(`[data-testid="target-row"][data-state="live"]`, { hasText: spec.label }).waitFor({ timeout: 20_000 });
    }
    const allLiveSec = (Date.now() - startedMs) / 1000;
    console.log(`every row live ${allLiveSec.toFixed(1)} s after Go Live`);
    await page.locator('[data-testid="scene-sending"][data-sending="sending"]').waitFor();
    await page.getByTestId('recording-indicator').filter({ hasText: 'REC' }).waitFor();

    // A few seconds of set, so the sparklines, health graph and timer have something to show.
    const setSeconds = async (): Promise<number> => {
      const [minutes, seconds] = ((await page.getByTestId('set-timer').textContent()) ?? '0:00').split(':').map(Number);
      return (minutes ?? 0) * 60 + (seconds ?? 0);
    };
    const liveAtSec = await setSeconds();
    await expect.poll(setSeconds, { timeout: 10_000 }).toBeGreaterThanOrEqual(liveAtSec + 4);

    // A fifth target added mid-set whose server refuses the key: failed, in words, and the four stay live.
    await addTarget(REFUSED);
    const refusedRow = page.locator('[data-testid="target-row"]', { hasText: REFUSED.label });
    expect(await refusedRow.getAttribute('data-state')).toBe('idle');
    await refusedRow.getByRole('button', { name: `Put on air: ${REFUSED.label}` }).click();
    await page.locator('[data-testid="target-row"][data-state="failed"]', { hasText: REFUSED.label }).waitFor({ timeout: 15_000 });
    const reason = (await page.locator('[data-testid^="target-reason-"]').last().textContent()) ?? '';
    expect(reason).toMatch(/Kick refused the stream key/);
    expect(reason).not.toContain(REFUSED.key);
    expect(await page.locator('[data-testid="target-row"][data-state="live"]').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-dashboard.png') });
  });

  it('ends the set only after the confirmation, and says where the recording went', async () => {
    // A destructive question opens on Cancel, and Escape answers it from the keyboard.
    await page.getByTestId('end-set').focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByTestId('end-dialog');
    await confirm.getByRole('heading', { name: 'End the set?' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('set-controls').getAttribute('data-set-state')).toBe('live');

    await page.getByTestId('end-set').click();
    await confirm.getByRole('button', { name: 'End set' }).click();
    await page.locator('[data-testid="set-controls"][data-set-state="idle"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('last-recording').waitFor();
    await expect.poll(async () => Promise.all((await page.getByTestId('target-row').all()).map((row) => row.getAttribute('data-state')))).toEqual(
      Array(TARGETS.length + 1).fill('idle'),
    );
  });

  it('delivered H.264 + AAC to every platform: 16:9 with the page scene, 9:16 for TikTok', async () => {
    for (const spec of TARGETS) {
      const files = rtmp!.recordings(spec.app);
      expect(files.length, `${spec.app} recorded nothing`).toBeGreaterThan(0);
      const file = files.at(-1)!;
      const { streams, durationSec } = probe(file);
      const video = streams.find((stream) => stream.codec_type === 'video');
      const audio = streams.find((stream) => stream.codec_type === 'audio');
      expect(video?.codec_name, spec.app).toBe('h264');
      expect(audio?.codec_name, spec.app).toBe('aac');
      expect(durationSec, spec.app).toBeGreaterThan(2);
      expect(video!.width! / video!.height!).toBeCloseTo(spec.portrait ? 9 / 16 : 16 / 9, 2);
      if (!spec.portrait) {
        // The page's compositor drew the banner across the bottom in the accent blue: that is what arrived.
        const rgb = frameRgb(file, Math.min(2, durationSec / 2), 64, 36);
        const [red, green, blue] = averageRow(rgb, 64, 35);
        expect(blue, `${spec.app} bottom row ${red},${green},${blue}`).toBeGreaterThan(170);
        expect(green).toBeGreaterThan(120);
        expect(red).toBeLessThan(130);
      }
    }
  });

  it('never wrote a stream key anywhere the set wrote (database, logs, recording, tracklist) or into the page', async () => {
    const html = await page.content();
    for (const spec of [...TARGETS, REFUSED]) expect(html).not.toContain(spec.key);
    const files = (await readdir(host!.dataDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    expect(files.some((file) => file.endsWith('.mp4'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const spec of [...TARGETS, REFUSED]) expect(bytes.includes(spec.key), `${spec.platform}'s key is in ${file}`).toBe(false);
    }
    expect(pageProblems).toEqual([]);
  });
});
