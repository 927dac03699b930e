import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore, type AppCore } from './app-core';
import { defaultDataDir, RENDERER_DIR } from './paths';
import { startWebHost, type WebHost } from './host/web-host';
import { describeFatalError, installFatalErrorGuard } from './host/process-guard';
import { isMixdeckError, MixdeckError } from '../shared/contract';
import { processIo, type CliIo as Io } from './cli/io';
import { runKaraokeScore } from './cli/karaoke-score';
import { runBroadcast } from './cli/broadcast';
import { runLibrary } from './cli/library';
import { runStudio } from './cli/studio';
import { runMidi } from './cli/midi';

const HELP = `Mixdeck — live music, from the command line

Usage: mixdeck <command> [options]

Commands:
  web              Serve the Mixdeck app to a browser on this computer (127.0.0.1)
      --port N         port to listen on (default 7380; a free one is used if it is taken)
      --data-dir DIR   where the library, settings and logs live (default: ${defaultDataDir()})
  broadcast        Go live to several platforms at once and record the set (mixdeck broadcast --help)
  library scan     Scan music folders into a library database (mixdeck library --help)
  library search   Search a library database
  karaoke score    Score a recorded vocal against an UltraStar song (mixdeck karaoke score --help)
  studio render    Render a studio project or a MIDI file to WAV (mixdeck studio --help)
  midi             MIDI controllers: import a Mixxx mapping, replay a recorded stream (mixdeck midi --help)

Options:
  -h, --help       show this help
  -v, --version    show the version

Environment:
  MIXDECK_DATA_DIR   default for --data-dir
`;

const DEFAULT_WEB_PORT = 7380;

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
  // An error nothing caught ends a live set properly (core.close ends it) and exits non-zero.
  const guard = installFatalErrorGuard({
    report: (kind, error) => {
      core.logger.error(`stopping after an ${kind}`, { error });
      io.err(`mixdeck web: stopping after an unexpected error (${core.logger.redactor.redact(describeFatalError(error))}). The details are in the log in ${dataDir}.`);
    },
    reportCleanUpFailure: (error) => core.logger.error('did not stop cleanly', { error }),
  });
  guard.onFatal(() => core.close());
  let host;
  try {
    host = await listenOrExplain(core, port, values.port === undefined, io, webSessionToken(dataDir));
  } catch (error) {
    guard.dispose();
    await core.close();
    throw error;
  }
  guard.onFatal(() => host.close());
  // The launch address carries the session key: it goes to this terminal only, never to the log.
  io.out(`Mixdeck is running at ${host.launchUrl}`);
  io.out(`Data folder: ${dataDir}. Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  guard.dispose();
  await host.close();
  await core.close();
  return 0;
}

/**
 * The web host's session key for this data folder, kept in a file only this user can read, so
 * a restarted `mixdeck web` still accepts the pages (and their cookie) it served before.
 */
function webSessionToken(dataDir: string): string {
  const file = join(dataDir, 'web-session.key');
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(saved)) return saved;
  } catch {
    // none yet: made below
  }
  const token = randomBytes(32).toString('hex');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/** Starts the web host; the default port falls back to a free one, a chosen port that is taken is said in words. */
async function listenOrExplain(core: AppCore, port: number, portIsDefault: boolean, io: Io, sessionToken: string): Promise<WebHost> {
  try {
    return await startWebHost({ ...core, staticDir: RENDERER_DIR, port, sessionToken });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (!portIsDefault) throw new MixdeckError('unavailable', `Port ${port} on 127.0.0.1 is already in use by another program. Stop that program, or choose another port with --port (0 picks a free one).`);
    io.err(`Port ${port} is in use; using a free one instead.`);
    return startWebHost({ ...core, staticDir: RENDERER_DIR, port: 0, sessionToken });
  }
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
      case 'broadcast':
        return await runBroadcast(rest, io);
      case 'library':
        return await runLibrary(rest, io);
      case 'studio':
        return await runStudio(rest, io);
      case 'midi':
        return await runMidi(rest, io);
      case 'karaoke':
        if (rest[0] === 'score') return await runKaraokeScore(rest.slice(1), io);
        io.err(`mixdeck karaoke: unknown command "${rest[0] ?? ''}". Try "mixdeck karaoke score --help".`);
        return 2;
      default:
        io.err(`mixdeck: unknown command "${command}". Run "mixdeck --help" for the list.`);
        return 2;
    }
  } catch (error) {
    const isUsage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
    const isBadInput = isMixdeckError(error) && error.code === 'invalid-input';
    io.err(`mixdeck ${command}: ${(error as Error).message ?? String(error)}`);
    return isUsage || isBadInput ? 2 : 1;
  }
}
