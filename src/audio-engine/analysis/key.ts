/**
 * Musical key from chroma by key-profile correlation: the track's pitch-class
 * profile is correlated (Pearson) with a major and a minor template rotated to
 * all 12 tonics; the best of the 24 wins.
 */
import { camelotCode, keyName } from './camelot';
import type { KeyMode, MusicalKey } from './camelot';
import { ChromaAccumulator } from './chroma';
import type { ChromaResult } from './chroma';
import { downsampleForAnalysis } from './downsample';

export type KeyProfileName = 'temperley' | 'krumhansl';

/** Templates indexed from the tonic (0) upwards. */
export const KEY_PROFILES: Record<KeyProfileName, Record<KeyMode, readonly number[]>> = {
  // Temperley (2007), "Music and Probability": pitch-class frequencies in the Kostka–Payne corpus.
  temperley: {
    major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
  },
  // Krumhansl & Kessler (1982) probe-tone ratings.
  krumhansl: {
    major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
  },
};

export interface KeyOptions {
  profile?: KeyProfileName;
}

export interface KeyEstimate extends MusicalKey {
  /** "A minor" */
  name: string;
  /** "8A" */
  camelot: string;
  /** 0..1: profile correlation, discounted when the runner-up key is close. */
  confidence: number;
  /** Correlation of the winner and of the best other key. */
  correlation: number;
  runnerUp: MusicalKey;
  tuningCents: number;
}

const DEFAULT_KEY_OPTIONS: Required<KeyOptions> = { profile: 'temperley' };

/** Margin (in correlation) at which the runner-up no longer lowers confidence much. */
const CONFIDENCE_MARGIN = 0.05;

function pearson(values: ArrayLike<number>, template: readonly number[], rotation: number): number {
  let meanValue = 0;
  let meanTemplate = 0;
  for (let index = 0; index < 12; index++) {
    meanValue += values[index]!;
    meanTemplate += template[index]!;
  }
  meanValue /= 12;
  meanTemplate /= 12;
  let covariance = 0;
  let varianceValue = 0;
  let varianceTemplate = 0;
  for (let pitchClass = 0; pitchClass < 12; pitchClass++) {
    const value = values[pitchClass]! - meanValue;
    const expected = template[(pitchClass - rotation + 12) % 12]! - meanTemplate;
    covariance += value * expected;
    varianceValue += value * value;
    varianceTemplate += expected * expected;
  }
  const denominator = Math.sqrt(varianceValue * varianceTemplate);
  return denominator > 0 ? covariance / denominator : 0;
}

/** Key of a chroma analysis. Returns null when there was no pitched content at all. */
export function keyFromChroma(result: ChromaResult, options: KeyOptions = {}): KeyEstimate | null {
  const { profile } = { ...DEFAULT_KEY_OPTIONS, ...options };
  const chroma = result.chroma;
  if (!(chroma.reduce((sum, value) => sum + value, 0) > 0)) return null;
  const templates = KEY_PROFILES[profile];
  let best: MusicalKey = { tonic: 0, mode: 'major' };
  let bestCorrelation = -Infinity;
  let runnerUp: MusicalKey = best;
  let runnerUpCorrelation = -Infinity;
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const correlation = pearson(chroma, templates[mode], tonic);
      if (correlation > bestCorrelation) {
        runnerUp = best;
        runnerUpCorrelation = bestCorrelation;
        best = { tonic, mode };
        bestCorrelation = correlation;
      } else if (correlation > runnerUpCorrelation) {
        runnerUp = { tonic, mode };
        runnerUpCorrelation = correlation;
      }
    }
  }
  const margin = bestCorrelation - runnerUpCorrelation;
  const confidence = Math.max(0, Math.min(1, bestCorrelation)) * (1 - Math.exp(-margin / CONFIDENCE_MARGIN));
  return {
    ...best,
    name: keyName(best),
    camelot: camelotCode(best),
    confidence,
    correlation: bestCorrelation,
    runnerUp,
    tuningCents: result.tuningCents,
  };
}

/** Key of a mono signal at the analysis rate (see downsample.ts). */
export function keyOfAnalysisSignal(samples: Float32Array, analysisSampleRate: number, options: KeyOptions = {}): KeyEstimate | null {
  const accumulator = new ChromaAccumulator(analysisSampleRate);
  accumulator.process(samples, 0, samples.length);
  return keyFromChroma(accumulator.result(), options);
}

/** Key of a track: any channel count, any sample rate. */
export function estimateKey(channels: readonly Float32Array[], sampleRate: number, options: KeyOptions = {}): KeyEstimate | null {
  const analysis = downsampleForAnalysis(channels, sampleRate);
  return keyOfAnalysisSignal(analysis.samples, analysis.sampleRate, options);
}
