import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger';
import { migrate, refuseNewerSchema, type Migration, type MigrationResult } from './migrate';
import { MIGRATIONS } from './migrations';

export interface OpenedDatabase {
  readonly db: Database.Database;
  readonly migration: MigrationResult;
  /** Set when the file was unreadable and was moved aside (kept, never deleted) for a fresh one. */
  readonly movedAsideTo: string | null;
}

/** Reading the schema fails here, not later, when the file is not a database. Changes nothing. */
function checkReadable(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * The database holds the library and settings: only the user may read it. SQLite gives its
 * -wal and -shm files the database file's mode, so creating the file 0600 covers all three;
 * a file left readable by an older version is narrowed too.
 */
function makePrivate(file: string): void {
  if (file === ':memory:') return;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      chmodSync(file + suffix, 0o600);
    } catch {
      // -wal and -shm exist only while a connection has them open.
    }
  }
}

/**
 * Opens (or creates) the app database with WAL and foreign keys and runs the migrations.
 * A corrupt file is renamed to `<file>.corrupt-<time>` so nothing is lost, and a fresh one starts.
 */
export function openDatabase(
  file: string,
  logger: Logger,
  options: { migrations?: readonly Migration[]; now?: () => Date } = {},
): OpenedDatabase {
  const now = options.now ?? (() => new Date());
  const migrations = options.migrations ?? MIGRATIONS;
  const stamp = (): string => now().toISOString().replace(/[:.]/g, '-');
  let movedAsideTo: string | null = null;
  let db: Database.Database;
  makePrivate(file);
  try {
    db = new Database(file);
    checkReadable(db);
  } catch (error) {
    if (!isCorruptionError(error) || !existsSync(file)) throw error;
    movedAsideTo = `${file}.corrupt-${stamp()}`;
    logger.error('database file is unreadable; moved aside and starting a new one', { file, movedAsideTo, error });
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, movedAsideTo + suffix);
    }
    makePrivate(file);
    db = new Database(file);
    checkReadable(db);
  }
  try {
    // A file from a newer Mixdeck is refused before anything (even WAL mode) touches it.
    refuseNewerSchema(db, migrations.length);
    configure(db);
    const migration = migrate(db, migrations, (version) => `${file}.before-v${version + 1}-${stamp()}.bak`);
    if (migration.applied.length > 0) logger.info('database migrated', { ...migration });
    return { db, migration, movedAsideTo };
  } catch (error) {
    db.close();
    throw error;
  }
}
