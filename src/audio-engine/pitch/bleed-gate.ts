/**
 * An adaptive gate for a microphone that hears the backing music: it remembers
 * the in-band level of recent frames that were *not* voice (silence, breath,
 * music leaking from the speakers) and puts the gate `marginDb` above a low
 * percentile of them. Voiced frames never enter the history, so a long note
 * cannot raise its own gate.
 *
 * It is deaf for the first `warmUpFrames` frames (about 0.2 s at 50 frames per
 * second) while it learns the room, which is what a karaoke intro is for.
 */

export interface BleedGateOptions {
  /** Gate height above the bleed level, dB. */
  marginDb?: number;
  /** Which percentile of the remembered levels counts as "the bleed level", 0…1. */
  percentile?: number;
  /** Unvoiced frames remembered. */
  historyFrames?: number;
  /** Frames to hear before the gate opens at all. */
  warmUpFrames?: number;
}

const DEFAULTS = { marginDb: 6, percentile: 0.2, historyFrames: 128, warmUpFrames: 10 } as const;

export class BleedGate {
  private readonly marginDb: number;
  private readonly percentile: number;
  private readonly warmUpFrames: number;
  private readonly history: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private cachedLevelDb = Number.POSITIVE_INFINITY;
  private dirty = false;

  constructor(options: BleedGateOptions = {}) {
    this.marginDb = options.marginDb ?? DEFAULTS.marginDb;
    this.percentile = Math.min(1, Math.max(0, options.percentile ?? DEFAULTS.percentile));
    this.warmUpFrames = Math.max(1, options.warmUpFrames ?? DEFAULTS.warmUpFrames);
    const historyFrames = Math.max(this.warmUpFrames, options.historyFrames ?? DEFAULTS.historyFrames);
    this.history = new Float64Array(historyFrames);
    this.scratch = new Float64Array(historyFrames);
  }

  /** Level a frame must reach to count as voice, dBFS (+∞ while warming up). */
  thresholdDb(): number {
    return this.bleedLevelDb() + this.marginDb;
  }

  /** The room's level without a singer (the percentile of the history), dBFS; +∞ while warming up. */
  bleedLevelDb(): number {
    if (this.count < this.warmUpFrames) return Number.POSITIVE_INFINITY;
    if (this.dirty) {
      this.cachedLevelDb = this.percentileDb();
      this.dirty = false;
    }
    return this.cachedLevelDb;
  }

  /** Remembers the level of a frame that was judged not to be voice. */
  observeUnvoiced(levelDb: number): void {
    this.history[this.next] = levelDb;
    this.next = (this.next + 1) % this.history.length;
    if (this.count < this.history.length) this.count++;
    this.dirty = true;
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
    this.dirty = false;
    this.cachedLevelDb = Number.POSITIVE_INFINITY;
  }

  /** The requested percentile of the history, by quickselect on a scratch copy. */
  private percentileDb(): number {
    const { scratch, count } = this;
    for (let index = 0; index < count; index++) scratch[index] = this.history[index]!;
    const rank = Math.round(this.percentile * (count - 1));
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const pivot = scratch[(low + high) >> 1]!;
      let left = low;
      let right = high;
      while (left <= right) {
        while (scratch[left]! < pivot) left++;
        while (scratch[right]! > pivot) right--;
        if (left <= right) {
          const swap = scratch[left]!;
          scratch[left] = scratch[right]!;
          scratch[right] = swap;
          left++;
          right--;
        }
      }
      if (rank <= right) high = right;
      else if (rank >= left) low = left;
      else break;
    }
    return scratch[rank]!;
  }
}
