import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { PACKAGE_ROOT } from '../paths';
import { MIDI_UNAVAILABLE_NO_SEQUENCER } from '../services/midi/ports';

const BIN = join(PACKAGE_ROOT, 'bin', 'mixdeck.mjs');
const FIXTURES = join(PACKAGE_ROOT, 'src', 'main', 'services', 'midi', 'fixtures');
const TWO_DECK_MAPPING = join(PACKAGE_ROOT, 'resources', 'mappings', 'generic-two-deck.json');

function mixdeck(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mixdeck midi (as a child process)', { timeout: 180_000 }, () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('imports a Mixxx mapping: writes the Mixdeck mapping and prints what was and was not mapped', async () => {
    const out = join(temp.path, 'two-deck.json');
    const { code, stdout, stderr } = await mixdeck(['midi', 'mapping', 'import', join(FIXTURES, 'two-deck.midi.xml'), '--out', out, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { mapped: Array<{ status: number; midino: number; action: string }>; unmapped: Array<{ key: string; reason: string }> };
    expect(report.mapped).toContainEqual({ status: 0x90, midino: 0x0b, action: 'player.playPause', slot: 1 });
    expect(report.mapped).toHaveLength(13);
    expect(report.unmapped).toContainEqual({ key: '[Channel1]cue_default', reason: 'Mixdeck\'s player has no cue points' });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { format: string; bindings: unknown[] };
    expect(written.format).toBe('mixdeck-midi-mapping');
    expect(written.bindings).toHaveLength(11);

    // The imported mapping replays a stream.
    const stream = join(temp.path, 'imported.txt');
    writeFileSync(stream, '0 b0 00 7f\n1 b0 20 7f\n5 91 0b 7f\n');
    const replayed = await mixdeck(['midi', 'replay', out, '--input', stream, '--json']);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { t: 1, action: 'player.pitch', value: 1, slot: 1 },
      { t: 5, action: 'player.playPause', value: 1, slot: 2 },
    ]);
  });

  it('replays a recorded two-deck stream with shift, held Go Live, relative jogs and 14-bit faders exactly as live', async () => {
    const { code, stdout, stderr } = await mixdeck(['midi', 'replay', TWO_DECK_MAPPING, '--input', join(FIXTURES, 'two-deck-session.txt'), '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { t: number; action: string; value: number; slot?: number });
    expect(lines).toEqual([
      { t: 0, action: 'player.playPause', value: 1, slot: 1 },
      { t: 120, action: 'player.seek', value: 1, slot: 1 },
      { t: 128, action: 'player.seek', value: 1, slot: 1 },
      { t: 136, action: 'player.seek', value: -1, slot: 1 },
      { t: 301, action: 'player.pitch', value: 8192 / 16383, slot: 2 },
      { t: 430, action: 'broadcast.markTrack', value: 1 },
      { t: 470, action: 'broadcast.markTrack', value: 0 },
      { t: 600, action: 'player.crossfade', value: 64 / 127 },
      { t: 2000, action: 'broadcast.goLive', value: 1 },
    ]);
  });

  it('says what is wrong, in words, with exit code 2', async () => {
    const missing = await mixdeck(['midi', 'replay', join(temp.path, 'nope.json'), '--input', 'x.txt', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist or cannot be read');
    const brokenStream = join(temp.path, 'broken.txt');
    writeFileSync(brokenStream, '0 90 0b 7f\nten 90 0b 00\n');
    const broken = await mixdeck(['midi', 'replay', TWO_DECK_MAPPING, '--input', brokenStream, '--json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('line 2: "ten" is not a time in milliseconds');
    const notMixxx = join(temp.path, 'page.midi.xml');
    writeFileSync(notMixxx, '<html></html>');
    const refused = await mixdeck(['midi', 'mapping', 'import', notMixxx, '--out', join(temp.path, 'x.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not a Mixxx mapping');
    const usage = await mixdeck(['midi', 'replay', TWO_DECK_MAPPING]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--input STREAM.txt');
  });

  it('lists devices, or says in words why MIDI cannot be used here', async () => {
    const { code, stdout } = await mixdeck(['midi', 'devices']);
    expect(code).toBe(0);
    if (existsSync('/dev/snd/seq')) expect(stdout.trim().length).toBeGreaterThan(0);
    else expect(stdout.trim()).toBe(MIDI_UNAVAILABLE_NO_SEQUENCER);
  });
});
