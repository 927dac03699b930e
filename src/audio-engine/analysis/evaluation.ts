/**
 * Scoring rules for tempo and key estimates, shared by the tests and the
 * benchmark (the usual MIR measures).
 */
import { camelotRelation } from './camelot';
import type { MusicalKey } from './camelot';

/** Acc1/Acc2 tolerance: ±4 % of the true tempo. */
export const TEMPO_TOLERANCE = 0.04;

/** Acc1: within ±4 % of the truth. */
export function tempoMatches(estimateBpm: number, truthBpm: number, tolerance = TEMPO_TOLERANCE): boolean {
  return Math.abs(estimateBpm / truthBpm - 1) <= tolerance;
}

/** Acc2: within ±4 % of the truth or of ×2, ×½, ×3, ×⅓ of it. */
export function tempoMatchesUpToOctave(estimateBpm: number, truthBpm: number, tolerance = TEMPO_TOLERANCE): boolean {
  return [1, 2, 0.5, 3, 1 / 3].some((factor) => tempoMatches(estimateBpm, truthBpm * factor, tolerance));
}

export type KeyOutcome = 'correct' | 'fifth' | 'relative' | 'parallel' | 'other';

/**
 * How an estimated key relates to the truth: `fifth` is a fifth up or down in
 * the same mode (±1 on the Camelot wheel), `relative` the relative major/minor,
 * `parallel` the same tonic in the other mode.
 */
export function keyOutcome(truth: MusicalKey, estimate: MusicalKey): KeyOutcome {
  const relation = camelotRelation(truth, estimate);
  if (relation === 'same') return 'correct';
  if (relation === 'adjacent') return 'fifth';
  if (relation === 'relative') return 'relative';
  return truth.tonic === estimate.tonic ? 'parallel' : 'other';
}

/** MIREX key weights (fifths counted in both directions). */
export const KEY_OUTCOME_WEIGHTS: Record<KeyOutcome, number> = { correct: 1, fifth: 0.5, relative: 0.3, parallel: 0.2, other: 0 };
