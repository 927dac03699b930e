import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import { openDatabase } from '../../src/main/services/database/database';
import { createLogger } from '../../src/main/services/log/logger';
import { attachOutputTap, detachOutputTap, outputCount, prepareOutputTap, readOutputTap, startTappableWebHost, type TapReport } from '../support/output-tap';
import { pickInBrowserDialog } from '../support/path-picker';
import { makeTempDir } from '../support/temp-dir';
import type { TestWebHost } from '../support/web-host';

// Drives the built renderer (`npx electron-vite build` first) in Debian's Chromium against the
// real web host: a corpus made with ffmpeg is scanned into a fresh SQLite library through the
// UI, searched, played through Web Audio, and the page's speaker output is measured in the page.

const SCREENSHOT_DIR = join('test-results', 'screenshots');

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
  // The same cut as MP3: LAME adds priming samples and end padding that the player must trim.
  ffmpeg(['-f', 'lavfi', '-i', `${tone},atrim=end_sample=${JOIN_CUT_FRAME}`, '-c:a', 'libmp3lame', '-b:a', '256k', ...tags('Lame Part 1', 'Lame Album', 1), join(music, 'lame part 1.mp3')]);
  ffmpeg([
    '-f', 'lavfi', '-i', `${tone},atrim=start_sample=${JOIN_CUT_FRAME}:end_sample=${JOIN_TOTAL_FRAMES},asetpts=N/SR/TB`,
    '-c:a', 'libmp3lame', '-b:a', '256k', ...tags('Lame Part 2', 'Lame Album', 2), join(music, 'lame part 2.mp3'),
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
    // The picker's home is the corpus, so the folder is picked in the dialog as a user would.
    host = await startTappableWebHost({ fileBrowser: { homeDir: corpus.path, volumeRoots: [] } });
    browser = await launchChromium(MEDIA_FLAGS);
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    collectPageProblems(page, pageProblems);
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
    await pickInBrowserDialog(page, ['music']);
    await page.locator('[data-testid="scan-bar"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('scan-bar').textContent()).toMatch(/13 added/);
    expect(await page.getByTestId('scan-bar').textContent()).toMatch(/1 unreadable/);
    await page.getByTestId('search-count').filter({ hasText: /^13 tracks$/ }).waitFor();
  });

  it('searches with the search language and says in words what it did not understand', async () => {
    await search('album:"Gapless Album"', 2);
    await sortByTitle();
    const titles = await page.getByTestId('track-row').locator('.track-title').allTextContents();
    expect(titles).toEqual(['Join Part 1', 'Join Part 2']);

    await page.getByTestId('library-search').fill('colour:red tones');
    await page.getByTestId('search-problems').filter({ hasText: /colour/i }).waitFor();
    await search('-filler tones', 7);
    expect(await page.getByTestId('search-problems').textContent()).toBe('');

    // Rating from the list, then found by the rating filter.
    await rowTitled('Fade B').getByTestId('rate-4').click();
    await rowTitled('Fade B').getByRole('group', { name: '4 of 5 stars' }).waitFor();
    await search('rating:>=4', 1);
  });

  async function measureJoin(album: string, first: string, second: string): Promise<{ report: TapReport; amplitude: number; toneStep: number }> {
    await search(`album:"${album}"`, 2);
    await sortByTitle();
    const before = await outputCount(page);
    await rowTitled(first).dblclick();
    await waitForTitle(first);
    await page.locator('[data-testid="player-bar"][data-status="playing"]').waitFor();
    if (playerOutput < 0) playerOutput = before;
    expect(await outputCount(page)).toBeGreaterThan(playerOutput);
    const tap = await attachOutputTap(page, playerOutput, [JOIN_TONE_HZ]);
    const tappedAtSec = await page.evaluate(() => Number.parseFloat(document.querySelector('[data-testid="player-elapsed"]')?.textContent?.split(':')[1] ?? '0'));
    expect(tappedAtSec).toBeLessThan(2.5);
    await waitForTitle(second, 10_000);
    await page.waitForTimeout(1200);
    const report = await readOutputTap(page, tap);
    await detachOutputTap(page, tap);
    await page.getByTestId('player-play').click();
    await page.locator('[data-testid="player-bar"][data-status="paused"]').waitFor();
    // The tone's steepest step is 2π·f/rate × its amplitude; a gap or a misplaced cut shows as a larger one.
    const amplitude = Math.max(...report.envelope.map(([, , level]) => level!));
    const toneStep = ((2 * Math.PI * JOIN_TONE_HZ) / report.sampleRate) * amplitude;
    console.log(
      `gapless join (${album}): ${((report.lastSound - report.firstSound) / report.sampleRate).toFixed(3)} s of continuous tone measured across the join at ${report.sampleRate} Hz; ` +
        `longest silence ${longestSilenceMs(report).toFixed(3)} ms (${report.runs.length} silent runs over 16 frames); ` +
        `largest sample step ${report.maxStep.toFixed(4)} (the ${JOIN_TONE_HZ} Hz tone at amplitude ${amplitude.toFixed(3)} steps at most ${toneStep.toFixed(4)})`,
    );
    // From early in part 1 to over a second into part 2: the join is inside the measured span.
    expect((report.lastSound - report.firstSound) / report.sampleRate).toBeGreaterThan(2);
    expect(longestSilenceMs(report)).toBeLessThan(5);
    return { report, amplitude, toneStep };
  }

  it('plays a track and joins the next one gaplessly: no silence longer than 5 ms at the join', async () => {
    const { report, toneStep } = await measureJoin('Gapless Album', 'Join Part 1', 'Join Part 2');
    // Lossless halves of one tone: the join is exact to the sample, no click either.
    expect(report.maxStep).toBeLessThan(toneStep * 1.5);
    // Media keys and the OS's now-playing panel follow the player.
    expect(await page.evaluate(() => [navigator.mediaSession.metadata?.title, navigator.mediaSession.metadata?.album, navigator.mediaSession.playbackState])).toEqual([
      'Join Part 2',
      'Gapless Album',
      'paused',
    ]);
  });

  it('joins two MP3 halves of one tone without silence: encoder delay and padding are trimmed once, not twice', async () => {
    // Chromium's decoder already drops LAME's priming and padding (the decoded length equals the tagged
    // music length), so the player must cut nothing more; cutting again would lose music at the join.
    const { report, amplitude } = await measureJoin('Lame Album', 'Lame Part 1', 'Lame Part 2');
    // MP3 blurs the last and first milliseconds a little, but a gap or a shifted cut would jump by up to twice the amplitude.
    expect(report.maxStep).toBeLessThan(amplitude * 0.25);
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
    // Keyboard: arrows seek back, space pauses, Ctrl+F goes to the search box.
    await page.getByTestId('track-scroller').focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('lyrics-active').filter({ hasText: 'First line of the song' }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Space');
    await page.locator('[data-testid="player-bar"][data-status="paused"]').waitFor();
    // A seek while paused stays paused.
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('lyrics-active').filter({ hasText: 'Third and last line' }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('player-bar').getAttribute('data-status')).toBe('paused');
    await page.keyboard.press('Control+f');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('library-search');
    await search('', 13);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'library-player.png') });
    await page.getByTestId('tab-queue').click();
  });

  it('builds playlists and crates: create, add by drag and by shortcut, reorder by drag, smart from a search, M3U8 out and in', async () => {
    await search('', 13);
    await page.getByTestId('new-playlist').click();
    await page.getByTestId('new-playlist-name').fill('Warm-up');
    await page.getByTestId('new-playlist-name').press('Enter');
    await page.getByTestId('playlist-item').filter({ hasText: 'Warm-up' }).waitFor();
    const warmUpId = await page.getByTestId('playlist-item').filter({ hasText: 'Warm-up' }).getAttribute('data-playlist-id');
    const warmUp = page.locator(`[data-testid="playlist-item"][data-playlist-id="${warmUpId}"]`);

    // By drag: a row onto the playlist.
    await rowTitled('Fade A').dragTo(warmUp);
    await warmUp.locator('.side-count').filter({ hasText: /^1$/ }).waitFor();
    // By shortcut: the new playlist is the add target.
    await rowTitled('Join Part 1').click();
    await page.keyboard.press('Control+Shift+A');
    await warmUp.locator('.side-count').filter({ hasText: /^2$/ }).waitFor();

    await warmUp.locator('.side-link').click();
    await page.getByTestId('search-count').filter({ hasText: /Warm-up · 2 tracks/ }).waitFor();
    const order = async (): Promise<string[]> => page.getByTestId('track-row').locator('.track-title').allTextContents();
    expect(await order()).toEqual(['Fade A', 'Join Part 1']);
    // Reorder by drag: the second entry onto the first.
    await rowTitled('Join Part 1').click();
    await rowTitled('Join Part 1').dragTo(rowTitled('Fade A'));
    await expect.poll(order).toEqual(['Join Part 1', 'Fade A']);

    // Export as M3U8: a download of the playlist's text.
    await warmUp.locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), warmUp.getByRole('button', { name: 'Export M3U8' }).click()]);
    const exported = await new Promise<string>((resolve, reject) => {
      void download.createReadStream().then((stream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.on('error', reject);
      }, reject);
    });
    expect(exported).toMatch(/^#EXTM3U/);
    expect(exported.indexOf('01 join part 1.flac')).toBeGreaterThan(0);
    expect(exported.indexOf('01 join part 1.flac')).toBeLessThan(exported.indexOf('fade a.mp3'));

    // Import it back under another name, with one entry that is not in the library.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'Imported set.m3u8',
      mimeType: 'audio/x-mpegurl',
      buffer: Buffer.from(`${exported.trimEnd()}\n/nowhere/missing song.mp3\n`),
    });
    const imported = page.getByTestId('playlist-item').filter({ hasText: 'Imported set' });
    await imported.locator('.side-count').filter({ hasText: /^2$/ }).waitFor();
    await page.getByTestId('library-message').filter({ hasText: /2 tracks found, 1 not in the library/ }).waitFor();

    // A crate, and a smart playlist saved from the search.
    await page.getByTestId('new-crate').click();
    await page.getByTestId('new-crate-name').fill('Peak time');
    await page.getByTestId('new-crate-name').press('Enter');
    await page.getByTestId('playlist-item').filter({ hasText: 'Peak time' }).waitFor();
    await page.getByTestId('view-library').click();
    await search('album:"Fade Album"', 2);
    await page.getByTestId('save-smart').click();
    await page.getByTestId('smart-name').fill('Fades');
    await page.getByTestId('smart-name').press('Enter');
    const smart = page.getByTestId('playlist-item').filter({ hasText: 'Fades' });
    await smart.locator('.side-count').filter({ hasText: /^2$/ }).waitFor();
    await smart.locator('.side-link').click();
    await page.getByTestId('search-count').filter({ hasText: /Fades · 2 tracks/ }).waitFor();

    // Rename by double-click.
    await warmUp.locator('.side-link').dblclick();
    await warmUp.getByRole('textbox').fill('Opening set');
    await warmUp.getByRole('textbox').press('Enter');
    await warmUp.filter({ hasText: 'Opening set' }).waitFor();

    // Reorder the playlists themselves by drag: "Imported set" above "Opening set".
    const playlistNames = async (): Promise<string[]> =>
      page.getByRole('region', { name: 'Playlists' }).getByTestId('playlist-item').locator('.side-name').allTextContents();
    expect(await playlistNames()).toEqual(['Opening set', 'Imported set', 'Fades']);
    await imported.dragTo(warmUp);
    await expect.poll(playlistNames).toEqual(['Imported set', 'Opening set', 'Fades']);
    await page.getByTestId('view-library').click();
  });

  it('keeps the page free of errors', () => {
    expect(pageProblems).toEqual([]);
  });
});

describe('the track list with 100,000 tracks', () => {
  const TRACK_COUNT = 100_000;
  const data = makeTempDir('mixdeck-library-100k-');
  let bigHost: TestWebHost | undefined;
  let bigBrowser: Browser | undefined;
  let bigPage: Page;
  const bigPageProblems: string[] = [];

  beforeAll(async () => {
    const setupStarted = Date.now();
    // Filled straight into the real schema (the scan itself is measured by the library's own bench).
    const { db } = openDatabase(join(data.path, 'mixdeck.db'), createLogger({ level: 'error' }));
    // One statement (a counting CTE) rather than 100,000 bound inserts: seconds faster on a loaded CI machine.
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${TRACK_COUNT - 1})
      INSERT INTO tracks (path, title, artist, album, genre, year, bpm, key_camelot, duration_sec, lufs, rating, play_count, added_at)
      SELECT '/music/generated/' || printf('%06d', i) || '.mp3', 'Track ' || printf('%06d', i), 'Artist ' || (i % 997), 'Album ' || (i % 4999),
        CASE i % 4 WHEN 0 THEN 'House' WHEN 1 THEN 'Techno' WHEN 2 THEN 'Disco' ELSE 'Drum and Bass' END,
        1970 + i % 55, 70 + i % 110, ((i % 12) + 1) || CASE i % 2 WHEN 0 THEN 'A' ELSE 'B' END, 120 + i % 300, -20 + i % 14, i % 6, i % 9, 0
      FROM n`);
    const insertedMs = Date.now() - setupStarted;
    db.close();
    bigHost = await startTappableWebHost({ dataDir: data.path });
    bigBrowser = await launchChromium();
    bigPage = await bigBrowser.newPage({ viewport: { width: 1440, height: 860 } });
    collectPageProblems(bigPage, bigPageProblems);
    await bigPage.goto(`${bigHost.url}#/library`);
    await bigPage.getByTestId('search-count').filter({ hasText: /^100,000 tracks$/ }).waitFor({ timeout: 30_000 });
    console.log(`100,000 tracks written in ${insertedMs} ms; the library showed its count ${Date.now() - setupStarted - insertedMs} ms later`);
  }, 120_000);

  afterAll(async () => {
    await bigBrowser?.close();
    await bigHost?.close();
    data.remove();
  });

  it('renders only the rows in view, pages the middle of the list in fast, and scrolls smoothly', async () => {
    const renderedRows = await bigPage.locator('[role="row"][aria-rowindex]').count();
    expect(renderedRows).toBeLessThan(80);

    const jumpMs = await bigPage.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('[data-testid="track-scroller"]')!;
      const rowHeight = (scroller.firstElementChild as HTMLElement).offsetHeight / 100_000;
      const started = performance.now();
      scroller.scrollTop = 50_000 * rowHeight;
      while (!document.querySelector('[data-testid="track-row"][aria-rowindex="50002"]')) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        if (performance.now() - started > 10_000) throw new Error('row 50,001 never arrived');
      }
      return performance.now() - started;
    });
    expect(await bigPage.locator('[aria-rowindex="50002"] .track-title').textContent()).toMatch(/^Track \d{6}$/);

    // Scroll like a fast mouse wheel for 120 frames and time every frame.
    const frames = await bigPage.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('[data-testid="track-scroller"]')!;
      const times: number[] = [];
      let last = performance.now();
      for (let frame = 0; frame < 120; frame += 1) {
        scroller.scrollTop += 240;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b);
    });
    const p50 = frames[Math.floor(frames.length * 0.5)]!;
    const p95 = frames[Math.floor(frames.length * 0.95)]!;
    const rowsAfter = await bigPage.locator('[role="row"][aria-rowindex]').count();
    console.log(
      `100,000 tracks: ${renderedRows} rows in the DOM; row 50,001 on screen ${jumpMs.toFixed(0)} ms after jumping there; ` +
        `scrolling 240 px a frame: frame time p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ${rowsAfter} rows in the DOM after`,
    );
    // Under CI load (2 shared cores) the web host answers a 200-row page in 50–250 ms; 5 s means "paged", not "loaded all".
    expect(jumpMs).toBeLessThan(5_000);
    expect(rowsAfter).toBeLessThan(80);
    // Headless Chromium on a shared 2-core machine (p95 swings with the load): the median frame is the stable
    // figure, and a list that rendered every row would take seconds per frame, not tens of milliseconds.
    expect(p50).toBeLessThan(50);

    const sortStarted = Date.now();
    await bigPage.getByTestId('sort-bpm').click();
    await bigPage.locator('[data-testid="track-row"][aria-rowindex="2"]').waitFor();
    console.log(`sorting 100,000 tracks by BPM: first rows after ${Date.now() - sortStarted} ms`);
    expect(bigPageProblems).toEqual([]);
  });
});
