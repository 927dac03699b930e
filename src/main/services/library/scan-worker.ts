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

const port = parentPort;
if (port) {
  const data = workerData as ScanWorkerData;
  const controller = new AbortController();
  port.on('message', (message: { type: string }) => {
    if (message.type === 'cancel') controller.abort('cancelled');
    if (message.type === 'pause') controller.abort(SCAN_PAUSED);
  });
  const post = (message: ScanWorkerMessage): void => port.postMessage(message);
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
      // At most ~5 messages a second; the main side forwards them as events.
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
      port.close();
    });
}
