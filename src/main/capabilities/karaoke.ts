import type { karaokeCalls } from '../../shared/contract';
import { KaraokeLibrary } from '../services/karaoke/karaoke-library';
import { dirname } from 'node:path';
import { parseKaraokeMediaPath, type KaraokeMediaFile } from '../host/karaoke-media';
import type { Capability, CapabilityContext } from './capability';

export interface KaraokeCapability extends Capability<typeof karaokeCalls> {
  /** The file behind a `/media/karaoke/<song>/<kind>` URL and its song's folder; undefined when the URL is not karaoke's. */
  resolveMediaFile(urlPath: string): Promise<KaraokeMediaFile | null | undefined>;
}

/** Binds main/services/karaoke to the contract's karaoke calls. */
export function createKaraokeCapability(context: CapabilityContext): KaraokeCapability {
  const library = new KaraokeLibrary(context.db);
  const logger = context.logger.child('karaoke');
  context.paths.addReadRoots(() => library.songFolders());
  const songFile = context.db.prepare<[number], { karaoke_song_path: string }>('SELECT karaoke_song_path FROM tracks WHERE id = ? AND karaoke_song_path IS NOT NULL');
  return {
    handlers: {
      'karaoke.importFolder': async ({ folderPath }) => {
        context.paths.readableFolder(folderPath, 'Song folder');
        const result = await library.importFolder(folderPath, (filesDone, currentFile) =>
          context.events.emit('karaoke.importProgress', { folder: folderPath, filesDone, currentFile }),
        );
        logger.info('song folder imported', { folder: result.folder, added: result.added, updated: result.updated, refused: result.refused.length });
        for (const refusal of result.refused) logger.warn('song refused', { message: refusal.message });
        return result;
      },
      'karaoke.listSongs': ({ search }) => ({ songs: library.listSongs(search) }),
      'karaoke.openSong': ({ songId }) => library.openSong(songId),
      'karaoke.saveScore': (score) => library.saveScore(score),
      'karaoke.leaderboard': ({ songId, difficulty, limit }) => ({ entries: library.leaderboard(songId, difficulty, limit) }),
      'karaoke.getMicDelay': () => library.getMicDelay(),
      'karaoke.setMicDelay': ({ delayMs }) => library.setMicDelay(delayMs),
    },
    async resolveMediaFile(urlPath) {
      const media = parseKaraokeMediaPath(urlPath);
      if (!media) return undefined;
      try {
        const path = await library.mediaPath(media.songId, media.kind);
        const song = songFile.get(media.songId);
        return path && song ? { path, songFolder: dirname(song.karaoke_song_path) } : null;
      } catch {
        return null;
      }
    },
  };
}
