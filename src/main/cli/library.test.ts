import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../paths';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { CliIo } from './io';
import { runLibrary } from './library';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const temp = makeTempDir();

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) };
  const code = await runLibrary(args, io).catch((error: Error & { code?: string }) => {
    err += error.message;
    return error.code === 'invalid-input' ? 2 : 1;
  });
  return { code, out, err };
}

/** A click track: a short 1 kHz blip on every beat, over a quiet pad. */
function beatFile(path: string, bpm: number, seconds: number, tags: Record<string, string>): void {
  const beatSec = 60 / bpm;
  const expression = `0.6*sin(2*PI*1000*t)*lt(mod(t,${beatSec.toFixed(6)}),0.03)+0.1*sin(2*PI*220*t)`;
  const metadata = Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc='${expression}':s=22050:d=${seconds}`, ...metadata, path]);
}

describe('mixdeck library scan / search', () => {
  const music = join(temp.path, 'music');
  const db = join(temp.path, 'lib.db');
  beforeAll(() => {
    mkdirSync(music);
    beatFile(join(music, 'one.mp3'), 120, 6, { title: 'Uno', artist: 'Alpha' });
    beatFile(join(music, 'two.flac'), 150, 6, { title: 'Dos', artist: 'Beta' });
    writeFileSync(join(music, 'broken.mp3'), Buffer.alloc(4000, 7));
  });
  afterAll(() => temp.remove());

  it('scans folders into a database and prints one JSON object per track; unreadable files are listed, not fatal', async () => {
    const { code, out, err } = await cli(['scan', music, '--db', db, '--json']);
    expect(code).toBe(0);
    const tracks = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(tracks.map((track) => track.title)).toEqual(['Uno', 'Dos']);
    for (const track of tracks) {
      expect(Object.keys(track)).toEqual(expect.arrayContaining(['path', 'title', 'artist', 'bpm', 'key', 'durationSec', 'lufs']));
      expect(track.durationSec as number).toBeCloseTo(6, 0);
      expect(typeof track.lufs).toBe('number');
    }
    expect(Math.abs((tracks[0]!.bpm as number) - 120)).toBeLessThan(120 * 0.04);
    expect(err).toMatch(/unreadable: .*broken\.mp3: /);
    expect(err).toContain('2 added');
  }, 60_000);

  it('searches with the search language', async () => {
    const json = await cli(['search', 'bpm:>140', '--db', db, '--json']);
    expect(json.code).toBe(0);
    expect(json.out.trim().split('\n').map((line) => (JSON.parse(line) as { title: string }).title)).toEqual(['Dos']);
    const text = await cli(['search', 'artist:alpha', '--db', db]);
    expect(text.out).toContain('Alpha — Uno');
    const sorted = await cli(['search', '', '--db', db, '--json', '--sort', 'bpm', '--desc']);
    expect(sorted.out.trim().split('\n').map((line) => (JSON.parse(line) as { title: string }).title)).toEqual(['Dos', 'Uno']);
  });

  it('refuses bad arguments with a sentence and exit code 2', async () => {
    expect((await cli(['scan', music])).code).toBe(2);
    expect((await cli(['search', 'x', '--db', db, '--sort', 'colour'])).err).toContain('--sort must be one of');
    expect((await cli(['scan', join(music, 'one.mp3'), '--db', db])).err).toContain('is a file, not a folder');
    expect((await cli(['search', 'x', '--db', join(temp.path, 'none.db')])).code).toBe(1);
  });
});

describe('a scan killed half-way', () => {
  it('resumes from its queue on the next run, without duplicates, and ends with every file', async () => {
    const folder = join(temp.path, 'many');
    mkdirSync(folder, { recursive: true });
    const count = 16;
    for (let index = 0; index < count; index += 1) {
      beatFile(join(folder, `track-${String(index).padStart(2, '0')}.wav`), 90 + index * 5, 5, { title: `Track ${index}`, artist: 'Kill Test' });
    }
    const dbFile = join(temp.path, 'killed.db');
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'mixdeck.mjs'), 'library', 'scan', folder, '--db', dbFile], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));
    // Kill it (SIGKILL: no chance to clean up) once a few files are in but most are not.
    let doneBeforeKill = 0;
    for (let attempt = 0; attempt < 600; attempt += 1) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      try {
        const peek = new Database(dbFile, { readonly: true, fileMustExist: true });
        peek.pragma('busy_timeout = 1000');
        doneBeforeKill = peek.prepare(`SELECT count(*) FROM scan_queue WHERE state = 'done'`).pluck().get() as number;
        peek.close();
      } catch {
        continue; // not created yet
      }
      if (doneBeforeKill >= 3) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(doneBeforeKill).toBeGreaterThanOrEqual(3);

    const check = new Database(dbFile);
    const before = check.prepare(`SELECT path, id, scanned_at AS scannedAt FROM tracks ORDER BY path`).all() as { path: string; id: number; scannedAt: number }[];
    expect(check.prepare(`SELECT status FROM scan_jobs`).pluck().all()).toEqual(['running']);
    check.close();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(count);

    const { code, err } = await cli(['scan', folder, '--db', dbFile]);
    expect(code, err).toBe(0);
    const after = new Database(dbFile);
    const rows = after.prepare(`SELECT path, id, scanned_at AS scannedAt FROM tracks ORDER BY path`).all() as { path: string; id: number; scannedAt: number }[];
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row.path)).size).toBe(count);
    // What the first run finished was not read again: same rows, same scan time.
    for (const row of before) expect(rows.find((candidate) => candidate.path === row.path)).toEqual(row);
    expect(after.prepare(`SELECT status FROM scan_jobs`).pluck().all()).toEqual(['done']);
    expect(after.prepare(`SELECT count(*) FROM scan_queue`).pluck().get()).toBe(0);
    after.close();
  }, 120_000);
});
