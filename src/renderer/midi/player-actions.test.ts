import { describe, expect, it } from 'vitest';
import type { MidiActionEvent } from '../../shared/contract';
import { applyPlayerAction, CROSSFADE_MAX_SEC, SEEK_SEC_PER_STEP, type ControllablePlayer } from './player-actions';

/** Behaves like LibraryPlayer's transport: status moves as play/pause/resume would move it. */
function playerDouble(): ControllablePlayer & { calls: string[]; state: { status: string; settings: { volume: number; crossfadeSec: number } }; position: number } {
  const state = { status: 'paused', settings: { volume: 1, crossfadeSec: 0 } };
  const calls: string[] = [];
  const player = {
    calls,
    state,
    position: 10,
    store: { getState: () => state, subscribe: () => () => {} },
    togglePlay: async () => {
      calls.push('toggle');
      state.status = state.status === 'playing' ? 'paused' : 'playing';
    },
    pause: async () => {
      calls.push('pause');
      state.status = 'paused';
    },
    resume: async () => {
      calls.push('resume');
      state.status = 'playing';
    },
    next: async () => void calls.push('next'),
    previous: async () => void calls.push('previous'),
    seek: async (positionSec: number) => {
      calls.push(`seek ${positionSec}`);
      player.position = positionSec;
    },
    positionSec: () => player.position,
    updateSettings: (patch: { volume?: number; crossfadeSec?: number }) => {
      calls.push(`settings ${JSON.stringify(patch)}`);
      Object.assign(state.settings, patch);
    },
  };
  return player;
}

const action = (name: MidiActionEvent['action'], value: number): MidiActionEvent => ({ action: name, value, slot: 1, note: null, device: 'Test' });

describe('controller actions on the page\'s player', () => {
  it('plays and pauses to the state the button asks for, and skips on press only', async () => {
    const player = playerDouble();
    await applyPlayerAction(player, action('player.playPause', 1));
    await applyPlayerAction(player, action('player.playPause', 1));
    await applyPlayerAction(player, action('player.playPause', 0));
    await applyPlayerAction(player, action('player.next', 1));
    await applyPlayerAction(player, action('player.next', 0));
    await applyPlayerAction(player, action('player.previous', 1));
    expect(player.calls).toEqual(['resume', 'pause', 'next', 'previous']);
  });

  it('seeks by jog steps, and sets volume and crossfade from a fader', async () => {
    const player = playerDouble();
    await applyPlayerAction(player, action('player.seek', 4));
    await applyPlayerAction(player, action('player.seek', -2));
    expect(player.position).toBe(10 + 2 * SEEK_SEC_PER_STEP);
    await applyPlayerAction(player, action('player.volume', 64 / 127));
    expect(player.state.settings.volume).toBeCloseTo(0.504, 3);
    await applyPlayerAction(player, action('player.crossfade', 0.5));
    expect(player.state.settings.crossfadeSec).toBe(CROSSFADE_MAX_SEC / 2);
    expect(await applyPlayerAction(player, action('broadcast.goLive', 1))).toBe(false);
  });
});
