import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { Midi } from '@tonejs/midi';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import type { Clip, NoteClip, Project } from '../../src/shared/studio';
import '../support/studio-page';
import { pickInBrowserDialog } from '../support/path-picker';
import { makeTempDir } from '../support/temp-dir';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

/** The folder browser's home: the MIDI file is picked from it and the mix exported into it. */
const pickerHome = makeTempDir('mixdeck-studio-home-');

// One page of the built renderer against the real web host: the studio's editors driven with
// the mouse and keyboard as a producer would, checked against the project document, plus the
// screenshots of the arrangement and the piano roll. `window.__mixdeckStudio` is exposed only
// because the test sets `__mixdeckTestHooks` before the page loads.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const TRACK_HEIGHT = 72;

let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
const pageProblems: string[] = [];

const projectOf = async (): Promise<Project> => (await page.evaluate(() => window.__mixdeckStudio!.project())) as Project;
const clipById = async (id: string): Promise<Clip> => (await projectOf()).clips.find((clip) => clip.id === id)!;
const ui = (): Promise<{ arrangeZoom: number; pianoZoom: number; pianoRowHeight: number }> =>
  page.evaluate(() => {
    const state = window.__mixdeckStudio!.runtime.getOpen()!.ui.getState();
    return { arrangeZoom: state.arrangeZoom, pianoZoom: state.pianoZoom, pianoRowHeight: state.pianoRowHeight };
  });

async function drag(from: { x: number; y: number }, to: { x: number; y: number }, modifiers: ('Control' | 'Alt' | 'Shift')[] = []): Promise<void> {
  for (const key of modifiers) await page.keyboard.down(key);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  for (const key of modifiers) await page.keyboard.up(key);
}

async function clipBox(id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  return (await page.locator(`[data-testid="clip"][data-clip-id="${id}"]`).boundingBox())!;
}

/** Builds a small song through the same editor the UI calls: five tracks, clips, devices, a bus. */
async function seedSong(): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const editor = window.__mixdeckStudio!.runtime.getOpen()!.session.editor;
    editor.setTempo(124);
    const drums = editor.addTrack('instrument', { drums: true });
    const bass = editor.addTrack('instrument');
    const chords = editor.addTrack('instrument');
    const lead = editor.addTrack('instrument');
    const vocal = editor.addTrack('audio');
    const bus = editor.addTrack('bus');
    editor.setTrack(drums, { name: 'Drums' });
    editor.setTrack(bass, { name: 'Sub Bass', volumeDb: -4 });
    editor.setTrack(chords, { name: 'Chords', pan: -0.2 });
    editor.setTrack(lead, { name: 'Lead', pan: 0.25 });
    editor.setTrack(vocal, { name: 'Vocal' });
    editor.setInstrument(bass, { type: 'synth', preset: 'bass' });
    editor.setInstrument(chords, { type: 'synth', preset: 'pad' });
    editor.setInstrument(lead, { type: 'synth', preset: 'lead' });
    editor.setTrack(bus, { name: 'Reverb Bus' });
    editor.addDevice(chords, 'eq3');
    editor.addDevice(chords, 'compressor');
    editor.addDevice(lead, 'delay');
    editor.addDevice(lead, 'filter');
    editor.addDevice(bus, 'reverb');
    editor.setSendLevel(chords, bus, -10);
    editor.setSendLevel(lead, bus, -6);
    const beat: { pitch: number; startBeat: number; lengthBeats: number; velocity: number }[] = [];
    for (let step = 0; step < 64; step += 1) {
      if (step % 4 === 0) beat.push({ pitch: 36, startBeat: step / 4, lengthBeats: 0.25, velocity: 1 });
      if (step % 8 === 4) beat.push({ pitch: 38, startBeat: step / 4, lengthBeats: 0.25, velocity: 0.9 });
      if (step % 2 === 0) beat.push({ pitch: 42, startBeat: step / 4, lengthBeats: 0.25, velocity: step % 4 === 2 ? 0.85 : 0.55 });
    }
    const ids: Record<string, string> = { drums, bass, chords, lead, vocal, bus };
    for (let bar = 0; bar < 20; bar += 4) ids[`beat${bar}`] = editor.addNoteClip(drums, bar * 4, 16, beat);
    const roots = [57, 53, 48, 55];
    for (let section = 0; section < 4; section += 1) {
      const chordNotes = roots.flatMap((root, index) => [0, 3, 7, 12].map((interval) => ({ pitch: root + interval, startBeat: index * 4, lengthBeats: 3.5, velocity: 0.62 + interval / 60 })));
      ids[`chords${section}`] = editor.addNoteClip(chords, 16 + section * 16, 16, chordNotes);
      const bassNotes = Array.from({ length: 16 }, (_, index) => ({ pitch: roots[Math.floor(index / 4)]! - 24 + (index % 2 ? 12 : 0), startBeat: index, lengthBeats: 0.75, velocity: 0.8 }));
      ids[`bass${section}`] = editor.addNoteClip(bass, 16 + section * 16, 16, bassNotes);
    }
    const melody = [69, 72, 74, 76, 74, 72, 69, 67, 69, 72, 76, 79, 77, 76, 74, 72];
    ids.hook = editor.addNoteClip(
      lead,
      32,
      32,
      melody.map((pitch, index) => ({ pitch, startBeat: index * 2, lengthBeats: index % 4 === 3 ? 1.75 : 1, velocity: 0.55 + (index % 3) * 0.17 })),
    );
    editor.addMarker(0, 'Intro');
    editor.addMarker(16, 'Verse');
    editor.addMarker(32, 'Chorus');
    editor.setLoop({ enabled: true, startBeat: 32, endBeat: 48 });
    editor.setAutomation(chords, 'volumeDb', [
      { beat: 16, value: -18 },
      { beat: 28, value: 0 },
      { beat: 48, value: 0 },
      { beat: 60, value: -9 },
    ]);
    return ids;
  });
}

describe('the studio editors', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    host = await startTestWebHost({ fileBrowser: { homeDir: pickerHome.path, volumeRoots: [] } });
    browser = await launchChromium([...MEDIA_FLAGS]);
    const context = await browser.newContext({ viewport: { width: 1600, height: 980 } });
    await context.addInitScript(() => {
      window.__mixdeckTestHooks = true;
    });
    page = await context.newPage();
    collectPageProblems(page, pageProblems);
    await page.goto(`${host.url}#/studio`);
    await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
    await page.getByText('No projects yet').waitFor();
    await page.getByTestId('new-project').click();
    await page.getByTestId('new-project-name').fill('Night Drive');
    await page.getByTestId('create-project').click();
    await page.getByTestId('studio-workspace').waitFor();
    ids = await seedSong();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    pickerHome.remove();
  });

  it('moves a clip along the grid and onto another track of its kind by dragging', async () => {
    const { arrangeZoom } = await ui();
    const box = await clipBox(ids.bass0!);
    // Half a bar and a bit later, snapped to the 1/16 grid; one track down (Chords).
    await drag({ x: box.x + 40, y: box.y + 30 }, { x: box.x + 40 + 8.1 * arrangeZoom, y: box.y + 30 + TRACK_HEIGHT });
    const moved = await clipById(ids.bass0!);
    expect(moved.startBeat).toBe(24);
    expect(moved.trackId).toBe(ids.chords);
    await page.keyboard.press('Control+z');
    expect(await clipById(ids.bass0!)).toMatchObject({ startBeat: 16, trackId: ids.bass });
  });

  it('trims a clip from either edge, keeping its notes where they sound', async () => {
    const { arrangeZoom } = await ui();
    const box = await clipBox(ids.bass0!);
    await drag({ x: box.x + box.width - 3, y: box.y + 30 }, { x: box.x + box.width - 3 - 4 * arrangeZoom, y: box.y + 30 });
    expect((await clipById(ids.bass0!)).lengthBeats).toBe(12);
    const before = (await clipById(ids.bass0!)) as NoteClip;
    await drag({ x: box.x + 2, y: box.y + 30 }, { x: box.x + 2 + 2 * arrangeZoom, y: box.y + 30 });
    const trimmed = (await clipById(ids.bass0!)) as NoteClip;
    expect(trimmed.startBeat).toBe(before.startBeat + 2);
    expect(trimmed.lengthBeats).toBe(10);
    // The note that was at beat 2 of the clip is now at its start, still at song beat 18.
    expect(trimmed.notes[0]!.startBeat + trimmed.startBeat).toBe(before.notes[2]!.startBeat + before.startBeat);
  });

  it('splits, duplicates and deletes clips with the keyboard', async () => {
    const before = await projectOf();
    await page.locator(`[data-testid="clip"][data-clip-id="${ids.chords3}"]`).click({ position: { x: 60, y: 40 } });
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.seek(72));
    await page.keyboard.press('Control+e');
    const afterSplit = await projectOf();
    expect(afterSplit.clips.length).toBe(before.clips.length + 1);
    expect((await clipById(ids.chords3!)).lengthBeats).toBe(8);

    await page.locator(`[data-testid="clip"][data-clip-id="${ids.chords3}"]`).click({ position: { x: 20, y: 40 } });
    await page.keyboard.press('Control+d');
    const afterDuplicate = await projectOf();
    const copy = afterDuplicate.clips.find((clip) => !afterSplit.clips.some((old) => old.id === clip.id))!;
    expect(copy.startBeat).toBe(72);
    expect(copy.trackId).toBe(ids.chords);

    await page.keyboard.press('Delete');
    expect((await projectOf()).clips.length).toBe(afterSplit.clips.length);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect((await projectOf()).clips.length).toBe(before.clips.length);
  });

  it('draws, moves, resizes and quantizes notes in the piano roll, and sets velocity', async () => {
    await page.locator(`[data-testid="clip"][data-clip-id="${ids.hook}"]`).dblclick();
    await page.getByTestId('piano-roll').waitFor();
    await page.waitForFunction(() => (document.querySelector('.st-pr-scroll')?.scrollTop ?? 0) > 0);
    const { pianoZoom, pianoRowHeight } = await ui();
    const grid = (await page.getByTestId('piano-roll-grid').boundingBox())!;
    const at = (pitch: number, beat: number): { x: number; y: number } => ({ x: grid.x + beat * pianoZoom, y: grid.y + (127 - pitch) * pianoRowHeight + pianoRowHeight / 2 });
    const notesOf = async (): Promise<NoteClip['notes']> => ((await clipById(ids.hook!)) as NoteClip).notes;

    // Draw: the pencil, a drag from beat 1 to beat 1.75 at A4 (69).
    await page.keyboard.press('b');
    await drag({ x: at(71, 1).x + 2, y: at(71, 1).y }, { x: at(71, 1.75).x, y: at(71, 1).y });
    await page.keyboard.press('v');
    let drawn = (await notesOf()).find((note) => note.pitch === 71)!;
    expect(drawn).toMatchObject({ startBeat: 1, lengthBeats: 0.75 });

    // Move it up a tone and half a beat later; resize it to a full beat.
    await drag({ x: at(71, 1.2).x, y: at(71, 1).y }, { x: at(73, 1.7).x, y: at(73, 1).y });
    drawn = (await notesOf()).find((note) => note.id === drawn.id)!;
    expect(drawn).toMatchObject({ pitch: 73, startBeat: 1.5 });
    await drag({ x: at(73, 2.25).x - 2, y: at(73, 1).y }, { x: at(73, 2.5).x, y: at(73, 1).y });
    drawn = (await notesOf()).find((note) => note.id === drawn.id)!;
    expect(drawn.lengthBeats).toBe(1);

    // Velocity: drag its bar in the velocity lane to the bottom quarter.
    const lane = (await page.getByTestId('velocity-lane').boundingBox())!;
    const barX = lane.x + (drawn.startBeat * pianoZoom - (await page.locator('.st-pr-scroll').evaluate((element) => element.scrollLeft)));
    await drag({ x: barX + 1, y: lane.y + 10 }, { x: barX + 1, y: lane.y + lane.height * 0.75 });
    drawn = (await notesOf()).find((note) => note.id === drawn.id)!;
    expect(drawn.velocity).toBeGreaterThan(0.15);
    expect(drawn.velocity).toBeLessThan(0.4);

    // Off the grid with Alt, then quantized back onto 1/16 with Q.
    await drag({ x: at(73, 1.7).x, y: at(73, 1).y }, { x: at(73, 1.83).x, y: at(73, 1).y }, ['Alt']);
    drawn = (await notesOf()).find((note) => note.id === drawn.id)!;
    expect(drawn.startBeat % 0.25).not.toBe(0);
    await page.keyboard.press('q');
    drawn = (await notesOf()).find((note) => note.id === drawn.id)!;
    expect(drawn.startBeat % 0.25).toBe(0);

    // Arrows nudge the selection: up a semitone, Shift+Up an octave.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Shift+ArrowUp');
    expect((await notesOf()).find((note) => note.id === drawn.id)!.pitch).toBe(86);
    await page.keyboard.press('Delete');
    expect((await notesOf()).some((note) => note.id === drawn.id)).toBe(false);
  });

  it('records synthetic MIDI into a note clip on the armed track, quantized to the grid', async () => {
    await page.getByRole('button', { name: 'Arm Lead for recording' }).click();
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.seek(64));
    const before = await projectOf();
    await page.keyboard.press('r');
    await page.getByTestId('transport-record').and(page.locator('[aria-pressed="true"]')).waitFor();
    // Four notes fed through the same handler Web MIDI calls, a little off the beat, as played.
    const tempo = before.tempoBpm;
    await page.evaluate((tempoBpm) => {
      const hooks = window.__mixdeckStudio!;
      const transport = hooks.runtime.getOpen()!.session.transport;
      const msPerBeat = 60000 / tempoBpm;
      const now = performance.now();
      const startBeat = transport.getBeat();
      // Timestamps in the past, at beats 0.02, 1.03, 1.98, 3.01 after the recording started.
      const at = (beat: number): number => now - (startBeat - 64 - beat) * msPerBeat;
      const played: [number, number, number][] = [
        [60, 0.02, 0.9],
        [64, 1.03, 1.5],
        [67, 1.98, 2.4],
        [72, 3.01, 3.6],
      ];
      for (const [pitch, on, off] of played) {
        hooks.feedMidi([0x90, pitch, 100], at(on));
        hooks.feedMidi([0x80, pitch, 0], at(off));
      }
    }, tempo);
    // Let the transport pass the last note, then stop recording.
    await page.waitForFunction(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.getBeat() > 68, undefined, { timeout: 10_000 });
    await page.keyboard.press('r');
    await expect.poll(async () => (await projectOf()).clips.length).toBe(before.clips.length + 1);
    const take = (await projectOf()).clips.find((clip) => !before.clips.some((old) => old.id === clip.id)) as NoteClip;
    expect(take.trackId).toBe(ids.lead);
    expect(take.startBeat).toBe(64);
    expect(take.notes.map((note) => [note.pitch, note.startBeat])).toEqual([
      [60, 0],
      [64, 1],
      [67, 2],
      [72, 3],
    ]);
    expect(take.notes[0]!.velocity).toBeCloseTo(100 / 127, 3);
    await page.getByRole('button', { name: 'Arm Lead for recording' }).click();
    expect(await page.getByTestId('transport-play').getAttribute('aria-pressed')).toBe('false');
  });

  it('records the audio input onto an armed audio track, placed where recording started', async () => {
    await page.getByRole('button', { name: 'Arm Vocal for recording' }).click();
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.seek(16));
    const before = await projectOf();
    await page.locator('.st-arr-corner').click();
    await page.keyboard.press('r');
    await page.waitForFunction(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.getBeat() > 21, undefined, { timeout: 15_000 });
    await page.keyboard.press('r');
    await expect.poll(async () => (await projectOf()).clips.length, { timeout: 10_000 }).toBe(before.clips.length + 1);
    const take = (await projectOf()).clips.find((clip) => !before.clips.some((old) => old.id === clip.id))!;
    expect(take.kind).toBe('audio');
    expect(take.trackId).toBe(ids.vocal);
    // Chromium's fake microphone: the take starts where the timeline was when the recorder
    // reported its start (the engine's start delay and the recorder's own, ~0.1–0.2 s after
    // beat 16), its head trimmed by the input latency, and lasts about 5 beats.
    expect(take.startBeat).toBeGreaterThan(16);
    expect(take.startBeat).toBeLessThan(16.5);
    expect(take.kind === 'audio' && take.offsetSec).toBeGreaterThan(0);
    expect(take.kind === 'audio' && take.offsetSec).toBeLessThan(0.25);
    expect(take.lengthBeats).toBeGreaterThan(4);
    expect(take.lengthBeats).toBeLessThan(8);
    // It is kept with the project, in the project's folder, as a WAV main can read back.
    expect(take.kind === 'audio' && take.sourceId).toMatch(/^file:.*[/\\]takes[/\\][a-z0-9-]+\.wav$/);
    const takePath = take.kind === 'audio' ? take.sourceId.slice('file:'.length) : '';
    expect(takePath.startsWith(host!.dataDir)).toBe(true);
    expect((await readFile(takePath)).subarray(0, 4).toString()).toBe('RIFF');
    // Its waveform is drawn from the recorded samples.
    const path = await page.locator(`[data-testid="clip"][data-clip-id="${take.id}"] .st-clip-wave path`).getAttribute('d');
    expect(path?.length ?? 0).toBeGreaterThan(200);
    await page.getByRole('button', { name: 'Arm Vocal for recording' }).click();
  });

  it('imports audio files dropped on the arrangement onto the track under them, kept with the project', async () => {
    const mp3Path = join(host!.dataDir, 'loop.mp3');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=2', '-c:a', 'libmp3lame', '-b:a', '128k', mp3Path]);
    const before = await projectOf();
    const take = before.clips.find((clip) => clip.kind === 'audio')!;
    const box = (await page.locator(`[data-testid="clip"][data-clip-id="${take.id}"]`).boundingBox())!;
    const drop = async (name: string, bytes: Buffer, type: string): Promise<void> => {
      await page.evaluate(
        ({ name, base64, type, x, y }) => {
          const data = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([data], name, { type }));
          const lanes = document.querySelector('[data-testid="arrangement-lanes"]')!;
          lanes.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          lanes.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        },
        { name, base64: bytes.toString('base64'), type, x: box.x + box.width + 120, y: box.y + box.height / 2 },
      );
    };
    await drop('loop.mp3', await readFile(mp3Path), 'audio/mpeg');
    await expect.poll(async () => (await projectOf()).clips.length, { timeout: 10_000 }).toBe(before.clips.length + 1);
    const dropped = (await projectOf()).clips.find((clip) => !before.clips.some((old) => old.id === clip.id))!;
    expect(dropped).toMatchObject({ kind: 'audio', trackId: ids.vocal, name: 'loop' });
    expect(dropped.startBeat).toBeGreaterThan(take.startBeat + take.lengthBeats);
    // Two seconds at the project's tempo.
    expect(dropped.lengthBeats).toBeCloseTo((2 * (await projectOf()).tempoBpm) / 60, 0);
    const droppedPath = dropped.kind === 'audio' ? dropped.sourceId.slice('file:'.length) : '';
    expect(droppedPath).toMatch(/[/\\]takes[/\\][a-z0-9-]+\.mp3$/);
    expect((await readFile(droppedPath)).equals(await readFile(mp3Path))).toBe(true);

    // A file that is not audio is refused in words, and nothing is added.
    await drop('notes.txt', Buffer.from('not audio'), 'text/plain');
    await page.getByTestId('toast').filter({ hasText: 'notes.txt is not an audio file' }).waitFor();
    expect((await projectOf()).clips.length).toBe(before.clips.length + 1);
    while ((await page.getByTestId('toast').count()) > 0) await page.getByTestId('toast').first().getByRole('button', { name: 'Dismiss' }).click();
    // The drop is one undo step.
    await page.locator('.st-arr-corner').click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await projectOf()).clips.length).toBe(before.clips.length);
  });

  it('changes volume, pan and device parameters from the keyboard', async () => {
    await page.getByTestId('bottom-tab-mixer').click();
    const fader = page.getByTestId('mixer').getByRole('slider', { name: 'Volume of Chords' });
    await fader.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chords = (await projectOf()).tracks.find((track) => track.id === ids.chords)!;
    expect(chords.volumeDb).toBe(-2);

    await page.getByTestId('bottom-tab-devices').click();
    await page.evaluate((trackId) => window.__mixdeckStudio!.runtime.getOpen()!.ui.getState().set({ selectedTrackId: trackId }), ids.chords);
    const threshold = page.getByTestId('device-panel').getByRole('slider', { name: 'Threshold' });
    await threshold.focus();
    await page.keyboard.press('Home');
    const compressor = (await projectOf()).tracks.find((track) => track.id === ids.chords)!.devices.find((device) => device.type === 'compressor')!;
    expect(compressor.params.thresholdDb).toBe(-60);
    await page.keyboard.press('Delete');
    const reset = (await projectOf()).tracks.find((track) => track.id === ids.chords)!.devices.find((device) => device.type === 'compressor')!;
    expect(reset.params.thresholdDb).toBe(-18);
  });

  it('draws automation points on a lane', async () => {
    await page.getByRole('button', { name: 'Show automation of Lead' }).click();
    const lane = page.locator('[data-testid="automation-lane"]').last();
    const box = (await lane.boundingBox())!;
    const { arrangeZoom } = await ui();
    await page.mouse.click(box.x + 36 * arrangeZoom, box.y + box.height * 0.2);
    await page.mouse.click(box.x + 44 * arrangeZoom, box.y + box.height * 0.8);
    const lead = (await projectOf()).tracks.find((track) => track.id === ids.lead)!;
    const points = lead.automation.find((entry) => entry.target === 'volumeDb')!.points;
    expect(points.map((point) => point.beat)).toEqual([36, 44]);
    expect(points[0]!.value).toBeGreaterThan(points[1]!.value);
    await page.getByRole('button', { name: 'Show automation of Lead' }).click();
  });

  it('plays with Space: the playhead and the position display run, and stop where they are', async () => {
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.seek(0));
    await focusPage();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.getBeat() > 1, undefined, { timeout: 10_000 });
    expect(await page.getByTestId('transport-play').getAttribute('aria-pressed')).toBe('true');
    // The engine is really playing the drums: their strip's meter reads a level.
    await expect
      .poll(() => page.evaluate((drums) => window.__mixdeckStudio!.runtime.getOpen()!.audio.levelsFor(drums)()?.leftDb ?? -Infinity, ids.drums!), { timeout: 5_000 })
      .toBeGreaterThan(-40);
    await page.keyboard.press('Space');
    const stoppedAt = await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.getBeat());
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.session.transport.getBeat())).toBe(stoppedAt);
    expect(await page.getByTestId('position-bars').textContent()).not.toBe('1.1.1');
  });

  it('looks like a DAW: the arrangement and the piano roll', async () => {
    await page.evaluate(
      ({ hook, lead }) => {
        const open = window.__mixdeckStudio!.runtime.getOpen()!;
        open.ui.getState().set({ selectedTrackId: lead, automationOpen: [], arrangeZoom: 21 });
        open.ui.getState().selectClips([hook]);
        open.ui.getState().openClip(hook);
        open.session.transport.seek(37.5);
      },
      { hook: ids.hook!, lead: ids.lead! },
    );
    // The notice that this machine has no MIDI access is not part of the picture.
    for (const toast of await page.getByTestId('toast').all()) await toast.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: 'Show automation of Chords' }).click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'studio-arrangement.png') });
    await page.getByRole('button', { name: 'Show automation of Chords' }).click();
    // The editor panel dragged taller by its top edge, as one does to write notes.
    const splitter = (await page.getByRole('separator', { name: 'Resize the editor panel' }).boundingBox())!;
    await drag({ x: splitter.x + 400, y: splitter.y + 3 }, { x: splitter.x + 400, y: splitter.y + 3 - 230 });
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.ui.getState().set({ pianoZoom: 40 }));
    await page.locator(`[data-testid="note"]`).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'studio-piano-roll.png') });
    await page.evaluate(() => window.__mixdeckStudio!.runtime.getOpen()!.ui.getState().set({ bottomHeight: 328, pianoZoom: 80 }));
    await page.getByTestId('bottom-tab-mixer').click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'studio-mixer.png') });
    await page.evaluate((beat) => window.__mixdeckStudio!.runtime.getOpen()!.ui.getState().openClip(beat), ids.beat0!);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'studio-step-sequencer.png') });
  });

  it('imports a MIDI file onto a new track and exports the mix as WAV with a progress bar', async () => {
    const midi = new Midi();
    midi.header.setTempo(124);
    const part = midi.addTrack();
    part.name = 'Arp';
    for (const [index, pitch] of [60, 64, 67, 72].entries()) part.addNote({ midi: pitch, ticks: index * midi.header.ppq, durationTicks: midi.header.ppq / 2, velocity: 0.8 });
    const midiPath = join(pickerHome.path, 'arp.mid');
    await writeFile(midiPath, midi.toArray());
    const tracksBefore = (await projectOf()).tracks.length;

    await page.getByTestId('inout-open').click();
    await page.getByTestId('import-run').click();
    await pickInBrowserDialog(page, [], 'arp.mid');
    await page.getByTestId('inout-message').filter({ hasText: 'Imported 4 notes' }).waitFor({ timeout: 30_000 });
    const imported = await projectOf();
    expect(imported.tracks).toHaveLength(tracksBefore + 1);
    const arp = imported.clips.find((clip) => clip.trackId === imported.tracks.at(-1)!.id) as NoteClip;
    expect(arp.notes.map((note) => note.pitch)).toEqual([60, 64, 67, 72]);

    const wavPath = join(pickerHome.path, 'night-drive.wav');
    await page.getByTestId('export-folder').click();
    await pickInBrowserDialog(page, []);
    await page.getByTestId('export-name').fill('night-drive');
    await page.getByTestId('export-format').selectOption('wav16');
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-progress').waitFor();
    await page.getByTestId('inout-message').filter({ hasText: 'Wrote night-drive.wav' }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('export-progress').getAttribute('aria-valuenow')).toBe('100');
    const header = (await readFile(wavPath)).subarray(0, 36);
    expect(header.toString('latin1', 0, 4)).toBe('RIFF');
    expect(header.readUInt16LE(34)).toBe(16);
    expect((await stat(wavPath)).size).toBeGreaterThan(48_000 * 2 * 2 * 20);
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  }, 240_000); // rendering 40 s of project takes 45–90 s on a loaded 2-core machine, plus two picks in the dialog

  it('renames the project from the title, and the list follows', async () => {
    await page.getByTestId('project-name').dblclick();
    await page.getByRole('textbox', { name: 'Project name' }).fill('Night Drive (mix 2)');
    await page.keyboard.press('Enter');
    expect((await projectOf()).name).toBe('Night Drive (mix 2)');
    await page.getByTestId('project-save-state').filter({ hasText: 'Saved' }).waitFor();
    await page.keyboard.press('Control+z');
    expect((await projectOf()).name).toBe('Night Drive');
  });

  it('keeps the project in the data folder: after a reload it opens from the list as it was', async () => {
    await page.getByTestId('project-save-state').filter({ hasText: 'Saved' }).waitFor();
    const before = await page.evaluate(() => window.__mixdeckStudio!.docJson());
    await page.reload();
    await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
    await page.getByTestId('project-row').filter({ hasText: 'Night Drive' }).click();
    await page.getByTestId('studio-workspace').waitFor();
    expect(await page.evaluate(() => window.__mixdeckStudio!.docJson())).toBe(before);
    expect(await page.getByTestId('track-header').count()).toBe(7);
  });

  it('removes a track from its header, and brings it back with undo', async () => {
    await page.getByTestId('track-header').filter({ hasText: 'Reverb Bus' }).hover();
    await page.getByRole('button', { name: 'Remove Reverb Bus' }).click();
    await expect.poll(async () => (await projectOf()).tracks.some((track) => track.name === 'Reverb Bus')).toBe(false);
    // Sends to the removed bus go with it.
    expect((await projectOf()).tracks.flatMap((track) => track.sends)).toEqual([]);
    await page.locator('.st-arr-corner').click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await projectOf()).tracks.some((track) => track.name === 'Reverb Bus')).toBe(true);
  });

  it('logged no errors while doing all of that', () => {
    expect(pageProblems).toEqual([]);
  });
});

async function focusPage(): Promise<void> {
  await page.locator('.st-arr-corner').click();
}
