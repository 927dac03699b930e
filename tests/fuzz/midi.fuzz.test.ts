/**
 * Standard MIDI Files through the studio's import and render path (the engine's importMidi, the
 * render limits, and the CLI's `studio render FILE.mid`): seeded random bytes, mutations of valid
 * files, and the crafted files that once hung or exhausted memory. No input may crash or hang,
 * and every refusal must be a sentence.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../src/main/app-core';
import { main } from '../../src/main/cli';
import { loadNodeStudioEngine } from '../../src/main/cli/studio-node-audio';
import { isMixdeckError } from '../../src/shared/contract';
import { StudioProject } from '../../src/shared/studio';
import { createFuzzer, FuzzTally, type Fuzzer } from '../support/fuzz';
import { call, failure } from '../support/core-calls';
import { makeTempDir } from '../support/temp-dir';

type Engine = Awaited<ReturnType<typeof loadNodeStudioEngine>>;

/** What a refusal must never look like: an exception's own text, or a bare code. */
const NOT_WORDS = /Cannot read properties|undefined|null|is not a function|is not iterable|RangeError|TypeError|Offset is outside|Maximum call stack|^internal$|NaN|\[object /;

// ---- Writing Standard MIDI Files by hand (the format is small) ----

function vlq(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function chunk(type: string, body: readonly number[]): number[] {
  return [...type].map((char) => char.charCodeAt(0)).concat(u32(body.length), body);
}

function header(format: number, tracks: number, division: number): number[] {
  return chunk('MThd', [0, format, (tracks >> 8) & 0xff, tracks & 0xff, (division >> 8) & 0xff, division & 0xff]);
}

/** One track: `events` are [delta, ...bytes]; an end-of-track meta event is added. */
function track(events: readonly (readonly number[])[]): number[] {
  const body: number[] = [];
  for (const event of events) {
    for (const byte of vlq(event[0]!)) body.push(byte);
    for (let index = 1; index < event.length; index += 1) body.push(event[index]!);
  }
  body.push(0, 0xff, 0x2f, 0);
  return chunk('MTrk', body);
}

function smf(format: number, division: number, tracks: readonly number[][]): Uint8Array {
  return new Uint8Array(header(format, tracks.length, division).concat(...tracks));
}

/** A small valid song: a tempo, a time signature, a melody and a drum track. */
function validSong(fuzzer: Fuzzer): Uint8Array {
  const melody: number[][] = [[0, 0xff, 0x51, 3, 0x07, 0xa1, 0x20], [0, 0xff, 0x58, 4, 4, 2, 24, 8], [0, 0xff, 0x03, 4, ...'Lead'.split('').map((c) => c.charCodeAt(0))]];
  for (let index = 0; index < fuzzer.int(1, 24); index += 1) {
    const pitch = fuzzer.int(40, 90);
    melody.push([index === 0 ? 0 : fuzzer.int(0, 240), 0x90, pitch, fuzzer.int(1, 127)], [fuzzer.int(10, 480), 0x80, pitch, 0]);
  }
  const drums: number[][] = [];
  for (let index = 0; index < fuzzer.int(0, 8); index += 1) drums.push([fuzzer.int(0, 240), 0x99, 36, 100], [60, 0x89, 36, 0]);
  return smf(1, 480, [track(melody), track(drums)]);
}

function mutateBytes(fuzzer: Fuzzer, valid: Uint8Array): Uint8Array {
  const bytes = Array.from(valid);
  const at = fuzzer.int(0, bytes.length - 1);
  switch (fuzzer.int(0, 6)) {
    case 0:
      return new Uint8Array(bytes.slice(0, at));
    case 1:
      for (let flips = fuzzer.int(1, 8); flips > 0; flips -= 1) bytes[fuzzer.int(0, bytes.length - 1)] = fuzzer.int(0, 255);
      return new Uint8Array(bytes);
    case 2:
      bytes.splice(at, 0, ...fuzzer.bytes(fuzzer.int(1, 32)));
      return new Uint8Array(bytes);
    case 3: {
      // A chunk length that lies (the first track's).
      const lengthAt = 18;
      const lie = fuzzer.pick([0, 1, 0x7fffffff, 0xffffffff, fuzzer.int(0, 5000)]);
      bytes.splice(lengthAt, 4, ...u32(lie));
      return new Uint8Array(bytes);
    }
    case 4:
      // Header fields: format, track count, division.
      bytes[fuzzer.int(8, 13)] = fuzzer.pick([0, 0xff, 0x80, 0x7f, fuzzer.int(0, 255)]);
      return new Uint8Array(bytes);
    case 5:
      bytes.splice(at, fuzzer.int(1, 16));
      return new Uint8Array(bytes);
    default:
      return new Uint8Array([...bytes, ...bytes.slice(14)]);
  }
}

let craftedCache: { name: string; bytes: Uint8Array }[] | null = null;

/** The files of the report, and their relatives (built once). */
function craftedFiles(): { name: string; bytes: Uint8Array }[] {
  craftedCache ??= buildCraftedFiles();
  return craftedCache;
}

function buildCraftedFiles(): { name: string; bytes: Uint8Array }[] {
  const files: { name: string; bytes: Uint8Array }[] = [];
  // 43 bytes: one note an hour in (a tempo of 1 µs per quarter is not needed: plain delta ticks).
  const anHourIn = 120 * 60 * 480; // quarter notes at 120 bpm, 480 ticks each
  files.push({ name: 'one note an hour in', bytes: smf(0, 480, [track([[anHourIn, 0x90, 60, 100], [480, 0x80, 60, 0]])]) });
  files.push({ name: '200,000 notes', bytes: smf(0, 480, [track(Array.from({ length: 400_000 }, (_, index) => [index === 0 ? 0 : 1, 0x90, 36 + ((index >> 1) % 60), index % 2 === 0 ? 100 : 0]))]) });
  files.push({
    name: '200,000 notes over 16 tracks',
    bytes: smf(1, 480, Array.from({ length: 16 }, () => track(Array.from({ length: 25_000 }, (_, index) => [index === 0 ? 0 : 1, 0x90, 36 + ((index >> 1) % 60), index % 2 === 0 ? 100 : 0])))),
  });
  files.push({ name: '10,000 tracks', bytes: smf(1, 480, Array.from({ length: 10_000 }, () => track([[0, 0x90, 60, 100], [10, 0x80, 60, 0]]))) });
  files.push({ name: 'SMPTE timing', bytes: smf(0, 0xe728, [track([[0, 0x90, 60, 100], [10, 0x80, 60, 0]])]) });
  files.push({ name: 'zero ticks per quarter', bytes: smf(0, 0, [track([[0, 0x90, 60, 100], [10, 0x80, 60, 0]])]) });
  files.push({ name: 'largest delta times', bytes: smf(0, 1, [track(Array.from({ length: 8 }, () => [0x0fffffff, 0x90, 60, 100]))]) });
  files.push({ name: 'tempo of 0 µs per quarter', bytes: smf(0, 480, [track([[0, 0xff, 0x51, 3, 0, 0, 0], [0, 0x90, 60, 100], [480, 0x80, 60, 0]])]) });
  files.push({ name: 'tempo of 16 s per quarter', bytes: smf(0, 480, [track([[0, 0xff, 0x51, 3, 0xff, 0xff, 0xff], [0, 0x90, 60, 100], [4800, 0x80, 60, 0]])]) });
  files.push({ name: 'format 3', bytes: smf(3, 480, [track([[0, 0x90, 60, 100]])]) });
  files.push({ name: 'no tracks', bytes: smf(0, 480, []) });
  files.push({ name: 'chunk claims 4 GB', bytes: new Uint8Array([...header(0, 1, 480), ...[0x4d, 0x54, 0x72, 0x6b], ...u32(0xffffffff), 0, 0x90, 60, 100]) });
  files.push({ name: 'sysex claiming 256 MB', bytes: new Uint8Array([...header(0, 1, 480), ...chunk('MTrk', [0, 0xf0, ...vlq(0x0fffffff), 1, 2, 3])]) });
  files.push({ name: 'running status without a status', bytes: smf(0, 480, [track([[0, 60, 100], [10, 60, 0]])]) });
  files.push({ name: 'note off before note on, time signature 0/0', bytes: smf(0, 480, [track([[0, 0xff, 0x58, 4, 0, 0, 0, 0], [0, 0x80, 60, 0], [0, 0x90, 60, 100], [10, 0x80, 60, 0]])]) });
  const sysexBytes = 4 * 1024 * 1024;
  const bigSysex = new Uint8Array(14 + 8 + 1 + 1 + 4 + sysexBytes);
  bigSysex.set([...header(0, 1, 480), ...[0x4d, 0x54, 0x72, 0x6b], ...u32(1 + 1 + 4 + sysexBytes), 0, 0xf0, ...vlq(sysexBytes)]);
  files.push({ name: 'a 4 MB file of one long sysex', bytes: bigSysex });
  files.push({ name: 'empty', bytes: new Uint8Array(0) });
  files.push({ name: 'MThd only', bytes: new Uint8Array(header(0, 1, 480)) });
  return files;
}

describe('fuzz midi: import and render of Standard MIDI Files', () => {
  let engine: Engine;
  const temp = makeTempDir('mixdeck-midi-fuzz-');
  const tally = new FuzzTally('midi');
  const failures: string[] = [];

  beforeAll(async () => {
    engine = await loadNodeStudioEngine();
  });
  afterAll(() => {
    tally.print();
    temp.remove();
  });

  /** One file through the import; a refusal must be a MixdeckError in words, and quick. */
  const tryImport = (label: string, bytes: Uint8Array): 'imported' | 'refused' => {
    const project = StudioProject.create({ name: 'Fuzz' });
    const startedAt = performance.now();
    try {
      engine.importMidi(project, bytes);
      // An accepted file must also be within what a render takes (checked, not rendered: rendering is the slow part).
      const data = project.read();
      const durationSec = engine.projectEndSec(data) + 2;
      try {
        engine.checkRenderLimits(data, durationSec, 48_000);
        tally.count('imported');
      } catch (error) {
        if (!isMixdeckError(error) || NOT_WORDS.test(error.message)) failures.push(`${label}: render check threw ${String(error)}`);
        tally.count('imported, render refused');
      }
      return 'imported';
    } catch (error) {
      if (!isMixdeckError(error)) failures.push(`${label}: threw ${String(error)}`);
      else if (NOT_WORDS.test(error.message)) failures.push(`${label}: refusal not in words: ${error.message}`);
      tally.count('refused');
      return 'refused';
    } finally {
      const elapsedMs = performance.now() - startedAt;
      if (elapsedMs > 5000) failures.push(`${label}: took ${Math.round(elapsedMs)} ms`);
      project.destroy();
    }
  };

  it('refuses the crafted files in words and at once, before building anything', () => {
    const outcomes = Object.fromEntries(craftedFiles().map(({ name, bytes }) => [name, tryImport(name, bytes)]));
    expect(failures).toEqual([]);
    expect(outcomes).toMatchObject({
      'one note an hour in': 'refused',
      '200,000 notes': 'refused',
      '200,000 notes over 16 tracks': 'refused',
      '10,000 tracks': 'refused',
      'SMPTE timing': 'refused',
      'zero ticks per quarter': 'refused',
      'largest delta times': 'refused',
      'chunk claims 4 GB': 'refused',
      'format 3': 'refused',
      'no tracks': 'refused',
      empty: 'refused',
    });
    const refusal = (bytes: Uint8Array): string => {
      try {
        engine.importMidi(StudioProject.create(), bytes);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const crafted = new Map(craftedFiles().map(({ name, bytes }) => [name, bytes]));
    expect(crafted.get('one note an hour in')!.length).toBeLessThan(48);
    expect(refusal(crafted.get('one note an hour in')!)).toBe('its last note ends 60 minutes in; the studio imports at most 30 minutes');
    expect(refusal(crafted.get('200,000 notes')!)).toBe('track 1 has 200,000 notes; the studio imports at most 20,000 per track');
    expect(refusal(crafted.get('200,000 notes over 16 tracks')!)).toBe('it has more than 50,000 notes; the studio imports at most 50,000');
    expect(refusal(crafted.get('10,000 tracks')!)).toBe('it has more than 256 tracks; the studio imports at most 256');
  });

  it('imports the largest track it accepts (20,000 notes) in bounded time', () => {
    const notes = (count: number): number[][] => Array.from({ length: count * 2 }, (_, index) => [index === 0 ? 0 : 6, 0x90, 36 + ((index >> 1) % 60), index % 2 === 0 ? 100 : 0]);
    const bytes = smf(1, 480, [track(notes(20_000))]);
    const project = StudioProject.create({ name: 'Largest' });
    const startedAt = performance.now();
    expect(engine.importMidi(project, bytes).noteCount).toBe(20_000);
    const elapsedMs = performance.now() - startedAt;
    console.log(`midi: the largest accepted track (20,000 notes) imported in ${Math.round(elapsedMs)} ms`);
    expect(elapsedMs).toBeLessThan(20_000);
    project.destroy();
    tally.count('imported (largest)');
  });

  it('survives seeded random bytes and mutations of valid files', () => {
    const fuzzer = createFuzzer(0x5eed_4d49);
    const startedAt = performance.now();
    for (let index = 0; index < 1000; index += 1) {
      const kind = fuzzer.int(0, 9);
      let bytes: Uint8Array;
      if (kind === 0) bytes = fuzzer.bytes(fuzzer.int(0, 200));
      else if (kind === 1) bytes = new Uint8Array([...header(fuzzer.int(0, 2), fuzzer.int(0, 3), fuzzer.int(0, 0xffff)), ...fuzzer.bytes(fuzzer.int(0, 200))]);
      else if (kind === 2) bytes = validSong(fuzzer);
      else bytes = mutateBytes(fuzzer, validSong(fuzzer));
      tryImport(`seed ${fuzzer.seed} input ${index} (kind ${kind})`, bytes);
    }
    expect(failures).toEqual([]);
    expect(performance.now() - startedAt).toBeLessThan(15_000);
  });

  it('refuses a render longer than the limit before allocating it (a project, not a file)', async () => {
    const project = StudioProject.create({ name: 'Too long', tempoBpm: 20 });
    const keys = project.addTrack({ kind: 'instrument', name: 'Keys' });
    const clip = project.addNoteClip({ trackId: keys, startBeat: 90_000, lengthBeats: 4 });
    project.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    const startedAt = performance.now();
    await expect(engine.renderProjectOffline(project.read(), { sampleRate: 48_000 })).rejects.toThrow(
      /^The project would render 4501 minutes of audio; a render can be at most 30 minutes at 48 kHz\.$/,
    );
    await expect(engine.renderProjectOffline(project.read(), { sampleRate: 96_000 })).rejects.toThrow(/at most 15 minutes at 96 kHz/);
    expect(performance.now() - startedAt).toBeLessThan(2000);
    tally.count('render refused');
  });

  it('refuses the crafted files through `mixdeck studio render FILE.mid` in words, with exit code 2', async () => {
    for (const { name, bytes } of craftedFiles().filter((file) => ['one note an hour in', '200,000 notes', '10,000 tracks', 'chunk claims 4 GB'].includes(file.name))) {
      const path = join(temp.path, `${name.replace(/[^a-z0-9]+/gi, '-')}.mid`);
      writeFileSync(path, bytes);
      const err: string[] = [];
      const code = await main(['studio', 'render', path, '--out', join(temp.path, 'out.wav')], { out: () => undefined, err: (text) => err.push(text) });
      expect(code, name).toBe(2);
      expect(err.join('\n'), name).toMatch(new RegExp(`^mixdeck studio: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (it|its|track \\d+) `));
      expect(err.join('\n'), name).not.toMatch(NOT_WORDS);
      tally.count('CLI refused');
    }
  });

  it('refuses the crafted files through the contract (studio.importMidi on the real dispatcher) in words, and the project is untouched', async () => {
    const dataDir = join(temp.path, 'core');
    const core = await createAppCore({ dataDir, transport: 'web', logLevel: 'error' });
    try {
      const project = await call(core, 'studio.create', { name: 'Imports' });
      const before = (await call(core, 'studio.open', { projectId: project.id })).stateBase64;
      for (const { name, bytes } of craftedFiles().filter((file) => ['one note an hour in', '10,000 tracks', 'SMPTE timing', 'running status without a status'].includes(file.name))) {
        const path = join(temp.path, `contract-${name.replace(/[^a-z0-9]+/gi, '-')}.mid`);
        writeFileSync(path, bytes);
        core.grantPicked(path, 'file', 'studio-import');
        const refusal = await failure(core, 'studio.importMidi', { projectId: project.id, source: { path } });
        expect(refusal.code, name).toBe('invalid-input');
        expect(refusal.message, name).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (it|its|track \\d+) `));
        expect(refusal.message, name).not.toMatch(NOT_WORDS);
        tally.count('contract refused');
      }
      expect((await call(core, 'studio.open', { projectId: project.id })).stateBase64).toBe(before);
    } finally {
      await core.close();
    }
  });
});
