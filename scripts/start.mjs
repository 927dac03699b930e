#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed, otherwise the same app
// through the web host. Electron's own `require('electron')` is not used to find the binary:
// in Electron 45 it tries to download a missing binary, and this must never touch the network.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';

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

/** npm itself, as the node script that is running this one, or `npm` on the PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.c?js$/.test(npmCli)) return [process.execPath, [npmCli, ...args]];
  return process.platform === 'win32' ? ['cmd.exe', ['/d', '/s', '/c', 'npm', ...args]] : ['npm', args];
}

const electronBinary = installedElectronBinary();
if (electronBinary) {
  // electron-vite preview builds main, preload and renderer, then launches `electron .`.
  const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  runAttached(process.execPath, [electronVite, 'preview'], { ...process.env, ELECTRON_EXEC_PATH: electronBinary });
} else {
  process.stdout.write("Electron's binary is not installed on this machine; serving the same app through the web host instead.\n");
  const [command, args] = npmCommand(['run', 'web']);
  runAttached(command, args);
}
