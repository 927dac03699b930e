import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachOutputTap, detachOutputTap, outputCount, prepareOutputTap, readOutputTap, startTappableWebHost, type TapReport } from '../support/output-tap';
import { makeTempDir } from '../support/temp-dir';
import type { TestWebHost } from '../support/web-host';

// Drives the built renderer (`npx electron-vite build` first) in Debian's Chromium against the
// real web host: a corpus made with ffmpeg is scanned into a fresh SQLite library through the
// UI, searched, played through Web Audio, and the page's speaker output is measured in the page.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const EXPECTED_CONSOLE_NOISE = /'frame-ancestors' is ignored when delivered via a <meta> element/;

const FILE_RATE = 44100;
/** One continuous 330 Hz tone, cut in two at a sample that is not a zero crossing. */
const JOIN_TONE_HZ = 330;
const JOIN_CUT_FRAME = 154_321;
const JOIN_TOTAL_FRAMES = FILE_RATE * 7;
const FADE_A_HZ = 440;
const FADE_B_HZ = 1000;
const CROSSFADE_SEC = 2;

let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
const corpus = makeTempDir('mixdeck-library-corpus-');
const pageProblems: string[] = [];
let playerOutput = -1;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function tags(title: string, album: string, track: number): string[] {
  return ['-metadata', `title=${title}`, '-metadata', 'artist=Mixdeck Test Tones', '-metadata', `album=${album}`, '-metadata', `track=${track}`, '-metadata', 'genre=Test'];
}

function buildCorpus(root: string): void {
  const music = join(root, 'music');
  mkdirSync(music, { recursive: true });
  const tone = `sine=frequency=${JOIN_TONE_HZ}:sample_rate=${FILE_RATE}:duration=8,volume=4`;
  // Two tracks cut from ONE tone, exact to the sample (atrim works on decoded samples).
  ffmpeg(['-f', 'lavfi', '-i', `${tone},atrim=end_sample=${JOIN_CUT_FRAME}`, '-c:a', 'flac', ...tags('Join Part 1', 'Gapless Album', 1), join(music, '01 join part 1.flac')]);
  ffmpeg([
    '-f', 'lavfi', '-i', `${tone},atrim=start_sample=${JOIN_CUT_FRAME}:end_sample=${JOIN_TOTAL_FRAMES},asetpts=N/SR/TB`,
    '-c:a', 'flac', ...tags('Join Part 2', 'Gapless Album', 2), join(music, '02 join part 2.flac'),
  ]);
  // Two different tones, so each can be followed through a crossfade.
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${FADE_A_HZ}:sample_rate=${FILE_RATE}:duration=6,volume=4`, '-c:a', 'libmp3lame', '-b:a', '192k', ...tags('Fade A', 'Fade Album', 1), join(music, 'fade a.mp3')]);
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${FADE_B_HZ}:sample_rate=${FILE_RATE}:duration=6,volume=4`, '-c:a', 'libmp3lame', '-b:a', '192k', ...tags('Fade B', 'Fade Album', 2), join(music, 'fade b.mp3')]);
  // A song with synchronized lyrics beside it.
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=523:sample_rate=${FILE_RATE}:duration=5,volume=2.4`, '-c:a', 'libvorbis', ...tags('Sing Along', 'Lyrics Album', 1), join(music, 'sing along.ogg')]);
  writeFileSync(join(music, 'sing along.lrc'), '[ti:Sing Along]\n[00:00.20]First line of the song\n[00:01.50]Second line arrives\n[00:03.00]Third and last line\n');
  // Filler so the list has something to scroll, and a file that is not audio at all.
  for (let index = 1; index <= 6; index += 1) {
    ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${200 + index * 50}:sample_rate=22050:duration=1`, '-c:a', 'libmp3lame', ...tags(`Filler ${index}`, 'Filler', index), join(music, `filler ${index}.mp3`)]);
  }
  writeFileSync(join(music, 'broken.mp3'), 'this is not an mp3 file at all');
}

function rowTitled(title: string) {
  return page.getByTestId('track-row').filter({ has: page.locator('.track-title', { hasText: new RegExp(`^${title}$`) }) });
}

async function waitForTitle(title: string, timeoutMs = 20_000): Promise<void> {
  await page.getByTestId('player-title').filter({ hasText: new RegExp(`^${title}$`) }).waitFor({ timeout: timeoutMs });
}

async function search(query: string, expectedCount: number): Promise<void> {
  const box = page.getByTestId('library-search');
  await box.fill(query);
  await page.getByTestId('search-count').filter({ hasText: new RegExp(`^${expectedCount} tracks?$`) }).waitFor();
}

async function sortByTitle(): Promise<void> {
  const header = page.locator('[role="columnheader"]', { has: page.getByTestId('sort-title') });
  if ((await header.getAttribute('aria-sort')) !== 'ascending') await page.getByTestId('sort-title').click();
  if ((await header.getAttribute('aria-sort')) !== 'ascending') await page.getByTestId('sort-title').click();
  expect(await header.getAttribute('aria-sort')).toBe('ascending');
}

/** The longest silence between the first and the last sound, in milliseconds. */
function longestSilenceMs(report: TapReport): number {
  const longest = report.runs.reduce((max, [, length]) => Math.max(max, length), 0);
  return (longest / report.sampleRate) * 1000;
}

describe('the library in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    buildCorpus(corpus.path);
    host = await startTappableWebHost();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(message.text())) pageProblems.push(`console error: ${message.text()}`);
    });
    await prepareOutputTap(page);
    await page.goto(`${host.url}#/library`);
    await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    corpus.remove();
  });

  it('scans a folder added in the UI, with progress, and lists what it read', async () => {
    await page.getByTestId('empty-library').waitFor();
    await page.getByTestId('library-add-folder').click();
    await page.getByTestId('empty-folder-path').fill(join(corpus.path, 'music'));
    await page.getByTestId('empty-folder-path').press('Enter');
    await page.locator('[data-testid="scan-bar"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('scan-bar').textContent()).toMatch(/11 added/);
    expect(await page.getByTestId('scan-bar').textContent()).toMatch(/1 unreadable/);
    await page.getByTestId('search-count').filter({ hasText: /^11 tracks$/ }).waitFor();
  });

  it('searches with the search language and says in words what it did not understand', async () => {
    await search('album:"Gapless Album"', 2);
    await sortByTitle();
    const titles = await page.getByTestId('track-row').locator('.track-title').allTextContents();
    expect(titles).toEqual(['Join Part 1', 'Join Part 2']);

    await page.getByTestId('library-search').fill('colour:red tones');
    await page.getByTestId('search-problems').filter({ hasText: /colour/i }).waitFor();
    await search('-filler tones', 5);
    expect(await page.getByTestId('search-problems').textContent()).toBe('');
  });

  it('plays a track and joins the next one gaplessly: no silence longer than 5 ms at the join', async () => {
    await search('album:"Gapless Album"', 2);
    await sortByTitle();
    const before = await outputCount(page);
    await rowTitled('Join Part 1').dblclick();
    await waitForTitle('Join Part 1');
    await page.locator('[data-testid="player-bar"][data-status="playing"]').waitFor();
    if (playerOutput < 0) playerOutput = before;
    expect(await outputCount(page)).toBeGreaterThan(playerOutput);
    const tap = await attachOutputTap(page, playerOutput, [JOIN_TONE_HZ]);
    const tappedAtSec = await page.evaluate(() => Number.parseFloat(document.querySelector('[data-testid="player-elapsed"]')?.textContent?.split(':')[1] ?? '0'));
    expect(tappedAtSec).toBeLessThan(2.5);

    await waitForTitle('Join Part 2', 10_000);
    await page.waitForTimeout(1200);
    const report = await readOutputTap(page, tap);
    await detachOutputTap(page, tap);

    const soundingSec = (report.lastSound - report.firstSound) / report.sampleRate;
    const silenceMs = longestSilenceMs(report);
    // The tone's steepest step is 2π·f/rate × its amplitude; a gap or a misplaced cut shows as a larger one.
    const amplitude = Math.max(...report.envelope.map(([, , level]) => level!));
    const toneStep = ((2 * Math.PI * JOIN_TONE_HZ) / report.sampleRate) * amplitude;
    console.log(
      `gapless join: ${soundingSec.toFixed(3)} s of continuous tone measured across the join at ${report.sampleRate} Hz; ` +
        `longest silence ${silenceMs.toFixed(3)} ms (${report.runs.length} silent runs over 16 frames); ` +
        `largest sample step ${report.maxStep.toFixed(4)} (the ${JOIN_TONE_HZ} Hz tone at amplitude ${amplitude.toFixed(3)} steps at most ${toneStep.toFixed(4)})`,
    );
    // From early in part 1 to over a second into part 2: the join is inside the measured span.
    expect(soundingSec).toBeGreaterThan(2);
    expect(silenceMs).toBeLessThan(5);
    expect(report.maxStep).toBeLessThan(toneStep * 1.5);

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'library.png') });
    await page.getByTestId('player-play').click();
    await page.locator('[data-testid="player-bar"][data-status="paused"]').waitFor();
  });

  it('crossfades when crossfade is on: both tracks sound together, at equal power, for the chosen length', async () => {
    await page.getByTestId('player-crossfade').fill(String(CROSSFADE_SEC));
    expect(await page.locator('.player-option-value').first().textContent()).toBe('2.0 s');
    await search('album:"Fade Album"', 2);
    await sortByTitle();
    const before = await outputCount(page);
    await rowTitled('Fade A').dblclick();
    await waitForTitle('Fade A');
    await page.locator('[data-testid="player-bar"][data-status="playing"]').waitFor();
    if (playerOutput < 0) playerOutput = before;
    const tap = await attachOutputTap(page, playerOutput, [FADE_A_HZ, FADE_B_HZ]);
    await waitForTitle('Fade B', 12_000);
    await page.waitForTimeout(CROSSFADE_SEC * 1000 + 800);
    const report = await readOutputTap(page, tap);
    await detachOutputTap(page, tap);

    const windows = report.envelope.map(([, , a, b]) => ({ a: a!, b: b! }));
    const steadyA = Math.max(...windows.map((window) => window.a));
    const steadyB = Math.max(...windows.map((window) => window.b));
    // Both tones above −26 dB of their own full level at once: the overlap.
    const both = windows.map((window, index) => ({ ...window, index })).filter((window) => window.a > steadyA * 0.05 && window.b > steadyB * 0.05);
    const overlapSec = both.length * 0.01;
    const middle = both[Math.floor(both.length / 2)]!;
    const middleA = middle.a / steadyA;
    const middleB = middle.b / steadyB;
    const powerDb = both.map((window) => 10 * Math.log10((window.a / steadyA) ** 2 + (window.b / steadyB) ** 2));
    console.log(
      `crossfade: both tracks audible together for ${overlapSec.toFixed(2)} s (asked ${CROSSFADE_SEC} s); ` +
        `in the middle A at ${(20 * Math.log10(middleA)).toFixed(1)} dB and B at ${(20 * Math.log10(middleB)).toFixed(1)} dB; ` +
        `summed power within ${Math.min(...powerDb).toFixed(2)}…${Math.max(...powerDb).toFixed(2)} dB through the fade`,
    );
    expect(overlapSec).toBeGreaterThan(CROSSFADE_SEC * 0.8);
    expect(overlapSec).toBeLessThan(CROSSFADE_SEC * 1.1);
    // Equal power: each side near −3 dB in the middle, and the sum of their powers stays level.
    expect(middleA).toBeGreaterThan(0.55);
    expect(middleA).toBeLessThan(0.85);
    expect(middleB).toBeGreaterThan(0.55);
    expect(middleB).toBeLessThan(0.85);
    const inner = powerDb.slice(Math.floor(powerDb.length * 0.1), Math.ceil(powerDb.length * 0.9));
    expect(Math.min(...inner)).toBeGreaterThan(-1.5);
    expect(Math.max(...inner)).toBeLessThan(1);
    expect(longestSilenceMs(report)).toBeLessThan(5);

    await page.getByTestId('player-crossfade').fill('0');
    await page.getByTestId('player-play').click();
  });

  it('shows synchronized lyrics from an .lrc file in time with the music', async () => {
    await search('"sing along"', 1);
    await page.getByTestId('track-row').first().dblclick();
    await waitForTitle('Sing Along');
    await page.getByTestId('tab-lyrics').click();
    await page.getByTestId('lyrics-active').filter({ hasText: 'First line of the song' }).waitFor({ timeout: 5_000 });
    await page.getByTestId('lyrics-active').filter({ hasText: 'Second line arrives' }).waitFor({ timeout: 5_000 });
    await page.getByTestId('player-play').click();
    await page.getByTestId('tab-queue').click();
  });

  it('keeps the page free of errors', () => {
    expect(pageProblems).toEqual([]);
  });
});
