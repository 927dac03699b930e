import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/main/paths';
import { makeTempDir } from '../support/temp-dir';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start where Electron cannot be had', () => {
  it('says so in one line, serves the app at a printed URL, and stops with its web host on SIGTERM', async () => {
    const temp = makeTempDir();
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'start.mjs'), '--port', '0'], {
      env: {
        ...process.env,
        MIXDECK_DATA_DIR: temp.path,
        MIXDECK_SKIP_BUILD: '1',
        // Tests talk to nobody: no attempt to download Electron, even where the network allows it.
        MIXDECK_NO_ELECTRON_DOWNLOAD: '1',
        // No binary to find: the fallback must follow whatever this machine has.
        ELECTRON_OVERRIDE_DIST_PATH: join(temp.path, 'no-electron'),
      },
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += chunk;
          const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?key=[0-9a-f]{64})\s/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`start exited ${code}: ${output}`)));
      });
      const lines = output.trim().split('\n');
      expect(lines[0]).toBe("Electron's binary is not installed here and could not be downloaded; serving the same app through the web host instead.");
      expect(lines.filter((line) => line.includes('Electron'))).toHaveLength(1);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const childList = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' });
      const webHostPid = Number(childList.trim().split('\n')[0]);
      expect(webHostPid).toBeGreaterThan(0);

      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
      child.kill('SIGTERM');
      await exited;
      await expect.poll(() => isRunning(webHostPid), { timeout: 5_000 }).toBe(false);
    } finally {
      child.kill('SIGKILL');
      temp.remove();
    }
  });
});
