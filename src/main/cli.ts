import { parseArgs } from 'node:util';
import { createAppCore } from './app-core';
import { defaultDataDir, RENDERER_DIR } from './paths';
import { startWebHost } from './host/web-host';
import { isMixdeckError } from '../shared/contract';

const HELP = `Mixdeck — live music, from the command line

Usage: mixdeck <command> [options]

Commands:
  web              Serve the Mixdeck app to a browser on this computer (127.0.0.1)
      --port N         port to listen on (default 7380; a free one is used if it is taken)
      --data-dir DIR   where the library, settings and logs live (default: ${defaultDataDir()})

Options:
  -h, --help       show this help
  -v, --version    show the version

Environment:
  MIXDECK_DATA_DIR   default for --data-dir
`;

const DEFAULT_WEB_PORT = 7380;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function parsePort(value: string | undefined): number | null {
  if (value === undefined) return DEFAULT_WEB_PORT;
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
}

async function runWeb(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const port = parsePort(values.port);
  if (port === null) {
    io.err(`mixdeck web: --port must be a whole number from 0 to 65535, not "${values.port}".`);
    return 2;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const core = await createAppCore({ dataDir, transport: 'web' });
  let host;
  try {
    host = await startWebHost({ ...core, staticDir: RENDERER_DIR, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || values.port !== undefined) throw error;
    io.err(`Port ${port} is in use; using a free one instead.`);
    host = await startWebHost({ ...core, staticDir: RENDERER_DIR, port: 0 });
  }
  io.out(`Mixdeck is running at ${host.url}`);
  io.out(`Data folder: ${dataDir}. Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await core.close();
  return 0;
}

/** Runs one CLI command and answers with the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version': {
        const { createRequire } = await import('node:module');
        io.out((createRequire(import.meta.url)('../../package.json') as { version: string }).version);
        return 0;
      }
      case 'web':
        return await runWeb(rest, io);
      default:
        io.err(`mixdeck: unknown command "${command}". Run "mixdeck --help" for the list.`);
        return 2;
    }
  } catch (error) {
    if (isMixdeckError(error)) io.err(`mixdeck ${command}: ${error.message}`);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) io.err(`mixdeck ${command}: ${(error as Error).message}`);
    else io.err(`mixdeck ${command}: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
