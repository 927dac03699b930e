import type { Migration } from '../migrate';

/**
 * Saved broadcast targets and the broadcast setup (audio input, video source, upload speed).
 * Stream keys are not here: they live sealed in `secrets` under `broadcast.target.<id>.streamKey`.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'broadcast',
  up(db) {
    db.exec(`
      CREATE TABLE broadcast_targets (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL CHECK (platform IN ('twitch', 'youtube', 'facebook', 'tiktok', 'kick', 'custom')),
        name TEXT NOT NULL,
        -- NULL: the preset's default ingest server.
        server TEXT,
        overrides TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(overrides)),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        position INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE broadcast_setup (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
