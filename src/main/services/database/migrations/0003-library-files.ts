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
    `);
    // Search and sort indexes cover only playable tracks (every search has status = 'ok'), so a
    // count is index-only and a sorted page is one index walk; they replace 0002's full ones.
    // One per sort column in exactly the order search-sql's sortPlan asks for (a test checks it).
    db.exec(`
      DROP INDEX tracks_artist;
      DROP INDEX tracks_title;
      DROP INDEX tracks_bpm;
      DROP INDEX tracks_key;
      DROP INDEX tracks_year;
      DROP INDEX tracks_duration;
      DROP INDEX tracks_rating;
      DROP INDEX tracks_plays;
      DROP INDEX tracks_added;
      CREATE INDEX tracks_ok_title ON tracks (title COLLATE NOCASE) WHERE status = 'ok';
      CREATE INDEX tracks_ok_artist ON tracks (artist COLLATE NOCASE, album COLLATE NOCASE, disc_number, track_number) WHERE status = 'ok';
      CREATE INDEX tracks_ok_album ON tracks (album COLLATE NOCASE) WHERE status = 'ok';
      CREATE INDEX tracks_ok_genre ON tracks (genre COLLATE NOCASE) WHERE status = 'ok';
      CREATE INDEX tracks_ok_year ON tracks (year) WHERE status = 'ok';
      CREATE INDEX tracks_ok_year_known_first ON tracks ((year IS NULL), year) WHERE status = 'ok';
      CREATE INDEX tracks_ok_bpm ON tracks (bpm) WHERE status = 'ok';
      CREATE INDEX tracks_ok_bpm_known_first ON tracks ((bpm IS NULL), bpm) WHERE status = 'ok';
      CREATE INDEX tracks_ok_key_camelot ON tracks (key_camelot) WHERE status = 'ok';
      CREATE INDEX tracks_ok_key_camelot_known_first ON tracks ((key_camelot IS NULL), key_camelot) WHERE status = 'ok';
      CREATE INDEX tracks_ok_duration_sec ON tracks (duration_sec) WHERE status = 'ok';
      CREATE INDEX tracks_ok_duration_sec_known_first ON tracks ((duration_sec IS NULL), duration_sec) WHERE status = 'ok';
      CREATE INDEX tracks_ok_rating ON tracks (rating) WHERE status = 'ok';
      CREATE INDEX tracks_ok_play_count ON tracks (play_count) WHERE status = 'ok';
      CREATE INDEX tracks_ok_last_played_at ON tracks (last_played_at) WHERE status = 'ok';
      CREATE INDEX tracks_ok_last_played_at_known_first ON tracks ((last_played_at IS NULL), last_played_at) WHERE status = 'ok';
      CREATE INDEX tracks_ok_added_at ON tracks (added_at) WHERE status = 'ok';
      CREATE INDEX tracks_ok_lufs ON tracks (lufs) WHERE status = 'ok';
      CREATE INDEX tracks_ok_lufs_known_first ON tracks ((lufs IS NULL), lufs) WHERE status = 'ok';
    `);
  },
};
