import type { LibraryPlayer } from './library-player';

/**
 * Media keys, the lock screen and the OS "now playing" panel, through the Media Session API.
 * Returns the undo. Browsers without the API (or without a handler kind) are skipped quietly.
 */
export function bindMediaSession(player: LibraryPlayer): () => void {
  if (typeof navigator === 'undefined' || !('mediaSession' in navigator)) return () => undefined;
  const session = navigator.mediaSession;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['play', () => void player.togglePlay()],
    ['pause', () => void player.pause()],
    ['nexttrack', () => void player.next()],
    ['previoustrack', () => void player.previous()],
    ['seekto', (details) => void player.seek(details.seekTime ?? 0)],
    ['seekbackward', (details) => void player.seek(player.positionSec() - (details.seekOffset ?? 10))],
    ['seekforward', (details) => void player.seek(player.positionSec() + (details.seekOffset ?? 10))],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // This browser does not know the action.
    }
  }

  let shownId: number | null = null;
  const update = (): void => {
    const { current, status, durationSec } = player.store.getState();
    session.playbackState = status === 'playing' ? 'playing' : status === 'paused' ? 'paused' : 'none';
    if ((current?.id ?? null) !== shownId) {
      shownId = current?.id ?? null;
      session.metadata = current
        ? new MediaMetadata({
            title: current.title || current.path.split(/[\\/]/).pop() || 'Untitled',
            artist: current.artist,
            album: current.album,
            artwork: current.coverUrl ? [{ src: current.coverUrl, type: current.coverMime ?? undefined }] : [],
          })
        : null;
    }
    if (current && durationSec > 0) {
      try {
        session.setPositionState({ duration: durationSec, position: Math.min(durationSec, player.positionSec()), playbackRate: 1 });
      } catch {
        // A position past the duration for a moment at a join; the next update fixes it.
      }
    }
  };
  update();
  const unsubscribe = player.store.subscribe(update);
  return () => {
    unsubscribe();
    for (const [action] of handlers) {
      try {
        session.setActionHandler(action, null);
      } catch {
        // Unknown action.
      }
    }
  };
}
