import { mediaPath, type libraryCalls, type MediaKind } from '../../shared/contract';
import { karaokeMediaUrl } from '../services/karaoke/karaoke-library';
import { LibraryService } from '../services/library/library-service';
import { PlaylistStore } from '../services/library/playlist-store';
import type { Capability, CapabilityContext } from './capability';

/** Binds main/services/library to the contract's library calls. */
export function createLibraryCapability(context: CapabilityContext): Capability<typeof libraryCalls> & { readonly library: LibraryService } {
  const logger = context.logger.child('library');
  const library = new LibraryService({
    db: context.db,
    dataDir: context.dataDir,
    logger,
    onScanProgress: (progress) => context.events.emit('library.scanProgress', progress),
    onChanged: (what, trackIds) => context.events.emit('library.changed', trackIds ? { what, trackIds } : { what }),
    onNowPlaying: (track, startedAt) => context.events.emit('library.nowPlayingChanged', { track, startedAt }),
  });
  const { store, playlists } = library;
  context.paths.addReadRoots(() => store.folders().map((folder) => folder.path));
  // Karaoke songs are library tracks too, but their audio lives in the song's folder, outside the
  // library folders `/media/track/` serves: the library player gets karaoke's own media URL for them.
  const karaokeSongPath = context.db.prepare<[number], { path: string | null }>('SELECT karaoke_song_path AS path FROM tracks WHERE id = ?');
  const mediaUrlOf = (kind: MediaKind, trackId: number): string =>
    kind === 'track' && karaokeSongPath.get(trackId)?.path ? karaokeMediaUrl(trackId, 'audio') : mediaPath(kind, trackId);
  const changedPlaylists = <T>(value: T): T => {
    context.events.emit('library.changed', { what: 'playlists' });
    return value;
  };

  // A scan a crash or quit interrupted resumes by itself, a moment after start-up.
  const resumeTimer = setTimeout(() => {
    if (!library.hasInterruptedScan()) return;
    try {
      library.scans.start();
      logger.info('resuming an interrupted library scan');
    } catch (error) {
      logger.warn('could not resume the library scan', { error });
    }
  }, 2000);
  resumeTimer.unref();

  return {
    library,
    handlers: {
      'library.search': (input) => store.searchTracks(input),
      'library.track': ({ id }) => store.details(id, mediaUrlOf),
      'library.mediaUrls': ({ id }) => {
        const summary = store.summary(id);
        return { audioUrl: mediaUrlOf('track', id), coverUrl: summary.hasCover ? mediaPath('cover', id) : null };
      },
      'library.mediaFile': ({ kind, id }) => library.media.resolve(kind, id),
      'library.browse': ({ by, offset, limit }) => store.browse(by, offset, limit),
      'library.folders.list': () => ({ folders: store.folders() }),
      'library.folders.add': ({ path, scan }) => {
        // A folder listed in Settings was picked by the user in an earlier run.
        if (!context.settings.get().folders.music.includes(path)) context.paths.readableFolder(path, 'Music folder');
        const folder = library.addFolder(path);
        if (scan && !library.scans.running) library.scan([folder.id]);
        return { folder, folders: store.folders() };
      },
      'library.folders.remove': ({ id }) => {
        const removedTracks = library.removeFolder(id);
        return { folders: store.folders(), removedTracks };
      },
      'library.scan': ({ folderIds }) => library.scan(folderIds),
      'library.cancelScan': () => ({ cancelled: library.scans.cancel() }),
      'library.scanStatus': () => ({ progress: library.scans.status() }),
      'library.unreadable': ({ offset, limit }) => store.unreadable(offset, limit),
      'library.playlists.list': () => ({ playlists: playlists.list() }),
      'library.playlists.create': ({ name, kind, trackIds }) => changedPlaylists(playlists.create(name, kind, trackIds)),
      'library.playlists.createSmart': ({ name, query, sort, descending }) => changedPlaylists(playlists.createSmart(name, query, sort, descending)),
      'library.playlists.update': ({ id, ...change }) => changedPlaylists(playlists.update(id, change)),
      'library.playlists.delete': ({ id }) => {
        playlists.delete(id);
        return changedPlaylists({ ok: true as const });
      },
      'library.playlists.reorder': ({ ids }) => changedPlaylists({ playlists: playlists.reorder(ids) }),
      'library.playlists.tracks': ({ id, offset, limit }) => playlists.entries(id, offset, limit),
      'library.playlists.addTracks': ({ id, trackIds, atIndex }) => changedPlaylists(playlists.addTracks(id, trackIds, atIndex ?? null)),
      'library.playlists.removeEntries': ({ id, entryIds }) => changedPlaylists(playlists.removeEntries(id, entryIds)),
      'library.playlists.moveEntries': ({ id, entryIds, toIndex }) => changedPlaylists(playlists.moveEntries(id, entryIds, toIndex)),
      'library.playlists.importM3u8': async ({ name, text, basePath, path }) => {
        const { readFile } = await import('node:fs/promises');
        const { basename, extname } = await import('node:path');
        const content = text ?? (await readFile(context.paths.readableFile(path!, 'Playlist'), 'utf8'));
        const base = basePath ?? (path ? PlaylistStore.baseDirOf(path) : null);
        const fallbackName = path ? basename(path, extname(path)) : 'Imported playlist';
        return changedPlaylists(playlists.importM3u(name ?? fallbackName, content, base));
      },
      'library.playlists.exportM3u8': ({ id, relativeTo }) => playlists.exportM3u(id, relativeTo ?? null),
      'library.history.record': ({ trackId, outcome, playedSec, context: where }) => {
        const counts = store.recordPlay(trackId, outcome, playedSec, where);
        context.events.emit('library.changed', { what: 'history', trackIds: [trackId] });
        return counts;
      },
      'library.history.list': ({ offset, limit }) => store.history(offset, limit),
      'library.nowPlaying': ({ trackId }) => {
        library.nowPlaying(trackId);
        return { ok: true as const };
      },
      'library.rate': ({ trackId, rating }) => {
        const summary = store.rate(trackId, rating);
        context.events.emit('library.changed', { what: 'tracks', trackIds: [trackId] });
        return summary;
      },
      'library.like': ({ trackId, liked }) => {
        const summary = store.like(trackId, liked);
        context.events.emit('library.changed', { what: 'tracks', trackIds: [trackId] });
        return summary;
      },
      'library.cuePoints.save': ({ trackId, cuePoints }) => ({ cuePoints: store.saveCuePoints(trackId, cuePoints) }),
    },
    async close() {
      clearTimeout(resumeTimer);
      await library.close();
    },
  };
}
