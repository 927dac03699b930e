import type Database from 'better-sqlite3';
import type { TrackSummary } from '../../../shared/contract';
import { parseSearch } from './search-query';
import { compileSearch, SORT_COLUMNS, type SortColumn } from './search-sql';

const NUMERIC_SORTS = new Set<SortColumn>(['year', 'bpm', 'key', 'duration', 'lufs', 'lastPlayed']);

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

/** Searches the library with the search language; statements are cached per SQL text. */
export class TrackSearch {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The first window of results and their total, in one call. */
  search(request: TrackSearchRequest): TrackSearchResult {
    const page = this.page(request);
    return { ...page, total: this.count(request.query) };
  }

  /** How many tracks match; apart from `page` so a list can draw its first rows before the count. */
  count(query: string): number {
    const { where, params } = compileSearch(parseSearch(query).clauses);
    const conditions = ["t.status = 'ok'", ...where].join(' AND ');
    return this.prepare(`SELECT count(*) FROM tracks t WHERE ${conditions}`).pluck().get(...params) as number;
  }

  page(request: TrackSearchRequest): { rows: TrackSummary[]; problems: string[] } {
    const { clauses, problems } = parseSearch(request.query);
    const { where, params } = compileSearch(clauses);
    const conditions = ["t.status = 'ok'", ...where].join(' AND ');
    const sort = SORT_COLUMNS[request.sort ?? 'artist'];
    const direction = request.descending ? 'DESC' : 'ASC';
    // Unknown numbers sort last whichever way (text columns are never NULL, so their index
    // still serves the order); ties keep album order.
    const nullsLast = NUMERIC_SORTS.has(request.sort ?? 'artist') ? `(t.${sort} IS NULL), ` : '';
    const order = `${nullsLast}t.${sort} ${direction}, t.album COLLATE NOCASE, t.disc_number, t.track_number, t.id`;
    const limit = Math.min(Math.max(request.limit ?? 200, 1), 1000);
    const offset = Math.max(request.offset ?? 0, 0);
    const rows = this.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tracks t WHERE ${conditions} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
      ...params,
      limit,
      offset,
    ).map(toSummary);
    return { rows, problems };
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
