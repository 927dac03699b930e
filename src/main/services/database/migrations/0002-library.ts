import type { Migration } from '../migrate';

/**
 * The library: tracks (with tags, analysis and play data), folders, playlists and crates,
 * play history, cue points, the scan queue that lets an interrupted scan resume, and a
 * full-text index over artist, title, album, genre and lyrics kept in step by triggers.
 * Albums and artists are views over tracks, so they can never disagree with them.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'library',
  up(db) {
    db.exec(`
      CREATE TABLE library_folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at INTEGER NOT NULL,
        watching INTEGER NOT NULL DEFAULT 1 CHECK (watching IN (0, 1))
      ) STRICT;

      CREATE TABLE tracks (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        folder_id INTEGER REFERENCES library_folders(id) ON DELETE CASCADE,
        kind TEXT NOT NULL DEFAULT 'music' CHECK (kind IN ('music', 'karaoke')),
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'unreadable', 'missing')),
        status_reason TEXT,
        file_size INTEGER NOT NULL DEFAULT 0,
        file_mtime_ms INTEGER NOT NULL DEFAULT 0,
        fingerprint TEXT,
        title TEXT NOT NULL DEFAULT '',
        artist TEXT NOT NULL DEFAULT '',
        album TEXT NOT NULL DEFAULT '',
        album_artist TEXT NOT NULL DEFAULT '',
        genre TEXT NOT NULL DEFAULT '',
        year INTEGER,
        track_number INTEGER,
        disc_number INTEGER,
        duration_sec REAL,
        codec TEXT,
        sample_rate INTEGER,
        channels INTEGER,
        bitrate_kbps REAL,
        encoder_delay_samples INTEGER,
        encoder_padding_samples INTEGER,
        bpm REAL,
        bpm_confidence REAL,
        key_camelot TEXT,
        key_name TEXT,
        key_confidence REAL,
        lufs REAL,
        true_peak_dbtp REAL,
        replaygain_track_gain_db REAL,
        replaygain_track_peak REAL,
        replaygain_album_gain_db REAL,
        replaygain_album_peak REAL,
        cover_mime TEXT,
        lyrics TEXT NOT NULL DEFAULT '',
        synced_lyrics TEXT,
        rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
        liked INTEGER NOT NULL DEFAULT 0 CHECK (liked IN (0, 1)),
        play_count INTEGER NOT NULL DEFAULT 0,
        last_played_at INTEGER,
        added_at INTEGER NOT NULL,
        scanned_at INTEGER,
        analysed_at INTEGER
      ) STRICT;
      CREATE INDEX tracks_artist ON tracks (artist COLLATE NOCASE, album COLLATE NOCASE, disc_number, track_number);
      CREATE INDEX tracks_title ON tracks (title COLLATE NOCASE);
      CREATE INDEX tracks_bpm ON tracks (bpm);
      CREATE INDEX tracks_key ON tracks (key_camelot);
      CREATE INDEX tracks_year ON tracks (year);
      CREATE INDEX tracks_duration ON tracks (duration_sec);
      CREATE INDEX tracks_rating ON tracks (rating);
      CREATE INDEX tracks_plays ON tracks (play_count);
      CREATE INDEX tracks_added ON tracks (added_at);
      CREATE INDEX tracks_folder ON tracks (folder_id);
      CREATE INDEX tracks_fingerprint ON tracks (fingerprint);

      CREATE VIRTUAL TABLE tracks_fts USING fts5(
        title, artist, album, genre, lyrics,
        content = 'tracks', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
      );
      CREATE TRIGGER tracks_fts_insert AFTER INSERT ON tracks BEGIN
        INSERT INTO tracks_fts (rowid, title, artist, album, genre, lyrics) VALUES (new.id, new.title, new.artist, new.album, new.genre, new.lyrics);
      END;
      CREATE TRIGGER tracks_fts_delete AFTER DELETE ON tracks BEGIN
        INSERT INTO tracks_fts (tracks_fts, rowid, title, artist, album, genre, lyrics) VALUES ('delete', old.id, old.title, old.artist, old.album, old.genre, old.lyrics);
      END;
      CREATE TRIGGER tracks_fts_update AFTER UPDATE OF title, artist, album, genre, lyrics ON tracks BEGIN
        INSERT INTO tracks_fts (tracks_fts, rowid, title, artist, album, genre, lyrics) VALUES ('delete', old.id, old.title, old.artist, old.album, old.genre, old.lyrics);
        INSERT INTO tracks_fts (rowid, title, artist, album, genre, lyrics) VALUES (new.id, new.title, new.artist, new.album, new.genre, new.lyrics);
      END;

      CREATE VIEW artists AS
        SELECT artist AS name, count(*) AS track_count, count(DISTINCT album) AS album_count
        FROM tracks WHERE artist <> '' AND status = 'ok' GROUP BY artist COLLATE NOCASE;
      CREATE VIEW albums AS
        SELECT album AS title, CASE WHEN album_artist <> '' THEN album_artist ELSE artist END AS artist,
               min(year) AS year, count(*) AS track_count, sum(duration_sec) AS duration_sec
        FROM tracks WHERE album <> '' AND status = 'ok'
        GROUP BY album COLLATE NOCASE, CASE WHEN album_artist <> '' THEN album_artist ELSE artist END COLLATE NOCASE;

      CREATE TABLE playlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind TEXT NOT NULL CHECK (kind IN ('playlist', 'crate', 'smart')),
        smart_query TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK ((kind = 'smart') = (smart_query IS NOT NULL))
      ) STRICT;
      CREATE TABLE playlist_tracks (
        id INTEGER PRIMARY KEY,
        playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        UNIQUE (playlist_id, position)
      ) STRICT;
      CREATE INDEX playlist_tracks_track ON playlist_tracks (track_id);

      CREATE TABLE play_history (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        played_at INTEGER NOT NULL,
        played_sec REAL NOT NULL DEFAULT 0,
        context TEXT
      ) STRICT;
      CREATE INDEX play_history_track ON play_history (track_id, played_at);
      CREATE INDEX play_history_time ON play_history (played_at);

      CREATE TABLE cue_points (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('cue', 'hot', 'loop')),
        slot INTEGER,
        position_sec REAL NOT NULL CHECK (position_sec >= 0),
        end_sec REAL,
        label TEXT NOT NULL DEFAULT '',
        color TEXT,
        CHECK (kind <> 'loop' OR end_sec > position_sec)
      ) STRICT;
      CREATE INDEX cue_points_track ON cue_points (track_id);

      CREATE TABLE scan_jobs (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
        roots TEXT NOT NULL CHECK (json_valid(roots))
      ) STRICT;
      CREATE TABLE scan_queue (
        job_id INTEGER NOT NULL REFERENCES scan_jobs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        reason TEXT,
        PRIMARY KEY (job_id, path)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
