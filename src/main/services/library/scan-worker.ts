/**
 * Runs a scan in a worker thread, with its own connection to the library database, so tag
 * reading and analysis never block the main process (playback, search, the UI's calls).
 * Messages in: { type: 'cancel' | 'pause' }. Out: progress, changed track ids, the end.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanProgress } from '../../../shared/contract';
import { runScan, SCAN_PAUSED } from './scan-core';

export interface ScanWorkerData {
  dbFile: string;
  ffmpegPath: string;
  coversDir: string;
  folderIds?: number[];
  analyse?: boolean;
}

export type ScanWorkerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'changed'; trackIds: number[] }
  | { type: 'finished'; progress: ScanProgress }
  | { type: 'failed'; message: string };

/**
 * One scan job: its own database connection, progress at most ~5 times a second. Returns
 * the function that stops it ('cancel' ends the job, 'pause' keeps its queue for a resume).
 */
export function startScanJob(data: ScanWorkerData, post: (message: ScanWorkerMessage) => void, done: () => void): (how: 'cancel' | 'pause') => void {
  const controller = new AbortController();
  let lastProgressAt = 0;
  const db = new Database(data.dbFile);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  runScan(db, {
    ffmpegPath: data.ffmpegPath,
    coversDir: data.coversDir,
    folderIds: data.folderIds,
    analyse: data.analyse,
    signal: controller.signal,
    onProgress: (progress) => {
      const at = performance.now();
      if (at - lastProgressAt >= 200 || progress.phase === 'finished') {
        lastProgressAt = at;
        post({ type: 'progress', progress });
      }
    },
    onTracksChanged: (trackIds) => post({ type: 'changed', trackIds }),
  })
    .then((progress) => post({ type: 'finished', progress }))
    .catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }))
    .finally(() => {
      db.close();
      done();
    });
  return (how) => controller.abort(how === 'pause' ? SCAN_PAUSED : 'cancelled');
}

// Only when started as the scan worker (the module is also imported by the manager, which may
// itself run inside some other worker thread, such as a test runner's).
const port = parentPort;
if (port && (workerData as { scanWorker?: boolean } | null)?.scanWorker === true) {
  const stop = startScanJob(workerData as ScanWorkerData, (message) => port.postMessage(message), () => port.close());
  port.on('message', (message: { type: string }) => {
    if (message.type === 'cancel') stop('cancel');
    if (message.type === 'pause') stop('pause');
  });
}
