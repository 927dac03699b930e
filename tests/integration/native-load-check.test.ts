import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const CHECK = join(import.meta.dirname, '..', '..', 'native', 'load-check.mjs');

interface Report {
  modules: Array<{ module: string; loaded: boolean; usable: boolean; detail: string; withoutIt: string }>;
}

function runCheck(args: string[]): { code: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [CHECK, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout };
}

describe('the native-module load check', () => {
  it('loads better-sqlite3, naudiodon and the MIDI module of this checkout, and says what it found in words', () => {
    const { code, stdout } = runCheck(['--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.modules.map((entry) => entry.module)).toEqual(['better-sqlite3', 'naudiodon', '@julusian/midi']);
    expect(report.modules[0]).toMatchObject({ loaded: true, usable: true, detail: 'loads and works' });
    const midi = report.modules[2]!;
    if (midi.loaded && !existsSync('/dev/snd/seq')) {
      expect(midi).toMatchObject({ usable: false, detail: expect.stringContaining('ALSA sequencer') });
      expect(midi.withoutIt).toContain('Everything else works');
    }
    const words = runCheck([]).stdout;
    expect(words).toMatch(/^ok +better-sqlite3: loads and works$/m);
  });

  it('says which modules are missing and what still works without them', () => {
    const empty = makeTempDir();
    try {
      const { code, stdout } = runCheck(['--root', empty.path]);
      // Without the database module the app cannot start, and the check exits 1 to say so.
      expect(code).toBe(1);
      expect(stdout).toContain('MISSING better-sqlite3: it is not installed. Mixdeck cannot start without it');
      expect(stdout).toContain('MISSING naudiodon: it is not installed. Audio devices cannot be listed or opened');
      expect(stdout).toContain('the player, the studio and karaoke play in the page');
      expect(stdout).toContain('MISSING @julusian/midi: it is not installed. MIDI controllers cannot be used. Everything else works');
      expect(stdout).toContain('3 of 3 native modules cannot be used here');
    } finally {
      empty.remove();
    }
  });
});
