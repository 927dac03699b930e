import type Database from 'better-sqlite3';
import type { TrackSummary } from '../../../shared/contract';
import { parseSearch } from './search-query';
import { compileSearch, sortPlan, type SortColumn } from './search-sql';

export interface TrackSearchRequest {
  query: string;
  sort?: SortColumn;
  descending?: boolean;
  /** A window of the result, for a virtualised list. */
  offset?: number;
  limit?: number;
}

export interface TrackSearchResult {
  total: number;
  rows: TrackSummary[];
  problems: string[];
}

/** The list row's columns, as the contract names them (booleans come back as 0/1: see toSummary). */
export const SUMMARY_COLUMNS = `t.id, t.path, t.title, t.artist, t.album, t.genre, t.year, t.track_number AS trackNumber, t.bpm,
  t.key_camelot AS keyCamelot, t.key_name AS keyName, t.duration_sec AS durationSec, t.lufs, t.true_peak_dbtp AS truePeakDbtp,
  t.rating, t.liked, t.play_count AS playCount, t.last_played_at AS lastPlayedAt, (t.cover_file IS NOT NULL) AS hasCover`;

type SummaryRow = Omit<TrackSummary, 'liked' | 'hasCover'> & { liked: number; hasCover: number };

/** A row read with SUMMARY_COLUMNS, as the contract's TrackSummary. */
export function toSummary(row: unknown): TrackSummary {
  const value = row as SummaryRow;
  return { ...value, liked: value.liked === 1, hasCover: value.hasCover === 1 };
}

/**
 * What a scan does when it has changed the library: sampled statistics (a few ms even for
 * 100,000 tracks) so the query planner knows which filters are selective.
 */
export function refreshPlannerStatistics(db: Database.Database): void {
  db.pragma('analysis_limit = 1000');
  db.exec('ANALYZE');
}

/** Below this many matches, the filter's own index finds them and sorting them is cheap. */
const PROBE_LIMIT = 1500;

/**
 * Searches the library with the search language. Each page is planned by how many tracks
 * match: a few (under PROBE_LIMIT) are found through the filters' indexes and sorted; many
 * are found by walking the sort column's index in order and stopping after one page, so a
 * broad filter costs no more than a narrow one. Statements are cached per SQL text; counts
 * are cached until the database changes (the list asks for the total once, then scrolls).
 */
export class TrackSearch {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly counts = new Map<string, number>();
  private countsVersion = '';

  constructor(private readonly db: Database.Database) {}

  /** The first window of results and their total, in one call. */
  search(request: TrackSearchRequest): TrackSearchResult {
    const page = this.page(request);
    return { rows: page.rows, problems: page.problems, total: page.total ?? this.count(request.query) };
  }

  /** How many tracks match; apart from `page` so a list can draw its first rows before the count. */
  count(query: string): number {
    const version = this.dataVersion();
    if (version !== this.countsVersion) {
      this.counts.clear();
      this.countsVersion = version;
    }
    const cached = this.counts.get(query);
    if (cached !== undefined) return cached;
    const { where, params } = compileSearch(parseSearch(query).clauses);
    const conditions = ["t.status = 'ok'", ...where].join(' AND ');
    const total = this.prepare(`SELECT count(*) FROM tracks t WHERE ${conditions}`).pluck().get(...params) as number;
    if (this.counts.size > 500) this.counts.clear();
    this.counts.set(query, total);
    return total;
  }

  /** One window of rows; `total` is set when the plan learnt it for free (few matches). */
  page(request: TrackSearchRequest): { rows: TrackSummary[]; problems: string[]; total: number | null } {
    const { clauses, problems } = parseSearch(request.query);
    const { where, params, onlyFts } = compileSearch(clauses);
    const conditions = ["t.status = 'ok'", ...where].join(' AND ');
    const plan = sortPlan(request.sort ?? 'artist', request.descending ?? false);
    const limit = Math.min(Math.max(request.limit ?? 200, 1), 1000);
    const offset = Math.max(request.offset ?? 0, 0);
    // Typed words alone: the full-text index says at once whether there are many (it also holds
    // unreadable files' names, so it decides the plan but never gives the total).
    const manyWords = onlyFts !== null && (this.prepare(`SELECT count(*) FROM (SELECT 1 FROM tracks_fts WHERE tracks_fts MATCH ? LIMIT ${PROBE_LIMIT})`).pluck().get(onlyFts) as number) >= PROBE_LIMIT;
    // The first PROBE_LIMIT matching ids: when there are fewer, they are the whole answer, and
    // the page only sorts them (by primary key) instead of searching a second time.
    const few =
      where.length > 0 && !manyWords ? (this.prepare(`SELECT t.id FROM tracks t WHERE ${conditions} LIMIT ${PROBE_LIMIT}`).pluck().all(...params) as number[]) : null;
    if (few !== null && few.length < PROBE_LIMIT) {
      const rows = this.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tracks t WHERE t.id IN (SELECT value FROM json_each(?)) ORDER BY ${plan.orderBy} LIMIT ? OFFSET ?`)
        .all(JSON.stringify(few), limit, offset)
        .map(toSummary);
      return { rows, problems, total: few.length };
    }
    const rows = this.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tracks t INDEXED BY ${plan.index} WHERE ${conditions} ORDER BY ${plan.orderBy} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset)
      .map(toSummary);
    return { rows, problems, total: null };
  }

  /** Changes when any connection (the scanner's too) commits, or this one writes. */
  private dataVersion(): string {
    const external = this.prepare('PRAGMA data_version').pluck().get() as number;
    const own = this.prepare('SELECT total_changes()').pluck().get() as number;
    return `${external}:${own}`;
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
