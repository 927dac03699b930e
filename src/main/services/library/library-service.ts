import type Database from 'better-sqlite3';
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MixdeckError, type ScanProgress, type TrackSummary } from '../../../shared/contract';
import type { Logger } from '../log/logger';
import { systemFolderReason } from '../files/system-folders';
import { resolveFfmpeg } from '../media/ffmpeg-path';
import { FolderWatcher } from './folder-watcher';
import { LibraryStore } from './library-store';
import { MediaFiles } from './media-files';
import { PlaylistStore } from './playlist-store';
import { ScanManager } from './scan-manager';

export interface LibraryServiceOptions {
  db: Database.Database;
  dataDir: string;
  logger: Logger;
  onScanProgress: (progress: ScanProgress) => void;
  onChanged: (what: 'tracks' | 'folders' | 'playlists' | 'history', trackIds?: number[]) => void;
  onNowPlaying: (track: TrackSummary | null, startedAt: number | null) => void;
  /** Defaults to resolving ffmpeg (FFMPEG_PATH, ffmpeg-static, PATH). */
  ffmpegPath?: () => string;
  analyse?: boolean;
  /** Watch the folders for changes (default true). */
  watch?: boolean;
  watchSettleMs?: number;
}

/** The library, assembled: storage, playlists, media access and the scanner. */
export class LibraryService {
  readonly store: LibraryStore;
  readonly playlists: PlaylistStore;
  readonly media: MediaFiles;
  readonly scans: ScanManager;
  readonly coversDir: string;
  readonly watcher: FolderWatcher | null;

  constructor(private readonly options: LibraryServiceOptions) {
    this.store = new LibraryStore(options.db);
    this.playlists = new PlaylistStore(options.db, this.store.search);
    this.coversDir = join(options.dataDir, 'covers');
    this.media = new MediaFiles(options.db, this.coversDir);
    let ffmpeg: string | null = null;
    this.scans = new ScanManager({
      dbFile: options.db.name,
      ffmpegPath: options.ffmpegPath ?? (() => (ffmpeg ??= resolveFfmpeg().path)),
      coversDir: this.coversDir,
      logger: options.logger,
      analyse: options.analyse,
      onProgress: (progress) => {
        options.onScanProgress(progress);
        if (progress.phase === 'finished') this.watcher?.scanEnded();
      },
      onTracksChanged: (trackIds) => options.onChanged('tracks', trackIds.length <= 500 ? trackIds : undefined),
    });
    this.watcher =
      options.watch === false
        ? null
        : new FolderWatcher({
            logger: options.logger,
            settleMs: options.watchSettleMs,
            isScanning: () => this.scans.running,
            rescan: (folderIds) => {
              try {
                this.scans.start(folderIds);
              } catch (error) {
                options.logger.warn('could not rescan a changed folder', { error });
              }
            },
          });
    this.watcher?.sync(this.store.folders());
  }

  /** A scan a crash or a quit interrupted, waiting to be resumed. */
  hasInterruptedScan(): boolean {
    return this.options.db.prepare(`SELECT 1 FROM scan_jobs WHERE status = 'running' LIMIT 1`).get() !== undefined;
  }

  addFolder(path: string): ReturnType<LibraryStore['addFolder']> {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) throw new MixdeckError('not-found', `There is no folder "${path}".`);
    if (!stats.isDirectory()) throw new MixdeckError('invalid-input', `"${path}" is a file, not a folder.`);
    // Whatever the caller asked (scan or not): watching `/` alone walks the whole disk.
    const systemReason = systemFolderReason(path) ?? systemFolderReason(realpathSync(path));
    if (systemReason) throw new MixdeckError('invalid-input', systemReason);
    const folder = this.store.addFolder(path);
    this.watcher?.sync(this.store.folders());
    this.options.onChanged('folders');
    return folder;
  }

  removeFolder(id: number): number {
    if (this.scans.running) throw new MixdeckError('conflict', 'A scan is running; cancel it or wait for it before removing a folder.');
    const removed = this.store.removeFolder(id);
    this.watcher?.sync(this.store.folders());
    this.options.onChanged('folders');
    if (removed > 0) this.options.onChanged('tracks');
    return removed;
  }

  scan(folderIds?: number[]): ScanProgress {
    const known = new Set(this.store.folders().map((folder) => folder.id));
    const unknown = folderIds?.find((id) => !known.has(id));
    if (unknown !== undefined) throw new MixdeckError('not-found', `There is no library folder ${unknown}.`);
    if (known.size === 0) throw new MixdeckError('invalid-input', 'Add a music folder first; there is nothing to scan.');
    return this.scans.start(folderIds);
  }

  nowPlaying(trackId: number | null): void {
    if (trackId === null) return this.options.onNowPlaying(null, null);
    this.options.onNowPlaying(this.store.summary(trackId), Date.now());
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    await this.scans.close();
  }
}
