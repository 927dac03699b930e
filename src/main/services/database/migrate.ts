import { chmodSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { MixdeckError } from '../../../shared/contract';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export interface MigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly applied: readonly string[];
  /** Where the pre-migration copy was written, if the database already held data. */
  readonly backupPath: string | null;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function refuseNewerSchema(db: Database.Database, latest: number): void {
  const version = schemaVersion(db);
  if (version > latest) {
    throw new MixdeckError(
      'conflict',
      `This library was saved by a newer Mixdeck (schema ${version}; this version knows up to ${latest}). Update Mixdeck to open it; the file was not changed.`,
    );
  }
}

/**
 * Brings the database up to the newest schema, one numbered migration per transaction.
 * A database that already holds data is copied first, so a failed or unwanted upgrade loses nothing.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], backupPathFor: (version: number) => string | null): MigrationResult {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered 1, 2, 3…; found ${migration.version} at position ${index + 1}.`);
  });
  const latest = ordered.length;
  refuseNewerSchema(db, latest);
  const fromVersion = schemaVersion(db);
  if (fromVersion === latest) return { fromVersion, toVersion: latest, applied: [], backupPath: null };

  let backupPath: string | null = null;
  if (fromVersion > 0) {
    backupPath = backupPathFor(fromVersion);
    if (backupPath) {
      db.prepare('VACUUM INTO ?').run(backupPath);
      // A copy of the library is as private as the library.
      chmodSync(backupPath, 0o600);
    }
  }
  const applied: string[] = [];
  for (const migration of ordered.slice(fromVersion)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`);
  }
  return { fromVersion, toVersion: latest, applied, backupPath };
}
