import type { Readable } from 'node:stream';
import type { UtilityProcess, utilityProcess } from 'electron';
import { captureChildEntry, type CaptureLauncher } from '../services/audio-io/capture-launcher';

const STOP_GRACE_MS = 2500;

/** What the glue needs of Electron's `utilityProcess` module (the recorder stands in for it in tests). */
export type UtilityProcessModule = Pick<typeof utilityProcess, 'fork'>;

interface CaptureMessage {
  type?: string;
  message?: string;
  data?: unknown;
}

/**
 * The capture process of the desktop app: a packaged build has the runAsNode fuse off, so
 * Node's child process of Electron's own binary is not possible; a utilityProcess is (a Node
 * process Chromium starts and ends with the app). The PCM comes over its message port as
 * ArrayBuffers, the device's errors as messages, and stderr's last line explains an exit.
 */
export function utilityProcessCaptureLauncher(utility: UtilityProcessModule, entry: () => string = () => captureChildEntry()): CaptureLauncher {
  return {
    kind: 'utility-process',
    launch(request, events) {
      let child: UtilityProcess | null = utility.fork(entry(), [JSON.stringify(request)], {
        serviceName: 'Mixdeck audio capture',
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const started = child;
      let exited = false;
      let stderr = '';
      const stderrStream = started.stderr as Readable | null;
      stderrStream?.setEncoding('utf8');
      stderrStream?.on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
      started.on('message', (message: CaptureMessage) => {
        if (message?.type === 'pcm') {
          if (message.data instanceof ArrayBuffer) events.pcm(new Uint8Array(message.data));
          else if (ArrayBuffer.isView(message.data)) events.pcm(new Uint8Array(message.data.buffer, message.data.byteOffset, message.data.byteLength));
        } else if (message?.type === 'error') events.error(message.message ?? 'unknown error');
      });
      started.once('exit', (code: number) => {
        exited = true;
        if (child !== started) return;
        child = null;
        const why = stderr.trim().split('\n').pop();
        events.exit(`exit ${code}${why ? `: ${why}` : ''}`);
      });
      return {
        async stop() {
          const running = child;
          child = null;
          if (!running || exited) return;
          await new Promise<void>((resolve) => {
            running.once('exit', () => resolve());
            running.postMessage({ type: 'stop' });
            // utilityProcess.kill() is the only signal there is (SIGTERM on POSIX).
            setTimeout(() => {
              if (!exited) running.kill();
            }, STOP_GRACE_MS).unref();
          });
        },
      };
    },
  };
}
