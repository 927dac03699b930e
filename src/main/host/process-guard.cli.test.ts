import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';

const BIN = resolve('bin/mixdeck.mjs');
/** Loaded before the CLI: SIGUSR2 throws an error nothing catches, as a bug in a route would. */
const THROW_ON_SIGUSR2 = 'data:text/javascript,process.on("SIGUSR2",()=>{throw new Error("boom from the test")})';

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

const runs: Run[] = [];
const temp = makeTempDir('mixdeck-guard-');

function runCli(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', THROW_ON_SIGUSR2, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { child, stdout: '', stderr: '', exit: new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code))) };
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (run.stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
  runs.push(run);
  return run;
}

afterAll(() => {
  for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  temp.remove();
});

describe('mixdeck web and broadcast end in words', () => {
  it('mixdeck web on a port in use says so and exits non-zero instead of hanging', async () => {
    const busy: Server = createServer();
    await new Promise<void>((listening) => busy.listen(0, '127.0.0.1', listening));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = runCli(['web', '--port', String(port), '--data-dir', join(temp.path, 'busy')]);
      expect(await run.exit).toBe(1);
      expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use by another program`);
      expect(run.stderr).not.toMatch(/EADDRINUSE|at .*\.ts:\d+/);
    } finally {
      busy.close();
    }
  }, 60_000);

  it('mixdeck web stops after an error nothing caught: reported in words, then exit 1', async () => {
    const run = runCli(['web', '--port', '0', '--data-dir', join(temp.path, 'web')]);
    await vi.waitFor(() => expect(run.stdout).toMatch(/Mixdeck is running at (http:\S+)/), { timeout: 45_000, interval: 100 });
    const url = /Mixdeck is running at (http:\S+)/.exec(run.stdout)![1]!;
    expect((await fetch(url)).status).toBe(200);
    run.child.kill('SIGUSR2');
    expect(await run.exit).toBe(1);
    expect(run.stderr).toContain('mixdeck web: stopping after an unexpected error (boom from the test)');
    await expect(fetch(url)).rejects.toThrow();
  }, 60_000);

  it('mixdeck broadcast ends the set properly after an error nothing caught: MP4 and tracklist written, no ffmpeg left', async () => {
    const recordDir = join(temp.path, 'set');
    const run = runCli(['broadcast', '--record', recordDir, '--data-dir', join(temp.path, 'broadcast'), '--no-audio', '--json', '--video-size', '320x180', '--fps', '30', '--x264-preset', 'ultrafast', '--now-playing', 'Artist - Title']);
    // Live, and the recording has data in it.
    await vi.waitFor(() => expect(run.stdout).toMatch(/"event":"set","state":"live".*"bytes":[1-9]\d{3,}/), { timeout: 60_000, interval: 200 });
    run.child.kill('SIGUSR2');
    expect(await run.exit).toBe(1);
    expect(run.stderr).toContain('mixdeck broadcast: ending the set after an unexpected error (boom from the test)');
    const files = readdirSync(recordDir);
    const mp4 = files.find((name) => name.endsWith('.mp4'));
    expect(mp4, files.join(', ')).toBeDefined();
    expect(files.filter((name) => name.endsWith('.mkv'))).toEqual([]);
    expect(files.some((name) => name.endsWith('.txt'))).toBe(true);
    const codecs = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', join(recordDir, mp4!)], { encoding: 'utf8' });
    expect(codecs).toContain('h264');
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('ffmpeg') && line.includes(recordDir));
    expect(left).toEqual([]);
  }, 120_000);
});
