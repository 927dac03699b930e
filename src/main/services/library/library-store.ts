import type Database from 'better-sqlite3';
import { isAbsolute, resolve } from 'node:path';
import {
  MixdeckError,
  type CuePoint,
  type HistoryEntry,
  type LibraryFolder,
  type LibrarySortColumn,
  type TrackDetails,
  type TrackSummary,
} from '../../../shared/contract';
import { SUMMARY_COLUMNS, toSummary, TrackSearch, type TrackSearchResult } from './track-search';
import { decodeWaveform } from './waveform-blob';

/** Where a page loads a track's audio and cover; the transport decides (web path or Electron scheme). */
export type MediaUrlBuilder = (kind: 'track' | 'cover', trackId: number) => string;

interface TrackRow {
  [column: string]: unknown;
}

/**
 * The library's reads and writes that are not scanning: search, track details, folders,
 * ratings, likes, history and cue points. Playlists live in PlaylistStore.
 */
export class LibraryStore {
  readonly search: TrackSearch;

  constructor(
    readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.search = new TrackSearch(db);
  }

  searchTracks(request: { query: string; sort: LibrarySortColumn; descending: boolean; offset: number; limit: number }): TrackSearchResult {
    return this.search.search(request);
  }

  summary(trackId: number): TrackSummary {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tracks t WHERE t.id = ?`).get(trackId);
    if (!row) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
    return toSummary(row);
  }

  details(trackId: number, mediaUrl: MediaUrlBuilder): TrackDetails {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, t.* FROM tracks t WHERE t.id = ?`).get(trackId) as TrackRow | undefined;
    if (!row) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
    const summary = toSummary(row);
    const num = (column: string): number | null => (typeof row[column] === 'number' ? (row[column] as number) : null);
    const text = (column: string): string | null => (typeof row[column] === 'string' ? (row[column] as string) : null);
    const albumLufs =
      summary.album === ''
        ? summary.lufs
        : ((this.db
            .prepare(
              `SELECT avg(lufs) FROM tracks WHERE album = ? COLLATE NOCASE AND (CASE WHEN album_artist <> '' THEN album_artist ELSE artist END) = ? COLLATE NOCASE AND lufs IS NOT NULL AND status = 'ok'`,
            )
            .pluck()
            .get(summary.album, text('album_artist') || summary.artist) as number | null) ?? null);
    const waveformBlob = row['waveform'];
    const buckets = num('waveform_buckets');
    const waveform =
      waveformBlob instanceof Buffer && buckets !== null && buckets > 0 && summary.durationSec !== null
        ? { bucketCount: buckets, bucketSec: summary.durationSec / buckets, ...decodeWaveform(waveformBlob, buckets) }
        : null;
    return {
      ...summary,
      status: row['status'] as TrackDetails['status'],
      statusReason: text('status_reason'),
      albumArtist: text('album_artist') ?? '',
      discNumber: num('disc_number'),
      codec: text('codec'),
      sampleRate: num('sample_rate'),
      channels: num('channels'),
      bitrateKbps: num('bitrate_kbps'),
      fileSizeBytes: num('file_size') ?? 0,
      encoderDelaySamples: num('encoder_delay_samples'),
      encoderPaddingSamples: num('encoder_padding_samples'),
      bpmConfidence: num('bpm_confidence'),
      keyConfidence: num('key_confidence'),
      replayGain: {
        trackGainDb: num('replaygain_track_gain_db'),
        trackPeak: num('replaygain_track_peak'),
        albumGainDb: num('replaygain_album_gain_db'),
        albumPeak: num('replaygain_album_peak'),
      },
      albumLufs,
      lyrics: text('lyrics') ?? '',
      syncedLyrics: text('synced_lyrics'),
      waveform,
      cuePoints: this.cuePoints(trackId),
      audioUrl: mediaUrl('track', trackId),
      coverUrl: summary.hasCover ? mediaUrl('cover', trackId) : null,
      coverMime: text('cover_mime'),
      addedAt: num('added_at') ?? 0,
      analysedAt: num('analysed_at'),
    };
  }

  browse(by: 'artist' | 'album' | 'genre', offset: number, limit: number): { total: number; items: { name: string; artist: string | null; trackCount: number }[] } {
    const source =
      by === 'artist'
        ? `SELECT name, NULL AS artist, track_count AS trackCount FROM artists`
        : by === 'album'
          ? `SELECT title AS name, artist, track_count AS trackCount FROM albums`
          : `SELECT genre AS name, NULL AS artist, count(*) AS trackCount FROM tracks WHERE genre <> '' AND status = 'ok' GROUP BY genre COLLATE NOCASE`;
    const total = this.db.prepare(`SELECT count(*) FROM (${source})`).pluck().get() as number;
    const items = this.db.prepare(`${source} ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?`).all(limit, offset) as {
      name: string;
      artist: string | null;
      trackCount: number;
    }[];
    return { total, items };
  }

  // ---- folders

  folders(): LibraryFolder[] {
    const rows = this.db
      .prepare(
        `SELECT f.id, f.path, f.watching, f.added_at AS addedAt,
                (SELECT count(*) FROM tracks t WHERE t.folder_id = f.id AND t.status = 'ok') AS trackCount
         FROM library_folders f ORDER BY f.path`,
      )
      .all() as (Omit<LibraryFolder, 'watching'> & { watching: number })[];
    return rows.map((row) => ({ ...row, watching: row.watching === 1 }));
  }

  /** Adds a folder (an absolute path; the caller has checked it is a readable directory). */
  addFolder(path: string): LibraryFolder {
    if (!isAbsolute(path)) throw new MixdeckError('invalid-input', `"${path}" is not a full path; give the folder's absolute path.`);
    const normalised = resolve(path);
    const overlapping = this.folders().find((folder) => normalised.startsWith(folder.path + '/') || folder.path.startsWith(normalised + '/'));
    if (overlapping) {
      throw new MixdeckError('conflict', `"${normalised}" overlaps the library folder "${overlapping.path}"; add one or the other.`);
    }
    this.db.prepare('INSERT INTO library_folders (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING').run(normalised, this.now());
    return this.folders().find((folder) => folder.path === normalised)!;
  }

  removeFolder(id: number): number {
    const exists = this.db.prepare('SELECT 1 FROM library_folders WHERE id = ?').get(id);
    if (!exists) throw new MixdeckError('not-found', `There is no library folder ${id}.`);
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM tracks WHERE folder_id = ?').run(id).changes;
      this.db.prepare('DELETE FROM library_folders WHERE id = ?').run(id);
      return removed;
    })();
  }

  unreadable(offset: number, limit: number): { total: number; files: { path: string; reason: string }[] } {
    const total = this.db.prepare(`SELECT count(*) FROM tracks WHERE status = 'unreadable'`).pluck().get() as number;
    const files = this.db
      .prepare(`SELECT path, coalesce(status_reason, 'unreadable') AS reason FROM tracks WHERE status = 'unreadable' ORDER BY path LIMIT ? OFFSET ?`)
      .all(limit, offset) as { path: string; reason: string }[];
    return { total, files };
  }

  // ---- ratings, likes, history, cue points

  rate(trackId: number, rating: number): TrackSummary {
    this.requireTrack(trackId);
    this.db.prepare('UPDATE tracks SET rating = ? WHERE id = ?').run(rating, trackId);
    return this.summary(trackId);
  }

  like(trackId: number, liked: boolean): TrackSummary {
    this.requireTrack(trackId);
    this.db.prepare('UPDATE tracks SET liked = ? WHERE id = ?').run(liked ? 1 : 0, trackId);
    return this.summary(trackId);
  }

  recordPlay(trackId: number, outcome: 'played' | 'skipped', playedSec: number, context?: string): { playCount: number; skipCount: number } {
    this.requireTrack(trackId);
    const at = this.now();
    return this.db.transaction(() => {
      this.db.prepare('INSERT INTO play_history (track_id, played_at, played_sec, context, outcome) VALUES (?, ?, ?, ?, ?)').run(trackId, at, playedSec, context ?? null, outcome);
      if (outcome === 'played') this.db.prepare('UPDATE tracks SET play_count = play_count + 1, last_played_at = ? WHERE id = ?').run(at, trackId);
      else this.db.prepare('UPDATE tracks SET skip_count = skip_count + 1 WHERE id = ?').run(trackId);
      return this.db.prepare('SELECT play_count AS playCount, skip_count AS skipCount FROM tracks WHERE id = ?').get(trackId) as { playCount: number; skipCount: number };
    })();
  }

  history(offset: number, limit: number): { total: number; rows: HistoryEntry[] } {
    const total = this.db.prepare('SELECT count(*) FROM play_history').pluck().get() as number;
    const rows = this.db
      .prepare(
        `SELECT h.id, h.track_id AS trackId, t.title, t.artist, h.played_at AS playedAt, h.played_sec AS playedSec, h.outcome
         FROM play_history h JOIN tracks t ON t.id = h.track_id ORDER BY h.played_at DESC, h.id DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as HistoryEntry[];
    return { total, rows };
  }

  cuePoints(trackId: number): CuePoint[] {
    return this.db
      .prepare(
        `SELECT kind, slot, position_sec AS positionSec, end_sec AS endSec, label, color FROM cue_points WHERE track_id = ? ORDER BY position_sec, id`,
      )
      .all(trackId) as CuePoint[];
  }

  saveCuePoints(trackId: number, cuePoints: readonly CuePoint[]): CuePoint[] {
    this.requireTrack(trackId);
    for (const cue of cuePoints) {
      if (cue.kind === 'loop' && !(cue.endSec !== null && cue.endSec > cue.positionSec)) {
        throw new MixdeckError('invalid-input', `A loop must end after it starts (loop at ${cue.positionSec.toFixed(2)} s).`);
      }
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cue_points WHERE track_id = ?').run(trackId);
      const insert = this.db.prepare('INSERT INTO cue_points (track_id, kind, slot, position_sec, end_sec, label, color) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const cue of cuePoints) insert.run(trackId, cue.kind, cue.slot, cue.positionSec, cue.kind === 'loop' ? cue.endSec : null, cue.label, cue.color);
    })();
    return this.cuePoints(trackId);
  }

  requireTrack(trackId: number): void {
    if (!this.db.prepare('SELECT 1 FROM tracks WHERE id = ?').get(trackId)) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
  }
}
