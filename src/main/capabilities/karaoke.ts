import type { karaokeCalls } from '../../shared/contract';
import { KaraokeLibrary } from '../services/karaoke/karaoke-library';
import { parseKaraokeMediaPath } from '../host/karaoke-media';
import type { Capability, CapabilityContext } from './capability';

export interface KaraokeCapability extends Capability<typeof karaokeCalls> {
  /** The file behind a `/media/karaoke/<song>/<kind>` URL; undefined when the URL is not karaoke's. */
  resolveMediaFile(urlPath: string): Promise<string | null | undefined>;
}

/** Binds main/services/karaoke to the contract's karaoke calls. */
export function createKaraokeCapability(context: CapabilityContext): KaraokeCapability {
  const library = new KaraokeLibrary(context.db);
  const logger = context.logger.child('karaoke');
  return {
    handlers: {
      'karaoke.importFolder': async ({ folderPath }) => {
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
        return await library.mediaPath(media.songId, media.kind);
      } catch {
        return null;
      }
    },
  };
}
