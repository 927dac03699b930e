import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../../shared/contract';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { LibraryService } from './library-service';

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
});
