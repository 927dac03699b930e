import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnTied, tiedCommand } from './child-lifetime';

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

describe.runIf(process.platform === 'linux' && existsSync('/usr/bin/setpriv'))('children tied to the life of the process that spawned them', () => {
  it.each(['TERM', 'KILL'] as const)('ends a child that ignores its stdin when its parent is SIGKILLed (death signal %s)', async (deathSignal) => {
    const tied = tiedCommand('sleep', ['60'], deathSignal);
    expect(tied.args.slice(0, 3)).toEqual(['--pdeathsig', deathSignal, '--']);
    // A parent that starts the child, says its pid, and waits: then dies without any chance to clean up.
    const parent = spawn(
      process.execPath,
      ['-e', `const c = require('node:child_process').spawn(${JSON.stringify(tied.command)}, ${JSON.stringify(tied.args)}, { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const childPid = await new Promise<number>((resolve) => parent.stdout!.once('data', (text: Buffer) => resolve(Number(String(text).trim()))));
    await expect.poll(() => readFileSync(`/proc/${childPid}/cmdline`, 'utf8').split('\0')[0]).toMatch(/sleep$/);
    parent.kill('SIGKILL');
    await expect.poll(() => alive(childPid), { timeout: 5000, interval: 50 }).toBe(false);
  });

  it('keeps the pid, the exit code and a missing program\'s ENOENT the child\'s own', async () => {
    const child = spawnTied('sh', ['-c', 'echo $$; exit 7'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let said = '';
    child.stdout.on('data', (text: Buffer) => (said += String(text)));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(7);
    expect(Number(said.trim())).toBe(child.pid);
    const missing = spawnTied('no-such-program-mixdeck', [], { stdio: 'ignore' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => missing.once('error', resolve));
    expect(error.code).toBe('ENOENT');
  });
});
