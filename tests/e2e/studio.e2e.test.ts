import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_CONSOLE_NOISE, launchChromium } from '../support/chromium';
import type { Project } from '../../src/shared/studio';
import '../support/studio-page';
import { startTestWebHost, type TestWebHost } from '../support/web-host';
import { startYWebsocketServer, type YWebsocketServer } from '../support/y-websocket-server';

// Two Chromium pages (separate browser contexts, like two laptops) edit one studio project
// through a real @y/websocket-server on 127.0.0.1, driving the built renderer (`npx
// electron-vite build` first) served by the real web host. Documents are compared through
// `window.__mixdeckStudio`, which the page exposes only when the test sets its flag first.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const TRACK_HEIGHT = 72;

let host: TestWebHost | undefined;
let collab: YWebsocketServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const pageProblems: string[] = [];
let alice: Page;
let bob: Page;
let room: string;

async function openStudio(name: string): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1600, height: 960 } });
  contexts.push(context);
  await context.addInitScript(() => {
    window.__mixdeckTestHooks = true;
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`${name}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(message.text())) pageProblems.push(`${name}: console error: ${message.text()}`);
  });
  await page.goto(`${host!.url}#/studio`);
  await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
  return page;
}

const docJson = (page: Page): Promise<string | null> => page.evaluate(() => window.__mixdeckStudio!.docJson());
const projectOf = async (page: Page): Promise<Project> => (await page.evaluate(() => window.__mixdeckStudio!.project())) as Project;
const uiState = (page: Page): Promise<{ arrangeZoom: number; pianoZoom: number; pianoRowHeight: number }> =>
  page.evaluate(() => {
    const state = window.__mixdeckStudio!.runtime.getOpen()!.ui.getState();
    return { arrangeZoom: state.arrangeZoom, pianoZoom: state.pianoZoom, pianoRowHeight: state.pianoRowHeight };
  });

/** Screen point of a beat on a track's lane in the arrangement. */
async function lanePoint(page: Page, trackIndex: number, beat: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('arrangement-lanes').boundingBox())!;
  const { arrangeZoom } = await uiState(page);
  return { x: box.x + beat * arrangeZoom + 3, y: box.y + trackIndex * TRACK_HEIGHT + TRACK_HEIGHT / 2 + 6 };
}

/** Screen point of a pitch and beat in the open piano roll. */
async function pianoPoint(page: Page, pitch: number, beat: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('piano-roll-grid').boundingBox())!;
  const { pianoZoom, pianoRowHeight } = await uiState(page);
  return { x: box.x + beat * pianoZoom + 4, y: box.y + (127 - pitch) * pianoRowHeight + pianoRowHeight / 2 };
}

/** The piano roll opens scrolled to the clip's notes; wait for that before aiming at a pitch. */
async function waitForPianoRoll(page: Page): Promise<void> {
  await page.getByTestId('piano-roll').waitFor();
  await page.waitForFunction(() => (document.querySelector('.st-pr-scroll')?.scrollTop ?? 0) > 0);
}

async function newProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-project').click();
  await page.getByTestId('new-project-name').fill(name);
  await page.getByTestId('create-project').click();
  await page.getByTestId('studio-workspace').waitFor();
}

async function share(page: Page, userName: string): Promise<void> {
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-server').fill(collab!.url);
  await page.getByTestId('share-room').fill(room);
  await page.getByTestId('share-name').fill(userName);
  await page.getByTestId('share-connect').click();
  await page.getByTestId('share-dialog').getByText(`Live in room ${room}`).waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
}

async function setOnline(page: Page, online: boolean): Promise<void> {
  await page.getByTestId('share-open').click();
  await page.getByTestId(online ? 'go-online' : 'go-offline').click();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.locator(`[data-testid="link-status"][data-status="${online ? 'connected' : 'offline'}"]`).waitFor();
}

async function expectSameDocuments(): Promise<string> {
  await expect.poll(async () => (await docJson(alice)) === (await docJson(bob)), { timeout: 15_000 }).toBe(true);
  return (await docJson(alice))!;
}

/** Clicks somewhere neutral, so keyboard shortcuts go to the page and not to a field. */
async function focusArrangement(page: Page): Promise<void> {
  await page.locator('.st-arr-corner').click();
}

describe('the studio in two pages at once', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    room = `jam-${Date.now().toString(36)}`;
    [host, collab] = await Promise.all([startTestWebHost(), startYWebsocketServer()]);
    browser = await launchChromium();
    [alice, bob] = await Promise.all([openStudio('alice'), openStudio('bob')]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await collab?.stop();
    await host?.close();
  });

  it('shares a project to a room, and a collaborator joins it with presence', async () => {
    await newProject(alice, 'Collab Jam');
    await alice.getByTestId('add-drum-track').click();
    await alice.getByTestId('add-instrument-track').click();
    await share(alice, 'Alice');

    await bob.getByTestId('join-project').click();
    await bob.getByTestId('join-server').fill(collab!.url);
    await bob.getByTestId('join-room').fill(room);
    await bob.getByTestId('join-name').fill('Bob');
    await bob.getByTestId('join-room-submit').click();
    await bob.locator('[data-testid="link-status"][data-status="connected"]').waitFor();
    await expect.poll(() => bob.getByTestId('track-header').count()).toBe(2);
    expect(await bob.getByTestId('project-name').textContent()).toBe('Collab Jam');

    await alice.locator('[data-testid="peer-avatar"][data-peer-name="Bob"]').waitFor();
    await bob.locator('[data-testid="peer-avatar"][data-peer-name="Alice"]').waitFor();
    await expectSameDocuments();
  });

  it('ends with identical documents after adding clips, moving notes and changing the tempo at the same time', async () => {
    const aliceEdits = async (): Promise<void> => {
      // A one-bar clip on the synth track (double-click an empty lane), three notes drawn in it.
      const spot = await lanePoint(alice, 1, 0);
      await alice.mouse.dblclick(spot.x, spot.y);
      await waitForPianoRoll(alice);
      await alice.keyboard.press('b');
      for (const [pitch, beat] of [
        [60, 0],
        [64, 1],
        [67, 2],
      ] as const) {
        const point = await pianoPoint(alice, pitch, beat);
        await alice.mouse.click(point.x, point.y);
      }
      await alice.keyboard.press('v');
      await alice.getByTestId('tempo-input').fill('128');
      await alice.getByTestId('tempo-input').press('Enter');
    };
    const bobEdits = async (): Promise<void> => {
      // A drum clip on bar 2, four kicks set in the step sequencer.
      const spot = await lanePoint(bob, 0, 4);
      await bob.mouse.dblclick(spot.x, spot.y);
      await bob.getByTestId('step-sequencer').waitFor();
      for (const step of [0, 4, 8, 12]) await bob.locator(`[data-testid="step-row"][data-pitch="36"] [data-step="${step}"]`).click();
    };
    await Promise.all([aliceEdits(), bobEdits()]);
    await expectSameDocuments();

    // Both move notes of the same clip at the same moment: Bob drags E4 up two semitones and a
    // beat later in his piano roll; Alice nudges C4 a sixteenth later with the arrow key.
    const synthClipId = (await projectOf(bob)).clips.find((clip) => clip.kind === 'notes' && clip.notes.some((note) => note.pitch === 64))!.id;
    await bob.locator(`[data-testid="clip"][data-clip-id="${synthClipId}"]`).dblclick();
    await waitForPianoRoll(bob);
    const from = await pianoPoint(bob, 64, 1.1);
    const to = await pianoPoint(bob, 66, 2.1);
    await Promise.all([
      (async () => {
        await bob.mouse.move(from.x, from.y);
        await bob.mouse.down();
        await bob.mouse.move(to.x, to.y, { steps: 6 });
        await bob.mouse.up();
      })(),
      (async () => {
        await alice.locator('[data-testid="note"][data-pitch="60"]').click();
        await alice.keyboard.press('ArrowRight');
      })(),
    ]);

    await expectSameDocuments();
    const project = await projectOf(alice);
    expect(project.tempoBpm).toBe(128);
    const synth = project.clips.find((clip) => clip.id === synthClipId);
    const drums = project.clips.find((clip) => clip.trackId === project.tracks[0]!.id);
    expect(synth?.kind === 'notes' && synth.notes.map((note) => [note.pitch, note.startBeat])).toEqual([
      [60, 0.25],
      [66, 2],
      [67, 2],
    ]);
    expect(drums?.startBeat).toBe(4);
    expect(drums?.kind === 'notes' && drums.notes.map((note) => [note.pitch, note.startBeat])).toEqual([
      [36, 0],
      [36, 1],
      [36, 2],
      [36, 3],
    ]);
    // What each page shows follows the document: Alice's tempo field, Bob's piano roll.
    expect(await bob.getByTestId('tempo-input').inputValue()).toBe('128');
    await bob.locator('[data-testid="note"][data-pitch="66"]').waitFor();
  });

  it('draws a collaborator’s selection and playhead', async () => {
    const drumClip = (await projectOf(bob)).clips.find((clip) => clip.startBeat === 4)!;
    await bob.locator(`[data-testid="clip"][data-clip-id="${drumClip.id}"]`).click();
    await alice.locator(`[data-testid="clip"][data-clip-id="${drumClip.id}"].has-peer`).waitFor();
    expect(await alice.locator(`[data-testid="clip"][data-clip-id="${drumClip.id}"] .st-clip-peer`).textContent()).toBe('Bob');
    await expect.poll(() => alice.getByTestId('peer-playhead').count()).toBe(1);
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'studio-collaboration.png') });
  });

  it('merges edits made while one page was offline once it reconnects', async () => {
    await setOnline(bob, false);
    const before = await projectOf(alice);
    const drumClip = before.clips.find((clip) => clip.startBeat === 4)!;
    await bob.locator(`[data-testid="clip"][data-clip-id="${drumClip.id}"]`).dblclick();
    await bob.getByTestId('step-sequencer').waitFor();

    await alice.getByTestId('add-audio-track').click();
    await alice.getByTestId('tempo-input').fill('132');
    await alice.getByTestId('tempo-input').press('Enter');
    await bob.locator('[data-testid="step-row"][data-pitch="38"] [data-step="4"]').click();
    await bob.locator('[data-testid="step-row"][data-pitch="38"] [data-step="12"]').click();

    // Apart, each page has only its own edits.
    await expect.poll(async () => (await projectOf(alice)).tracks.length).toBe(before.tracks.length + 1);
    expect((await projectOf(bob)).tracks.length).toBe(before.tracks.length);
    expect((await projectOf(bob)).tempoBpm).toBe(128);
    expect((await projectOf(alice)).clips.flatMap((clip) => (clip.kind === 'notes' ? clip.notes : [])).some((note) => note.pitch === 38)).toBe(false);
    await bob.screenshot({ path: join(SCREENSHOT_DIR, 'studio-offline.png') });

    await setOnline(bob, true);
    await expectSameDocuments();
    const merged = await projectOf(bob);
    expect(merged.tracks.map((track) => track.kind)).toEqual(['instrument', 'instrument', 'audio']);
    expect(merged.tempoBpm).toBe(132);
    const snares = merged.clips.flatMap((clip) => (clip.kind === 'notes' ? clip.notes : [])).filter((note) => note.pitch === 38);
    expect(snares.map((note) => note.startBeat)).toEqual([1, 3]);
  });

  it('undoes on one page only that page’s own edits', async () => {
    await alice.getByTestId('add-instrument-track').click();
    await bob.getByTestId('bottom-tab-mixer').click();
    await bob.getByRole('button', { name: 'Mute Drums 1' }).first().click();
    await expectSameDocuments();
    const before = await projectOf(alice);
    expect(before.tracks).toHaveLength(4);
    expect(before.tracks[0]!.mute).toBe(true);

    await focusArrangement(alice);
    await alice.keyboard.press('Control+z');
    await expectSameDocuments();
    const undone = await projectOf(bob);
    // Alice's last edit (the new track) is gone; Bob's mute and every earlier edit of Bob stay.
    expect(undone.tracks).toHaveLength(3);
    expect(undone.tracks[0]!.mute).toBe(true);
    expect(undone.clips.flatMap((clip) => (clip.kind === 'notes' ? clip.notes : [])).filter((note) => note.pitch === 38)).toHaveLength(2);

    // Undo again: Alice's tempo change goes back to 128; Bob's snares stay.
    await alice.keyboard.press('Control+z');
    await expectSameDocuments();
    expect((await projectOf(bob)).tempoBpm).toBe(128);

    await alice.keyboard.press('Control+Shift+z');
    await alice.keyboard.press('Control+Shift+z');
    await expectSameDocuments();
    const redone = await projectOf(bob);
    expect(redone.tempoBpm).toBe(132);
    expect(redone.tracks).toHaveLength(4);
  });

  it('logged no errors in either page', () => {
    expect(pageProblems).toEqual([]);
  });
});
