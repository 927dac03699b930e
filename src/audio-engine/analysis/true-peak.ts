/**
 * True peak (dBTP) per ITU-R BS.1770-4 Annex 2: the signal is oversampled 4× with
 * a polyphase interpolator and the largest absolute value is taken. The
 * interpolator is a 65-tap Kaiser-windowed sinc (16 taps per phase) whose every
 * fourth tap is zero, so the original samples pass unchanged and the true peak
 * is never below the sample peak.
 *
 * Speed: an interpolated value cannot exceed (Σ|taps|) × (largest sample in
 * reach), so stretches too quiet to beat the running maximum are skipped; inside
 * loud stretches the four central taps are evaluated first and the other taps
 * can add at most (Σ|other taps|) × (largest sample in reach), so most points
 * are settled with 4 of the 17 multiplies. The result is identical to
 * interpolating everything.
 */

const OVERSAMPLING = 4;
const TAPS_PER_PHASE = 16;
const KAISER_BETA = 8;
/** Samples per pruning block; one block plus the previous one covers a phase filter's reach. */
const BLOCK_FRAMES = TAPS_PER_PHASE;


/** Zeroth-order modified Bessel function of the first kind (series). */
function besselI0(value: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (value * value) / 4;
  for (let k = 1; k < 50; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

/** The 65-tap interpolation filter at 4× the sample rate (gain 4 at DC: zero-stuffing loses ¾ of it). */
function designInterpolator(): Float64Array {
  const length = OVERSAMPLING * TAPS_PER_PHASE + 1;
  const centre = (length - 1) / 2;
  const taps = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const offset = (index - centre) / OVERSAMPLING;
    const sinc = offset === 0 ? 1 : Math.sin(Math.PI * offset) / (Math.PI * offset);
    const ratio = (index - centre) / centre;
    taps[index] = (sinc * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio)))) / besselI0(KAISER_BETA);
  }
  return taps;
}

/** The interpolator's taps, for inspection and reference implementations. */
export const TRUE_PEAK_INTERPOLATOR: readonly number[] = Array.from(designInterpolator());
export const TRUE_PEAK_OVERSAMPLING = OVERSAMPLING;

/** Phase filters: phases[p][k] multiplies x[n − k] to give the value p/4 of a sample after x[n − 8]. */
function designPhases(): Float64Array[] {
  const taps = designInterpolator();
  const length = taps.length;
  const phases: Float64Array[] = [];
  for (let phase = 1; phase < OVERSAMPLING; phase++) {
    const filter = new Float64Array(TAPS_PER_PHASE + 1);
    for (let k = 0; phase + OVERSAMPLING * k < length; k++) filter[k] = taps[phase + OVERSAMPLING * k]!;
    phases.push(filter);
  }
  return phases;
}

const PHASES = designPhases();
const PHASE_TAP_COUNT = TAPS_PER_PHASE + 1;
/** Largest gain any phase filter can apply to a signal bounded by 1. */
const PHASE_L1_BOUND = Math.max(...PHASES.map((filter) => filter.reduce((sum, tap) => sum + Math.abs(tap), 0)));
/** The four taps nearest the interpolated point (k = 6..9) carry most of each phase filter. */
const CENTRAL_FIRST = TAPS_PER_PHASE / 2 - 2;
const CENTRAL_TAPS = 4;
/** Largest gain the other taps can add, per unit of signal. */
const OUTER_L1_BOUND = Math.max(
  ...PHASES.map((filter) => filter.reduce((sum, tap, k) => (k >= CENTRAL_FIRST && k < CENTRAL_FIRST + CENTRAL_TAPS ? sum : sum + Math.abs(tap)), 0)),
);

/** Largest absolute sample value of one channel. */
export function samplePeak(samples: Float32Array): number {
  let peak = 0;
  for (let index = 0; index < samples.length; index++) {
    const magnitude = Math.abs(samples[index]!);
    if (magnitude > peak) peak = magnitude;
  }
  return peak;
}

/** Largest absolute value of the 4× oversampled channel (linear). */
export function truePeakOfChannel(samples: Float32Array): number {
  const length = samples.length;
  let peak = samplePeak(samples);
  if (peak === 0) return 0;
  const [quarter, half, threeQuarter] = PHASES as [Float64Array, Float64Array, Float64Array];
  const reachBack = PHASE_TAP_COUNT - 1;
  // Outputs for n in [0, length + reachBack) cover the filter's tail past the last sample.
  const outputEnd = length + reachBack;
  let previousBlockPeak = 0;
  for (let first = 0; first < outputEnd; first += BLOCK_FRAMES) {
    const last = Math.min(outputEnd, first + BLOCK_FRAMES);
    let blockPeak = 0;
    for (let index = first; index < Math.min(last, length); index++) {
      const magnitude = Math.abs(samples[index]!);
      if (magnitude > blockPeak) blockPeak = magnitude;
    }
    // Outputs at n in this block read x[n − 16 … n]: this block and the one before.
    const reach = blockPeak > previousBlockPeak ? blockPeak : previousBlockPeak;
    previousBlockPeak = blockPeak;
    if (reach * PHASE_L1_BOUND <= peak) continue;
    const outerBound = OUTER_L1_BOUND * reach;
    for (let n = first; n < last; n++) {
      let sumQuarter = 0;
      let sumHalf = 0;
      let sumThreeQuarter = 0;
      if (n >= reachBack && n < length) {
        // Screen with the four central taps: the rest can add at most `outerBound`.
        for (let k = CENTRAL_FIRST; k < CENTRAL_FIRST + CENTRAL_TAPS; k++) {
          const value = samples[n - k]!;
          sumQuarter += quarter[k]! * value;
          sumHalf += half[k]! * value;
          sumThreeQuarter += threeQuarter[k]! * value;
        }
        if (Math.max(Math.abs(sumQuarter), Math.abs(sumHalf), Math.abs(sumThreeQuarter)) + outerBound <= peak) continue;
        sumQuarter = 0;
        sumHalf = 0;
        sumThreeQuarter = 0;
        for (let k = 0; k < PHASE_TAP_COUNT; k++) {
          const value = samples[n - k]!;
          sumQuarter += quarter[k]! * value;
          sumHalf += half[k]! * value;
          sumThreeQuarter += threeQuarter[k]! * value;
        }
      } else {
        for (let k = 0; k < PHASE_TAP_COUNT; k++) {
          const source = n - k;
          if (source < 0 || source >= length) continue;
          const value = samples[source]!;
          sumQuarter += quarter[k]! * value;
          sumHalf += half[k]! * value;
          sumThreeQuarter += threeQuarter[k]! * value;
        }
      }
      const magnitude = Math.max(Math.abs(sumQuarter), Math.abs(sumHalf), Math.abs(sumThreeQuarter));
      if (magnitude > peak) peak = magnitude;
    }
  }
  return peak;
}

export function linearToDb(value: number): number {
  return value > 0 ? 20 * Math.log10(value) : -Infinity;
}

/** True peak of all channels in dBTP (−Infinity for digital silence). */
export function truePeakDbtp(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const channel of channels) peak = Math.max(peak, truePeakOfChannel(channel));
  return linearToDb(peak);
}
