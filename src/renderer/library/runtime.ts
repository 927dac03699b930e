import type { MixdeckClient } from '../../shared/contract';
import { createLibraryStore, type LibraryStore } from './library-store';
import { LibraryPlayer } from './player/library-player';
import { bindMediaSession } from './player/media-session';
import { bindControllerToPlayer } from '../midi/player-actions';

/**
 * The library's store and player live as long as the page, not as long as the Library area
 * is on screen: music keeps playing while the user visits Settings or the Studio.
 */
export interface LibraryRuntime {
  readonly library: LibraryStore;
  readonly player: LibraryPlayer;
}

let runtime: { client: MixdeckClient; value: LibraryRuntime } | null = null;

export function libraryRuntime(client: MixdeckClient): LibraryRuntime {
  if (runtime?.client === client) return runtime.value;
  const library = createLibraryStore(client);
  const player = new LibraryPlayer(client);
  library.getState().start();
  bindMediaSession(player);
  // MIDI controllers in main drive the player (play/pause, next, seek, volume, crossfade).
  bindControllerToPlayer(client, player);
  runtime = { client, value: { library, player } };
  return runtime.value;
}
