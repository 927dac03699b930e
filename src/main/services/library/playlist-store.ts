import type Database from 'better-sqlite3';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { MixdeckError, type LibrarySortColumn, type Playlist, type PlaylistEntry } from '../../../shared/contract';
import { SUMMARY_COLUMNS, toSummary, type TrackSearch } from './track-search';

interface PlaylistRow {
  id: number;
  name: string;
  kind: Playlist['kind'];
  smartQuery: string | null;
  smartSort: LibrarySortColumn | null;
  smartDescending: number;
  position: number;
  updatedAt: number;
}

/** The track ids of an M3U/M3U8 text's entries, resolved against a folder; comments and #EXT lines skipped. */
export function parseM3u(text: string, baseDir: string | null): string[] {
  const paths: string[] = [];
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    let path = line;
    if (/^file:\/\//i.test(path)) {
      try {
        path = decodeURIComponent(new URL(path).pathname);
      } catch {
        continue;
      }
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      continue; // a stream URL: not a library file
    }
    path = path.replace(/\\/g, '/');
    if (!isAbsolute(path)) {
      if (baseDir === null) continue;
      path = resolve(baseDir, path);
    }
    paths.push(resolve(path));
  }
  return paths;
}

/** Playlists, crates and smart playlists (a saved search). */
export class PlaylistStore {
  constructor(
    private readonly db: Database.Database,
    private readonly search: TrackSearch,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Playlist[] {
    const rows = this.db.prepare(`${this.selectPlaylist()} ORDER BY p.position, p.id`).all() as PlaylistRow[];
    return rows.map((row) => this.toPlaylist(row));
  }

  get(id: number): Playlist {
    const row = this.db.prepare(`${this.selectPlaylist()} WHERE p.id = ?`).get(id) as PlaylistRow | undefined;
    if (!row) throw new MixdeckError('not-found', `There is no playlist ${id}.`);
    return this.toPlaylist(row);
  }

  create(name: string, kind: 'playlist' | 'crate', trackIds: readonly number[] = []): Playlist {
    const id = this.db.transaction(() => {
      const at = this.now();
      const position = this.db.prepare('SELECT coalesce(max(position) + 1, 0) FROM playlists').pluck().get() as number;
      const created = Number(this.db.prepare('INSERT INTO playlists (name, kind, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(name, kind, position, at, at).lastInsertRowid);
      if (trackIds.length > 0) this.insertTracks(created, trackIds, null);
      return created;
    })();
    return this.get(id);
  }

  createSmart(name: string, query: string, sort: LibrarySortColumn, descending: boolean): Playlist {
    const problems = this.search.page({ query, limit: 1 }).problems;
    if (problems.length > 0) throw new MixdeckError('invalid-input', `The search cannot be saved: ${problems.join(' ')}`);
    const at = this.now();
    const position = this.db.prepare('SELECT coalesce(max(position) + 1, 0) FROM playlists').pluck().get() as number;
    const id = Number(
      this.db
        .prepare(`INSERT INTO playlists (name, kind, smart_query, smart_sort, smart_descending, position, created_at, updated_at) VALUES (?, 'smart', ?, ?, ?, ?, ?, ?)`)
        .run(name, query, sort, descending ? 1 : 0, position, at, at).lastInsertRowid,
    );
    return this.get(id);
  }

  update(id: number, change: { name?: string; query?: string; sort?: LibrarySortColumn; descending?: boolean }): Playlist {
    const playlist = this.get(id);
    if ((change.query !== undefined || change.sort !== undefined || change.descending !== undefined) && playlist.kind !== 'smart') {
      throw new MixdeckError('invalid-input', `"${playlist.name}" is not a smart playlist, so it has no search to change.`);
    }
    if (change.query !== undefined) {
      const problems = this.search.page({ query: change.query, limit: 1 }).problems;
      if (problems.length > 0) throw new MixdeckError('invalid-input', `The search cannot be saved: ${problems.join(' ')}`);
    }
    this.db
      .prepare(
        `UPDATE playlists SET name = coalesce(?, name), smart_query = coalesce(?, smart_query), smart_sort = coalesce(?, smart_sort),
         smart_descending = coalesce(?, smart_descending), updated_at = ? WHERE id = ?`,
      )
      .run(change.name ?? null, change.query ?? null, change.sort ?? null, change.descending === undefined ? null : change.descending ? 1 : 0, this.now(), id);
    return this.get(id);
  }

  delete(id: number): void {
    if (this.db.prepare('DELETE FROM playlists WHERE id = ?').run(id).changes === 0) throw new MixdeckError('not-found', `There is no playlist ${id}.`);
  }

  reorder(ids: readonly number[]): Playlist[] {
    const existing = (this.db.prepare('SELECT id FROM playlists').pluck().all() as number[]).sort((a, b) => a - b);
    const given = [...ids].sort((a, b) => a - b);
    if (existing.length !== given.length || existing.some((id, index) => id !== given[index])) {
      throw new MixdeckError('invalid-input', 'Give every playlist id exactly once to reorder them.');
    }
    const update = this.db.prepare('UPDATE playlists SET position = ? WHERE id = ?');
    this.db.transaction(() => ids.forEach((id, index) => update.run(index, id)))();
    return this.list();
  }

  entries(id: number, offset: number, limit: number): { total: number; rows: PlaylistEntry[] } {
    const playlist = this.get(id);
    if (playlist.kind === 'smart') {
      const result = this.search.search({ query: playlist.smartQuery ?? '', sort: playlist.smartSort ?? 'artist', descending: playlist.smartDescending, offset, limit });
      return { total: result.total, rows: result.rows.map((row, index) => ({ ...row, entryId: null, position: offset + index })) };
    }
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS}, e.id AS entryId, e.position AS position FROM playlist_tracks e JOIN tracks t ON t.id = e.track_id
         WHERE e.playlist_id = ? ORDER BY e.position LIMIT ? OFFSET ?`,
      )
      .all(id, limit, offset) as (Record<string, unknown> & { entryId: number; position: number })[];
    return {
      total: playlist.trackCount,
      rows: rows.map((row, index) => ({ ...toSummary(row), entryId: row.entryId, position: offset + index })),
    };
  }

  addTracks(id: number, trackIds: readonly number[], atIndex: number | null): Playlist {
    this.requireEditable(id);
    this.db.transaction(() => this.insertTracks(id, trackIds, atIndex))();
    return this.get(id);
  }

  removeEntries(id: number, entryIds: readonly number[]): Playlist {
    this.requireEditable(id);
    this.db.transaction(() => {
      const remove = this.db.prepare('DELETE FROM playlist_tracks WHERE playlist_id = ? AND id = ?');
      for (const entryId of entryIds) remove.run(id, entryId);
      this.renumber(id, this.entryIds(id));
    })();
    return this.get(id);
  }

  moveEntries(id: number, entryIds: readonly number[], toIndex: number): Playlist {
    this.requireEditable(id);
    this.db.transaction(() => {
      const order = this.entryIds(id);
      const moving = new Set(entryIds);
      for (const entryId of entryIds) {
        if (!order.includes(entryId)) throw new MixdeckError('not-found', `Entry ${entryId} is not in this playlist.`);
      }
      const rest = order.filter((entryId) => !moving.has(entryId));
      const at = Math.min(toIndex, rest.length);
      this.renumber(id, [...rest.slice(0, at), ...entryIds, ...rest.slice(at)]);
    })();
    return this.get(id);
  }

  /** Imports an M3U8 text; entries are matched to library tracks by their full path. */
  importM3u(name: string, text: string, baseDir: string | null): { playlist: Playlist; matched: number; missing: string[] } {
    const paths = parseM3u(text, baseDir);
    const find = this.db.prepare(`SELECT id FROM tracks WHERE path = ? AND status <> 'unreadable'`).pluck();
    const trackIds: number[] = [];
    const missing: string[] = [];
    for (const path of paths) {
      const id = find.get(path) as number | undefined;
      if (id === undefined) missing.push(path);
      else trackIds.push(id);
    }
    const playlist = this.create(name, 'playlist', trackIds);
    return { playlist, matched: trackIds.length, missing };
  }

  exportM3u(id: number, relativeTo: string | null): { fileName: string; text: string } {
    const playlist = this.get(id);
    const all: PlaylistEntry[] = [];
    // Windows of 1000 (the search's largest page) until the list is exhausted.
    for (let offset = 0; ; offset += 1000) {
      const page = this.entries(id, offset, 1000).rows;
      all.push(...page);
      if (page.length < 1000) break;
    }
    const lines = ['#EXTM3U', `#PLAYLIST:${playlist.name.replace(/[\r\n]+/g, ' ')}`];
    for (const row of all) {
      const seconds = row.durationSec === null ? -1 : Math.round(row.durationSec);
      const label = [row.artist, row.title].filter((part) => part !== '').join(' - ') || basename(row.path);
      lines.push(`#EXTINF:${seconds},${label.replace(/[\r\n]+/g, ' ')}`);
      let path = row.path;
      if (relativeTo !== null) {
        const candidate = relative(resolve(relativeTo), path);
        if (!candidate.startsWith('..' + sep) && candidate !== '..' && !isAbsolute(candidate)) path = candidate;
      }
      lines.push(path);
    }
    const fileName = `${playlist.name.replace(/[/\\:*?"<>|\0]+/g, '_').slice(0, 120) || 'playlist'}.m3u8`;
    return { fileName, text: lines.join('\n') + '\n' };
  }

  /** The folder an .m3u8 file's relative entries are read from. */
  static baseDirOf(file: string): string {
    return dirname(resolve(file));
  }

  private requireEditable(id: number): void {
    const playlist = this.get(id);
    if (playlist.kind === 'smart') throw new MixdeckError('invalid-input', `"${playlist.name}" is a smart playlist: its tracks come from its search.`);
  }

  private entryIds(id: number): number[] {
    return this.db.prepare('SELECT id FROM playlist_tracks WHERE playlist_id = ? ORDER BY position').pluck().all(id) as number[];
  }

  /** Positions are unique per playlist, so renumber through negative values first. */
  private renumber(id: number, order: readonly number[]): void {
    const update = this.db.prepare('UPDATE playlist_tracks SET position = ? WHERE id = ? AND playlist_id = ?');
    order.forEach((entryId, index) => update.run(-1 - index, entryId, id));
    order.forEach((entryId, index) => update.run(index, entryId, id));
    this.db.prepare('UPDATE playlists SET updated_at = ? WHERE id = ?').run(this.now(), id);
  }

  private insertTracks(id: number, trackIds: readonly number[], atIndex: number | null): void {
    const known = this.db.prepare('SELECT 1 FROM tracks WHERE id = ?');
    for (const trackId of trackIds) {
      if (!known.get(trackId)) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
    }
    const order = this.entryIds(id);
    const at = Math.min(atIndex ?? order.length, order.length);
    const insert = this.db.prepare('INSERT INTO playlist_tracks (playlist_id, track_id, position, added_at) VALUES (?, ?, ?, ?)');
    const added: number[] = [];
    const base = -1_000_000_000;
    trackIds.forEach((trackId, index) => added.push(Number(insert.run(id, trackId, base - index, this.now()).lastInsertRowid)));
    this.renumber(id, [...order.slice(0, at), ...added, ...order.slice(at)]);
  }

  private selectPlaylist(): string {
    // A smart playlist's count is its search's count (cheap enough for a sidebar of tens).
    return `SELECT p.id, p.name, p.kind, p.smart_query AS smartQuery, p.smart_sort AS smartSort, p.smart_descending AS smartDescending,
              p.position, p.updated_at AS updatedAt FROM playlists p`;
  }

  private toPlaylist(row: PlaylistRow): Playlist {
    let trackCount: number;
    let durationSec: number;
    if (row.kind === 'smart') {
      trackCount = this.search.count(row.smartQuery ?? '');
      durationSec = 0;
    } else {
      const totals = this.db
        .prepare('SELECT count(*) AS trackCount, coalesce(sum(t.duration_sec), 0) AS durationSec FROM playlist_tracks e JOIN tracks t ON t.id = e.track_id WHERE e.playlist_id = ?')
        .get(row.id) as { trackCount: number; durationSec: number };
      trackCount = totals.trackCount;
      durationSec = totals.durationSec;
    }
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      smartQuery: row.smartQuery,
      smartSort: row.smartSort,
      smartDescending: row.smartDescending === 1,
      trackCount,
      durationSec,
      position: row.position,
      updatedAt: row.updatedAt,
    };
  }
}
