import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ToneModule from 'tone';
import { createSilentRealtimeContext, loadNodeStudioEngine } from '../../src/main/cli/studio-node-audio';
import { StudioProject } from '../../src/shared/studio';

/**
 * The live engine on a realtime AudioContext (node-web-audio-api, no sound card): the
 * transport's position, loop wraps, count-in, meters, and stop/start without errors from
 * Tone's clock. One context for the file: node-web-audio-api cannot open a second after closing one.
 */
let raw: AudioContext;
let context: ToneModule.Context;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  await loadNodeStudioEngine();
  const Tone = (await import('tone')) as typeof ToneModule;
  raw = await createSilentRealtimeContext({ latencyHint: 128 / 48_000 });
  context = new Tone.Context({ context: raw, lookAhead: 0.05 });
  await raw.resume();
});
afterAll(async () => {
  context?.dispose();
  // Suspended, not closed: closing a realtime context panics node-web-audio-api now and then;
  // the worker process ends it. Suspending can panic too (about one run in five here, always
  // after the test has passed): that is the library's teardown, not the engine under test.
  await raw?.suspend().catch((error: unknown) => {
    if (!(error instanceof Error && error.message === 'Panic in async function')) throw error;
  });
  process.off('uncaughtException', onUncaught);
});

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('studio engine, live', () => {
  it('counts in, loops, meters the tracks that sound, and stops cleanly', async () => {
    const { StudioEngine } = await loadNodeStudioEngine();
    const project = StudioProject.create({ tempoBpm: 120 });
    const drums = project.addTrack({ kind: 'instrument', instrument: { type: 'drums' } });
    const keys = project.addTrack({ kind: 'instrument', instrument: { type: 'synth', preset: 'keys' } });
    const drumClip = project.addNoteClip({ trackId: drums, startBeat: 0, lengthBeats: 8 });
    project.addNotes(drumClip, Array.from({ length: 32 }, (_, step) => ({ pitch: [36, 42, 38, 42][step % 4] as number, startBeat: step / 4, lengthBeats: 0.2 })));
    const keyClip = project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 8 });
    project.addNote(keyClip, { pitch: 60, startBeat: 0, lengthBeats: 8 });
    project.updateTrack(keys, { mute: true });
    project.setLoop({ enabled: true, startBeat: 0, endBeat: 2 });
    const engine = new StudioEngine({ context });
    engine.setProject(project.read());
    engine.setMetronome(true);

    // One bar of count-in at 120 bpm is 2 s: the timeline waits at beat 0.
    engine.play({ fromBeat: 0, countInBars: 1 });
    await wait(1000);
    expect(engine.positionBeat()).toBe(0);
    await wait(1700);
    // 0.7 s into the timeline is beat 1.4 at 120 bpm; the loop (beats 0–2) keeps it under 2.
    const loopedBeat = engine.positionBeat();
    expect(loopedBeat).toBeGreaterThan(0.5);
    expect(loopedBeat).toBeLessThan(2);
    await wait(1200);
    // 1.9 s = 3.8 beats: wrapped once.
    expect(engine.positionBeat()).toBeLessThan(2);
    const levels = engine.levels();
    expect(levels.tracksDb[drums]).toBeGreaterThan(-60);
    expect(levels.tracksDb[keys]).toBe(-Infinity);
    engine.stop();
    const stoppedAt = engine.positionBeat();
    await wait(300);
    expect(engine.positionBeat()).toBe(stoppedAt);

    // Play from beat 4 (past the loop) and stop right away, twice: scheduled one-shots are cut cleanly.
    project.setLoop({ enabled: false });
    engine.setProject(project.read());
    for (let round = 0; round < 2; round += 1) {
      engine.play({ fromBeat: 4 });
      await wait(150);
      engine.stop();
    }
    engine.dispose();
    await wait(3500);
    expect(uncaught).toEqual([]);
  });
});
