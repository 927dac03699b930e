import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium } from '../support/chromium';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { RENDERER_DIR } from '../../src/main/paths';
import { pickInBrowserDialog } from '../support/path-picker';
import { makeTempDir } from '../support/temp-dir';
import { startTestWebHost } from '../support/web-host';

// Drives the built renderer (`npx electron-vite build` first) in Debian's Chromium against
// the real web host: a real WebSocket, a real settings service, a fresh SQLite database.

const SCREENSHOT_DIR = join('test-results', 'screenshots');

const AREAS = [
  { id: 'broadcast', label: 'Broadcast', shortcut: 'Control+1', emptyText: 'No targets yet' },
  { id: 'studio', label: 'Studio', shortcut: 'Control+2', emptyText: 'No projects yet' },
  { id: 'karaoke', label: 'Karaoke', shortcut: 'Control+3', emptyText: 'No songs yet' },
  { id: 'library', label: 'Library', shortcut: 'Control+4', emptyText: 'Your library is empty' },
  { id: 'settings', label: 'Settings', shortcut: 'Control+,', emptyText: 'Audio' },
] as const;


let host: Awaited<ReturnType<typeof startTestWebHost>> | undefined;
let browser: Browser | undefined;
/** The second web host of the reconnection test, on the first one's port and core. */
let restartedHost: WebHost | undefined;
let page: Page;
const pageProblems: string[] = [];

async function openApp(): Promise<void> {
  await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
}

async function expectArea(id: string, label: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
  expect(await page.getByRole('tab', { name: label, exact: true }).getAttribute('aria-selected')).toBe('true');
  expect(new URL(page.url()).hash).toBe(`#/${id}`);
  expect(await page.title()).toBe(`${label} — Mixdeck`);
}

async function waitForSaved(): Promise<void> {
  await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
}

/** The folder browser's home: two folders to pick, and a hidden one it must not show. */
const pickerHome = makeTempDir('mixdeck-picker-home-');

describe('the renderer shell', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const folder of ['Music', 'Recordings', '.hidden-settings']) mkdirSync(join(pickerHome.path, folder));
    host = await startTestWebHost({ fileBrowser: { homeDir: pickerHome.path, volumeRoots: [] } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    collectPageProblems(page, pageProblems);
    await page.goto(host.url);
    await openApp();
  });

  afterAll(async () => {
    await browser?.close();
    await restartedHost?.close();
    await host?.close();
    pickerHome.remove();
  });

  it('shows the connection to main, the version and a measured round trip in the status bar', async () => {
    const status = page.getByTestId('connection-status');
    expect(await status.textContent()).toBe('Connected to Mixdeck (web host)');
    expect(await page.getByTestId('transport').textContent()).toContain('WebSocket');
    expect(await page.getByTestId('app-version').textContent()).toMatch(/^Mixdeck \d+\.\d+\.\d+/);
    await page.getByTestId('rtt').filter({ hasText: /\d ms$/ }).waitFor({ timeout: 10_000 });
  });

  it('opens every area from the navigation rail, with an honest empty state in each', async () => {
    for (const area of AREAS) {
      await page.getByRole('tab', { name: area.label, exact: true }).click();
      await expectArea(area.id, area.label);
      await page.getByTestId(`area-${area.id}`).getByText(area.emptyText, { exact: true }).first().waitFor();
      await page.screenshot({ path: join(SCREENSHOT_DIR, `empty-${area.id}.png`) });
    }
  });

  it('opens every area by keyboard shortcut, from anywhere in the window', async () => {
    await page.getByRole('tab', { name: 'Broadcast', exact: true }).click();
    for (const area of [...AREAS].reverse()) {
      await page.keyboard.press(area.shortcut);
      await expectArea(area.id, area.label);
    }
  });

  it('moves between areas with the arrow keys in the navigation rail', async () => {
    await page.getByRole('tab', { name: 'Studio', exact: true }).click();
    await page.keyboard.press('ArrowDown');
    await expectArea('karaoke', 'Karaoke');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-karaoke');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expectArea('broadcast', 'Broadcast');
    await page.keyboard.press('End');
    await expectArea('settings', 'Settings');
  });

  it('lists the keyboard shortcuts on "?" and closes the list on Escape', async () => {
    await page.getByRole('tab', { name: 'Library', exact: true }).click();
    await page.keyboard.press('?');
    const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await overlay.waitFor();
    expect(await overlay.textContent()).toContain('Go to Settings');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'shortcuts.png') });
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });
  });

  it('takes the user from the empty library to Settings', async () => {
    await page.keyboard.press('Control+4');
    await page.getByRole('button', { name: 'Open Settings' }).click();
    await expectArea('settings', 'Settings');
  });

  it('keeps changed settings across a reload, and applies the theme to the whole page', async () => {
    await page.keyboard.press('Control+,');
    await page.getByTestId('theme-booth').click();
    await waitForSaved();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('booth');

    await page.getByLabel('Sample rate').selectOption('44100');
    await waitForSaved();

    await page.reload();
    await openApp();
    await expectArea('settings', 'Settings');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('booth');
    expect(await page.getByLabel('Sample rate').inputValue()).toBe('44100');
    expect(await page.getByRole('radio', { name: /Booth/ }).isChecked()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'settings-booth.png') });

    await page.keyboard.press('Control+1');
    await page.getByText('44.1 kHz').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'broadcast-booth.png') });
  });

  it('adds a music folder picked in the browser dialog, and says why main refused one (the whole home folder)', async () => {
    await page.keyboard.press('Control+,');
    const error = page.getByTestId('error-folders.music');

    // Choosing where the dialog opens picks the whole home folder, which main refuses with the reason.
    await page.getByTestId('music-folder-add').click();
    await page.getByTestId('path-picker').waitFor();
    expect(await page.getByTestId('path-picker-path').getAttribute('data-path')).toBe(pickerHome.path);
    const shownNames = await page.getByTestId('path-picker-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-name')));
    expect(shownNames).toEqual(['Music', 'Recordings']); // no hidden folder, no files in a folder pick
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'folder-picker.png') });
    await page.getByTestId('path-picker-choose').click();
    await error.waitFor();
    expect(await error.textContent()).toContain('whole home folder');
    expect(await page.getByTestId('music-folders').count()).toBe(0);
    expect(await page.getByTestId('save-status').getAttribute('data-status')).toBe('error');
    await page.getByTestId('settings-folders').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'settings-folder-error.png') });

    // A folder inside it is accepted, and the error gives way.
    await page.getByTestId('music-folder-add').click();
    await pickInBrowserDialog(page, ['Music']);
    await waitForSaved();
    expect(await page.getByTestId('music-folders').textContent()).toContain(join(pickerHome.path, 'Music'));
    expect(await error.count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'settings-folder-picked.png') });
  });

  it('chooses the recordings folder in the browser dialog', async () => {
    await page.getByTestId('recordings-folder-choose').click();
    await pickInBrowserDialog(page, ['Recordings']);
    await waitForSaved();
    expect(await page.getByTestId('recordings-folder').textContent()).toBe(join(pickerHome.path, 'Recordings'));
  });

  it('resets a section to its defaults', async () => {
    await page.getByRole('button', { name: 'Reset Appearance to defaults' }).click();
    await waitForSaved();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.getByLabel('Sample rate').inputValue()).toBe('44100');
  });

  it('shows a message main sends as a toast the user can dismiss', async () => {
    host!.core.events.emit('app.notice', { level: 'warning', message: 'The USB interface was unplugged.' });
    const toast = page.getByTestId('toast').filter({ hasText: 'The USB interface was unplugged.' });
    await toast.waitFor();
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  it('logged no errors while doing all of that', () => {
    expect(pageProblems).toEqual([]);
  });

  // Last: the refused connections while main is away are logged by Chromium as errors.
  it('says it is reconnecting while main is away, and catches up on what changed when it is back', async () => {
    const status = page.getByTestId('connection-status');
    const { port } = host!.host;
    await host!.host.close();
    await status.filter({ hasText: 'Reconnecting…' }).waitFor();
    expect(await page.getByTestId('rtt').textContent()).toContain('—');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reconnecting.png') });

    // Changed while this page could not hear about it: the page must read it again on reconnecting.
    host!.core.settings.update({ appearance: { theme: 'light' } });
    // `mixdeck web` keeps its session key per data folder, so the page (and its cookie) are still welcome.
    restartedHost = await startWebHost({ ...host!.core, staticDir: RENDERER_DIR, port, sessionToken: host!.host.sessionToken });
    await status.filter({ hasText: 'Connected to Mixdeck (web host)' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
  });
});
