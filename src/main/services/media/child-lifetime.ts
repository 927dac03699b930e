import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Children that die with Mixdeck, even when Mixdeck is killed with SIGKILL.
 *
 * A child reading a pipe from main sees EOF when main dies, but not every ffmpeg reads one: an
 * encoder whose PCM pipe closes goes on encoding its generated video for ever (found orphaned in
 * issue #10). On Linux every child is started through util-linux's `setpriv --pdeathsig`, which
 * asks the kernel to send it SIGTERM when the thread that spawned it — Node's main thread —
 * ends, however it ends; `setpriv` then execs the real program, so the pid, the signals Mixdeck
 * sends and the exit codes are the child's own. ffmpeg gets SIGTERM, on which it finishes the
 * recording's index; a child with nothing to save and a driver that can hang in its stop
 * handler (the PortAudio capture) gets SIGKILL.
 *
 * Where setpriv does not exist (macOS, Windows, a minimal container) the child is spawned
 * directly and the pipes are the only tie (see docs/security.md).
 */

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];

let setprivPath: string | null | undefined;

function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const candidate of SETPRIV_CANDIDATES) {
    if (isExecutable(candidate)) return (setprivPath = candidate);
  }
  return setprivPath;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the OS would find `command`; null when it would not (then Node reports ENOENT itself). */
function resolveCommand(command: string): string | null {
  if (command.includes('/')) return isExecutable(command) ? command : null;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder && isExecutable(join(folder, command))) return join(folder, command);
  }
  return null;
}

export type DeathSignal = 'TERM' | 'KILL';

/** The command line that ties `command` to this process's life (the same line where it cannot). */
export function tiedCommand(command: string, args: readonly string[], deathSignal: DeathSignal = 'TERM'): { command: string; args: string[] } {
  const setpriv = findSetpriv();
  const resolved = setpriv ? resolveCommand(command) : null;
  if (!setpriv || !resolved) return { command, args: [...args] };
  return { command: setpriv, args: ['--pdeathsig', deathSignal, '--', resolved, ...args] };
}

/**
 * A `spawn` whose children get `deathSignal` when Mixdeck ends. It has `spawn`'s own type, so
 * the stdio a caller asks for keeps its stream types.
 */
export function tiedSpawner(deathSignal: DeathSignal): typeof spawn {
  return ((command: string, argsOrOptions?: readonly string[] | SpawnOptions, options?: SpawnOptions): ChildProcess => {
    const args = Array.isArray(argsOrOptions) ? (argsOrOptions as readonly string[]) : [];
    const spawnOptions = (Array.isArray(argsOrOptions) ? options : (argsOrOptions as SpawnOptions | undefined)) ?? {};
    const tied = tiedCommand(command, args, deathSignal);
    return spawn(tied.command, tied.args, spawnOptions);
  }) as typeof spawn;
}

/** For ffmpeg: SIGTERM, on which it finishes what it writes (the recording's index) and exits. */
export const spawnTied = tiedSpawner('TERM');
