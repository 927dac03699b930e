/** Equal-tempered pitch conversions, A4 = 440 Hz = MIDI 69. */

export const A4_FREQUENCY_HZ = 440;
export const A4_MIDI = 69;

/** Fractional MIDI note number of a frequency (NaN for frequencies ≤ 0). */
export function midiFromFrequency(frequencyHz: number): number {
  if (!(frequencyHz > 0)) return Number.NaN;
  return A4_MIDI + 12 * Math.log2(frequencyHz / A4_FREQUENCY_HZ);
}

export function frequencyFromMidi(midi: number): number {
  return A4_FREQUENCY_HZ * 2 ** ((midi - A4_MIDI) / 12);
}

/** Signed distance in cents from `referenceHz` to `frequencyHz` (positive when sharper). */
export function centsBetween(referenceHz: number, frequencyHz: number): number {
  if (!(referenceHz > 0) || !(frequencyHz > 0)) return Number.NaN;
  return 1200 * Math.log2(frequencyHz / referenceHz);
}

/**
 * True when `estimateHz` is an octave-type (harmonic) error of `truthHz`: within
 * `windowCents` of ×2, ×3, ×4, ½, ⅓ or ¼ of the truth.
 */
export function isOctaveError(truthHz: number, estimateHz: number, windowCents = 100): boolean {
  const cents = Math.abs(centsBetween(truthHz, estimateHz));
  if (!Number.isFinite(cents)) return false;
  for (let multiple = 2; multiple <= 4; multiple++) {
    if (Math.abs(cents - 1200 * Math.log2(multiple)) <= windowCents) return true;
  }
  return false;
}
