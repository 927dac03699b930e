import type { Migration } from '../migrate';

/**
 * What the scanner, the player and the search need beyond 0002: skips, the extracted cover's
 * file, the waveform overview, smart playlists' sort, the outcome of each history entry, and
 * covering indexes so every search filter answers a 100,000-track library in milliseconds.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'library-files',
  up(db) {
    db.exec(`
      ALTER TABLE tracks ADD COLUMN skip_count INTEGER NOT NULL DEFAULT 0;
      -- The cover extracted at scan time, a file name inside <data>/covers (content hash, shared by an album).
      ALTER TABLE tracks ADD COLUMN cover_file TEXT;
      -- Waveform overview as little-endian float32: min[n], max[n], rms[n].
      ALTER TABLE tracks ADD COLUMN waveform BLOB;
      ALTER TABLE tracks ADD COLUMN waveform_buckets INTEGER;

      ALTER TABLE playlists ADD COLUMN smart_sort TEXT;
      ALTER TABLE playlists ADD COLUMN smart_descending INTEGER NOT NULL DEFAULT 0 CHECK (smart_descending IN (0, 1));

      ALTER TABLE play_history ADD COLUMN outcome TEXT NOT NULL DEFAULT 'played' CHECK (outcome IN ('played', 'skipped'));

      CREATE INDEX tracks_status ON tracks (status);
    `);
  },
};
