import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/support/temp-dir';
import { PACKAGE_ROOT } from './paths';

const BIN = join(PACKAGE_ROOT, 'bin', 'mixdeck.mjs');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the mixdeck CLI', () => {
  it('lists its commands with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('mixdeck <command>');
    expect(stdout).toMatch(/^\s+web\s/m);
  });

  it('says so, and exits 2, for an unknown command or a bad option', async () => {
    const unknown = await run(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "fly"');
    const badPort = await run(['web', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a whole number');
  });

  it('serves the app with `web`, prints its URL, and stops cleanly on SIGTERM', async () => {
    const temp = makeTempDir();
    const child = spawn(process.execPath, [BIN, 'web', '--port', '0', '--data-dir', temp.path]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?key=[0-9a-f]{64})\s/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('close', (code) => reject(new Error(`exited ${code} before printing a URL`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<');
      // The address without its key serves nothing: another local user cannot open the app.
      const bare = await fetch(url.split('?')[0]!);
      expect(bare.status).toBe(403);
      expect(await bare.text()).toMatch(/address it printed/);
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    } finally {
      child.kill('SIGKILL');
      temp.remove();
    }
  });
});
