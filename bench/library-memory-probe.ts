/**
 * Run as its own process by the library-search bench: opens a library database with the
 * library service (as the app does), answers a set of searches and one track's details, and
 * prints its resident memory as JSON. A separate process, so nothing else is counted.
 */
import { openDatabase } from '../src/main/services/database/database';
import { LibraryService } from '../src/main/services/library/library-service';
import { createLogger } from '../src/main/services/log/logger';

const [dbFile, dataDir, ...queries] = process.argv.slice(2);
const logger = createLogger({ level: 'error' });
const { db } = openDatabase(dbFile!, logger);
const library = new LibraryService({ db, dataDir: dataDir!, logger, watch: false, onScanProgress: () => {}, onChanged: () => {}, onNowPlaying: () => {} });
for (const query of queries) {
  for (const sort of ['artist', 'bpm', 'title'] as const) library.store.searchTracks({ query, sort, descending: false, offset: 0, limit: 200 });
  library.store.searchTracks({ query, sort: 'artist', descending: false, offset: 5000, limit: 200 });
}
const first = library.store.search.page({ query: '', limit: 1 }).rows[0];
if (first) library.store.details(first.id, (kind, id) => `/media/${kind}/${id}`);
global.gc?.();
process.stdout.write(JSON.stringify({ rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed }) + '\n');
await library.close();
db.close();
