import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines say which part of the app wrote them. */
  child(scope: string): Logger;
  readonly redactor: Redactor;
}

export interface LoggerOptions {
  /** Folder for `mixdeck.log`; omit to log to stderr only. */
  directory?: string;
  level?: LogLevel;
  /** Also echo to stderr (the CLI and development). */
  echo?: boolean;
  /** Rotate to `mixdeck.1.log` past this size. */
  maxBytes?: number;
  redactor?: Redactor;
  now?: () => Date;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** One JSON line per entry, secrets redacted before anything is written. */
export function createLogger(options: LoggerOptions = {}, scope = 'main'): Logger {
  const redactor = options.redactor ?? new Redactor();
  const minimum = LEVEL_ORDER[options.level ?? 'info'];
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  let file: string | null = null;
  if (options.directory) {
    // Logs name files and folders of the user's: only the user may read them.
    mkdirSync(options.directory, { recursive: true, mode: 0o700 });
    file = join(options.directory, 'mixdeck.log');
    for (const existing of [file, join(options.directory, 'mixdeck.1.log')]) {
      try {
        chmodSync(existing, 0o600);
      } catch {
        // Not there yet: appendFileSync creates it 0600.
      }
    }
  }

  const write = (level: LogLevel, lineScope: string, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[level] < minimum) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level, scope: lineScope, message };
    if (fields) for (const [key, value] of Object.entries(fields)) entry[key] = serialise(value);
    const line = redactor.redact(JSON.stringify(entry));
    if (file) {
      try {
        if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > maxBytes) renameSync(file, join(options.directory!, 'mixdeck.1.log'));
        appendFileSync(file, `${line}\n`, { mode: 0o600 });
      } catch {
        // A full disk must not take the app down with it; the line still goes to stderr below.
        process.stderr.write(`${line}\n`);
        return;
      }
    }
    if (options.echo || !file) process.stderr.write(`${line}\n`);
  };

  const make = (lineScope: string): Logger => ({
    debug: (message, fields) => write('debug', lineScope, message, fields),
    info: (message, fields) => write('info', lineScope, message, fields),
    warn: (message, fields) => write('warn', lineScope, message, fields),
    error: (message, fields) => write('error', lineScope, message, fields),
    child: (childScope) => make(`${lineScope}.${childScope}`),
    redactor,
  });
  return make(scope);
}
