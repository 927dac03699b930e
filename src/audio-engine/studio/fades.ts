/**
 * Clip fade envelopes. The engine writes the same curve into an AudioParam
 * (setValueCurveAtTime), so an offline render and this function agree.
 */
export type FadeShape = 'linear' | 'equalPower';

/** The gain at `position` (0…1) through a fade-in. A fade-out is the same curve read backward. */
export function fadeInGain(position: number, shape: FadeShape = 'equalPower'): number {
  const x = Math.min(1, Math.max(0, position));
  return shape === 'linear' ? x : Math.sin((x * Math.PI) / 2);
}

/** Fills `target` with a fade curve from 0 to 1 (or 1 to 0 when `out`). */
export function fillFadeCurve(target: Float32Array, out: boolean, shape: FadeShape = 'equalPower'): Float32Array {
  const last = Math.max(1, target.length - 1);
  for (let index = 0; index < target.length; index += 1) target[index] = fadeInGain(out ? 1 - index / last : index / last, shape);
  return target;
}

/** Applies fades in place to one channel (fade lengths in samples), e.g. for stems and tests. */
export function applyFades(channel: Float32Array, fadeInSamples: number, fadeOutSamples: number, shape: FadeShape = 'equalPower'): void {
  const fadeIn = Math.min(channel.length, Math.max(0, Math.round(fadeInSamples)));
  for (let index = 0; index < fadeIn; index += 1) channel[index]! *= fadeInGain(index / fadeIn, shape);
  const fadeOut = Math.min(channel.length, Math.max(0, Math.round(fadeOutSamples)));
  for (let index = 0; index < fadeOut; index += 1) channel[channel.length - 1 - index]! *= fadeInGain(index / fadeOut, shape);
}
