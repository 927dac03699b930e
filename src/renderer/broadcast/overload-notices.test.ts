import { describe, expect, it } from 'vitest';
import type { BroadcastSetStateInfo, BroadcastTargetStatus } from '../../shared/contract';
import { overloadNotices, shownTargetState } from './overload-notices';

type Encode = BroadcastSetStateInfo['encodes'][number];

function setWith(state: BroadcastSetStateInfo['state'], encodes: Partial<Encode>[]): BroadcastSetStateInfo {
  const base: Encode = { id: 'e1', width: 1280, height: 720, fps: 30, speed: 1, droppedFrames: 0, targetIds: ['yt', 'tw'], failed: null };
  return { state, encodes: encodes.map((encode) => ({ ...base, ...encode })) } as BroadcastSetStateInfo;
}

describe('overload notices', () => {
  it('say nothing while every encode keeps up, or when no set runs', () => {
    expect(overloadNotices(null, {})).toEqual([]);
    expect(overloadNotices(setWith('live', [{ overloaded: false }]), {})).toEqual([]);
    expect(overloadNotices(setWith('idle', [{ overloaded: true }]), {})).toEqual([]);
  });

  it('say which encode is overloaded, in main’s words, who it affects, and the step to apply', () => {
    const reason = 'Encoding overloaded: the computer cannot encode 1280×720 at 30 fps fast enough (9.0 fps encoded, speed 1.00×).';
    const remedy = { step: 'preset' as const, description: 'Switch x264 from the "medium" preset to "veryfast" (about half the work per frame).' };
    const notices = overloadNotices(setWith('live', [{ overloaded: true, overloadReason: reason, remedy }, { id: 'e2', overloaded: false }]), { yt: 'YouTube', tw: 'Twitch' });
    expect(notices).toEqual([{ encodeId: 'e1', reason, remedy: remedy.description, targetNames: ['YouTube', 'Twitch'] }]);
  });

  it('still say it in words when main sent no reason, and offer nothing when no lighter step is left', () => {
    const [notice] = overloadNotices(setWith('live', [{ overloaded: true, overloadReason: null, remedy: null }]), {});
    expect(notice!.reason).toMatch(/^Encoding overloaded: 1280×720 at 30 fps/);
    expect(notice!.remedy).toBeNull();
  });
});

describe('a target row', () => {
  const live: BroadcastTargetStatus = { state: 'live', reason: null, degraded: null } as BroadcastTargetStatus;
  it('is plain live when it sends what it should', () => {
    expect(shownTargetState(live)).toEqual({ state: 'live', reason: null });
  });
  it('is not plain live when it sends far below its bitrate, and says why', () => {
    const degraded = { ...live, degraded: 'Sending 900 kbps of the 2,628 kbps it needs.' };
    expect(shownTargetState(degraded)).toEqual({ state: 'degraded', reason: 'Sending 900 kbps of the 2,628 kbps it needs.' });
  });
  it('keeps every other state and its reason as main said them', () => {
    expect(shownTargetState({ ...live, state: 'failed', reason: 'Twitch refused the stream key.', degraded: 'x' })).toEqual({ state: 'failed', reason: 'Twitch refused the stream key.' });
    expect(shownTargetState(undefined)).toEqual({ state: 'idle', reason: null });
  });
});
