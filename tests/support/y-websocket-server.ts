import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * The reference collaboration server, @y/websocket-server@0.1.1's own `src/server.js`, started
 * as a child process on 127.0.0.1 (a free port) exactly as a user would self-host it:
 * `HOST=127.0.0.1 PORT=1234 npx y-websocket`. `stop()` ends it by its pid and waits for it.
 */
export interface YWebsocketServer {
  readonly port: number;
  /** ws://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No free port on 127.0.0.1.');
  return address.port;
}

export async function startYWebsocketServer(): Promise<YWebsocketServer> {
  const require = createRequire(import.meta.url);
  const script = join(dirname(require.resolve('@y/websocket-server/package.json')), 'src', 'server.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [script], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The y-websocket server did not start within 10 s: ${output}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The y-websocket server exited (${code}): ${output}`));
    });
  });
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
