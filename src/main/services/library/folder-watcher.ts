import { watch, type FSWatcher } from 'chokidar';
import { extname } from 'node:path';
import { AUDIO_EXTENSIONS } from '../media/content-types';
import type { Logger } from '../log/logger';

export interface FolderWatcherOptions {
  logger: Logger;
  /** Rescan these folders (the scan is incremental: unchanged files are skipped, moves keep their track). */
  rescan: (folderIds: number[]) => void;
  /** True while a scan runs; changes seen meanwhile are rescanned when it ends. */
  isScanning: () => boolean;
  /** Quiet time after the last change before rescanning (a copy of an album is many events). */
  settleMs?: number;
}

/**
 * Watches the library folders for new, changed, moved and deleted audio files (and .lrc
 * lyrics beside them), and rescans a folder once the changes settle.
 */
export class FolderWatcher {
  private readonly watchers = new Map<number, FSWatcher>();
  private readonly readiness = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FolderWatcherOptions) {}

  /** Watches exactly these folders (starting and stopping watchers as needed). */
  sync(folders: readonly { id: number; path: string; watching: boolean }[]): void {
    const wanted = new Map(folders.filter((folder) => folder.watching).map((folder) => [folder.id, folder.path]));
    for (const [id, watcher] of this.watchers) {
      if (!wanted.has(id)) {
        void watcher.close();
        this.watchers.delete(id);
        this.readiness.delete(id);
      }
    }
    for (const [id, path] of wanted) {
      if (this.watchers.has(id)) continue;
      const watcher = watch(path, {
        ignoreInitial: true,
        ignored: (file, stats) => (stats?.isFile() ?? false) && !AUDIO_EXTENSIONS.has(extname(file).toLowerCase()) && extname(file).toLowerCase() !== '.lrc',
        awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 100 },
      });
      this.readiness.set(id, new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady())));
      const changed = (): void => this.markDirty(id);
      watcher.on('add', changed).on('change', changed).on('unlink', changed).on('unlinkDir', changed);
      watcher.on('error', (error) => this.options.logger.warn('folder watcher error', { path, error }));
      this.watchers.set(id, watcher);
    }
  }

  /** Resolves when every watcher has done its first walk (changes after this are seen). */
  async ready(): Promise<void> {
    await Promise.all(this.readiness.values());
  }

  /** A scan just ended: anything seen during it is rescanned now. */
  scanEnded(): void {
    if (this.dirty.size > 0) this.schedule();
  }

  private markDirty(folderId: number): void {
    this.dirty.add(folderId);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.options.isScanning()) return this.schedule(); // try again once the scan is over
      const folderIds = [...this.dirty];
      this.dirty.clear();
      if (folderIds.length > 0) this.options.rescan(folderIds);
    }, this.options.settleMs ?? 1000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([...this.watchers.values()].map((watcher) => watcher.close()));
    this.watchers.clear();
    this.readiness.clear();
  }
}
