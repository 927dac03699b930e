import Database from 'better-sqlite3';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createLogger } from '../log/logger';
import { openDatabase } from './database';
import { schemaVersion, type Migration } from './migrate';
import { MIGRATIONS } from './migrations';

const logger = createLogger({ level: 'error' });

describe('openDatabase', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.path, 'mixdeck.db');
  });
  afterEach(() => temp.remove());

  it('creates a WAL database with foreign keys on, at the newest schema', () => {
    const { db, migration } = openDatabase(file, logger);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(migration.applied).toEqual(MIGRATIONS.map((step) => `${String(step.version).padStart(4, '0')}-${step.name}`));
    expect(migration.applied.slice(0, 2)).toEqual(['0001-settings and secrets', '0002-library']);
    expect(migration.backupPath).toBeNull();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['secrets', 'settings']));
    db.close();
  });

  it('creates the database, its WAL and SHM 0600 in a 0700 folder, and narrows a file an older version left readable', () => {
    const nested = join(temp.path, 'data', 'mixdeck.db');
    const { db } = openDatabase(nested, logger);
    db.prepare("INSERT INTO settings (section, value, updated_at) VALUES ('probe', '1', 0)").run();
    for (const suffix of ['', '-wal', '-shm']) expect(statSync(nested + suffix).mode & 0o777).toBe(0o600);
    expect(statSync(join(temp.path, 'data')).mode & 0o777).toBe(0o700);
    db.close();
    chmodSync(nested, 0o644);
    openDatabase(nested, logger).db.close();
    expect(statSync(nested).mode & 0o777).toBe(0o600);
  });

  it('runs nothing on a second start', () => {
    openDatabase(file, logger).db.close();
    const { db, migration } = openDatabase(file, logger);
    expect(migration.applied).toEqual([]);
    db.close();
  });

  it('applies only the new migrations to an older database and keeps a copy of it first', () => {
    openDatabase(file, logger).db.close();
    const extra: Migration = { version: MIGRATIONS.length + 1, name: 'notes', up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT') };
    const { db, migration } = openDatabase(file, logger, { migrations: [...MIGRATIONS, extra] });
    const latest = MIGRATIONS.length;
    expect(migration).toMatchObject({ fromVersion: latest, toVersion: latest + 1, applied: [`${String(latest + 1).padStart(4, '0')}-notes`] });
    expect(migration.backupPath && existsSync(migration.backupPath)).toBe(true);
    const backup = new Database(migration.backupPath!, { readonly: true });
    expect(schemaVersion(backup)).toBe(latest);
    backup.close();
    db.close();
  });

  it('rolls back a failing migration and leaves the version where it was', () => {
    openDatabase(file, logger).db.close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        throw new Error('disk said no');
      },
    };
    expect(() => openDatabase(file, logger, { migrations: [...MIGRATIONS, broken] })).toThrow('disk said no');
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer Mixdeck without touching it', () => {
    const newer = new Database(file);
    newer.pragma('user_version = 99');
    newer.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file, logger)).toThrow(`newer Mixdeck (schema 99; this version knows up to ${MIGRATIONS.length})`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('moves a corrupt file aside (never deletes it) and starts a fresh database', () => {
    writeFileSync(file, 'this is not a database, it is a shopping list '.repeat(200));
    const logDir = join(temp.path, 'logs');
    const { db, movedAsideTo } = openDatabase(file, createLogger({ directory: logDir }), { now: () => new Date('2026-11-23T10:00:00Z') });
    expect(readFileSync(join(logDir, 'mixdeck.log'), 'utf8')).toContain('moved aside');
    expect(movedAsideTo).toBe(`${file}.corrupt-2026-11-23T10-00-00-000Z`);
    expect(readFileSync(movedAsideTo!, 'utf8')).toContain('shopping list');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(readdirSync(temp.path).filter((name) => name.includes('corrupt'))).toHaveLength(1);
    expect(readdirSync(temp.path)).toContain('logs');
    db.close();
  });
});
