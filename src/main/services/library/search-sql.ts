import { compatibleCamelotKeys, type RangeField, type SearchClause } from './search-query';

export const SORT_COLUMNS = {
  title: 'title COLLATE NOCASE',
  artist: 'artist COLLATE NOCASE',
  album: 'album COLLATE NOCASE',
  genre: 'genre COLLATE NOCASE',
  year: 'year',
  bpm: 'bpm',
  key: 'key_camelot',
  duration: 'duration_sec',
  rating: 'rating',
  plays: 'play_count',
  lastPlayed: 'last_played_at',
  added: 'added_at',
  lufs: 'lufs',
} as const;
export type SortColumn = keyof typeof SORT_COLUMNS;

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
  return { where, params };
}
