#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed (or can be downloaded now),
// otherwise the same app through the web host. Electron 45 downloads its binary on first use,
// not at `npm ci`, so a first start tries that download once, quietly, with a time limit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Where node_modules/electron says its binary is, if that file exists; null otherwise. */
function installedElectronBinary() {
  if (process.env.ELECTRON_EXEC_PATH) return existsSync(process.env.ELECTRON_EXEC_PATH) ? process.env.ELECTRON_EXEC_PATH : null;
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relativeBinary = readFileSync(pathFile, 'utf8').trim();
  if (!relativeBinary) return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(distDir, relativeBinary);
  return existsSync(binary) ? binary : null;
}

/** Electron's own installer (node_modules/electron/install.js); true when it fetched the binary. */
function tryDownloadElectron() {
  let installer;
  try {
    installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return false;
  }
  if (!existsSync(installer)) return false;
  if (process.stdout.isTTY) process.stdout.write('Fetching Electron for this machine (first start only)…\n');
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 300_000 });
  return result.status === 0;
}

/** Runs a command with the terminal attached, passes Ctrl+C and SIGTERM on, and exits as it does. */
function runAttached(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  const forward = (signal) => {
    // Ctrl+C in a terminal already reached the child (the whole foreground process group gets it);
    // a second SIGINT would cut short its own graceful shutdown. Otherwise pass the signal on.
    if (signal === 'SIGINT' && isatty(0)) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`Could not start ${command}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (!signal) process.exit(code ?? 1);
    // Die the way the child died, so a caller sees "killed by SIGINT"; if that signal is
    // ignored here (a background job), exit with the shell's 128+N code instead.
    process.kill(process.pid, signal);
    process.exit(128 + (constants.signals[signal] ?? 0));
  });
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const electronBinary = installedElectronBinary() ?? (process.env.MIXDECK_NO_ELECTRON_DOWNLOAD ? null : tryDownloadElectron() && installedElectronBinary());
if (electronBinary) {
  // electron-vite preview builds main, preload and renderer, then launches `electron .`.
  runAttached(process.execPath, [electronVite, 'preview'], { ...process.env, ELECTRON_EXEC_PATH: electronBinary });
} else {
  process.stdout.write("Electron's binary is not installed here and could not be downloaded; serving the same app through the web host instead.\n");
  // Build, then run the web host as our own child (not through npm and a shell), so Ctrl+C
  // and SIGTERM reach it and it closes the database and the port cleanly.
  // MIXDECK_SKIP_BUILD=1 serves the existing out/ (quick restarts, and tests running beside a build).
  const build = process.env.MIXDECK_SKIP_BUILD ? { status: 0 } : spawnSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n');
    process.exit(build.status ?? 1);
  }
  runAttached(process.execPath, [join(root, 'bin', 'mixdeck.mjs'), 'web', ...process.argv.slice(2)]);
}
