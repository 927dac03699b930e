import type { Migration } from '../migrate';

export const migration0001: Migration = {
  version: 1,
  name: 'settings and secrets',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        section TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        sealed BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
