import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { tiedSpawner } from '../media/child-lifetime';

/** What the capture process is asked to open (argv's JSON in capture-child.mjs). */
export interface CaptureRequest {
  deviceId: number;
  channelCount: number;
  sampleRate: number;
  framesPerBuffer: number;
}

/** What a launcher reports back; each `exit` or `failedToStart` comes at most once. */
export interface CaptureEvents {
  /** Raw interleaved s16le, in whatever sizes the transport delivers (not frame-aligned). */
  pcm(chunk: Uint8Array): void;
  /** The device failed, in the driver's words; the process may still be running. */
  error(message: string): void;
  /** The process could not be started at all. */
  failedToStart(message: string): void;
  /** The process ended; `reason` is e.g. "exit 1: <last stderr line>" or "SIGKILL". */
  exit(reason: string): void;
}

export interface CaptureChild {
  /** Asks the capture to stop, and kills it if it has not ended within a few seconds. */
  stop(): Promise<void>;
}

/**
 * How the capture process is started. The CLI and the web host use Node's child process (below);
 * the packaged desktop app cannot (its runAsNode fuse is off) and hands in Electron's
 * utilityProcess from src/main/electron/capture-utility.ts.
 */
export interface CaptureLauncher {
  readonly kind: 'child-process' | 'utility-process';
  launch(request: CaptureRequest, events: CaptureEvents): CaptureChild;
}

/**
 * The capture entry: capture-child.mjs beside the sources (tests, tsx), or the build's
 * capture-child.js beside the bundled main (electron.vite.config.ts makes it an entry).
 */
export function captureChildEntry(moduleUrl: string = import.meta.url): string {
  const source = fileURLToPath(new URL('./capture-child.mjs', moduleUrl));
  if (existsSync(source)) return source;
  const built = fileURLToPath(new URL('./capture-child.js', moduleUrl));
  if (existsSync(built)) return built;
  throw new Error(`The audio capture program is missing from this installation (looked for ${source} and ${built}).`);
}

// SIGKILL when main dies: naudiodon's quit() can hang the child's own stop handler for ever.
const spawnCaptureChild = tiedSpawner('KILL');
const STOP_GRACE_MS = 2500;

/** Node's child process (`setpriv --pdeathsig KILL` where it exists), PCM on fd 3, messages over IPC. */
export function childProcessCaptureLauncher(entry: () => string = () => captureChildEntry()): CaptureLauncher {
  return {
    kind: 'child-process',
    launch(request, events) {
      let child: ChildProcess | null = spawnCaptureChild(process.execPath, [entry(), JSON.stringify(request)], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
      const started = child;
      let stderr = '';
      started.stderr!.setEncoding('utf8');
      started.stderr!.on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
      started.on('message', (message: { type?: string; message?: string }) => {
        if (message?.type === 'error') events.error(message.message ?? 'unknown error');
      });
      started.once('error', (error) => events.failedToStart(error.message));
      started.once('exit', (code, signal) => {
        if (child !== started) return;
        child = null;
        const why = stderr.trim().split('\n').pop();
        events.exit(`${signal ?? `exit ${code}`}${why ? `: ${why}` : ''}`);
      });
      (started.stdio[3] as Readable).on('data', (chunk: Buffer) => events.pcm(chunk));
      return {
        async stop() {
          const running = child;
          child = null;
          if (!running || running.exitCode !== null || running.signalCode !== null) return;
          await new Promise<void>((resolve) => {
            running.once('exit', () => resolve());
            if (running.connected) running.send({ type: 'stop' });
            else running.kill('SIGTERM');
            setTimeout(() => {
              if (running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
            }, STOP_GRACE_MS).unref();
          });
        },
      };
    },
  };
}

let processLauncher: CaptureLauncher | null = null;

/**
 * The launcher this process uses: the host picks it once at start-up (the Electron glue hands in
 * the utilityProcess one; the CLI and the web host keep the default, Node's child process).
 */
export function useCaptureLauncher(launcher: CaptureLauncher | null): void {
  processLauncher = launcher;
}

export function currentCaptureLauncher(): CaptureLauncher {
  processLauncher ??= childProcessCaptureLauncher();
  return processLauncher;
}
