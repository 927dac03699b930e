import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PACKAGE_ROOT } from '../paths';
import { main } from '../cli';
import { StudioProject } from '../../shared/studio';
import { decodeWav } from '../../audio-engine/studio/wav';
import { PitchDetector } from '../../audio-engine/pitch/pitch-detector';
import { midiFromFrequency } from '../../audio-engine/pitch/pitch-units';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { decodeAudioFile } from '../services/media/decode';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { ProjectStore } from '../services/studio/project-store';
import { loadNodeStudioEngine } from './studio-node-audio';

const temp = makeTempDir('mixdeck-studio-cli-');
afterAll(() => temp.remove());

function capture(): { io: { out(text: string): void; err(text: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text) => out.push(text), err: (text) => err.push(text) }, out, err };
}

function pitchAt(channel: Float32Array, sampleRate: number, atSec: number): number {
  const detector = new PitchDetector({ sampleRate, bleedGate: false, maxFrequencyHz: 1500 });
  const start = Math.round(atSec * sampleRate);
  const estimate = detector.process(channel.slice(start, start + detector.frameSize));
  return estimate.voiced ? midiFromFrequency(estimate.frequencyHz) : Number.NaN;
}

describe('mixdeck studio render', () => {
  it('renders a MIDI file to a 16-bit WAV with the notes it holds, reporting progress as JSON', async () => {
    const engine = await loadNodeStudioEngine();
    const song = StudioProject.create({ tempoBpm: 100 });
    const keys = song.addTrack({ kind: 'instrument', name: 'Lead' });
    const clip = song.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    song.addNotes(clip, [
      { pitch: 62, startBeat: 0, lengthBeats: 1 },
      { pitch: 69, startBeat: 2, lengthBeats: 1 },
    ]);
    const midPath = join(temp.path, 'song.mid');
    await writeFile(midPath, engine.exportMidi(song.read()));
    const wavPath = join(temp.path, 'song.wav');
    const { io, out, err } = capture();
    const code = await main(['studio', 'render', midPath, '--out', wavPath, '--bits', '16', '--json'], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const events = out.map((line) => JSON.parse(line) as { event: string; fraction?: number });
    expect(events[0]).toMatchObject({ event: 'progress', stage: 'render' });
    expect(events.at(-1)).toMatchObject({ event: 'done' });
    const wav = decodeWav(new Uint8Array(readFileSync(wavPath)));
    expect(wav.bits).toBe(16);
    expect(wav.sampleRate).toBe(48_000);
    const left = wav.channels[0] as Float32Array;
    // 100 bpm: beat 0 → 0 s, beat 2 → 1.2 s.
    expect(pitchAt(left, wav.sampleRate, 0.15)).toBeCloseTo(62, 0);
    expect(pitchAt(left, wav.sampleRate, 1.35)).toBeCloseTo(69, 0);
  });

  it('renders a saved project by name to FLAC with stems, the same bytes twice', async () => {
    const dataDir = join(temp.path, 'data');
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Night Drive', tempoBpm: 120 });
    const drums = project.addTrack({ kind: 'instrument', name: 'Drums', instrument: { type: 'drums' } });
    const bass = project.addTrack({ kind: 'instrument', name: 'Bass', instrument: { type: 'synth', preset: 'bass' } });
    const drumClip = project.addNoteClip({ trackId: drums, startBeat: 0, lengthBeats: 2 });
    project.addNotes(drumClip, [36, 38].map((pitch, index) => ({ pitch, startBeat: index, lengthBeats: 0.25 })));
    const bassClip = project.addNoteClip({ trackId: bass, startBeat: 0, lengthBeats: 2 });
    project.addNote(bassClip, { pitch: 40, startBeat: 0, lengthBeats: 1.5 });
    store.create('Night Drive', project.encode());
    store.close();
    const run = async (name: string): Promise<string[]> => {
      const { io, out } = capture();
      expect(await main(['studio', 'render', 'Night Drive', '--data-dir', dataDir, '--out', join(temp.path, name), '--stems'], io)).toBe(0);
      return out;
    };
    const out = await run('night.flac');
    expect(out.filter((line) => line.startsWith('Wrote'))).toHaveLength(3);
    await run('again.flac');
    expect(readFileSync(join(temp.path, 'night.flac')).equals(readFileSync(join(temp.path, 'again.flac')))).toBe(true);
    const ffmpegPath = resolveFfmpeg().path;
    const mix = await decodeAudioFile(join(temp.path, 'night.flac'), { ffmpegPath, sampleRate: 48_000, channels: 1 });
    const drumStem = await decodeAudioFile(join(temp.path, 'night-Drums.flac'), { ffmpegPath, sampleRate: 48_000, channels: 1 });
    const bassStem = await decodeAudioFile(join(temp.path, 'night-Bass.flac'), { ffmpegPath, sampleRate: 48_000, channels: 1 });
    expect(mix.durationSec).toBeCloseTo(3, 1);
    // The bass stem holds the bass alone: its pitch is E2, and it is silent after the note ends.
    expect(pitchAt(bassStem.channels[0] as Float32Array, 48_000, 0.3)).toBeCloseTo(40, 0);
    // The stems add up to the mix (the limiter is idle at these levels).
    let error = 0;
    let energy = 0;
    for (let index = 0; index < mix.channels[0]!.length; index += 1) {
      const sum = drumStem.channels[0]![index]! + bassStem.channels[0]![index]!;
      error += (sum - mix.channels[0]![index]!) ** 2;
      energy += mix.channels[0]![index]! ** 2;
    }
    expect(10 * Math.log10(error / energy)).toBeLessThan(-40);
  });

  it('refuses bad arguments in words with exit code 2', async () => {
    const bits = capture();
    expect(await main(['studio', 'render', 'x.mid', '--out', join(temp.path, 'x.wav'), '--bits', '12'], bits.io)).toBe(2);
    expect(bits.err.join('\n')).toMatch(/--bits must be 16 or 24/);
    const format = capture();
    expect(await main(['studio', 'render', 'x.mid', '--out', join(temp.path, 'x.ogg')], format.io)).toBe(2);
    expect(format.err.join('\n')).toMatch(/\.wav, \.flac or \.mp3/);
    const missing = capture();
    expect(await main(['studio', 'render', 'Nope', '--data-dir', join(temp.path, 'empty'), '--out', join(temp.path, 'x.wav')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(/No studio project "Nope"/);
    const notMidi = join(temp.path, 'fake.mid');
    await writeFile(notMidi, 'hello');
    const bad = capture();
    expect(await main(['studio', 'render', notMidi, '--out', join(temp.path, 'x.wav')], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/not a Standard MIDI File/);
  });
});

/** The ffmpeg children of a process, from /proc (Linux). */
function ffmpegChildren(pid: number): number[] {
  const found: number[] = [];
  for (const task of existsSync(`/proc/${pid}/task`) ? readdirSync(`/proc/${pid}/task`) : []) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('ffmpeg')) found.push(child);
      } catch {
        // Gone already.
      }
    }
  }
  return found;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('mixdeck studio render, killed mid-encode', () => {
  it('leaves the old file as it was, no ffmpeg running, and no temporary file after the next export', async () => {
    const dataDir = join(temp.path, 'kill-data');
    const store = new ProjectStore({ dataDir });
    const project = StudioProject.create({ name: 'Long Take', tempoBpm: 120 });
    const keys = project.addTrack({ kind: 'instrument', name: 'Keys' });
    // Four minutes of notes: long enough that the MP3 encode is still running when it is killed.
    const clip = project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 480 });
    project.addNotes(clip, Array.from({ length: 240 }, (_, index) => ({ pitch: 48 + (index % 24), startBeat: index * 2, lengthBeats: 1 })));
    store.create('Long Take', project.encode());
    store.close();
    const folder = join(temp.path, 'kill-out');
    const outPath = join(folder, 'take.mp3');
    mkdirSync(folder, { recursive: true });
    writeFileSync(outPath, 'the previous export, which must survive');

    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'mixdeck.mjs'), 'studio', 'render', 'Long Take', '--data-dir', dataDir, '--out', outPath], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let encoder: number[] = [];
    await vi.waitFor(
      () => {
        encoder = ffmpegChildren(child.pid!);
        expect(encoder).toHaveLength(1);
      },
      { timeout: 120_000, interval: 20 },
    );
    child.kill('SIGKILL');
    await exited;
    // The pipe feeding ffmpeg closed with its parent, so ffmpeg ends on its own.
    await vi.waitFor(() => expect(running(encoder[0]!)).toBe(false), { timeout: 15_000, interval: 100 });
    expect(readFileSync(outPath, 'utf8')).toBe('the previous export, which must survive');
    expect(readdirSync(folder).filter((name) => name !== 'take.mp3' && !name.endsWith('.mixdeck-export'))).toEqual([]);

    // The next export into the folder removes what the killed one left, and writes its own file whole.
    const tiny = StudioProject.create({ name: 'Tiny' });
    const tinyTrack = tiny.addTrack({ kind: 'instrument', name: 'Keys' });
    tiny.addNote(tiny.addNoteClip({ trackId: tinyTrack, startBeat: 0, lengthBeats: 1 }), { pitch: 60, startBeat: 0, lengthBeats: 0.5 });
    const tinyStore = new ProjectStore({ dataDir });
    tinyStore.create('Tiny', tiny.encode());
    tinyStore.close();
    const { io, err } = capture();
    expect(await main(['studio', 'render', 'Tiny', '--data-dir', dataDir, '--out', join(folder, 'tiny.flac')], io)).toBe(0);
    expect(err).toEqual([]);
    expect(readdirSync(folder).sort()).toEqual(['take.mp3', 'tiny.flac']);
  }, 180_000);
});
