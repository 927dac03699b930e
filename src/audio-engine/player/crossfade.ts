/**
 * Equal-power crossfade curves. The outgoing track follows cos(πx/2) and the incoming one
 * sin(πx/2), so gainOut² + gainIn² = 1 at every point: two uncorrelated tracks keep the same
 * loudness through the fade instead of dipping by 3 dB in the middle, as a linear fade would.
 */

/** Gain of the outgoing track at `progress` (0 at the start of the fade, 1 at its end). */
export function equalPowerFadeOutGain(progress: number): number {
  const clamped = progress <= 0 ? 0 : progress >= 1 ? 1 : progress;
  return Math.cos((clamped * Math.PI) / 2);
}

/** Gain of the incoming track at `progress`. */
export function equalPowerFadeInGain(progress: number): number {
  const clamped = progress <= 0 ? 0 : progress >= 1 ? 1 : progress;
  return Math.sin((clamped * Math.PI) / 2);
}

/**
 * Fills `target` with a fade curve for `AudioParam.setValueCurveAtTime`, scaled by `levelGain`
 * (the track's normalisation gain, so the fade lands on the level the track plays at).
 * Curves are filled once per crossfade into arrays the player owns, never per audio frame.
 */
export function fillEqualPowerCurve(target: Float32Array, direction: 'in' | 'out', levelGain: number): Float32Array {
  const last = target.length - 1;
  for (let index = 0; index <= last; index += 1) {
    const progress = last === 0 ? 1 : index / last;
    target[index] = levelGain * (direction === 'in' ? equalPowerFadeInGain(progress) : equalPowerFadeOutGain(progress));
  }
  return target;
}

/**
 * How long the crossfade between two tracks really lasts: never more than half of either
 * track, so a short jingle between two songs still plays on its own for a moment.
 */
export function effectiveCrossfadeSec(requestedSec: number, outgoingDurationSec: number, incomingDurationSec: number): number {
  if (!(requestedSec > 0)) return 0;
  return Math.max(0, Math.min(requestedSec, outgoingDurationSec / 2, incomingDurationSec / 2));
}
