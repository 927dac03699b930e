import type * as ToneModule from 'tone';
import { StudioProject, type Project } from '../src/shared/studio';
import { frequencyFromMidi } from '../src/audio-engine/studio/music';
import { loadNodeStudioEngine, createSilentRealtimeContext } from '../src/main/cli/studio-node-audio';
import { noteEventsBetween, tempoMapOf } from '../src/renderer/studio/engine/schedule';
import type { BenchResult } from './report';

const SAMPLE_RATE = 48_000;
const RENDER_SEC = 10;
const QUANTUM_FRAMES = 128;
const SCALE = [0, 2, 4, 7, 9];

/** N synth tracks, each with EQ3 and a compressor, playing eighth notes for `durationSec`. */
function benchProject(trackCount: number, durationSec: number): Project {
  const project = StudioProject.create({ name: `bench ${trackCount}`, tempoBpm: 120 });
  const beats = (durationSec * 120) / 60;
  project.transact(() => {
    for (let track = 0; track < trackCount; track += 1) {
      const trackId = project.addTrack({ kind: 'instrument', instrument: { type: 'synth', preset: 'lead' }, volumeDb: -18 });
      project.addDevice(trackId, 'eq3', { lowDb: 3, highDb: -2 });
      project.addDevice(trackId, 'compressor', { thresholdDb: -24, ratio: 3 });
      const clipId = project.addNoteClip({ trackId, startBeat: 0, lengthBeats: beats });
      const notes = [];
      for (let step = 0; step < beats * 2; step += 1) notes.push({ pitch: 48 + (track % 3) * 12 + (SCALE[(step + track) % SCALE.length] as number), startBeat: step / 2, lengthBeats: 0.4, velocity: 0.7 });
      project.addNotes(clipId, notes);
    }
  });
  return project.read();
}

/**
 * The same sources without Tone or our engine: per note an OscillatorNode (sawtooth, as the
 * 'lead' preset) through an ADSR GainNode, per track two native effects (a peaking
 * BiquadFilterNode for the EQ and a DynamicsCompressorNode), into the destination.
 */
async function renderPlainWebAudio(project: Project, durationSec: number): Promise<number> {
  const webAudio = (await import('node-web-audio-api')) as unknown as { OfflineAudioContext: typeof OfflineAudioContext };
  const context = new webAudio.OfflineAudioContext(2, Math.ceil(durationSec * SAMPLE_RATE), SAMPLE_RATE);
  const tempoMap = tempoMapOf(project);
  const inputs = new Map<string, GainNode>();
  for (const track of project.tracks) {
    const input = context.createGain();
    input.gain.value = 10 ** (track.volumeDb / 20);
    const eq = context.createBiquadFilter();
    eq.type = 'peaking';
    eq.gain.value = 3;
    const compressor = context.createDynamicsCompressor();
    compressor.threshold.value = -24;
    compressor.ratio.value = 3;
    input.connect(eq).connect(compressor).connect(context.destination);
    inputs.set(track.id, input);
  }
  for (const event of noteEventsBetween(project, tempoMap, 0, durationSec)) {
    const oscillator = context.createOscillator();
    oscillator.type = 'sawtooth';
    oscillator.frequency.value = frequencyFromMidi(event.pitch);
    const envelope = context.createGain();
    const end = event.startSec + event.durationSec;
    envelope.gain.setValueAtTime(0, event.startSec);
    envelope.gain.linearRampToValueAtTime(event.velocity, event.startSec + 0.01);
    envelope.gain.setTargetAtTime(event.velocity * 0.7, event.startSec + 0.01, 0.05);
    envelope.gain.setTargetAtTime(0, end, 0.08);
    oscillator.connect(envelope).connect(inputs.get(event.trackId) as GainNode);
    oscillator.start(event.startSec);
    oscillator.stop(end + 0.5);
  }
  const started = performance.now();
  await context.startRendering();
  return (performance.now() - started) / 1000;
}

async function timeEngineRender(project: Project, durationSec: number): Promise<number> {
  const engine = await loadNodeStudioEngine();
  const started = performance.now();
  await engine.renderProjectOffline(project, { sampleRate: SAMPLE_RATE, durationSec });
  return (performance.now() - started) / 1000;
}

interface LiveRig {
  readonly raw: AudioContext;
  readonly context: ToneModule.Context;
  readonly engineModule: Awaited<ReturnType<typeof loadNodeStudioEngine>>;
}

/**
 * One realtime context for every trial: node-web-audio-api panics when a second realtime
 * AudioContext is created after the first was closed, so the bench opens one and closes it last.
 */
async function openLiveRig(): Promise<LiveRig> {
  const engineModule = await loadNodeStudioEngine();
  const Tone = (await import('tone')) as typeof ToneModule;
  const raw = await createSilentRealtimeContext({ latencyHint: QUANTUM_FRAMES / SAMPLE_RATE, sampleRate: SAMPLE_RATE });
  const context = new Tone.Context({ context: raw as unknown as AudioContext, lookAhead: 0.1 });
  await raw.resume();
  return { raw, context, engineModule };
}

/**
 * Plays `trackCount` tracks live through StudioEngine on node-web-audio-api's realtime
 * AudioContext (no sound card: sinkId 'none', latencyHint 128 frames) and answers how far the
 * context's clock advanced against the wall clock. When the graph cannot render a 128-frame
 * quantum within its 2.67 ms, the context falls behind: a ratio under 0.99 means underruns.
 */
async function realtimeRatio(rig: LiveRig, trackCount: number, listenSec: number): Promise<number> {
  const engine = new rig.engineModule.StudioEngine({ context: rig.context });
  try {
    engine.setProject(benchProject(trackCount, listenSec + 4));
    engine.play({ fromBeat: 0 });
    // Let the graph settle (first voices allocated), then measure.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ctx0 = rig.raw.currentTime;
    const wall0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, listenSec * 1000));
    return (rig.raw.currentTime - ctx0) / ((performance.now() - wall0) / 1000);
  } finally {
    // Silences now; its nodes go a few seconds later, once Tone's pending callbacks have run.
    engine.dispose();
  }
}

export async function benchStudio(): Promise<BenchResult> {
  const project16 = benchProject(16, RENDER_SEC);
  // Warm both paths once (module loading, JIT), then measure.
  await timeEngineRender(benchProject(2, 2), 2);
  await renderPlainWebAudio(benchProject(2, 2), 2);
  const engineSec = await timeEngineRender(project16, RENDER_SEC);
  const plainSec = await renderPlainWebAudio(project16, RENDER_SEC);
  const engineSpeed = RENDER_SEC / engineSec;
  const plainSpeed = RENDER_SEC / plainSec;
  const quanta = (RENDER_SEC * SAMPLE_RATE) / QUANTUM_FRAMES;
  const usPerQuantum = (engineSec * 1e6) / quanta;
  const budgetUs = (QUANTUM_FRAMES / SAMPLE_RATE) * 1e6;

  let largestRealtime = 0;
  const tried: string[] = [];
  const rig = await openLiveRig();
  try {
    for (const count of [1, 2, 4, 8, 16, 24, 32, 48, 64]) {
      const ratio = await realtimeRatio(rig, count, 2);
      tried.push(`${count}: ${ratio.toFixed(3)}`);
      if (ratio < 0.99) break;
      largestRealtime = count;
    }
    // Past the last engine's deferred disposal, then stop Tone's clock and the context.
    await new Promise((resolve) => setTimeout(resolve, 3500));
  } finally {
    rig.context.dispose();
    // Suspended, not closed: closing a realtime context panics node-web-audio-api now and then,
    // and suspending sometimes does too; either way the measurements above are complete.
    await rig.raw.suspend().catch(() => undefined);
  }

  return {
    name: 'Studio engine (Tone.js on node-web-audio-api)',
    baseline: 'the same 16 tracks of notes as plain Web Audio nodes (oscillator + envelope, peaking biquad, compressor per track) in an OfflineAudioContext, same run',
    rows: [
      { label: 'offline export, 16 tracks × (synth + EQ3 + compressor), 10 s at 48 kHz', value: engineSpeed, unit: '× realtime', ratio: engineSpeed / plainSpeed },
      { label: 'plain OfflineAudioContext render of the same sources', value: plainSpeed, unit: '× realtime', ratio: 1 },
      { label: 'engine render time per 128-frame quantum (16 tracks, average)', value: usPerQuantum, unit: `µs of ${budgetUs.toFixed(0)}`, ratio: usPerQuantum / budgetUs },
      { label: 'largest track count playing live without falling behind (128 frames)', value: largestRealtime, unit: 'tracks' },
    ],
    notes: [
      'Live method: StudioEngine plays N such tracks on node-web-audio-api\'s realtime AudioContext (sinkId none, latencyHint 128/48000) for 2 s; ' +
        'if a 128-frame quantum takes longer than 2.67 ms to render, the context clock falls behind the wall clock. A track count passes when the clock keeps ≥ 99 % pace. ' +
        `Context clock ÷ wall clock by track count: ${tried.join(', ')}. The machine is 2 shared cores, so figures move with the load of other processes.`,
    ],
  };
}
