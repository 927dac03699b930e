/**
 * Monophonic pitch detection for a singer's microphone, one frame at a time,
 * fit for an AudioWorklet: `process` allocates nothing, every buffer lives on
 * the instance. See README.md in this folder for the design and the figures.
 *
 * Per frame: band-limit → level → YIN difference function through a real FFT →
 * cumulative mean normalised difference (CMND) → dips → octave choice →
 * parabolic interpolation → voicing (level gate, bleed gate, periodicity).
 */
import { BandLimiter } from './band-limiter';
import { BleedGate } from './bleed-gate';
import type { BleedGateOptions } from './bleed-gate';
import { RealFft } from '../dsp/fft';

export interface PitchDetectorOptions {
  sampleRate: number;
  /** Samples per analysis frame; a power of two. */
  frameSize?: number;
  minFrequencyHz?: number;
  maxFrequencyHz?: number;
  /** Frames quieter than this in the analysis band (dBFS) are unvoiced. */
  gateDb?: number;
  /**
   * Adaptive gate above the level of whatever the microphone hears when no one
   * sings (room noise, backing music from the speakers); `false` turns it off.
   */
  bleedGate?: BleedGateOptions | false;
  /** High-pass corner of the analysis band; 0 disables it. */
  highPassHz?: number;
  /** Low-pass corner of the analysis band; 0 disables it. */
  lowPassHz?: number;
  /** Largest CMND at the chosen period for which a frame counts as voiced. */
  voicingThreshold?: number;
  /** Tuning of the octave choice; see `OctaveChoiceOptions`. */
  octaveChoice?: OctaveChoiceOptions;
}

/**
 * A dip at 1/k of the deepest dip's period (a pitch k times higher) wins when
 * its CMND is below
 *
 *     bias + ratio × deepest + perOctave × log2(k) + lowSnrBonus × max(0, 1 − snrDb / snrRangeDb)
 *
 * where snrDb is the frame's level over the bleed level (over `gateDb` without
 * a bleed gate). All zero: always the deepest dip.
 */
export interface OctaveChoiceOptions {
  bias?: number;
  ratio?: number;
  perOctave?: number;
  lowSnrBonus?: number;
  snrRangeDb?: number;
}

export interface PitchEstimate {
  /** Fundamental frequency, Hz; 0 when unvoiced. */
  frequencyHz: number;
  /** Periodicity at the chosen period, 0…1 (1 − CMND); 0 when nothing was analysed. */
  confidence: number;
  /** RMS level of the frame in the analysis band, dBFS. */
  rmsDb: number;
  voiced: boolean;
}

export const PITCH_DETECTOR_DEFAULTS = {
  frameSize: 2048,
  minFrequencyHz: 60,
  maxFrequencyHz: 1100,
  gateDb: -50,
  highPassHz: 150,
  lowPassHz: 4000,
  voicingThreshold: 0.45,
  octaveChoice: { bias: 0.06, ratio: 1, perOctave: 0.03, lowSnrBonus: 0.3, snrRangeDb: 15 },
} as const;

/** Most dips kept per frame; a frame of voice has a few dozen at most. */
const MAX_CANDIDATES = 128;
/** How far (relative) a dip may sit from an exact sub-multiple of the deepest dip's period. */
const SUBMULTIPLE_TOLERANCE = 0.03;
const SILENT_DB = -200;

export class PitchDetector {
  readonly sampleRate: number;
  readonly frameSize: number;
  readonly minLag: number;
  readonly maxLag: number;
  /** Samples summed per lag in the difference function. */
  readonly windowSize: number;
  private readonly gateDb: number;
  private readonly voicingThreshold: number;
  private readonly octaveChoice: Required<OctaveChoiceOptions>;
  private readonly bleedGate: BleedGate | null;
  private readonly bandLimiter: BandLimiter;
  private readonly fft: RealFft;
  private readonly filtered: Float64Array;
  private readonly windowed: Float64Array;
  private readonly energyPrefix: Float64Array;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  private readonly windowSpectrumRe: Float64Array;
  private readonly windowSpectrumIm: Float64Array;
  private readonly correlation: Float64Array;
  /** CMND by lag, 0…maxLag + 1 (read-only outside; exposed for diagnostics). */
  readonly cmnd: Float64Array;
  /** Local minima of the CMND in range, by increasing lag. */
  private readonly candidateLags: Int32Array;
  private readonly candidateValues: Float64Array;
  private candidateCount = 0;
  private readonly estimate: PitchEstimate = { frequencyHz: 0, confidence: 0, rmsDb: SILENT_DB, voiced: false };

  constructor(options: PitchDetectorOptions) {
    const defaults = PITCH_DETECTOR_DEFAULTS;
    const { sampleRate } = options;
    const frameSize = options.frameSize ?? defaults.frameSize;
    const minFrequencyHz = options.minFrequencyHz ?? defaults.minFrequencyHz;
    const maxFrequencyHz = options.maxFrequencyHz ?? defaults.maxFrequencyHz;
    if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
    if (!(minFrequencyHz > 0 && maxFrequencyHz > minFrequencyHz && maxFrequencyHz < sampleRate / 4)) {
      throw new RangeError(`need 0 < minFrequencyHz < maxFrequencyHz < sampleRate / 4, got ${minFrequencyHz}…${maxFrequencyHz} Hz`);
    }
    this.sampleRate = sampleRate;
    this.frameSize = frameSize;
    this.gateDb = options.gateDb ?? defaults.gateDb;
    this.voicingThreshold = options.voicingThreshold ?? defaults.voicingThreshold;
    this.octaveChoice = { ...defaults.octaveChoice, ...definedEntries(options.octaveChoice ?? {}) };
    this.bleedGate = options.bleedGate === false ? null : new BleedGate(options.bleedGate);
    this.minLag = Math.max(2, Math.floor(sampleRate / maxFrequencyHz));
    this.maxLag = Math.ceil(sampleRate / minFrequencyHz);
    // The window plus the longest lag (and one more for interpolation) must fit in the frame.
    this.windowSize = frameSize - this.maxLag - 2;
    if (this.windowSize < this.maxLag) {
      throw new RangeError(`frameSize ${frameSize} is too short for ${minFrequencyHz} Hz at ${sampleRate} Hz; use at least ${2 * this.maxLag + 2}`);
    }
    this.bandLimiter = new BandLimiter({
      sampleRate,
      highPassHz: options.highPassHz ?? defaults.highPassHz,
      lowPassHz: options.lowPassHz ?? defaults.lowPassHz,
    });
    this.fft = new RealFft(frameSize);
    this.filtered = new Float64Array(frameSize);
    this.windowed = new Float64Array(frameSize);
    this.energyPrefix = new Float64Array(frameSize + 1);
    this.spectrumRe = new Float64Array(this.fft.binCount);
    this.spectrumIm = new Float64Array(this.fft.binCount);
    this.windowSpectrumRe = new Float64Array(this.fft.binCount);
    this.windowSpectrumIm = new Float64Array(this.fft.binCount);
    this.correlation = new Float64Array(frameSize);
    this.cmnd = new Float64Array(this.maxLag + 2);
    this.candidateLags = new Int32Array(MAX_CANDIDATES);
    this.candidateValues = new Float64Array(MAX_CANDIDATES);
  }

  /** Analyses `frame` (its first `frameSize` samples). The returned object is reused by the next call. */
  process(frame: Float32Array): PitchEstimate {
    if (frame.length < this.frameSize) throw new RangeError(`PitchDetector needs ${this.frameSize} samples a frame, got ${frame.length}`);
    const estimate = this.estimate;
    estimate.frequencyHz = 0;
    estimate.confidence = 0;
    estimate.voiced = false;

    this.bandLimiter.processFrame(frame, this.filtered, this.frameSize);
    const rmsDb = this.measureBandLevel();
    estimate.rmsDb = rmsDb;
    const bleedLevelDb = this.bleedGate === null ? Number.NEGATIVE_INFINITY : this.bleedGate.bleedLevelDb();
    const bleedThresholdDb = this.bleedGate === null ? Number.NEGATIVE_INFINITY : this.bleedGate.thresholdDb();
    if (rmsDb < this.gateDb || rmsDb < bleedThresholdDb) {
      this.bleedGate?.observeUnvoiced(rmsDb);
      return estimate;
    }

    this.computeCmnd();
    this.findCandidates();
    if (this.candidateCount > 0) {
      // Without a bleed gate the only reference for the room's level is the fixed gate.
      const snrDb = rmsDb - (this.bleedGate === null ? this.gateDb : bleedLevelDb);
      const chosen = this.chooseCandidate(snrDb);
      const lag = this.candidateLags[chosen]!;
      const value = this.candidateValues[chosen]!;
      estimate.confidence = Math.min(1, Math.max(0, 1 - value));
      if (value <= this.voicingThreshold) {
        estimate.voiced = true;
        estimate.frequencyHz = this.sampleRate / this.interpolateLag(lag);
      }
    }
    if (!estimate.voiced) this.bleedGate?.observeUnvoiced(rmsDb);
    return estimate;
  }

  /** Forgets what the bleed gate learned (a new song, another room). */
  reset(): void {
    this.bleedGate?.reset();
  }

  /** Fills the energy prefix sums of the band-limited frame and returns its RMS, dBFS. */
  private measureBandLevel(): number {
    const { filtered, energyPrefix, frameSize } = this;
    energyPrefix[0] = 0;
    for (let index = 0; index < frameSize; index++) {
      const sample = filtered[index]!;
      energyPrefix[index + 1] = energyPrefix[index]! + sample * sample;
    }
    const meanSquare = energyPrefix[frameSize]! / frameSize;
    return meanSquare > 0 ? 10 * Math.log10(meanSquare) : SILENT_DB;
  }

  /**
   * YIN difference d(τ) = Σ_{j<W} (x_j − x_{j+τ})² = e₀ + e_τ − 2·r(τ), with the
   * cross-correlation r of the first W samples against the frame taken from
   * the FFT (no wrap-around because W + maxLag < frameSize), then the CMND
   * d'(τ) = d(τ) · τ / Σ_{k≤τ} d(k).
   */
  private computeCmnd(): void {
    const { frameSize, windowSize, maxLag, filtered, windowed, energyPrefix, correlation, cmnd, fft } = this;
    const { spectrumRe, spectrumIm, windowSpectrumRe, windowSpectrumIm } = this;

    for (let index = 0; index < frameSize; index++) windowed[index] = index < windowSize ? filtered[index]! : 0;
    fft.forward(filtered, spectrumRe, spectrumIm);
    fft.forward(windowed, windowSpectrumRe, windowSpectrumIm);
    // conj(Window) × Frame: correlation of the window against the whole frame.
    for (let bin = 0; bin < fft.binCount; bin++) {
      const windowRe = windowSpectrumRe[bin]!;
      const windowIm = windowSpectrumIm[bin]!;
      const re = spectrumRe[bin]!;
      const im = spectrumIm[bin]!;
      spectrumRe[bin] = windowRe * re + windowIm * im;
      spectrumIm[bin] = windowRe * im - windowIm * re;
    }
    fft.inverse(spectrumRe, spectrumIm, correlation);

    const windowEnergy = energyPrefix[windowSize]!;
    cmnd[0] = 1;
    let runningSum = 0;
    for (let lag = 1; lag <= maxLag + 1; lag++) {
      const laggedEnergy = energyPrefix[lag + windowSize]! - energyPrefix[lag]!;
      const difference = Math.max(0, windowEnergy + laggedEnergy - 2 * correlation[lag]!);
      runningSum += difference;
      cmnd[lag] = runningSum > 0 ? (difference * lag) / runningSum : 1;
    }
  }

  /** Local minima of the CMND between minLag and maxLag, by increasing lag. */
  private findCandidates(): void {
    const { cmnd, minLag, maxLag, candidateLags, candidateValues } = this;
    let count = 0;
    for (let lag = minLag; lag <= maxLag && count < MAX_CANDIDATES; lag++) {
      const value = cmnd[lag]!;
      if (value < cmnd[lag - 1]! && value <= cmnd[lag + 1]!) {
        candidateLags[count] = lag;
        candidateValues[count] = value;
        count++;
      }
    }
    this.candidateCount = count;
  }

  /**
   * The deepest dip, unless a dip at an exact sub-multiple of its period (a
   * pitch k times higher) is nearly as deep; then the shortest such period.
   * Music under the voice often shares a long common period with it (a bass
   * note two octaves down), which makes that long period the deepest dip, and
   * the more so the closer the music's level is to the voice's: hence the
   * allowance that grows as the frame's level approaches the bleed level.
   * A voice alone (high SNR) keeps a strict allowance, so a strong harmonic on
   * a formant does not pull the estimate up an octave.
   */
  private chooseCandidate(snrDb: number): number {
    const { candidateLags, candidateValues, candidateCount } = this;
    let deepest = 0;
    for (let index = 1; index < candidateCount; index++) {
      if (candidateValues[index]! < candidateValues[deepest]!) deepest = index;
    }
    const deepestLag = candidateLags[deepest]!;
    const { bias, ratio, perOctave, lowSnrBonus, snrRangeDb } = this.octaveChoice;
    const lowSnrShare = snrRangeDb > 0 ? Math.min(1, Math.max(0, 1 - snrDb / snrRangeDb)) : 0;
    const baseAllowance = bias + ratio * candidateValues[deepest]! + lowSnrBonus * lowSnrShare;
    for (let index = 0; index < deepest; index++) {
      const periodRatio = deepestLag / candidateLags[index]!;
      const divisor = Math.round(periodRatio);
      if (divisor < 2 || Math.abs(periodRatio - divisor) > SUBMULTIPLE_TOLERANCE * divisor) continue;
      if (candidateValues[index]! < baseAllowance + perOctave * Math.log2(divisor)) return index;
    }
    return deepest;
  }

  /** Sub-sample position of the CMND minimum at `lag` (parabola through three points). */
  private interpolateLag(lag: number): number {
    const before = this.cmnd[lag - 1]!;
    const at = this.cmnd[lag]!;
    const after = this.cmnd[lag + 1]!;
    const curvature = before - 2 * at + after;
    if (curvature <= 0) return lag;
    const shift = (0.5 * (before - after)) / curvature;
    return lag + Math.max(-1, Math.min(1, shift));
  }
}

/** The entries of `options` that are not undefined, so spreading them keeps defaults. */
function definedEntries<T extends object>(options: T): Partial<T> {
  const result: Partial<T> = {};
  for (const key of Object.keys(options) as (keyof T)[]) {
    if (options[key] !== undefined) result[key] = options[key];
  }
  return result;
}
