import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { LIBRARY_SORT_COLUMNS } from '../../../shared/contract';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { parseSearch } from './search-query';
import { compileSearch, SORT_COLUMNS, sortIndexStatements, sortPlan } from './search-sql';
import { refreshPlannerStatistics, SUMMARY_COLUMNS, TrackSearch } from './track-search';

const temp = makeTempDir();
let db: Database.Database;

beforeAll(() => {
  db = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' })).db;
  const insert = db.prepare(`INSERT INTO tracks (path, status, title, artist, album, genre, year, bpm, rating, play_count, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let index = 0; index < 3000; index += 1) {
      insert.run(`/m/${index}.mp3`, index % 100 === 0 ? 'unreadable' : 'ok', `Song ${index}`, `Artist ${index % 40}`, `Album ${index % 7}`, index % 2 ? 'House' : 'Techno', 1980 + (index % 40), index % 9 === 0 ? null : 80 + (index % 100), index % 6, index % 3, index);
    }
  })();
  refreshPlannerStatistics(db);
});
afterAll(() => {
  db.close();
  temp.remove();
});

describe('the search plan', () => {
  it('has a sort column for every column the contract offers, and migration 0003 has each of their indexes', () => {
    expect(Object.keys(SORT_COLUMNS).sort()).toEqual([...LIBRARY_SORT_COLUMNS].sort());
    const indexes = new Map((db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'tracks_ok_%'`).all() as { name: string; sql: string }[]).map((row) => [row.name, row.sql]));
    for (const statement of sortIndexStatements()) {
      const name = /CREATE INDEX (\S+)/.exec(statement)![1]!;
      expect(indexes.get(name), name).toBe(statement);
    }
  });

  it.each(LIBRARY_SORT_COLUMNS.flatMap((sort) => [[sort, false], [sort, true]] as const))('sorts by %s (descending: %s) straight from an index, unknown values last', (sort, descending) => {
    const plan = sortPlan(sort, descending);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM tracks t INDEXED BY ${plan.index} WHERE t.status = 'ok' ORDER BY ${plan.orderBy} LIMIT 50`;
    const details = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('\n');
    expect(details).not.toContain('TEMP B-TREE');
    const search = new TrackSearch(db);
    const rows = search.page({ query: '', sort, descending, limit: 1000 }).rows;
    const column = SORT_COLUMNS[sort].column;
    const values = rows.map((row) => (db.prepare(`SELECT ${column} FROM tracks WHERE id = ?`).pluck().get(row.id) as string | number | null));
    const known = values.filter((value) => value !== null);
    const firstNull = values.indexOf(null);
    if (firstNull >= 0) expect(values.slice(firstNull).every((value) => value === null)).toBe(true);
    const compare = (a: string | number, b: string | number): number => (typeof a === 'string' ? a.localeCompare(b as string, 'en', { sensitivity: 'base' }) : a - (b as number));
    for (let index = 1; index < known.length; index += 1) expect(Math.sign(compare(known[index - 1]!, known[index]!)) * (descending ? -1 : 1)).toBeLessThanOrEqual(0);
  });

  it('answers the same rows whether it walks the sort index (many hits) or sorts the few hits', () => {
    const search = new TrackSearch(db);
    for (const query of ['genre:house', 'rating:>=3', 'bpm:>170', 'year:1990 genre:techno', 'song -house']) {
      const page = search.page({ query, sort: 'title', limit: 200 });
      // The same search without any index: a full scan and a sort.
      const { where, params } = compileSearch(parseSearch(query).clauses);
      const expected = db
        .prepare(`SELECT t.id FROM tracks t NOT INDEXED WHERE ${["t.status = 'ok'", ...where].join(' AND ')} ORDER BY t.title COLLATE NOCASE, t.id LIMIT 200`)
        .pluck()
        .all(...params);
      expect(expected.length).toBeGreaterThan(0);
      expect(page.rows.map((row) => row.id)).toEqual(expected);
      expect(search.count(query)).toBe(search.search({ query, sort: 'title', limit: 1 }).total);
    }
    expect(search.count('genre:house')).toBe(1500); // odd rows; the unreadable ones are even
  });

  it('caches counts until the database changes', () => {
    const search = new TrackSearch(db);
    const before = search.count('genre:house');
    db.prepare(`UPDATE tracks SET genre = 'House' WHERE id = (SELECT id FROM tracks WHERE genre = 'Techno' AND status = 'ok' LIMIT 1)`).run();
    expect(search.count('genre:house')).toBe(before + 1);
  });
});
