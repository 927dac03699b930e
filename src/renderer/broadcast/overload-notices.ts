import type { BroadcastSetStateInfo, BroadcastTargetStatus } from '../../shared/contract';

/** One overloaded encode, said in words, with the step the DJ may apply. */
export interface OverloadNotice {
  encodeId: string;
  /** "Encoding overloaded: the computer cannot encode 1280×720 at 30 fps fast enough…" */
  reason: string;
  /** "Use the veryfast preset", or null when the encode is as light as it gets. */
  remedy: string | null;
  /** The platforms this encode feeds, by name, so the DJ knows who sees the stutter. */
  targetNames: string[];
}

/** What the dashboard must say about the encoders while a set runs: nothing when they keep up. */
export function overloadNotices(set: BroadcastSetStateInfo | null, targetNames: Readonly<Record<string, string>>): OverloadNotice[] {
  if (!set || set.state === 'idle') return [];
  return set.encodes
    .filter((encode) => encode.overloaded === true)
    .map((encode) => ({
      encodeId: encode.id,
      reason: encode.overloadReason ?? `Encoding overloaded: ${encode.width}×${encode.height} at ${encode.fps} fps is more than this computer can encode in real time.`,
      remedy: encode.remedy?.description ?? null,
      targetNames: encode.targetIds.map((id) => targetNames[id] ?? id),
    }));
}

/** A row that is live but sends far below its bitrate is not plain green: its light and words say so. */
export function shownTargetState(status: BroadcastTargetStatus | undefined): { state: BroadcastTargetStatus['state'] | 'degraded'; reason: string | null } {
  const state = status?.state ?? 'idle';
  if (state === 'live' && status?.degraded) return { state: 'degraded', reason: status.degraded };
  return { state, reason: status?.reason ?? null };
}
