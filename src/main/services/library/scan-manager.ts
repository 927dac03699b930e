import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MixdeckError, type ScanProgress } from '../../../shared/contract';
import type { Logger } from '../log/logger';
import { startingProgress } from './scan-core';
import { startScanJob, type ScanWorkerData, type ScanWorkerMessage } from './scan-worker';

export interface ScanManagerOptions {
  dbFile: string;
  ffmpegPath: () => string;
  coversDir: string;
  logger: Logger;
  onProgress: (progress: ScanProgress) => void;
  onTracksChanged: (trackIds: number[]) => void;
  analyse?: boolean;
}

/** What the manager needs of a worker: Node's Worker, or the in-process stand-in below. */
interface ScanRunner {
  postMessage(message: { type: 'cancel' | 'pause' }): void;
  on(event: 'message', listener: (message: ScanWorkerMessage) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit', listener: () => void): this;
  terminate(): Promise<number>;
}

/**
 * The same scan job in this thread, for a bundled build that does not ship the worker file:
 * slower to answer while it analyses, but it scans rather than fails.
 */
export class InProcessScan extends EventEmitter implements ScanRunner {
  private readonly stop: (how: 'cancel' | 'pause') => void;
  constructor(data: ScanWorkerData) {
    super();
    this.stop = startScanJob(
      data,
      (message) => setImmediate(() => this.emit('message', message)),
      () => setImmediate(() => this.emit('exit')),
    );
  }
  postMessage(message: { type: 'cancel' | 'pause' }): void {
    this.stop(message.type);
  }
  terminate(): Promise<number> {
    this.stop('pause');
    return Promise.resolve(0);
  }
}

/**
 * Starts the scan in a worker thread. From the sources (tests, the CLI, the web host run
 * through tsx) the worker registers tsx before importing the TypeScript file; in a bundled
 * build it is the compiled scan-worker.js beside this module, when the build ships it.
 */
function startWorker(data: ScanWorkerData, logger: Logger): ScanRunner {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL('./scan-worker.ts', here).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(bootstrap, { eval: true, workerData: { ...data, scanWorker: true } });
  }
  const compiled = new URL('./scan-worker.js', here);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: { ...data, scanWorker: true } });
  logger.warn('the scan worker is not in this build; scanning in the main thread');
  return new InProcessScan(data);
}

/** One scan at a time, in a worker thread; progress and changes come back as callbacks. */
export class ScanManager {
  private worker: ScanRunner | null = null;
  private last: ScanProgress | null = null;
  private finished: Promise<void> = Promise.resolve();

  constructor(private readonly options: ScanManagerOptions) {}

  get running(): boolean {
    return this.worker !== null;
  }

  status(): ScanProgress | null {
    return this.last;
  }

  /** Starts a scan (or answers with the one already running). */
  start(folderIds?: number[]): ScanProgress {
    if (this.worker && this.last) return this.last;
    let ffmpegPath: string;
    try {
      ffmpegPath = this.options.ffmpegPath();
    } catch (error) {
      throw new MixdeckError('unavailable', `Scanning needs ffmpeg: ${error instanceof Error ? error.message : String(error)}`);
    }
    const worker = startWorker({ dbFile: this.options.dbFile, ffmpegPath, coversDir: this.options.coversDir, folderIds, analyse: this.options.analyse }, this.options.logger);
    this.worker = worker;
    this.last = startingProgress();
    this.finished = new Promise<void>((resolveFinished) => {
      const done = (progress: ScanProgress): void => {
        this.last = progress;
        this.options.onProgress(progress);
      };
      worker.on('message', (message: ScanWorkerMessage) => {
        if (message.type === 'progress') done(message.progress);
        else if (message.type === 'changed') this.options.onTracksChanged(message.trackIds);
        else if (message.type === 'finished') done(message.progress);
        else done({ ...this.last!, state: 'failed', phase: 'finished', currentFile: null, failure: message.message });
      });
      worker.on('error', (error) => {
        this.options.logger.error('library scan worker failed', { error });
        done({ ...this.last!, state: 'failed', phase: 'finished', currentFile: null, failure: error.message });
      });
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = null;
        if (this.last?.state === 'running') done({ ...this.last, state: 'failed', phase: 'finished', currentFile: null, failure: 'The scan stopped unexpectedly; it resumes on the next scan.' });
        resolveFinished();
      });
    });
    return this.last;
  }

  /** Resolves when the current scan (if any) has ended. */
  whenIdle(): Promise<void> {
    return this.finished;
  }

  cancel(): boolean {
    if (!this.worker) return false;
    this.worker.postMessage({ type: 'cancel' });
    return true;
  }

  /** Stops for shutdown; the scan's queue stays, so the next start resumes it. */
  async close(): Promise<void> {
    if (!this.worker) return;
    const worker = this.worker;
    worker.postMessage({ type: 'pause' });
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await this.finished;
    clearTimeout(timer);
  }
}
