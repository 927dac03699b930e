import type { Migration } from '../migrate';

/**
 * Karaoke: a song is a library track (its audio file) flagged with the song file that holds
 * its notes or lyrics; scores are kept per track; a small key/value table holds the measured
 * microphone delay (absent until calibrated, when 140 ms is assumed).
 */
export const migration0004: Migration = {
  version: 4,
  name: 'karaoke',
  up(db) {
    db.exec(`
      ALTER TABLE tracks ADD COLUMN karaoke_song_path TEXT;
      ALTER TABLE tracks ADD COLUMN karaoke_format TEXT CHECK (karaoke_format IS NULL OR karaoke_format IN ('ultrastar', 'lrc'));
      ALTER TABLE tracks ADD COLUMN karaoke_is_duet INTEGER NOT NULL DEFAULT 0 CHECK (karaoke_is_duet IN (0, 1));
      ALTER TABLE tracks ADD COLUMN karaoke_imported_at INTEGER;
      CREATE UNIQUE INDEX tracks_karaoke_song ON tracks (karaoke_song_path) WHERE karaoke_song_path IS NOT NULL;

      CREATE TABLE karaoke_scores (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        singer_name TEXT NOT NULL CHECK (length(singer_name) BETWEEN 1 AND 60),
        difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
        voice_index INTEGER NOT NULL DEFAULT 0 CHECK (voice_index IN (0, 1)),
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10000),
        notes INTEGER NOT NULL,
        golden INTEGER NOT NULL,
        line_bonus INTEGER NOT NULL,
        line_ratings TEXT NOT NULL CHECK (json_valid(line_ratings)),
        sung_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX karaoke_scores_board ON karaoke_scores (track_id, difficulty, score DESC);

      CREATE TABLE karaoke_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
