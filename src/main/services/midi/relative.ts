import type { RelativeEncoding } from '../../../shared/contract/midi';

/**
 * The signed step an endless encoder sent, by its encoding:
 * - two's complement: 1…63 up, 127…65 down (127 is −1);
 * - offset 64: 65 is +1, 63 is −1 (64 is no move);
 * - sign-magnitude: bit 6 is the sign, bits 0–5 the size (65 is −1, 1 is +1).
 */
export function decodeRelative(value7: number, encoding: RelativeEncoding): number {
  const value = value7 & 0x7f;
  switch (encoding) {
    case 'twos-complement':
      return value < 64 ? value : value - 128;
    case 'offset-64':
      return value - 64;
    case 'sign-magnitude':
      return value & 0x40 ? -(value & 0x3f) : value & 0x3f;
  }
}

/** The byte an encoder of that encoding sends for a step (the inverse, for tests and the learn guess). */
export function encodeRelative(step: number, encoding: RelativeEncoding): number {
  const clamped = Math.max(-63, Math.min(63, Math.round(step)));
  switch (encoding) {
    case 'twos-complement':
      return clamped & 0x7f;
    case 'offset-64':
      return clamped + 64;
    case 'sign-magnitude':
      return clamped < 0 ? 0x40 | -clamped : clamped;
  }
}

/**
 * Guesses an encoder's encoding from the values it sent while turned both ways: values near 64
 * are offset 64; values near 0 and near 128 are two's complement; near 0 and just above 64 are
 * sign-magnitude. Null when the values look like an absolute control.
 */
export function guessRelativeEncoding(values: readonly number[]): RelativeEncoding | null {
  if (values.length < 2) return null;
  const distinct = new Set(values);
  if (distinct.size > 8) return null;
  const all = (test: (value: number) => boolean): boolean => values.every(test);
  if (all((value) => value >= 56 && value <= 72 && value !== 64)) return 'offset-64';
  if (all((value) => value <= 8 || value >= 120) && values.some((value) => value >= 120)) return 'twos-complement';
  if (all((value) => (value >= 1 && value <= 8) || (value >= 65 && value <= 72))) return 'sign-magnitude';
  if (all((value) => value >= 1 && value <= 8)) return 'twos-complement';
  return null;
}
