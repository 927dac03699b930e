import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/main/paths';
import { openDatabase } from '../src/main/services/database/database';
import { createLogger } from '../src/main/services/log/logger';
import { refreshPlannerStatistics, TrackSearch } from '../src/main/services/library/track-search';
import { makeTempDir } from '../tests/support/temp-dir';
import type { BenchResult } from './report';

const TRACK_COUNT = 100_000;
const RUNS_PER_QUERY = 60;

/** A seeded generator, so every run searches the same library. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['night', 'love', 'city', 'dream', 'fire', 'dance', 'light', 'heart', 'time', 'world', 'soul', 'deep', 'sun', 'rain', 'gold', 'electric', 'blue', 'summer', 'wild', 'echo'];
const GENRES = ['House', 'Techno', 'Drum and Bass', 'Trance', 'Hip-Hop', 'Pop', 'Rock', 'Ambient', 'Disco', 'Dubstep'];

const QUERIES = [
  'love',
  'deep night',
  '"electric dream"',
  'artist:artist12',
  'genre:house bpm:120-128',
  'bpm:>170',
  'key:8A',
  'key:~8A bpm:124-128',
  'year:1990-1999',
  'duration:<4:00',
  'rating:>=4',
  'played:never',
  '-genre:house -genre:techno',
  'love -remix year:2000-2020 rating:>=3',
];

/** Fills a library database with `count` generated tracks (seeded: the same library every run). */
export function buildBenchLibrary(db: Database.Database, count: number): void {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const insert = db.prepare(
    `INSERT INTO tracks (path, title, artist, album, genre, year, bpm, key_camelot, duration_sec, rating, play_count, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) {
      const title = `${pick(WORDS)} ${pick(WORDS)}${next() < 0.1 ? ' (Remix)' : ''}`;
      insert.run(
        `/music/${index}.flac`,
        title,
        `Artist${Math.floor(next() * 5000)}`,
        `${pick(WORDS)} ${pick(WORDS)}`,
        pick(GENRES),
        1960 + Math.floor(next() * 65),
        70 + next() * 110,
        `${1 + Math.floor(next() * 12)}${next() < 0.5 ? 'A' : 'B'}`,
        90 + next() * 500,
        Math.floor(next() * 6),
        next() < 0.4 ? 0 : Math.floor(next() * 50),
      );
    }
  })();
  refreshPlannerStatistics(db);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Search latency on a generated 100,000-track library, against a primary-key lookup in the same run. */
export async function benchLibrarySearch(): Promise<BenchResult> {
  const temp = makeTempDir('mixdeck-bench-');
  const { db } = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' }));
  try {
    const started = performance.now();
    buildBenchLibrary(db, TRACK_COUNT);
    const buildSec = (performance.now() - started) / 1000;

    const next = random(7);
    const search = new TrackSearch(db);
    const byId = db.prepare('SELECT * FROM tracks WHERE id = ?');
    const baselineTimes: number[] = [];
    for (let run = 0; run < 2000; run += 1) {
      const begin = performance.now();
      byId.get(1 + Math.floor(next() * TRACK_COUNT));
      baselineTimes.push(performance.now() - begin);
    }
    baselineTimes.sort((a, b) => a - b);
    const baselineP50 = percentile(baselineTimes, 0.5);

    const rows = [{ label: 'primary-key lookup (baseline), p50', value: baselineP50 * 1000, unit: 'µs', ratio: 1 }];
    let worstP95 = 0;
    let worstCountP95 = 0;
    const measure = (work: () => void): number[] => {
      const times: number[] = [];
      for (let run = 0; run < RUNS_PER_QUERY; run += 1) {
        const begin = performance.now();
        work();
        times.push(performance.now() - begin);
      }
      return times.sort((a, b) => a - b);
    };
    for (const query of QUERIES) {
      const total = search.count(query);
      const pageTimes = measure(() => search.page({ query, limit: 100 }));
      // A new TrackSearch each time: the count it would cache is measured cold.
      const countTimes = measure(() => new TrackSearch(db).count(query));
      const p95 = percentile(pageTimes, 0.95);
      worstP95 = Math.max(worstP95, p95);
      worstCountP95 = Math.max(worstCountP95, percentile(countTimes, 0.95));
      rows.push({
        label: `\`${query}\` (${total} hits): first 100 rows p50 / p95; uncached exact count p95`,
        value: percentile(pageTimes, 0.5),
        unit: `ms / ${p95.toFixed(2)} ms; ${percentile(countTimes, 0.95).toFixed(2)} ms`,
        ratio: p95 / baselineP50,
      });
    }
    db.close();
    // Resident memory of the library service over this database, in a process of its own,
    // against the same service over an empty library.
    const probe = (dbFile: string): { rssBytes: number } => {
      const output = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(PACKAGE_ROOT, 'bench', 'library-memory-probe.ts'), dbFile, temp.path, ...QUERIES], {
        encoding: 'utf8',
        cwd: PACKAGE_ROOT,
      });
      return JSON.parse(output.trim().split('\n').at(-1)!) as { rssBytes: number };
    };
    const emptyDb = join(temp.path, 'empty.db');
    openDatabase(emptyDb, createLogger({ level: 'error' })).db.close();
    const emptyRss = probe(emptyDb).rssBytes;
    const fullRss = probe(join(temp.path, 'mixdeck.db')).rssBytes;
    const megabytes = (bytes: number): number => bytes / (1024 * 1024);
    rows.push(
      { label: 'resident memory, library service over an empty library (baseline)', value: megabytes(emptyRss), unit: 'MB', ratio: 1 },
      { label: `resident memory, library service over ${TRACK_COUNT.toLocaleString('en')} tracks after these searches`, value: megabytes(fullRss), unit: 'MB', ratio: fullRss / emptyRss },
    );
    return {
      name: 'library search, 100,000 tracks',
      baseline: 'a primary-key lookup on the same database',
      rows,
      notes: [
        `Worst first-page p95: ${worstP95.toFixed(2)} ms; worst uncached exact-count p95: ${worstCountP95.toFixed(2)} ms (aim: under 5 ms). The × column is first-page p95 against the baseline's p50. Building the library took ${buildSec.toFixed(1)} s.`,
      ],
    };
  } finally {
    if (db.open) db.close();
    temp.remove();
  }
}
