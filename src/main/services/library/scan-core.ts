import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { ScanFileError, ScanProgress } from '../../../shared/contract';
import { AUDIO_EXTENSIONS } from '../media/content-types';
import { readTrack, UnreadableFileError, type TrackRecord } from './read-track';
import { refreshPlannerStatistics } from './track-search';
import { encodeWaveform } from './waveform-blob';

export interface ScanOptions {
  ffmpegPath: string;
  coversDir: string;
  /** Folder ids to scan; default every library folder. */
  folderIds?: readonly number[];
  signal?: AbortSignal;
  /** Called often (the caller throttles what it forwards). */
  onProgress?: (progress: ScanProgress) => void;
  /** Tracks whose rows changed, in batches (for library.changed events). */
  onTracksChanged?: (trackIds: number[]) => void;
  analyse?: boolean;
  /** Files read at once: ffmpeg decodes one while another is analysed. */
  concurrency?: number;
  now?: () => number;
}

interface Folder {
  id: number;
  path: string;
}

const MAX_ERRORS_REPORTED = 200;

/** Abort a scan with this reason to pause it (app closing): it resumes on the next scan. */
export const SCAN_PAUSED = 'paused';

/**
 * Every audio file under a folder, each once. A symlink that leads back inside the folder is
 * skipped (what it points at is listed where it really is; following it would list files twice,
 * or forever for a link to the folder itself); one that leads out is not followed. Entries whose
 * names are not UTF-8 cannot be stored as paths: they are listed as skipped, with the reason.
 */
async function listAudioFiles(folder: string, signal?: AbortSignal): Promise<{ files: string[]; skipped: ScanFileError[] }> {
  const root = await realpath(folder);
  const found: string[] = [];
  const skipped: ScanFileError[] = [];
  const pending = [folder];
  const seen = new Set<string>([root]);
  while (pending.length > 0) {
    if (signal?.aborted) break;
    const directory = pending.pop()!;
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue; // an unreadable sub-folder is skipped, not fatal
    }
    for (const entry of entries) {
      const rawName = entry.name;
      const name = rawName.toString('utf8');
      if (name.startsWith('.')) continue;
      const path = join(directory, name);
      if (!Buffer.from(name, 'utf8').equals(rawName)) {
        if (entry.isDirectory() || AUDIO_EXTENSIONS.has(extname(name).toLowerCase())) {
          skipped.push({ path, reason: `Skipped: its name is not valid UTF-8 text, so its path cannot be kept; rename the ${entry.isDirectory() ? 'folder' : 'file'} (for example with convmv).` });
        }
        continue;
      }
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        const real = await realpath(path).catch(() => null);
        if (real && !seen.has(real)) {
          seen.add(real);
          pending.push(path);
        }
      } else if (entry.isFile() && AUDIO_EXTENSIONS.has(extname(name).toLowerCase())) {
        found.push(path);
      }
    }
  }
  return { files: found.sort(), skipped };
}

function folderOf(folders: readonly Folder[], path: string): Folder | undefined {
  return folders.find((folder) => path.startsWith(folder.path + sep));
}

/** A scan's progress before it has listed a single file. */
export function startingProgress(errors: ScanFileError[] = []): ScanProgress {
  return {
    jobId: 0,
    state: 'running',
    phase: 'listing',
    filesDone: 0,
    filesTotal: 0,
    currentFile: null,
    timeLeftSec: null,
    added: 0,
    updated: 0,
    removed: 0,
    errorCount: 0,
    errors,
    failure: null,
  };
}

/**
 * One scan of the library's folders, written so it can be killed at any instant and resumed:
 * the files to read are first written to scan_queue (one job), each file's track row and its
 * queue entry are written in one transaction, and a job left 'running' by a crash is picked
 * up where it stopped. Track rows are keyed by path, so nothing is ever added twice.
 */
export async function runScan(db: Database.Database, options: ScanOptions): Promise<ScanProgress> {
  const now = options.now ?? Date.now;
  mkdirSync(options.coversDir, { recursive: true });
  const allFolders = db.prepare('SELECT id, path FROM library_folders ORDER BY id').all() as Folder[];
  const folders = options.folderIds ? allFolders.filter((folder) => options.folderIds!.includes(folder.id)) : allFolders;

  const errors: ScanFileError[] = [];
  let errorCount = 0;
  const progress = startingProgress(errors);
  const report = (): void => options.onProgress?.({ ...progress, errors: [...errors], errorCount });

  // Resume a job a crash (or kill) left running; otherwise list the folders into a new one.
  let job = db.prepare(`SELECT id FROM scan_jobs WHERE status = 'running' ORDER BY id DESC LIMIT 1`).get() as { id: number } | undefined;
  const removedPaths: string[] = [];
  if (!job) {
    const jobId = Number(db.prepare(`INSERT INTO scan_jobs (started_at, status, roots) VALUES (?, 'running', ?)`).run(now(), JSON.stringify(folders.map((folder) => folder.path))).lastInsertRowid);
    job = { id: jobId };
    progress.jobId = jobId;
    report();
    const onDisk = new Set<string>();
    const toRead: string[] = [];
    const known = db.prepare(`SELECT file_size AS size, file_mtime_ms AS mtime, status, analysed_at AS analysedAt FROM tracks WHERE path = ?`);
    for (const folder of folders) {
      const listing = await listAudioFiles(folder.path, options.signal);
      for (const skipped of listing.skipped) {
        errorCount += 1;
        errors.push(skipped);
        if (errors.length > MAX_ERRORS_REPORTED) errors.shift();
      }
      for (const path of listing.files) {
        onDisk.add(path);
        const row = known.get(path) as { size: number; mtime: number; status: string; analysedAt: number | null } | undefined;
        const stats = await stat(path).catch(() => null);
        if (!stats) continue;
        // Unchanged files keep their stored tags and analysis.
        const unchanged = row && row.size === stats.size && row.mtime === Math.floor(stats.mtimeMs) && (row.status !== 'ok' || row.analysedAt !== null || options.analyse === false);
        if (!unchanged) toRead.push(path);
      }
      if (options.signal?.aborted) break;
    }
    if (!options.signal?.aborted) {
      const inFolders = db.prepare('SELECT path FROM tracks WHERE folder_id = ?').pluck();
      for (const folder of folders) removedPaths.push(...(inFolders.all(folder.id) as string[]).filter((path) => !onDisk.has(path)));
    }
    const enqueue = db.prepare(`INSERT OR IGNORE INTO scan_queue (job_id, path) VALUES (?, ?)`);
    db.transaction(() => toRead.forEach((path) => enqueue.run(jobId, path)))();
  } else {
    progress.jobId = job.id;
    // After a crash, files that vanished meanwhile are found again below by their absence.
    const inFolders = db.prepare('SELECT path FROM tracks WHERE folder_id = ?').pluck();
    for (const folder of folders) {
      for (const path of inFolders.all(folder.id) as string[]) {
        if (!(await lstat(path).catch(() => null))) removedPaths.push(path);
      }
    }
  }
  const jobId = job.id;

  const counts = db.prepare(`SELECT count(*) AS total, sum(state <> 'pending') AS done FROM scan_queue WHERE job_id = ?`).get(jobId) as { total: number; done: number | null };
  progress.filesTotal = counts.total;
  progress.filesDone = counts.done ?? 0;
  progress.phase = 'reading';
  report();

  const pending = db.prepare(`SELECT path FROM scan_queue WHERE job_id = ? AND state = 'pending' ORDER BY path`).pluck().all(jobId) as string[];
  const removedSet = new Set(removedPaths);
  const upsert = db.prepare(`
    INSERT INTO tracks (path, folder_id, status, status_reason, file_size, file_mtime_ms, fingerprint, title, artist, album, album_artist, genre, year,
      track_number, disc_number, duration_sec, codec, sample_rate, channels, bitrate_kbps, encoder_delay_samples, encoder_padding_samples,
      bpm, bpm_confidence, key_camelot, key_name, key_confidence, lufs, true_peak_dbtp, replaygain_track_gain_db, replaygain_track_peak,
      replaygain_album_gain_db, replaygain_album_peak, cover_mime, cover_file, lyrics, synced_lyrics, waveform, waveform_buckets,
      added_at, scanned_at, analysed_at)
    VALUES (@path, @folderId, 'ok', NULL, @fileSize, @fileMtimeMs, @fingerprint, @title, @artist, @album, @albumArtist, @genre, @year,
      @trackNumber, @discNumber, @durationSec, @codec, @sampleRate, @channels, @bitrateKbps, @encoderDelaySamples, @encoderPaddingSamples,
      @bpm, @bpmConfidence, @keyCamelot, @keyName, @keyConfidence, @lufs, @truePeakDbtp, @rgTrackGain, @rgTrackPeak,
      @rgAlbumGain, @rgAlbumPeak, @coverMime, @coverFile, @lyrics, @syncedLyrics, @waveform, @waveformBuckets,
      @now, @now, @analysedAt)
    ON CONFLICT (path) DO UPDATE SET folder_id = excluded.folder_id, status = 'ok', status_reason = NULL, file_size = excluded.file_size,
      file_mtime_ms = excluded.file_mtime_ms, fingerprint = excluded.fingerprint, title = excluded.title, artist = excluded.artist,
      album = excluded.album, album_artist = excluded.album_artist, genre = excluded.genre, year = excluded.year,
      track_number = excluded.track_number, disc_number = excluded.disc_number, duration_sec = excluded.duration_sec, codec = excluded.codec,
      sample_rate = excluded.sample_rate, channels = excluded.channels, bitrate_kbps = excluded.bitrate_kbps,
      encoder_delay_samples = excluded.encoder_delay_samples, encoder_padding_samples = excluded.encoder_padding_samples,
      bpm = excluded.bpm, bpm_confidence = excluded.bpm_confidence, key_camelot = excluded.key_camelot, key_name = excluded.key_name,
      key_confidence = excluded.key_confidence, lufs = excluded.lufs, true_peak_dbtp = excluded.true_peak_dbtp,
      replaygain_track_gain_db = excluded.replaygain_track_gain_db, replaygain_track_peak = excluded.replaygain_track_peak,
      replaygain_album_gain_db = excluded.replaygain_album_gain_db, replaygain_album_peak = excluded.replaygain_album_peak,
      cover_mime = excluded.cover_mime, cover_file = excluded.cover_file, lyrics = excluded.lyrics, synced_lyrics = excluded.synced_lyrics,
      waveform = excluded.waveform, waveform_buckets = excluded.waveform_buckets, scanned_at = excluded.scanned_at, analysed_at = excluded.analysed_at
    RETURNING id, added_at = scanned_at AS isNew`);
  const markUnreadable = db.prepare(`
    INSERT INTO tracks (path, folder_id, status, status_reason, file_size, file_mtime_ms, title, added_at, scanned_at)
    VALUES (?, ?, 'unreadable', ?, ?, ?, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET status = 'unreadable', status_reason = excluded.status_reason, file_size = excluded.file_size,
      file_mtime_ms = excluded.file_mtime_ms, scanned_at = excluded.scanned_at`);
  const queueState = db.prepare(`UPDATE scan_queue SET state = ?, reason = ? WHERE job_id = ? AND path = ?`);
  const findMoved = db.prepare(`SELECT id, path FROM tracks WHERE fingerprint = ? AND path <> ?`);
  const movePath = db.prepare(`UPDATE tracks SET path = ? WHERE id = ?`);
  const changedIds: number[] = [];
  const flushChanged = (): void => {
    if (changedIds.length > 0) options.onTracksChanged?.(changedIds.splice(0));
  };

  const started = performance.now();
  let doneThisRun = 0;
  const store = (path: string, record: TrackRecord): void => {
    const folder = folderOf(folders, path) ?? folderOf(allFolders, path);
    db.transaction(() => {
      // A file that vanished from one place and appeared in another is the same track moved:
      // keep its id, ratings, plays and playlist entries.
      const moved = (findMoved.all(record.fingerprint, path) as { id: number; path: string }[]).find((row) => removedSet.has(row.path));
      if (moved) {
        movePath.run(path, moved.id);
        removedSet.delete(moved.path);
      }
      const at = now();
      const row = upsert.get({
        path,
        folderId: folder?.id ?? null,
        fileSize: record.fileSize,
        fileMtimeMs: record.fileMtimeMs,
        fingerprint: record.fingerprint,
        title: record.title,
        artist: record.artist,
        album: record.album,
        albumArtist: record.albumArtist,
        genre: record.genre,
        year: record.year,
        trackNumber: record.trackNumber,
        discNumber: record.discNumber,
        durationSec: record.durationSec,
        codec: record.codec,
        sampleRate: record.sampleRate,
        channels: record.channels,
        bitrateKbps: record.bitrateKbps,
        encoderDelaySamples: record.encoderDelaySamples,
        encoderPaddingSamples: record.encoderPaddingSamples,
        bpm: record.bpm,
        bpmConfidence: record.bpmConfidence,
        keyCamelot: record.keyCamelot,
        keyName: record.keyName,
        keyConfidence: record.keyConfidence,
        lufs: record.lufs,
        truePeakDbtp: record.truePeakDbtp,
        rgTrackGain: record.replayGain.trackGainDb,
        rgTrackPeak: record.replayGain.trackPeak,
        rgAlbumGain: record.replayGain.albumGainDb,
        rgAlbumPeak: record.replayGain.albumPeak,
        coverMime: record.coverMime,
        coverFile: record.coverFile,
        lyrics: record.lyrics,
        syncedLyrics: record.syncedLyrics,
        waveform: record.waveform ? encodeWaveform(record.waveform) : null,
        waveformBuckets: record.waveform ? record.waveform.min.length : null,
        now: at,
        analysedAt: record.analysed ? at : null,
      }) as { id: number; isNew: number };
      queueState.run('done', null, jobId, path);
      if (row.isNew === 1 && !moved) progress.added += 1;
      else progress.updated += 1;
      changedIds.push(row.id);
    })();
  };
  const fail = (path: string, reason: string): void => {
    const folder = folderOf(folders, path) ?? folderOf(allFolders, path);
    db.transaction(() => {
      markUnreadable.run(path, folder?.id ?? null, reason, 0, 0, path.slice(path.lastIndexOf(sep) + 1), now(), now());
      queueState.run('failed', reason, jobId, path);
    })();
    errorCount += 1;
    errors.push({ path, reason });
    if (errors.length > MAX_ERRORS_REPORTED) errors.shift();
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length && !options.signal?.aborted) {
      const path = pending[next++]!;
      progress.currentFile = path;
      report();
      try {
        const record = await readTrack(path, { ffmpegPath: options.ffmpegPath, coversDir: options.coversDir, analyse: options.analyse, signal: options.signal });
        if (options.signal?.aborted) break;
        store(path, record);
      } catch (error) {
        if (options.signal?.aborted) break;
        fail(path, error instanceof UnreadableFileError ? error.message : `could not be read (${error instanceof Error ? error.message : String(error)})`);
      }
      progress.filesDone += 1;
      doneThisRun += 1;
      const elapsedSec = (performance.now() - started) / 1000;
      const remaining = progress.filesTotal - progress.filesDone;
      progress.timeLeftSec = doneThisRun >= 3 ? Math.round((elapsedSec / doneThisRun) * remaining * 10) / 10 : null;
      if (changedIds.length >= 50) flushChanged();
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, () => worker()));

  if (options.signal?.aborted) {
    // Stopped because the app is closing: leave the job running, so the next start resumes it.
    if (options.signal.reason !== SCAN_PAUSED) {
      db.prepare(`UPDATE scan_jobs SET status = 'cancelled', finished_at = ? WHERE id = ?`).run(now(), jobId);
      db.prepare('DELETE FROM scan_queue WHERE job_id = ?').run(jobId);
    }
    progress.state = 'cancelled';
  } else {
    const remove = db.prepare('DELETE FROM tracks WHERE path = ?');
    db.transaction(() => {
      for (const path of removedSet) progress.removed += remove.run(path).changes;
      db.prepare(`UPDATE scan_jobs SET status = 'done', finished_at = ? WHERE id = ?`).run(now(), jobId);
      db.prepare('DELETE FROM scan_queue WHERE job_id = ?').run(jobId);
    })();
    progress.state = 'done';
  }
  if (progress.added + progress.removed + progress.updated > 0) refreshPlannerStatistics(db);
  flushChanged();
  progress.phase = 'finished';
  progress.currentFile = null;
  progress.timeLeftSec = progress.state === 'done' ? 0 : null;
  const final = { ...progress, errors: [...errors], errorCount };
  options.onProgress?.(final);
  return final;
}
