import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  LibraryFolder,
  LibrarySortColumn,
  MixdeckClient,
  Playlist,
  ScanProgress,
  TrackSummary,
} from '../../shared/contract';

/**
 * The library screen's state: the search, a sparse window cache of its rows (pages fetched
 * through `library.search` offset/limit as the list scrolls, so 100,000 tracks cost only the
 * rows on screen), the scan's progress, folders and playlists.
 */

export const PAGE_SIZE = 200;
/** Pages kept in memory; the farthest from the last request are dropped first. */
const MAX_PAGES = 60;
/**
 * Page requests on their way at once while scrolling. A fling through 100,000 rows passes
 * hundreds of pages; only the ones in view when a request slot frees up are asked for.
 */
const MAX_SCROLL_REQUESTS = 2;

export type LibraryView = { kind: 'library' } | { kind: 'playlist'; id: number };
export type ListRow = TrackSummary & { entryId?: number | null };

export interface LibraryState {
  view: LibraryView;
  query: string;
  sort: LibrarySortColumn;
  descending: boolean;
  /** Rows matching, null before the first answer. */
  total: number | null;
  problems: string[];
  searchError: string | null;
  searching: boolean;
  /** Bumped when rows arrive, so the table redraws. */
  rowsVersion: number;
  /** Row indices the user selected in the list. */
  selected: ReadonlySet<number>;
  anchor: number | null;
  scan: ScanProgress | null;
  folders: LibraryFolder[];
  playlists: Playlist[];
  /** The playlist that "add to playlist" (Ctrl+Shift+A) puts tracks in. */
  addTargetId: number | null;
  /** Tracks in the whole library (empty query), to tell an empty library from an empty search. */
  libraryTotal: number | null;
  message: { level: 'info' | 'error'; text: string } | null;
}

export interface LibraryActions {
  start(): () => void;
  setQuery(query: string): void;
  setSort(column: LibrarySortColumn): void;
  setView(view: LibraryView): void;
  rowAt(index: number): ListRow | undefined;
  ensureRows(first: number, last: number): void;
  /** Rows from `first`, fetching what is missing, at most `count` (to fill a play queue). */
  collectRows(first: number, count: number): Promise<ListRow[]>;
  selectRow(index: number, mode: 'only' | 'toggle' | 'range'): void;
  selectedRows(): ListRow[];
  refresh(): void;
  addFolder(path: string): Promise<boolean>;
  scanAll(): Promise<void>;
  cancelScan(): Promise<void>;
  reloadPlaylists(): Promise<void>;
  createPlaylist(name: string, kind: 'playlist' | 'crate', trackIds?: number[]): Promise<void>;
  createSmartPlaylist(name: string): Promise<void>;
  renamePlaylist(id: number, name: string): Promise<void>;
  deletePlaylist(id: number): Promise<void>;
  reorderPlaylists(ids: number[]): Promise<void>;
  addToPlaylist(id: number, trackIds: number[]): Promise<void>;
  moveEntries(entryIds: number[], toIndex: number): Promise<void>;
  removeEntries(entryIds: number[]): Promise<void>;
  importM3u8(fileName: string, text: string): Promise<void>;
  exportM3u8(id: number): Promise<{ fileName: string; text: string } | null>;
  setAddTarget(id: number | null): void;
  rate(trackId: number, rating: number): Promise<void>;
  say(level: 'info' | 'error', text: string): void;
}

export type LibraryStore = StoreApi<LibraryState & LibraryActions>;

function sentence(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createLibraryStore(client: MixdeckClient): LibraryStore {
  let pages = new Map<number, ListRow[]>();
  /** After a refresh, the previous rows stay on screen until their fresh copies arrive (no flicker). */
  let stalePages = new Map<number, ListRow[]>();
  const inFlight = new Map<number, Promise<void>>();
  /** Bumped by every new search or view: answers for an older one are dropped. */
  let generation = 0;

  return createStore<LibraryState & LibraryActions>((set, get) => {
    function fetchPage(page: number): Promise<void> {
      if (pages.has(page)) return Promise.resolve();
      const running = inFlight.get(page);
      if (running) return running;
      const asked = generation;
      const loading = loadPage(page, asked).finally(() => {
        if (inFlight.get(page) === loading) inFlight.delete(page);
      });
      inFlight.set(page, loading);
      return loading;
    }

    async function loadPage(page: number, asked: number): Promise<void> {
      const { view, query, sort, descending } = get();
      try {
        if (view.kind === 'library') {
          const answer = await client.call('library.search', { query, sort, descending, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
          if (asked !== generation) return;
          pages.set(page, answer.rows);
          set({ total: answer.total, problems: answer.problems, searchError: null });
          if (query.trim() === '') set({ libraryTotal: answer.total });
        } else {
          const answer = await client.call('library.playlists.tracks', { id: view.id, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
          if (asked !== generation) return;
          pages.set(page, answer.rows);
          set({ total: answer.total, problems: [], searchError: null });
        }
        if (pages.size > MAX_PAGES) {
          const far = [...pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
          for (const stale of far.slice(0, pages.size - MAX_PAGES)) pages.delete(stale);
        }
        set((state) => ({ rowsVersion: state.rowsVersion + 1, searching: false }));
      } catch (error) {
        if (asked === generation) set({ searchError: sentence(error), searching: false });
      }
    }

    /** The rows in view, as the list last said; the pump fetches only these. */
    let wanted = { first: 0, last: -1 };
    let scrollRequests = 0;
    function pump(): void {
      const from = Math.max(0, Math.floor(wanted.first / PAGE_SIZE));
      const to = Math.floor(Math.max(wanted.first, wanted.last) / PAGE_SIZE);
      for (let page = from; page <= to && scrollRequests < MAX_SCROLL_REQUESTS; page += 1) {
        if (pages.has(page) || inFlight.has(page)) continue;
        scrollRequests += 1;
        void fetchPage(page).finally(() => {
          scrollRequests -= 1;
          pump();
        });
      }
    }

    function restart(keepSelection = false): void {
      generation += 1;
      stalePages = keepSelection ? pages : new Map();
      pages = new Map();
      inFlight.clear();
      set((state) => ({
        searching: true,
        rowsVersion: state.rowsVersion + 1,
        selected: keepSelection ? state.selected : new Set<number>(),
        anchor: keepSelection ? state.anchor : null,
      }));
      void fetchPage(0);
      // A refresh keeps the scroll position: the rows in view are asked for again too.
      if (keepSelection) pump();
    }

    async function guard(action: () => Promise<void>): Promise<void> {
      try {
        await action();
      } catch (error) {
        get().say('error', sentence(error));
      }
    }

    return {
      view: { kind: 'library' },
      query: '',
      sort: 'artist',
      descending: false,
      total: null,
      problems: [],
      searchError: null,
      searching: false,
      rowsVersion: 0,
      selected: new Set<number>(),
      anchor: null,
      scan: null,
      folders: [],
      playlists: [],
      addTargetId: null,
      libraryTotal: null,
      message: null,

      start() {
        let lastRefreshMs = 0;
        const offProgress = client.on('library.scanProgress', (progress) => {
          set({ scan: progress });
          // New tracks show up while the scan runs (at most every 1.5 s), and once more when it ends.
          const now = Date.now();
          if (progress.state !== 'running' || now - lastRefreshMs > 1500) {
            lastRefreshMs = now;
            get().refresh();
          }
          if (progress.state !== 'running') {
            void client.call('library.folders.list', {}).then(({ folders }) => set({ folders }), () => undefined);
          }
        });
        const offChanged = client.on('library.changed', (change) => {
          if (change.what === 'tracks') get().refresh();
          if (change.what === 'playlists') {
            void get().reloadPlaylists();
            if (get().view.kind === 'playlist') get().refresh();
          }
          if (change.what === 'folders') {
            void client.call('library.folders.list', {}).then(({ folders }) => set({ folders }), () => undefined);
          }
        });
        void client.call('library.scanStatus', {}).then(({ progress }) => set({ scan: progress }), () => undefined);
        void client.call('library.folders.list', {}).then(({ folders }) => set({ folders }), () => undefined);
        void get().reloadPlaylists();
        restart();
        return () => {
          offProgress();
          offChanged();
        };
      },

      setQuery(query) {
        if (query === get().query && get().view.kind === 'library') return;
        set({ query, view: { kind: 'library' } });
        restart();
      },

      setSort(column) {
        const { sort, descending } = get();
        set({ sort: column, descending: column === sort ? !descending : false });
        restart();
      },

      setView(view) {
        set({ view, total: null });
        restart();
      },

      rowAt(index) {
        const page = Math.floor(index / PAGE_SIZE);
        return (pages.get(page) ?? stalePages.get(page))?.[index % PAGE_SIZE];
      },

      ensureRows(first, last) {
        wanted = { first, last };
        pump();
      },

      async collectRows(first, count) {
        const total = get().total ?? 0;
        const last = Math.min(total, first + count) - 1;
        const wanted: Promise<void>[] = [];
        for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page += 1) wanted.push(fetchPage(page));
        await Promise.all(wanted);
        const rows: ListRow[] = [];
        for (let index = first; index <= last; index += 1) {
          const row = get().rowAt(index);
          if (row) rows.push(row);
        }
        return rows;
      },

      selectRow(index, mode) {
        const { selected, anchor } = get();
        if (mode === 'only') set({ selected: new Set([index]), anchor: index });
        else if (mode === 'toggle') {
          const next = new Set(selected);
          if (next.has(index)) next.delete(index);
          else next.add(index);
          set({ selected: next, anchor: index });
        } else {
          const from = Math.min(anchor ?? index, index);
          const to = Math.max(anchor ?? index, index);
          const next = new Set<number>();
          for (let row = from; row <= to && row - from < 10_000; row += 1) next.add(row);
          set({ selected: next });
        }
      },

      selectedRows() {
        return [...get().selected]
          .sort((a, b) => a - b)
          .map((index) => get().rowAt(index))
          .filter((row): row is ListRow => row !== undefined);
      },

      refresh() {
        restart(true);
      },

      async addFolder(path) {
        try {
          const { folders } = await client.call('library.folders.add', { path, scan: true });
          set({ folders });
          get().say('info', `Added ${path}; scanning it now.`);
          return true;
        } catch (error) {
          get().say('error', sentence(error));
          return false;
        }
      },

      scanAll: () =>
        guard(async () => {
          set({ scan: await client.call('library.scan', {}) });
        }),

      cancelScan: () =>
        guard(async () => {
          await client.call('library.cancelScan', {});
        }),

      reloadPlaylists: () =>
        guard(async () => {
          const { playlists } = await client.call('library.playlists.list', {});
          const target = get().addTargetId;
          set({ playlists, addTargetId: playlists.some((list) => list.id === target) ? target : null });
        }),

      createPlaylist: (name, kind, trackIds = []) =>
        guard(async () => {
          const playlist = await client.call('library.playlists.create', { name, kind, trackIds });
          await get().reloadPlaylists();
          set({ addTargetId: playlist.id });
        }),

      createSmartPlaylist: (name) =>
        guard(async () => {
          const { query, sort, descending } = get();
          const playlist = await client.call('library.playlists.createSmart', { name, query, sort, descending });
          await get().reloadPlaylists();
          get().say('info', `Saved “${playlist.name}”: ${playlist.trackCount} tracks match now, and it follows the library.`);
        }),

      renamePlaylist: (id, name) =>
        guard(async () => {
          await client.call('library.playlists.update', { id, name });
          await get().reloadPlaylists();
        }),

      deletePlaylist: (id) =>
        guard(async () => {
          await client.call('library.playlists.delete', { id });
          const { view } = get();
          if (view.kind === 'playlist' && view.id === id) get().setView({ kind: 'library' });
          await get().reloadPlaylists();
        }),

      reorderPlaylists: (ids) =>
        guard(async () => {
          // Shown at once; main's answer is the truth.
          const byId = new Map(get().playlists.map((list) => [list.id, list]));
          set({ playlists: ids.map((id) => byId.get(id)).filter((list): list is Playlist => list !== undefined) });
          const { playlists } = await client.call('library.playlists.reorder', { ids });
          set({ playlists });
        }),

      addToPlaylist: (id, trackIds) =>
        guard(async () => {
          if (trackIds.length === 0) return;
          const playlist = await client.call('library.playlists.addTracks', { id, trackIds });
          get().say('info', `Added ${trackIds.length === 1 ? 'one track' : `${trackIds.length} tracks`} to “${playlist.name}”.`);
          await get().reloadPlaylists();
          const { view } = get();
          if (view.kind === 'playlist' && view.id === id) get().refresh();
        }),

      moveEntries: (entryIds, toIndex) =>
        guard(async () => {
          const { view } = get();
          if (view.kind !== 'playlist' || entryIds.length === 0) return;
          await client.call('library.playlists.moveEntries', { id: view.id, entryIds, toIndex });
          restart();
        }),

      removeEntries: (entryIds) =>
        guard(async () => {
          const { view } = get();
          if (view.kind !== 'playlist' || entryIds.length === 0) return;
          await client.call('library.playlists.removeEntries', { id: view.id, entryIds });
          restart();
          await get().reloadPlaylists();
        }),

      importM3u8: (fileName, text) =>
        guard(async () => {
          const name = fileName.replace(/\.m3u8?$/i, '').trim().slice(0, 200) || 'Imported playlist';
          const answer = await client.call('library.playlists.importM3u8', { name, text });
          await get().reloadPlaylists();
          const missing = answer.missing.length;
          get().say(
            missing > 0 ? 'error' : 'info',
            `Imported “${answer.playlist.name}”: ${answer.matched} tracks found${missing > 0 ? `, ${missing} not in the library (first: ${answer.missing[0]})` : ''}.`,
          );
        }),

      async exportM3u8(id) {
        try {
          return await client.call('library.playlists.exportM3u8', { id });
        } catch (error) {
          get().say('error', sentence(error));
          return null;
        }
      },

      rate: (trackId, rating) =>
        guard(async () => {
          // main answers with library.changed, which redraws the rows in view.
          await client.call('library.rate', { trackId, rating });
        }),

      setAddTarget(id) {
        set({ addTargetId: id });
      },

      say(level, text) {
        set({ message: { level, text } });
      },
    };
  });
}
