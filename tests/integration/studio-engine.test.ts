import { describe, expect, it } from 'vitest';
import { loadNodeStudioEngine } from '../../src/main/cli/studio-node-audio';
import { StudioProject } from '../../src/shared/studio';
import { PitchDetector } from '../../src/audio-engine/pitch/pitch-detector';
import { midiFromFrequency } from '../../src/audio-engine/pitch/pitch-units';
import { encodeWav } from '../../src/audio-engine/studio/wav';

const SAMPLE_RATE = 48_000;

/** dBFS RMS of a channel between two times. */
function rmsDb(channel: Float32Array, fromSec: number, toSec: number): number {
  let sum = 0;
  const from = Math.round(fromSec * SAMPLE_RATE);
  const to = Math.round(toSec * SAMPLE_RATE);
  for (let index = from; index < to; index += 1) sum += (channel[index] as number) ** 2;
  return 10 * Math.log10(sum / (to - from) + 1e-20);
}

/** The first time after `fromSec` the signal rises above `thresholdDb` (5 ms RMS windows, 1 ms steps). */
function onsetSec(channel: Float32Array, fromSec: number, thresholdDb: number): number {
  for (let time = fromSec; time < channel.length / SAMPLE_RATE - 0.005; time += 0.001) if (rmsDb(channel, time, time + 0.005) > thresholdDb) return time;
  return Number.NaN;
}

function measuredMidi(channel: Float32Array, atSec: number): number {
  const detector = new PitchDetector({ sampleRate: SAMPLE_RATE, bleedGate: false, maxFrequencyHz: 1500 });
  const start = Math.round(atSec * SAMPLE_RATE);
  const estimate = detector.process(channel.slice(start, start + detector.frameSize));
  return estimate.voiced ? midiFromFrequency(estimate.frequencyHz) : Number.NaN;
}

describe('studio engine, rendered offline and measured', () => {
  it('renders a note clip’s pitches at the times the tempo map gives, across a tempo change', async () => {
    const engine = await loadNodeStudioEngine();
    const project = StudioProject.create({ tempoBpm: 120 });
    project.addTempoChange(4, 60);
    const keys = project.addTrack({ kind: 'instrument', instrument: { type: 'synth', preset: 'keys' } });
    const clip = project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 8 });
    // Beat 0 → 0 s, beat 2 → 1 s, beat 4 → 2 s (tempo halves here), beat 6 → 4 s.
    const notes = [
      { pitch: 57, startBeat: 0, expectedSec: 0 },
      { pitch: 64, startBeat: 2, expectedSec: 1 },
      { pitch: 69, startBeat: 4, expectedSec: 2 },
      { pitch: 60, startBeat: 6, expectedSec: 4 },
    ];
    project.addNotes(clip, notes.map((note) => ({ pitch: note.pitch, startBeat: note.startBeat, lengthBeats: 0.4, velocity: 0.9 })));
    const audio = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE, tailSec: 1 });
    const left = audio.channels[0] as Float32Array;
    for (const note of notes) {
      const onset = onsetSec(left, Math.max(0, note.expectedSec - 0.1), -40);
      expect(Math.abs(onset - note.expectedSec), `onset of ${note.pitch}`).toBeLessThan(0.01);
      expect(measuredMidi(left, note.expectedSec + 0.1), `pitch at ${note.expectedSec}s`).toBeCloseTo(note.pitch, 0);
    }
    // Silence between notes: the first (0.2 s + 0.6 s release) is over well before the second.
    expect(rmsDb(left, 0.85, 0.99)).toBeLessThan(-50);
  });

  it('volume, mute and solo change the measured levels as set', async () => {
    const engine = await loadNodeStudioEngine();
    const project = StudioProject.create({ tempoBpm: 120 });
    const a = project.addTrack({ kind: 'instrument', name: 'A', instrument: { type: 'synth', preset: 'lead' } });
    const b = project.addTrack({ kind: 'instrument', name: 'B', instrument: { type: 'synth', preset: 'lead' } });
    for (const [trackId, pitch] of [
      [a, 57],
      [b, 64],
    ] as const) {
      const clip = project.addNoteClip({ trackId, startBeat: 0, lengthBeats: 4 });
      project.addNote(clip, { pitch, startBeat: 0, lengthBeats: 4, velocity: 0.8 });
    }
    const levelOf = async (): Promise<number> => {
      const audio = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE, durationSec: 1.5 });
      return rmsDb(audio.channels[0] as Float32Array, 0.5, 1.5);
    };
    project.updateTrack(b, { mute: true });
    const aAlone = await levelOf();
    project.updateTrack(a, { volumeDb: -6 });
    const aDown6 = await levelOf();
    expect(aDown6 - aAlone).toBeCloseTo(-6, 1);
    project.updateTrack(a, { mute: true });
    expect(await levelOf()).toBeLessThan(-120);
    project.updateTrack(a, { mute: false, volumeDb: 0 });
    project.updateTrack(b, { mute: false, volumeDb: -12 });
    project.updateTrack(b, { solo: true });
    const bSolo = await levelOf();
    // Solo on B silences A: the level is B's alone, 12 dB under A's (same preset, B at −12 dB).
    expect(bSolo - aAlone).toBeCloseTo(-12, 0);
    project.updateTrack(b, { solo: false });
    const both = await levelOf();
    // Two uncorrelated tones add in power: 10·log10(1 + 10^(−12/10)) ≈ +0.27 dB over A alone.
    expect(both - aAlone).toBeCloseTo(10 * Math.log10(1 + 10 ** -1.2), 1);
  });

  it('an EQ low shelf boost and a low-pass filter change the measured level', async () => {
    const engine = await loadNodeStudioEngine();
    const project = StudioProject.create({ tempoBpm: 120 });
    const bass = project.addTrack({ kind: 'instrument', instrument: { type: 'synth', preset: 'keys' } });
    const clip = project.addNoteClip({ trackId: bass, startBeat: 0, lengthBeats: 4 });
    project.addNote(clip, { pitch: 40, startBeat: 0, lengthBeats: 4 });
    const level = async (): Promise<number> => rmsDb((await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE, durationSec: 1.5 })).channels[0] as Float32Array, 0.5, 1.5);
    const flat = await level();
    const eq = project.addDevice(bass, 'eq3', { lowDb: 6, lowFrequencyHz: 1000 });
    const boosted = await level();
    // E2's triangle: its energy sits far below the 1 kHz shelf, so nearly the whole 6 dB shows.
    expect(boosted - flat).toBeGreaterThan(5);
    expect(boosted - flat).toBeLessThan(6.5);
    project.removeDevice(bass, eq);
    project.addDevice(bass, 'filter', { mode: 0, frequencyHz: 40, q: 0.7 });
    // A low-pass an octave and more under the fundamental (82 Hz) takes most of it away.
    expect(await level()).toBeLessThan(flat - 10);
  });

  it('renders the same project sample-identically twice (effects, drums, buses included)', async () => {
    const engine = await loadNodeStudioEngine();
    const project = StudioProject.create({ tempoBpm: 128 });
    const bus = project.addTrack({ kind: 'bus', name: 'Reverb' });
    project.addDevice(bus, 'reverb', { decaySec: 1.5, wet: 1 });
    const drums = project.addTrack({ kind: 'instrument', instrument: { type: 'drums', preset: 'mixdeck-808' } });
    const keys = project.addTrack({ kind: 'instrument', instrument: { type: 'synth', preset: 'pad' } });
    project.addDevice(keys, 'delay');
    project.addDevice(keys, 'compressor');
    project.setSend(keys, bus, -3);
    const lane = project.addAutomationLane(keys, 'volumeDb');
    project.addAutomationPoint(keys, lane, 0, -20);
    project.addAutomationPoint(keys, lane, 4, 0);
    const drumClip = project.addNoteClip({ trackId: drums, startBeat: 0, lengthBeats: 4 });
    project.addNotes(drumClip, [36, 42, 38, 42].map((pitch, index) => ({ pitch, startBeat: index, lengthBeats: 0.25 })));
    const keyClip = project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    project.addNotes(keyClip, [60, 64, 67].map((pitch) => ({ pitch, startBeat: 0, lengthBeats: 3 })));
    const first = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE });
    const second = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE });
    expect(rmsDb(first.channels[0] as Float32Array, 0, 2)).toBeGreaterThan(-40);
    expect(Buffer.from(encodeWav(first.channels, SAMPLE_RATE, 24)).equals(Buffer.from(encodeWav(second.channels, SAMPLE_RATE, 24)))).toBe(true);
    // The volume automation (a gain ramp from −20 dB at beat 0 to 0 dB at beat 4 = 1.875 s) is
    // measured against the same stem without it: about −11 dB at 0.375 s, −1.3 dB at 1.575 s.
    const automated = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE, onlyTrackIds: [keys] });
    project.removeAutomationLane(keys, lane);
    const flat = await engine.renderProjectOffline(project.read(), { sampleRate: SAMPLE_RATE, onlyTrackIds: [keys] });
    const gainAt = (sec: number): number => 20 * Math.log10(0.1 + 0.9 * (sec / 1.875));
    for (const sec of [0.375, 1.575]) {
      const measured = rmsDb(automated.channels[0] as Float32Array, sec - 0.02, sec + 0.02) - rmsDb(flat.channels[0] as Float32Array, sec - 0.02, sec + 0.02);
      expect(Math.abs(measured - gainAt(sec)), `automation at ${sec}s`).toBeLessThan(1.5);
    }
  });

  it('keeps notes and tempo through MIDI import and export', async () => {
    const engine = await loadNodeStudioEngine();
    const source = StudioProject.create({ tempoBpm: 93 });
    source.addTempoChange(8, 140);
    source.setTimeSignature(3, 4);
    const keys = source.addTrack({ kind: 'instrument', name: 'Piano' });
    const drums = source.addTrack({ kind: 'instrument', name: 'Beat', instrument: { type: 'drums' } });
    const keyClip = source.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 12 });
    source.addNotes(keyClip, [
      { pitch: 60, startBeat: 0, lengthBeats: 1, velocity: 0.5 },
      { pitch: 64, startBeat: 1.5, lengthBeats: 0.5, velocity: 0.75 },
      { pitch: 67, startBeat: 9.25, lengthBeats: 2, velocity: 1 },
    ]);
    const drumClip = source.addNoteClip({ trackId: drums, startBeat: 3, lengthBeats: 3 });
    source.addNotes(drumClip, [
      { pitch: 36, startBeat: 0, lengthBeats: 0.25 },
      { pitch: 38, startBeat: 1, lengthBeats: 0.25 },
    ]);
    const bytes = engine.exportMidi(source.read());
    const imported = StudioProject.create();
    const result = engine.importMidi(imported, bytes);
    expect(result.noteCount).toBe(5);
    const data = imported.read();
    expect(data.tempoBpm).toBeCloseTo(93, 3); // SMF stores µs per quarter note
    expect(data.tempoChanges.map((change) => [change.beat, Math.round(change.tempoBpm * 1000) / 1000])).toEqual([[8, 140]]);
    expect(data.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    const notesOf = (project: ReturnType<StudioProject['read']>, name: string): { timing: number[][]; velocities: number[] } => {
      const notes = project.clips
        .filter((clip) => project.tracks.find((track) => track.id === clip.trackId)?.name === name)
        .flatMap((clip) => (clip.kind === 'notes' ? clip.notes.map((note) => ({ ...note, startBeat: clip.startBeat + note.startBeat })) : []));
      return { timing: notes.map((note) => [note.pitch, note.startBeat, note.lengthBeats]), velocities: notes.map((note) => note.velocity) };
    };
    for (const name of ['Piano', 'Beat']) {
      const before = notesOf(source.read(), name);
      const after = notesOf(data, name);
      expect(after.timing).toEqual(before.timing);
      // SMF velocities are 7-bit: within one step of 1/127.
      after.velocities.forEach((velocity, index) => expect(Math.abs(velocity - (before.velocities[index] as number))).toBeLessThanOrEqual(1 / 127));
    }
    expect(data.tracks.find((track) => track.name === 'Beat')?.instrument?.type).toBe('drums');
    // And a second round trip gives the same bytes.
    expect(Buffer.from(engine.exportMidi(data)).equals(Buffer.from(bytes))).toBe(true);
  });
});
