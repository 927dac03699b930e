/**
 * Three-frame smoothing of pitch estimates, one frame late: the estimate for
 * frame i is released once frame i + 1 is known (one hop of latency, 20 ms at
 * the default hop).
 *
 * - voiced with both neighbours voiced → median of the three frequencies
 *   (removes a lone octave jump);
 * - voiced with neither neighbour voiced → unvoiced (a lone blip in silence);
 * - unvoiced between two voiced neighbours within a semitone of each other →
 *   filled with their geometric mean (a dropout inside a note).
 */
import type { PitchEstimate } from './pitch-detector';

interface Slot {
  frequencyHz: number;
  confidence: number;
  rmsDb: number;
  voiced: boolean;
}

const FILL_MAX_CENTS = 100;

export class PitchSmoother {
  private readonly previous: Slot = emptySlot();
  private readonly current: Slot = emptySlot();
  private readonly output: PitchEstimate = emptySlot();
  private held = 0;

  /**
   * Takes the newest raw estimate and returns the smoothed estimate of the
   * frame before it, or null for the very first frame. The returned object is
   * reused by the next call.
   */
  push(newest: PitchEstimate): PitchEstimate | null {
    let released: PitchEstimate | null = null;
    if (this.held >= 1) {
      this.smooth(this.held >= 2 ? this.previous : null, this.current, newest);
      released = this.output;
    }
    copySlot(this.current, this.previous);
    copySlot(newest, this.current);
    this.held = Math.min(2, this.held + 1);
    return released;
  }

  /** Releases the last held frame (the signal ended), or null if nothing is held. */
  flush(): PitchEstimate | null {
    if (this.held === 0) return null;
    this.smooth(this.held >= 2 ? this.previous : null, this.current, null);
    this.held = 0;
    return this.output;
  }

  reset(): void {
    this.held = 0;
  }

  private smooth(before: Slot | null, middle: Slot, after: PitchEstimate | null): void {
    const output = this.output;
    copySlot(middle, output);
    const beforeVoiced = before !== null && before.voiced;
    const afterVoiced = after !== null && after.voiced;
    if (middle.voiced) {
      if (beforeVoiced && afterVoiced) {
        output.frequencyHz = medianOfThree(before.frequencyHz, middle.frequencyHz, after.frequencyHz);
      } else if (!beforeVoiced && !afterVoiced) {
        output.voiced = false;
        output.frequencyHz = 0;
      }
    } else if (beforeVoiced && afterVoiced && Math.abs(1200 * Math.log2(after.frequencyHz / before.frequencyHz)) < FILL_MAX_CENTS) {
      output.voiced = true;
      output.frequencyHz = Math.sqrt(before.frequencyHz * after.frequencyHz);
      output.confidence = Math.min(before.confidence, after.confidence);
    }
  }
}

function emptySlot(): Slot {
  return { frequencyHz: 0, confidence: 0, rmsDb: -200, voiced: false };
}

function copySlot(from: Slot, to: Slot): void {
  to.frequencyHz = from.frequencyHz;
  to.confidence = from.confidence;
  to.rmsDb = from.rmsDb;
  to.voiced = from.voiced;
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
