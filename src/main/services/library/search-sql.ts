import { compatibleCamelotKeys, type RangeField, type SearchClause } from './search-query';

interface SortSpec {
  column: string;
  nullable: boolean;
  text: boolean;
}

/** Every sortable column (the contract's LIBRARY_SORT_COLUMNS), with what its order needs. */
export const SORT_COLUMNS = {
  title: { column: 'title', nullable: false, text: true },
  artist: { column: 'artist', nullable: false, text: true },
  album: { column: 'album', nullable: false, text: true },
  genre: { column: 'genre', nullable: false, text: true },
  year: { column: 'year', nullable: true, text: false },
  bpm: { column: 'bpm', nullable: true, text: false },
  key: { column: 'key_camelot', nullable: true, text: false },
  duration: { column: 'duration_sec', nullable: true, text: false },
  rating: { column: 'rating', nullable: false, text: false },
  plays: { column: 'play_count', nullable: false, text: false },
  lastPlayed: { column: 'last_played_at', nullable: true, text: false },
  added: { column: 'added_at', nullable: false, text: false },
  lufs: { column: 'lufs', nullable: true, text: false },
} as const satisfies Record<string, SortSpec>;
export type SortColumn = keyof typeof SORT_COLUMNS;

export interface SortPlan {
  /** The ORDER BY terms (on alias t). */
  orderBy: string;
  /** The partial index (WHERE status = 'ok') that yields exactly this order, walked when a filter matches many tracks. */
  index: string;
}

/**
 * The order of the track list, written so that one index yields it with no sort step: ties
 * break on the row id (artist: album, disc, track, then id), and unknown numbers come last
 * both ways (ascending through a `(x IS NULL), x` expression index; descending, NULL is
 * already the smallest value). Migration 0003 creates exactly these indexes.
 */
export function sortPlan(sort: SortColumn, descending: boolean): SortPlan {
  const spec: SortSpec = SORT_COLUMNS[sort];
  const direction = descending ? 'DESC' : 'ASC';
  if (sort === 'artist') {
    return {
      orderBy: `t.artist COLLATE NOCASE ${direction}, t.album COLLATE NOCASE ${direction}, t.disc_number ${direction}, t.track_number ${direction}, t.id ${direction}`,
      index: 'tracks_ok_artist',
    };
  }
  if (spec.text) return { orderBy: `t.${spec.column} COLLATE NOCASE ${direction}, t.id ${direction}`, index: `tracks_ok_${spec.column}` };
  if (spec.nullable && !descending) return { orderBy: `(t.${spec.column} IS NULL), t.${spec.column}, t.id`, index: `tracks_ok_${spec.column}_known_first` };
  return { orderBy: `t.${spec.column} ${direction}, t.id ${direction}`, index: `tracks_ok_${spec.column}` };
}

/** The SQL of the indexes sortPlan relies on (used by migration 0003 and checked by a test). */
export function sortIndexStatements(): string[] {
  const statements: string[] = [];
  for (const [sort, spec] of Object.entries(SORT_COLUMNS) as [SortColumn, SortSpec][]) {
    if (sort === 'artist') {
      statements.push(`CREATE INDEX tracks_ok_artist ON tracks (artist COLLATE NOCASE, album COLLATE NOCASE, disc_number, track_number) WHERE status = 'ok'`);
      continue;
    }
    statements.push(`CREATE INDEX tracks_ok_${spec.column} ON tracks (${spec.column}${spec.text ? ' COLLATE NOCASE' : ''}) WHERE status = 'ok'`);
    if (spec.nullable) statements.push(`CREATE INDEX tracks_ok_${spec.column}_known_first ON tracks ((${spec.column} IS NULL), ${spec.column}) WHERE status = 'ok'`);
  }
  return statements;
}

const RANGE_COLUMNS: Record<RangeField, string> = {
  year: 'year',
  bpm: 'bpm',
  duration: 'duration_sec',
  rating: 'rating',
  played: 'play_count',
};

/** A word or phrase as an FTS5 string, quotes doubled; a bare word matches as a prefix. */
function ftsTerm(text: string, phrase: boolean): string | null {
  const cleaned = text.replace(/"/g, '""').trim();
  if (cleaned === '' || !/[\p{L}\p{N}]/u.test(cleaned)) return null;
  return phrase ? `"${cleaned}"` : `"${cleaned}"*`;
}

export interface CompiledSearch {
  /** Conditions on `tracks` (alias t), joined with AND; empty means every track. */
  where: string[];
  params: (string | number)[];
  /** The combined MATCH of the positive words, when the search has nothing else (the typed-text case). */
  onlyFts: string | null;
}

/**
 * Turns parsed clauses into SQL. Free words and text filters go through the FTS5 index:
 * positive ones are combined into one MATCH, negated ones become NOT IN sub-queries
 * (FTS5 cannot start a query with NOT). Number filters use the plain indexes.
 */
export function compileSearch(clauses: readonly SearchClause[]): CompiledSearch {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const positiveFts: string[] = [];

  const matchSubquery = (expression: string, negated: boolean): void => {
    where.push(`t.id ${negated ? 'NOT IN' : 'IN'} (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?)`);
    params.push(expression);
  };

  for (const clause of clauses) {
    switch (clause.kind) {
      case 'text':
      case 'field-text': {
        const term = ftsTerm(clause.text, clause.phrase);
        if (!term) break;
        const expression = clause.kind === 'field-text' ? `${clause.field} : ${term}` : term;
        if (clause.negated) matchSubquery(expression, true);
        else positiveFts.push(expression);
        break;
      }
      case 'range': {
        const column = `t.${RANGE_COLUMNS[clause.field]}`;
        const parts: string[] = [];
        if (clause.min !== null) {
          parts.push(`${column} ${clause.minInclusive ? '>=' : '>'} ?`);
          params.push(clause.min);
        }
        if (clause.max !== null) {
          parts.push(`${column} ${clause.maxInclusive ? '<=' : '<'} ?`);
          params.push(clause.max);
        }
        // "Not 120–128 BPM" includes tracks whose tempo is not known yet.
        where.push(clause.negated ? `NOT coalesce((${parts.join(' AND ')}), 0)` : parts.join(' AND '));
        break;
      }
      case 'key': {
        const keys = clause.compatible ? compatibleCamelotKeys(clause.camelot) : [clause.camelot];
        const condition = `t.key_camelot IN (${keys.map(() => '?').join(', ')})`;
        params.push(...keys);
        where.push(clause.negated ? `NOT coalesce(${condition}, 0)` : condition);
        break;
      }
      case 'never-played':
        where.push(clause.negated ? 't.play_count > 0' : 't.play_count = 0');
        break;
    }
  }
  if (positiveFts.length > 0) {
    // Params are positional: the combined MATCH goes first.
    where.unshift('t.id IN (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?)');
    params.unshift(positiveFts.join(' AND '));
  }
  const onlyFts = positiveFts.length > 0 && where.length === 1 ? (params[0] as string) : null;
  return { where, params, onlyFts };
}
