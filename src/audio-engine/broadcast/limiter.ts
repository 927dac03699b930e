import { TRUE_PEAK_INTERPOLATOR, TRUE_PEAK_OVERSAMPLING } from '../analysis/true-peak';

/**
 * A stereo-linked lookahead brick-wall limiter for the broadcast, so a hot DJ mixer never clips
 * the stream (AAC encoders and platforms' loudness processing turn clipped peaks into audible
 * crackle).
 *
 * Detection is "true-peak-ish": each sample and the three points between it and the next, from
 * the same 4× polyphase interpolator as the track analyser's true-peak meter, so inter-sample
 * overs are caught too. The gain needed for every detected peak is held for the lookahead window
 * and then smoothed by a moving average of the same length, which ramps the gain down *before*
 * the peak reaches the output (the audio is delayed by the lookahead) without ever being above
 * the gain that peak needs. Release is exponential. A last sample clamp at the ceiling catches
 * rounding. Hot loops allocate nothing.
 */

export interface LimiterOptions {
  sampleRate: number;
  channels?: number;
  /** The output never goes above this, dBFS. Default −1. */
  ceilingDb?: number;
  /** Default 2 ms. */
  lookaheadMs?: number;
  /** Time for the gain to recover 63 % of the way, default 150 ms. */
  releaseMs?: number;
}

const TAPS_PER_PHASE = 17;
/** The interpolator's centre: its inter-sample points are 8 samples behind the newest input. */
const INTERPOLATOR_DELAY = 8;

function phaseFilters(): Float64Array[] {
  const taps = TRUE_PEAK_INTERPOLATOR;
  const filters: Float64Array[] = [];
  for (let phase = 1; phase < TRUE_PEAK_OVERSAMPLING; phase++) {
    const filter = new Float64Array(TAPS_PER_PHASE);
    for (let k = 0; phase + TRUE_PEAK_OVERSAMPLING * k < taps.length; k++) filter[k] = taps[phase + TRUE_PEAK_OVERSAMPLING * k]!;
    filters.push(filter);
  }
  return filters;
}

const PHASES = phaseFilters();

export const dbToGain = (db: number): number => Math.pow(10, db / 20);
export const gainToDb = (gain: number): number => (gain > 0 ? 20 * Math.log10(gain) : -Infinity);

export class LookaheadLimiter {
  readonly channels: number;
  readonly sampleRate: number;
  /** Samples of delay this limiter adds. */
  readonly latencyFrames: number;
  private ceiling: number;
  /** Boxcar length (the lookahead). */
  private readonly window: number;
  /** How long a required gain is held: long enough to cover the boxcar around every peak. */
  private readonly holdFrames: number;
  /** The audio's delay: the lookahead plus the interpolator's own 8 samples. */
  private readonly delayFrames: number;
  private readonly releaseCoefficient: number;
  /** Per channel: the last TAPS_PER_PHASE inputs (ring), for inter-sample detection. */
  private readonly history: Float64Array[];
  private historyAt = 0;
  /** Per channel: the delay line the audio waits in. */
  private readonly delay: Float32Array[];
  private delayAt = 0;
  /** Monotonic deque of (index, required gain) for the sliding minimum. */
  private readonly dequeGain: Float64Array;
  private readonly dequeIndex: Float64Array;
  private dequeHead = 0;
  private dequeTail = 0;
  private sampleIndex = 0;
  private released = 1;
  /** Moving average of the held gain over `window` samples. */
  private readonly boxcar: Float64Array;
  private boxcarAt = 0;
  private boxcarSum: number;
  private currentGain = 1;
  /** Lowest gain since the last `takeReduction()`. */
  private lowestGain = 1;
  /** Input peaks above the ceiling (counted once per run of loud samples). */
  private overs = 0;
  private inOver = false;

  constructor(options: LimiterOptions) {
    this.channels = options.channels ?? 2;
    this.sampleRate = options.sampleRate;
    this.ceiling = dbToGain(options.ceilingDb ?? -1);
    // A peak at audio index m is seen at m (the sample) or m + 8 (inter-sample points); the output
    // of m leaves at m + delay and its gain averages the held gains of the last `window` inputs,
    // so delay ≥ window + 7 and hold ≥ delay + 1 keep every averaged value at or below the need.
    this.window = Math.max(1, Math.round(((options.lookaheadMs ?? 2) / 1000) * options.sampleRate));
    this.delayFrames = this.window + INTERPOLATOR_DELAY;
    this.holdFrames = this.delayFrames + 1;
    this.releaseCoefficient = 1 - Math.exp(-1 / (((options.releaseMs ?? 150) / 1000) * options.sampleRate));
    this.latencyFrames = this.delayFrames;
    this.history = Array.from({ length: this.channels }, () => new Float64Array(TAPS_PER_PHASE));
    this.delay = Array.from({ length: this.channels }, () => new Float32Array(this.delayFrames));
    this.dequeGain = new Float64Array(this.holdFrames + 2);
    this.dequeIndex = new Float64Array(this.holdFrames + 2);
    this.boxcar = new Float64Array(this.window).fill(1);
    this.boxcarSum = this.window;
  }

  setCeilingDb(db: number): void {
    this.ceiling = dbToGain(db);
  }

  /** The limiter's current reduction, dB ≥ 0, the deepest since the last call. */
  takeReductionDb(): number {
    const lowest = this.lowestGain;
    this.lowestGain = this.currentGain;
    return lowest >= 1 ? 0 : -gainToDb(lowest);
  }

  /** How many times the input went over the ceiling (each run of overs counts once). */
  get oversCount(): number {
    return this.overs;
  }

  /** Limit `frames` frames in place, one array per channel. */
  process(channels: readonly Float32Array[], frames = channels[0]?.length ?? 0): void {
    const count = this.channels;
    const window = this.window;
    const capacity = this.dequeGain.length;
    for (let frame = 0; frame < frames; frame++) {
      // 1. Detect: the sample itself and the inter-sample points 8 samples back, all channels linked.
      let peak = 0;
      this.historyAt = (this.historyAt + 1) % TAPS_PER_PHASE;
      for (let channel = 0; channel < count; channel++) {
        const value = channels[channel]![frame]!;
        const history = this.history[channel]!;
        history[this.historyAt] = value;
        const magnitude = Math.abs(value);
        if (magnitude > peak) peak = magnitude;
        {
          // About 100 multiplies per stereo frame: ~5 M/s at 48 kHz, a few ms of CPU per second.
          for (const filter of PHASES) {
            let sum = 0;
            let at = this.historyAt;
            for (let k = 0; k < TAPS_PER_PHASE; k++) {
              sum += filter[k]! * history[at]!;
              at = at === 0 ? TAPS_PER_PHASE - 1 : at - 1;
            }
            const interpolated = Math.abs(sum);
            if (interpolated > peak) peak = interpolated;
          }
        }
      }
      const required = peak > this.ceiling ? this.ceiling / peak : 1;
      if (required < 1 && !this.inOver) this.overs++;
      this.inOver = required < 1;

      // 2. Hold: the smallest required gain over the last `holdFrames` samples (monotonic deque).
      const index = this.sampleIndex++;
      while (this.dequeTail !== this.dequeHead) {
        const last = (this.dequeTail - 1 + capacity) % capacity;
        if (this.dequeGain[last]! >= required) this.dequeTail = last;
        else break;
      }
      this.dequeGain[this.dequeTail] = required;
      this.dequeIndex[this.dequeTail] = index;
      this.dequeTail = (this.dequeTail + 1) % capacity;
      while (this.dequeIndex[this.dequeHead]! <= index - this.holdFrames) this.dequeHead = (this.dequeHead + 1) % capacity;
      const held = this.dequeGain[this.dequeHead]!;

      // 3. Release slowly, attack at once (the boxcar below makes the attack smooth).
      this.released = held < this.released ? held : this.released + (held - this.released) * this.releaseCoefficient;

      // 4. Smooth over the window: never above what any peak in reach needs.
      this.boxcarSum += this.released - this.boxcar[this.boxcarAt]!;
      this.boxcar[this.boxcarAt] = this.released;
      this.boxcarAt = (this.boxcarAt + 1) % window;
      let gain = this.boxcarSum / window;
      if (gain > 1) gain = 1;
      this.currentGain = gain;
      if (gain < this.lowestGain) this.lowestGain = gain;

      // 5. Output the delayed sample with the gain, clamped at the ceiling for rounding's sake.
      for (let channel = 0; channel < count; channel++) {
        const line = this.delay[channel]!;
        const delayed = line[this.delayAt]!;
        line[this.delayAt] = channels[channel]![frame]!;
        let out = delayed * gain;
        if (out > this.ceiling) out = this.ceiling;
        else if (out < -this.ceiling) out = -this.ceiling;
        channels[channel]![frame] = out;
      }
      this.delayAt = (this.delayAt + 1) % this.delayFrames;
    }
    // Re-normalise the running sum now and then against floating-point drift.
    if ((this.sampleIndex & 0xffff) < frames) {
      let sum = 0;
      for (let k = 0; k < window; k++) sum += this.boxcar[k]!;
      this.boxcarSum = sum;
    }
  }
}
