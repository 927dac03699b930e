import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LIBRARY_SORT_COLUMNS, MixdeckError, type LibrarySortColumn, type TrackSummary } from '../../shared/contract';
import { openDatabase } from '../services/database/database';
import { LibraryStore } from '../services/library/library-store';
import { runScan, SCAN_PAUSED } from '../services/library/scan-core';
import { createLogger } from '../services/log/logger';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import type { CliIo } from './io';

export const LIBRARY_HELP = `mixdeck library scan DIR... --db FILE [--json]
mixdeck library search "QUERY" --db FILE [--json] [--sort COLUMN] [--desc] [--limit N]

scan     Adds each folder to the library in FILE (created if needed) and reads every audio file
         in it: tags, cover, lyrics, tempo, key, loudness. Unchanged files are skipped; an
         interrupted scan (Ctrl-C, a crash, a kill) resumes where it stopped on the next run.
         Unreadable files are listed with their reason on stderr; they never stop the scan.
         --no-analysis   read tags only (no decoding)
search   Searches the library with the search language, e.g.
         'artist:daft bpm:120-128 key:~8A -remix "one more time" duration:<4:00 played:never'
         --sort COLUMN   ${LIBRARY_SORT_COLUMNS.join(', ')} (default artist)
         --desc          descending
         --limit N       at most N tracks (default 100000)

--json   one JSON object per track and line: path, title, artist, album, genre, year, bpm,
         key (Camelot), keyName, durationSec, lufs, truePeakDbtp, rating, playCount
`;

function trackJson(track: TrackSummary): Record<string, unknown> {
  return {
    id: track.id,
    path: track.path,
    title: track.title,
    artist: track.artist,
    album: track.album,
    genre: track.genre,
    year: track.year,
    bpm: track.bpm,
    key: track.keyCamelot,
    keyName: track.keyName,
    durationSec: track.durationSec,
    lufs: track.lufs,
    truePeakDbtp: track.truePeakDbtp,
    rating: track.rating,
    playCount: track.playCount,
  };
}

function formatDuration(seconds: number | null): string {
  if (seconds === null) return '--:--';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function trackLine(track: TrackSummary): string {
  const bpm = track.bpm === null ? '   -  ' : track.bpm.toFixed(1).padStart(6);
  const key = (track.keyCamelot ?? '-').padStart(3);
  const lufs = track.lufs === null ? '    -' : track.lufs.toFixed(1).padStart(5);
  return `${bpm} ${key} ${formatDuration(track.durationSec).padStart(6)} ${lufs} LUFS  ${track.artist || '?'} — ${track.title}  (${track.path})`;
}

function openLibrary(dbFile: string): ReturnType<typeof openDatabase>['db'] {
  const folder = dirname(resolve(dbFile));
  if (!existsSync(folder)) throw new MixdeckError('not-found', `The folder for --db, "${folder}", does not exist.`);
  return openDatabase(resolve(dbFile), createLogger({ level: 'error' })).db;
}

function* allTracks(store: LibraryStore, query: string, sort: LibrarySortColumn, descending: boolean, limit: number): Generator<TrackSummary> {
  let emitted = 0;
  for (let offset = 0; emitted < limit; offset += 1000) {
    const page = store.search.page({ query, sort, descending, offset, limit: Math.min(1000, limit - emitted) });
    for (const row of page.rows) {
      yield row;
      emitted += 1;
    }
    if (page.rows.length < 1000) return;
  }
}

async function runScanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string' }, json: { type: 'boolean' }, 'no-analysis': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(LIBRARY_HELP);
    return 0;
  }
  if (!values.db) throw new MixdeckError('invalid-input', 'mixdeck library scan: give the library database with --db FILE.');
  if (positionals.length === 0) throw new MixdeckError('invalid-input', 'mixdeck library scan: give at least one folder to scan.');
  for (const folder of positionals) {
    const stats = statSync(folder, { throwIfNoEntry: false });
    if (!stats) throw new MixdeckError('not-found', `There is no folder "${folder}".`);
    if (!stats.isDirectory()) throw new MixdeckError('invalid-input', `"${folder}" is a file, not a folder.`);
  }
  const { path: ffmpegPath } = resolveFfmpeg();
  const db = openLibrary(values.db);
  const controller = new AbortController();
  // Ctrl-C pauses: the queue stays, and the next run resumes where this one stopped.
  const onSignal = (): void => controller.abort(SCAN_PAUSED);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const store = new LibraryStore(db);
    const folderIds = positionals.map((folder) => {
      const path = resolve(folder);
      const existing = store.folders().find((known) => known.path === path);
      return existing ? existing.id : store.addFolder(path).id;
    });
    let lastLineAt = 0;
    const result = await runScan(db, {
      ffmpegPath,
      coversDir: join(dirname(resolve(values.db)), 'covers'),
      folderIds,
      analyse: !values['no-analysis'],
      signal: controller.signal,
      onProgress: (progress) => {
        const now = performance.now();
        if (progress.phase !== 'reading' || !progress.currentFile || now - lastLineAt < 1000) return;
        lastLineAt = now;
        const left = progress.timeLeftSec === null ? '' : `, about ${Math.ceil(progress.timeLeftSec)} s left`;
        io.err(`scanning ${progress.filesDone}/${progress.filesTotal}${left}: ${progress.currentFile ?? ''}`);
      },
    });
    const unreadable = store.unreadable(0, 1_000_000).files.filter((file) => positionals.some((folder) => file.path.startsWith(resolve(folder))));
    for (const file of unreadable) io.err(`unreadable: ${file.path}: ${file.reason}`);
    if (values.json) {
      for (const folderId of folderIds) {
        const rows = db
          .prepare(`SELECT id FROM tracks WHERE folder_id = ? AND status = 'ok' ORDER BY path`)
          .pluck()
          .all(folderId) as number[];
        for (const id of rows) io.out(JSON.stringify(trackJson(store.summary(id))));
      }
    }
    const verb = result.state === 'done' ? 'Scanned' : 'Paused (run again to resume)';
    io.err(`${verb}: ${result.filesDone} of ${result.filesTotal} files read, ${result.added} added, ${result.updated} updated, ${result.removed} removed, ${result.errorCount} unreadable.`);
    return result.state === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db.close();
  }
}

function runSearchCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean' },
      sort: { type: 'string' },
      desc: { type: 'boolean' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(LIBRARY_HELP);
    return 0;
  }
  if (!values.db) throw new MixdeckError('invalid-input', 'mixdeck library search: give the library database with --db FILE.');
  if (positionals.length > 1) throw new MixdeckError('invalid-input', 'mixdeck library search: put the whole search in one quoted argument.');
  if (!existsSync(values.db)) throw new MixdeckError('not-found', `There is no library database "${values.db}"; create one with mixdeck library scan.`);
  const sort = (values.sort ?? 'artist') as LibrarySortColumn;
  if (!LIBRARY_SORT_COLUMNS.includes(sort)) throw new MixdeckError('invalid-input', `--sort must be one of ${LIBRARY_SORT_COLUMNS.join(', ')}, not "${values.sort}".`);
  const limit = values.limit === undefined ? 100_000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new MixdeckError('invalid-input', `--limit must be a whole number above 0, not "${values.limit}".`);
  const db = openLibrary(values.db);
  try {
    const store = new LibraryStore(db);
    const query = positionals[0] ?? '';
    const { problems } = store.search.page({ query, limit: 1 });
    for (const problem of problems) io.err(`note: ${problem}`);
    let count = 0;
    for (const track of allTracks(store, query, sort, values.desc ?? false, limit)) {
      io.out(values.json ? JSON.stringify(trackJson(track)) : trackLine(track));
      count += 1;
    }
    if (!values.json) io.err(`${count} track${count === 1 ? '' : 's'}.`);
    return 0;
  } finally {
    db.close();
  }
}

/** `mixdeck library scan|search …`. */
export async function runLibrary(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'scan') return runScanCommand(rest, io);
  if (command === 'search') return runSearchCommand(rest, io);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(LIBRARY_HELP);
    return command === undefined ? 2 : 0;
  }
  throw new MixdeckError('invalid-input', `mixdeck library: unknown command "${command}"; use scan or search.`);
}
