/**
 * Tempo from onset novelty, in two stages:
 *  1. find the pulse: autocorrelation of the novelty, a comb over beat multiples
 *     (L, 2L, 3L, 4L) on a 0.2 % tempo grid, a broad log-Gaussian prior;
 *  2. choose the octave among that tempo, its half and its double (when in the
 *     70–180 BPM range): comb score × a narrower prior centred on 125 BPM ×
 *     backbeat evidence (snare/clap band repeating every two beats).
 * The offline `estimateTempo` and the streaming `LiveTempoTracker` share
 * `TempoEstimator` and `SpectralFluxNovelty`; see README.md for the figures.
 */
import { MonoDecimator, downsampleForAnalysis } from './downsample';
import { SpectralFluxNovelty } from './novelty';

export interface TempoOptions {
  /** Lowest and highest tempo reported (BPM). Defaults 70–180, the DJ range. */
  minBpm?: number;
  maxBpm?: number;
  /** Centre of the broad log-Gaussian prior used to find the pulse (BPM). */
  priorCenterBpm?: number;
  /** Standard deviation of that prior in octaves. */
  priorWidthOctaves?: number;
  /** Centre and width of the narrower prior that chooses between a tempo, its double and its half. */
  octavePriorCenterBpm?: number;
  octavePriorWidthOctaves?: number;
  /** How much the backbeat cue (snare period = two beats) weighs in octave choices; 0 disables it. */
  backbeatWeight?: number;
}

export interface TempoEstimate {
  /** Best tempo guess; 0 only when the window is silent or too short. */
  tempoBpm: number;
  /** 0..1: normalised autocovariance of the novelty at that tempo (noise ≈ 0, steady grooves 0.3–0.7). */
  confidence: number;
}

const DEFAULT_TEMPO_OPTIONS: Required<TempoOptions> = {
  minBpm: 70,
  maxBpm: 180,
  priorCenterBpm: 120,
  priorWidthOctaves: 1.5,
  octavePriorCenterBpm: 125,
  octavePriorWidthOctaves: 0.6,
  backbeatWeight: 4,
};

/** Beat multiples summed by the comb (lags L, 2L, …). */
const COMB_MULTIPLES = 4;
/** Window of the moving average removed from novelty before autocorrelation. */
const DETREND_WINDOW_SEC = 1;
/** Candidate tempi are spaced by this ratio (0.2 %). */
const GRID_RATIO = 1.002;

/**
 * The tempo search over a window of novelty. Holds every buffer it needs for
 * windows up to `maxFrames` long, so `estimate` allocates nothing.
 */
export class TempoEstimator {
  readonly frameRate: number;
  readonly maxFrames: number;
  private readonly options: Required<TempoOptions>;
  private readonly maxLag: number;
  private readonly detrended: Float64Array;
  private readonly detrendedBackbeat: Float64Array;
  private readonly prefixSum: Float64Array;
  private readonly acf: Float64Array;
  private readonly smoothedAcf: Float64Array;
  private readonly gridBpm: Float64Array;
  private readonly gridPrior: Float64Array;
  private readonly gridOctavePrior: Float64Array;
  private readonly gridScore: Float64Array;

  constructor(frameRate: number, maxFrames: number, options: TempoOptions = {}) {
    this.frameRate = frameRate;
    this.maxFrames = maxFrames;
    this.options = { ...DEFAULT_TEMPO_OPTIONS, ...options };
    const { minBpm, maxBpm, priorCenterBpm, priorWidthOctaves, octavePriorCenterBpm, octavePriorWidthOctaves } = this.options;
    this.maxLag = Math.ceil((COMB_MULTIPLES * 60 * frameRate) / minBpm) + 2;
    this.detrended = new Float64Array(maxFrames);
    this.detrendedBackbeat = new Float64Array(maxFrames);
    this.prefixSum = new Float64Array(maxFrames + 1);
    this.acf = new Float64Array(this.maxLag + 2);
    this.smoothedAcf = new Float64Array(this.maxLag + 2);
    const gridSize = Math.floor(Math.log(maxBpm / minBpm) / Math.log(GRID_RATIO)) + 1;
    this.gridBpm = new Float64Array(gridSize);
    this.gridPrior = new Float64Array(gridSize);
    this.gridOctavePrior = new Float64Array(gridSize);
    this.gridScore = new Float64Array(gridSize);
    for (let index = 0; index < gridSize; index++) {
      const bpm = minBpm * GRID_RATIO ** index;
      this.gridBpm[index] = bpm;
      const octaves = Math.log2(bpm / priorCenterBpm) / priorWidthOctaves;
      this.gridPrior[index] = Math.exp(-0.5 * octaves * octaves);
      const octaveChoiceOctaves = Math.log2(bpm / octavePriorCenterBpm) / octavePriorWidthOctaves;
      this.gridOctavePrior[index] = Math.exp(-0.5 * octaveChoiceOctaves * octaveChoiceOctaves);
    }
  }

  /**
   * Tempo of the last `maxFrames` (or fewer) values of `novelty[from..to)`,
   * written into `target` when given (so a caller can reuse one object).
   * `backbeatNovelty` (the 2–4 kHz flux, same frames) settles octave choices:
   * snares and claps usually land on beats 2 and 4, so their period is two beats.
   */
  estimate(novelty: Float32Array, from: number, to: number, backbeatNovelty?: Float32Array, target: TempoEstimate = { tempoBpm: 0, confidence: 0 }): TempoEstimate {
    target.tempoBpm = 0;
    target.confidence = 0;
    const frameCount = Math.min(to - from, this.maxFrames);
    const start = to - frameCount;
    const usableLag = Math.min(this.maxLag, Math.floor((frameCount * 2) / 3));
    const minLagNeeded = (60 * this.frameRate) / this.options.minBpm;
    if (usableLag < minLagNeeded + 2) return target;

    detrend(novelty, start, frameCount, this.detrended, this.prefixSum, this.frameRate);
    const energy = this.autocorrelate(frameCount, usableLag);
    if (!(energy > 0)) return target;

    const { gridBpm, gridPrior, gridScore } = this;
    let bestIndex = 0;
    let bestWeighted = -Infinity;
    for (let index = 0; index < gridBpm.length; index++) {
      const score = this.combScore((60 * this.frameRate) / gridBpm[index]!, usableLag);
      gridScore[index] = score;
      const weighted = score * gridPrior[index]!;
      if (weighted > bestWeighted) {
        bestWeighted = weighted;
        bestIndex = index;
      }
    }
    if (backbeatNovelty && this.options.backbeatWeight > 0) {
      bestIndex = this.chooseOctave(bestIndex, backbeatNovelty, start, frameCount);
    }
    const tempoBpm = this.refine(bestIndex);
    // Normalised autocovariance at the beat: the half-wave-rectified novelty has a
    // positive mean, whose square is what uncorrelated frames would score.
    let mean = 0;
    for (let index = 0; index < frameCount; index++) mean += this.detrended[index]!;
    mean /= frameCount;
    const floor = mean * mean;
    const periodicity = energy > floor ? (gridScore[bestIndex]! - floor) / (energy - floor) : 0;
    target.tempoBpm = tempoBpm;
    target.confidence = Math.max(0, Math.min(1, periodicity));
    return target;
  }

  /**
   * Among the best tempo and its double and half (when in range), pick the one
   * whose comb score × prior × backbeat evidence is highest.
   */
  private chooseOctave(bestIndex: number, backbeatNovelty: Float32Array, start: number, frameCount: number): number {
    detrend(backbeatNovelty, start, frameCount, this.detrendedBackbeat, this.prefixSum, this.frameRate);
    const backbeatEnergy = lagProduct(this.detrendedBackbeat, frameCount, 0);
    if (!(backbeatEnergy > 0)) return bestIndex;
    const weight = this.options.backbeatWeight;
    let chosenIndex = bestIndex;
    let chosenScore = -Infinity;
    for (const ratio of OCTAVE_RATIOS) {
      const index = ratio === 1 ? bestIndex : this.bestIndexNear(this.gridBpm[bestIndex]! * ratio);
      if (index < 0) continue;
      const beatFrames = (60 * this.frameRate) / this.gridBpm[index]!;
      const backbeat = (this.backbeatCorrelation(2 * beatFrames, frameCount) - this.backbeatCorrelation(beatFrames, frameCount)) / backbeatEnergy;
      const score = this.gridScore[index]! * this.gridOctavePrior[index]! * (1 + weight * Math.max(0, backbeat));
      if (score > chosenScore) {
        chosenScore = score;
        chosenIndex = index;
      }
    }
    return chosenIndex;
  }

  /** Grid index with the best prior-weighted score within ±2 % of `bpm`, or −1 when out of range. */
  private bestIndexNear(bpm: number): number {
    const { gridBpm, gridPrior, gridScore } = this;
    const lowBpm = bpm / 1.02;
    const highBpm = bpm * 1.02;
    if (highBpm < gridBpm[0]! || lowBpm > gridBpm[gridBpm.length - 1]!) return -1;
    const first = Math.max(0, Math.ceil(Math.log(lowBpm / gridBpm[0]!) / Math.log(GRID_RATIO)));
    const last = Math.min(gridBpm.length - 1, Math.floor(Math.log(highBpm / gridBpm[0]!) / Math.log(GRID_RATIO)));
    let bestIndex = -1;
    let best = -Infinity;
    for (let index = first; index <= last; index++) {
      const weighted = gridScore[index]! * gridPrior[index]!;
      if (weighted > best) {
        best = weighted;
        bestIndex = index;
      }
    }
    return bestIndex;
  }

  /** Largest backbeat-band autocorrelation within ±1 frame of `lagFrames`. */
  private backbeatCorrelation(lagFrames: number, frameCount: number): number {
    let best = 0;
    for (let lag = Math.floor(lagFrames) - 1; lag <= Math.ceil(lagFrames) + 1; lag++) {
      if (lag <= 0 || lag >= frameCount) continue;
      best = Math.max(best, lagProduct(this.detrendedBackbeat, frameCount, lag));
    }
    return best;
  }

  /** Unbiased autocorrelation up to `usableLag`, then a [1 2 1]/4 smoothing. Returns the lag-0 value. */
  private autocorrelate(frameCount: number, usableLag: number): number {
    const { detrended, acf, smoothedAcf } = this;
    for (let lag = 0; lag <= usableLag + 1; lag++) {
      let sum = 0;
      const limit = frameCount - lag;
      for (let index = 0; index < limit; index++) sum += detrended[index]! * detrended[index + lag]!;
      acf[lag] = limit > 0 ? sum / limit : 0;
    }
    smoothedAcf[0] = acf[0]!;
    for (let lag = 1; lag <= usableLag; lag++) smoothedAcf[lag] = 0.25 * acf[lag - 1]! + 0.5 * acf[lag]! + 0.25 * acf[lag + 1]!;
    return acf[0]!;
  }

  /** Mean smoothed autocorrelation at lags k·period (k = 1..COMB_MULTIPLES) that fit. */
  private combScore(periodFrames: number, usableLag: number): number {
    const smoothedAcf = this.smoothedAcf;
    let sum = 0;
    let count = 0;
    for (let multiple = 1; multiple <= COMB_MULTIPLES; multiple++) {
      const lag = multiple * periodFrames;
      if (lag > usableLag - 1) break;
      const lower = Math.floor(lag);
      const fraction = lag - lower;
      sum += smoothedAcf[lower]! * (1 - fraction) + smoothedAcf[lower + 1]! * fraction;
      count++;
    }
    return count > 0 ? sum / count : 0;
  }

  /** Parabolic interpolation of the weighted score around the grid maximum, in log-tempo. */
  private refine(bestIndex: number): number {
    const { gridBpm, gridPrior, gridScore } = this;
    if (bestIndex === 0 || bestIndex === gridBpm.length - 1) return gridBpm[bestIndex]!;
    const left = gridScore[bestIndex - 1]! * gridPrior[bestIndex - 1]!;
    const centre = gridScore[bestIndex]! * gridPrior[bestIndex]!;
    const right = gridScore[bestIndex + 1]! * gridPrior[bestIndex + 1]!;
    const curvature = left - 2 * centre + right;
    const offset = curvature < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (left - right)) / curvature)) : 0;
    return gridBpm[bestIndex]! * GRID_RATIO ** offset;
  }
}

const OCTAVE_RATIOS = [1, 0.5, 2];

/** `novelty[start..start+frameCount)` minus its moving average, half-wave rectified, into `target`. */
function detrend(novelty: Float32Array, start: number, frameCount: number, target: Float64Array, prefixSum: Float64Array, frameRate: number): void {
  prefixSum[0] = 0;
  for (let index = 0; index < frameCount; index++) prefixSum[index + 1] = prefixSum[index]! + novelty[start + index]!;
  const halfWindow = Math.max(1, Math.round((DETREND_WINDOW_SEC * frameRate) / 2));
  for (let index = 0; index < frameCount; index++) {
    const low = Math.max(0, index - halfWindow);
    const high = Math.min(frameCount, index + halfWindow + 1);
    const localMean = (prefixSum[high]! - prefixSum[low]!) / (high - low);
    const value = novelty[start + index]! - localMean;
    target[index] = value > 0 ? value : 0;
  }
}

/** Mean of x[t]·x[t+lag] over the overlap (the unbiased autocorrelation at one lag). */
function lagProduct(values: Float64Array, frameCount: number, lag: number): number {
  let sum = 0;
  const limit = frameCount - lag;
  for (let index = 0; index < limit; index++) sum += values[index]! * values[index + lag]!;
  return limit > 0 ? sum / limit : 0;
}

/** Novelty of a whole mono signal at the analysis rate. */
export function noveltyOf(samples: Float32Array, sampleRate: number): { novelty: Float32Array; backbeatNovelty: Float32Array; frameRate: number } {
  const extractor = new SpectralFluxNovelty(sampleRate);
  const novelty = new Float32Array(extractor.maxFrames(samples.length));
  const backbeatNovelty = new Float32Array(novelty.length);
  const count = extractor.process(samples, 0, samples.length, novelty, 0, backbeatNovelty);
  return { novelty: novelty.subarray(0, count), backbeatNovelty: backbeatNovelty.subarray(0, count), frameRate: extractor.framing.frameRate };
}

/**
 * Tempo of a whole track: one array per channel, any sample rate (mixed to mono
 * and decimated to the 11–22 kHz analysis rate first).
 */
export function estimateTempo(channels: readonly Float32Array[], sampleRate: number, options: TempoOptions = {}): TempoEstimate {
  const analysis = downsampleForAnalysis(channels, sampleRate);
  return tempoOfAnalysisSignal(analysis.samples, analysis.sampleRate, options);
}

/** Tempo of a mono signal already at the analysis rate (see downsample.ts). */
export function tempoOfAnalysisSignal(samples: Float32Array, analysisSampleRate: number, options: TempoOptions = {}): TempoEstimate {
  const { novelty, backbeatNovelty, frameRate } = noveltyOf(samples, analysisSampleRate);
  return new TempoEstimator(frameRate, novelty.length, options).estimate(novelty, 0, novelty.length, backbeatNovelty);
}

export interface LiveTempoOptions extends TempoOptions {
  /** Seconds of history each estimate looks at. Default 8. */
  windowSec?: number;
  /** Seconds between estimates. Default 0.5 (two updates a second). */
  updateIntervalSec?: number;
  /** No estimate before this much audio has arrived. Default 3 s. */
  warmUpSec?: number;
}

export interface LiveTempoReading {
  /** Smoothed tempo; 0 until the first trusted estimate. Show it only when `confidence` reaches LIVE_TEMPO_MIN_CONFIDENCE. */
  tempoBpm: number;
  /**
   * Confidence of the latest window's estimate, 0…1: the estimator's periodicity, or 0 when the
   * window holds no distinct onsets (a steady tone, noise or silence has a "period" but no beat).
   */
  confidence: number;
  /** Strongest onset of the window over its average onset strength (a beat stands out: ≥ 4; a steady tone or noise: ≈ 1–3). */
  onsetContrast: number;
  /** Stream time (s of input consumed) when this reading was made. */
  timeSec: number;
  /** The raw estimate of the latest window, before smoothing and hysteresis. */
  rawTempoBpm: number;
}

/** Readings within this ratio of the current tempo count as the same tempo. */
const SAME_TEMPO_TOLERANCE = 0.04;
/** Below this confidence a live tempo is a guess: show it as unknown. */
export const LIVE_TEMPO_MIN_CONFIDENCE = 0.2;
/**
 * A window whose strongest onset is less than this many times its average onset strength has no
 * beat to follow. Measured: a steady 440 Hz tone ≈ 2.9, white noise 1.6–2.8; synthetic techno,
 * house, rock and breakbeat 5.5–10 at any level, a click track ≈ 30.
 */
const MIN_ONSET_CONTRAST = 4;
/** Consecutive agreeing estimates needed to jump to a different tempo. */
const SWITCH_AFTER_ESTIMATES = 2;
/** Weight of a new agreeing estimate in the running tempo. */
const SMOOTHING = 0.3;
const LIVE_CHUNK_FRAMES = 4096;

function near(aBpm: number, bBpm: number): boolean {
  return Math.abs(aBpm / bBpm - 1) <= SAME_TEMPO_TOLERANCE;
}

/**
 * Tempo of a live stream (e.g. the mixer input): push blocks of any size; every
 * `updateIntervalSec` the last `windowSec` of novelty is re-estimated with the
 * same `TempoEstimator` the library analysis uses. A new tempo must be seen in
 * two consecutive estimates before the reading jumps to it; estimates close to
 * the current tempo are smoothed in. Allocation-free after construction.
 *
 * Latency: the first reading comes after `warmUpSec`; a change of record shows
 * after about half a window plus two updates (≈ 4–5 s with the defaults).
 */
export class LiveTempoTracker {
  readonly sampleRate: number;
  private readonly decimator: MonoDecimator;
  private readonly novelty: SpectralFluxNovelty;
  private readonly estimator: TempoEstimator;
  private readonly decimated: Float32Array;
  /** Linear history buffers of 2 × window frames; shifted down when full. */
  private readonly noveltyHistory: Float32Array;
  private readonly backbeatHistory: Float32Array;
  private historyLength = 0;
  private readonly windowFrames: number;
  private readonly updateFrames: number;
  private readonly warmUpFrames: number;
  private framesSinceUpdate = 0;
  private totalFrames = 0;
  private inputFrames = 0;
  private candidateBpm = 0;
  private candidateCount = 0;
  private readonly reading: LiveTempoReading = { tempoBpm: 0, confidence: 0, onsetContrast: 0, timeSec: 0, rawTempoBpm: 0 };
  private readingsSincePush = 0;
  private readonly estimate: TempoEstimate = { tempoBpm: 0, confidence: 0 };

  constructor(sampleRate: number, options: LiveTempoOptions = {}) {
    this.sampleRate = sampleRate;
    this.decimator = new MonoDecimator(sampleRate);
    this.novelty = new SpectralFluxNovelty(this.decimator.outputSampleRate);
    const frameRate = this.novelty.framing.frameRate;
    this.windowFrames = Math.round((options.windowSec ?? 8) * frameRate);
    this.updateFrames = Math.max(1, Math.round((options.updateIntervalSec ?? 0.5) * frameRate));
    this.warmUpFrames = Math.round((options.warmUpSec ?? 3) * frameRate);
    this.estimator = new TempoEstimator(frameRate, this.windowFrames, options);
    this.decimated = new Float32Array(this.decimator.maxOutputFrames(LIVE_CHUNK_FRAMES));
    this.noveltyHistory = new Float32Array(2 * this.windowFrames + this.novelty.maxFrames(this.decimated.length));
    this.backbeatHistory = new Float32Array(this.noveltyHistory.length);
  }

  /** The latest reading (tempo 0 until the first estimate). Updated in place: copy it to keep it. */
  get current(): Readonly<LiveTempoReading> {
    return this.reading;
  }

  /**
   * Feed `frameCount` frames (default: the whole arrays) of one block, one array
   * per channel. Returns the number of new readings made during this block.
   */
  push(channels: readonly Float32Array[], frameCount = channels[0]?.length ?? 0): number {
    this.readingsSincePush = 0;
    for (let from = 0; from < frameCount; from += LIVE_CHUNK_FRAMES) {
      const to = Math.min(frameCount, from + LIVE_CHUNK_FRAMES);
      const decimatedCount = this.decimator.process(channels, from, to, this.decimated, 0);
      this.inputFrames += to - from;
      this.consume(decimatedCount);
    }
    return this.readingsSincePush;
  }

  reset(): void {
    this.decimator.reset();
    this.novelty.reset();
    this.historyLength = 0;
    this.framesSinceUpdate = 0;
    this.totalFrames = 0;
    this.inputFrames = 0;
    this.candidateBpm = 0;
    this.candidateCount = 0;
    Object.assign(this.reading, { tempoBpm: 0, confidence: 0, onsetContrast: 0, timeSec: 0, rawTempoBpm: 0 });
  }

  private consume(decimatedCount: number): void {
    const maxNew = this.novelty.maxFrames(decimatedCount);
    if (this.historyLength + maxNew > this.noveltyHistory.length) {
      const keep = Math.min(this.historyLength, this.windowFrames);
      this.noveltyHistory.copyWithin(0, this.historyLength - keep, this.historyLength);
      this.backbeatHistory.copyWithin(0, this.historyLength - keep, this.historyLength);
      this.historyLength = keep;
    }
    const produced = this.novelty.process(this.decimated, 0, decimatedCount, this.noveltyHistory, this.historyLength, this.backbeatHistory);
    this.historyLength += produced;
    this.totalFrames += produced;
    this.framesSinceUpdate += produced;
    if (this.totalFrames >= this.warmUpFrames && this.framesSinceUpdate >= this.updateFrames) {
      this.framesSinceUpdate = 0;
      this.update();
    }
  }

  private update(): void {
    const to = this.historyLength;
    const from = Math.max(0, to - this.windowFrames);
    const estimate = this.estimator.estimate(this.noveltyHistory, from, to, this.backbeatHistory, this.estimate);
    const reading = this.reading;
    const current = reading.tempoBpm;
    let noveltySum = 0;
    let noveltyMax = 0;
    for (let index = from; index < to; index++) {
      const value = this.noveltyHistory[index]!;
      noveltySum += value;
      if (value > noveltyMax) noveltyMax = value;
    }
    const noveltyMean = to > from ? noveltySum / (to - from) : 0;
    const onsetContrast = noveltyMean > 0 ? noveltyMax / noveltyMean : 0;
    const confidence = onsetContrast >= MIN_ONSET_CONTRAST ? estimate.confidence : 0;
    // An estimate nobody should believe must not move the tempo either.
    if (estimate.tempoBpm > 0 && confidence >= LIVE_TEMPO_MIN_CONFIDENCE) {
      if (current === 0) {
        reading.tempoBpm = estimate.tempoBpm;
        this.candidateCount = 0;
      } else if (near(estimate.tempoBpm, current)) {
        reading.tempoBpm = current + SMOOTHING * (estimate.tempoBpm - current);
        this.candidateCount = 0;
      } else if (this.candidateCount > 0 && near(estimate.tempoBpm, this.candidateBpm)) {
        this.candidateCount++;
        this.candidateBpm = estimate.tempoBpm;
        if (this.candidateCount >= SWITCH_AFTER_ESTIMATES) {
          reading.tempoBpm = estimate.tempoBpm;
          this.candidateCount = 0;
        }
      } else {
        this.candidateBpm = estimate.tempoBpm;
        this.candidateCount = 1;
      }
    }
    reading.confidence = confidence;
    reading.onsetContrast = onsetContrast;
    reading.rawTempoBpm = estimate.tempoBpm;
    reading.timeSec = this.inputFrames / this.sampleRate;
    this.readingsSincePush++;
  }
}
