import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { parseSearch } from './search-query';
import { compileSearch } from './search-sql';

interface Row {
  title: string;
  artist: string;
  album?: string;
  genre?: string;
  year?: number | null;
  bpm?: number | null;
  key?: string | null;
  durationSec?: number;
  rating?: number;
  plays?: number;
  lyrics?: string;
}

const TRACKS: Row[] = [
  { title: 'One More Time', artist: 'Daft Punk', album: 'Discovery', genre: 'House', year: 2001, bpm: 123, key: '8A', durationSec: 320, rating: 5, plays: 12 },
  { title: 'Around the World', artist: 'Daft Punk', album: 'Homework', genre: 'House', year: 1997, bpm: 121.3, key: '8B', durationSec: 429, rating: 4, plays: 3 },
  { title: 'Windowlicker', artist: 'Aphex Twin', album: 'Windowlicker', genre: 'Electronic', year: 1999, bpm: 127.9, key: '2A', durationSec: 366, rating: 3, plays: 0 },
  { title: 'Inner City Life', artist: 'Goldie', album: 'Timeless', genre: 'Drum and Bass', year: 1994, bpm: 172, key: '9A', durationSec: 230, rating: 4, plays: 0, lyrics: 'inner city life, inner city pressure' },
  { title: 'Café del Mar', artist: 'Energy 52', album: 'Café del Mar', genre: 'Trance', year: 1993, bpm: 134, key: '7A', durationSec: 239, rating: 2, plays: 1 },
  { title: 'Untitled Demo', artist: 'Unknown', year: null, bpm: null, key: null, durationSec: 95, rating: 0, plays: 0 },
  { title: 'One More Time (Radio Edit)', artist: 'Daft Punk', album: 'Singles', genre: 'House', year: 2000, bpm: 122.6, key: '8A', durationSec: 230, rating: 3, plays: 0 },
];

describe('compiled searches on a real library database', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database.Database;

  beforeAll(() => {
    temp = makeTempDir();
    db = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' })).db;
    const insert = db.prepare(
      `INSERT INTO tracks (path, title, artist, album, genre, year, bpm, key_camelot, duration_sec, rating, play_count, lyrics, added_at)
       VALUES (@path, @title, @artist, @album, @genre, @year, @bpm, @key, @durationSec, @rating, @plays, @lyrics, 0)`,
    );
    TRACKS.forEach((row, index) =>
      insert.run({ album: '', genre: '', year: null, bpm: null, key: null, durationSec: 0, rating: 0, plays: 0, lyrics: '', ...row, path: `/music/${index}.flac` }),
    );
  });
  afterAll(() => {
    db.close();
    temp.remove();
  });

  const titles = (query: string): string[] => {
    const { clauses, problems } = parseSearch(query);
    expect(problems).toEqual([]);
    const { where, params } = compileSearch(clauses);
    const sql = `SELECT title FROM tracks t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY title`;
    return db.prepare(sql).pluck().all(...params) as string[];
  };

  it.each([
    ['', TRACKS.map((track) => track.title).sort()],
    ['daft', ['Around the World', 'One More Time', 'One More Time (Radio Edit)']],
    ['daf wor', ['Around the World']],
    ['"one more time" -radio', ['One More Time']],
    ['cafe', ['Café del Mar']],
    ['pressure', ['Inner City Life']],
    ['artist:daft title:world', ['Around the World']],
    ['album:discovery', ['One More Time']],
    ['genre:"drum and bass"', ['Inner City Life']],
    ['-genre:house -artist:unknown', ['Café del Mar', 'Inner City Life', 'Windowlicker']],
    ['year:1990-1999', ['Around the World', 'Café del Mar', 'Inner City Life', 'Windowlicker']],
    ['year:2001', ['One More Time']],
    ['bpm:120-128', ['Around the World', 'One More Time', 'One More Time (Radio Edit)', 'Windowlicker']],
    ['bpm:>170', ['Inner City Life']],
    ['bpm:123', ['One More Time', 'One More Time (Radio Edit)']],
    ['-bpm:100-200', ['Untitled Demo']],
    ['key:8A', ['One More Time', 'One More Time (Radio Edit)']],
    ['key:~8A', ['Around the World', 'Café del Mar', 'Inner City Life', 'One More Time', 'One More Time (Radio Edit)']],
    ['duration:<4:00', ['Café del Mar', 'Inner City Life', 'One More Time (Radio Edit)', 'Untitled Demo']],
    ['duration:5:00-7:00', ['One More Time', 'Windowlicker']],
    ['rating:>=4', ['Around the World', 'Inner City Life', 'One More Time']],
    ['played:never', ['Inner City Life', 'One More Time (Radio Edit)', 'Untitled Demo', 'Windowlicker']],
    ['played:never bpm:>150', ['Inner City Life']],
    ['daft played:>=3 key:~9A', ['One More Time']],
    ['daft played:>=3 key:~8B', ['Around the World', 'One More Time']],
  ])('"%s"', (query, expected) => {
    expect(titles(query)).toEqual(expected);
  });

  it('is safe with FTS syntax and SQL in the query', () => {
    expect(titles('"a" OR 1=1 --')).toEqual([]);
    expect(titles('NEAR( AND * )')).toEqual([]);
    expect(titles("artist:'; DROP TABLE tracks; --")).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM tracks').pluck().get()).toBe(TRACKS.length);
  });
});
