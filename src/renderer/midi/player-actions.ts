import type { MidiActionEvent, MixdeckClient } from '../../shared/contract';

/** What the controller drives on the page's player (the library's LibraryPlayer has exactly this). */
export interface ControllablePlayer {
  readonly store: {
    getState(): { status: string; settings: { volume: number; crossfadeSec: number } };
    subscribe(listener: (state: { status: string }, previous: { status: string }) => void): () => void;
  };
  togglePlay(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  next(): Promise<void>;
  previous(): Promise<void>;
  seek(positionSec: number): Promise<void>;
  positionSec(): number;
  updateSettings(patch: { volume?: number; crossfadeSec?: number }): void;
}

/** One jog tick moves the player this far. */
export const SEEK_SEC_PER_STEP = 0.5;
export const CROSSFADE_MAX_SEC = 12;

/** Applies one controller action to the player; false when the action is not the player's. */
export async function applyPlayerAction(player: ControllablePlayer, event: MidiActionEvent): Promise<boolean> {
  const { status } = player.store.getState();
  switch (event.action) {
    case 'player.playPause':
      // The value is the state the button asks for (a toggle's new state, a momentary's press).
      if (event.value >= 0.5 && status !== 'playing') await (status === 'paused' ? player.resume() : player.togglePlay());
      else if (event.value < 0.5 && status === 'playing') await player.pause();
      return true;
    case 'player.next':
      if (event.value >= 0.5) await player.next();
      return true;
    case 'player.previous':
      if (event.value >= 0.5) await player.previous();
      return true;
    case 'player.seek':
      await player.seek(player.positionSec() + event.value * SEEK_SEC_PER_STEP);
      return true;
    case 'player.volume':
      player.updateSettings({ volume: Math.min(1, Math.max(0, event.value)) });
      return true;
    case 'player.crossfade':
      player.updateSettings({ crossfadeSec: Math.round(Math.min(1, Math.max(0, event.value)) * CROSSFADE_MAX_SEC * 10) / 10 });
      return true;
    default:
      return false;
  }
}

/**
 * Lets main's MIDI controllers drive the player, and tells main when the player plays or stops
 * (for the play LED) and where its volume is (for soft takeover). Returns the undo.
 */
export function bindControllerToPlayer(client: MixdeckClient, player: ControllablePlayer): () => void {
  const report = (playing: boolean): void => {
    void client.call('midi.reportState', { source: 'player.playing', value: playing ? 1 : 0 }).catch(() => {});
  };
  const offAction = client.on('midi.action', (event) => {
    void applyPlayerAction(player, event).catch(() => {});
  });
  const offStatus = player.store.subscribe((state, previous) => {
    if ((state.status === 'playing') !== (previous.status === 'playing')) report(state.status === 'playing');
  });
  void client.call('midi.reportState', { source: 'player.volume', value: player.store.getState().settings.volume }).catch(() => {});
  return () => {
    offAction();
    offStatus();
  };
}
