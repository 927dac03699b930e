import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../../shared/contract';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { LibraryService } from './library-service';
import { InProcessScan } from './scan-manager';
import type { ScanWorkerMessage } from './scan-worker';

const temps: { remove(): void }[] = [];
afterEach(() => temps.splice(0).forEach((temp) => temp.remove()));

function tone(path: string, title: string, seconds = 2): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-metadata', `title=${title}`, '-metadata', 'artist=Tester', path]);
}

describe('LibraryService', () => {
  it('scans a folder in a worker thread, reports progress, and plays nothing twice on a second scan', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const music = join(temp.path, 'music');
    mkdirSync(music);
    tone(join(music, 'a.mp3'), 'Alpha');
    tone(join(music, 'b.flac'), 'Bravo');
    const { db } = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' }));
    const progress: ScanProgress[] = [];
    const library = new LibraryService({
      db,
      dataDir: temp.path,
      logger: createLogger({ level: 'error' }),
      onScanProgress: (value) => progress.push(value),
      onChanged: () => {},
      onNowPlaying: () => {},
      watch: false,
    });
    const folder = library.addFolder(music);
    library.scan([folder.id]);
    await library.scans.whenIdle();
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ state: 'done', filesDone: 2, filesTotal: 2, added: 2, errorCount: 0 });
    const result = library.store.searchTracks({ query: 'artist:tester', sort: 'title', descending: false, offset: 0, limit: 10 });
    expect(result.rows.map((row) => row.title)).toEqual(['Alpha', 'Bravo']);
    library.scan();
    await library.scans.whenIdle();
    expect(progress.at(-1)).toMatchObject({ state: 'done', filesTotal: 0, added: 0 });
    expect(db.prepare('SELECT count(*) FROM tracks').pluck().get()).toBe(2);
    await library.close();
    db.close();
  }, 60_000);

  it('watches its folders: new, moved and deleted files are noticed, and a moved file keeps its track', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const music = join(temp.path, 'music');
    mkdirSync(join(music, 'sub'), { recursive: true });
    tone(join(music, 'first.mp3'), 'First');
    const { db } = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' }));
    const library = new LibraryService({
      db,
      dataDir: temp.path,
      logger: createLogger({ level: 'error' }),
      onScanProgress: () => {},
      onChanged: () => {},
      onNowPlaying: () => {},
      watchSettleMs: 300,
    });
    const titles = (): string[] => (db.prepare(`SELECT title FROM tracks WHERE status = 'ok' ORDER BY title`).pluck().all() as string[]);
    const waitFor = async (check: () => boolean): Promise<void> => {
      for (let attempt = 0; attempt < 150 && !check(); attempt += 1) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      expect(check()).toBe(true);
    };
    const folder = library.addFolder(music);
    library.scan([folder.id]);
    await library.scans.whenIdle();
    await library.watcher!.ready();
    expect(titles()).toEqual(['First']);
    const firstId = db.prepare(`SELECT id FROM tracks WHERE title = 'First'`).pluck().get();

    tone(join(temp.path, 'second.tmp.mp3'), 'Second');
    renameSync(join(temp.path, 'second.tmp.mp3'), join(music, 'second.mp3'));
    await waitFor(() => titles().join() === 'First,Second');

    renameSync(join(music, 'first.mp3'), join(music, 'sub', 'first-moved.mp3'));
    await waitFor(() => db.prepare('SELECT path FROM tracks WHERE id = ?').pluck().get(firstId) === join(music, 'sub', 'first-moved.mp3'));
    expect(db.prepare('SELECT count(*) FROM tracks').pluck().get()).toBe(2);

    unlinkSync(join(music, 'second.mp3'));
    await waitFor(() => titles().join() === 'First');
    await library.close();
    db.close();
  }, 60_000);

  it('scans in the main thread when a bundled build lacks the worker file, with the same messages', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const music = join(temp.path, 'music');
    mkdirSync(music);
    tone(join(music, 'solo.ogg'), 'Solo');
    const { db } = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' }));
    db.prepare('INSERT INTO library_folders (path, added_at) VALUES (?, 0)').run(music);
    const messages: ScanWorkerMessage[] = [];
    const runner = new InProcessScan({ dbFile: db.name, ffmpegPath: 'ffmpeg', coversDir: join(temp.path, 'covers') });
    runner.on('message', (message: ScanWorkerMessage) => messages.push(message));
    await new Promise<void>((resolveExit) => runner.on('exit', () => resolveExit()));
    expect(messages.at(-1)).toMatchObject({ type: 'finished', progress: { state: 'done', added: 1 } });
    expect(db.prepare('SELECT title FROM tracks').pluck().all()).toEqual(['Solo']);
    db.close();
  }, 30_000);
});
