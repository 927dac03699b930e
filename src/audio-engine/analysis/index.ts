/**
 * Track analysis for the library: duration, tempo, key, loudness, true peak and
 * a waveform overview, from decoded PCM (one Float32Array per channel, any
 * channel count, any sample rate). Tempo and key share one mono signal
 * decimated to 11–22 kHz; loudness, true peak and peaks read the original.
 */
import { camelotCode, keyName } from './camelot';
import type { KeyMode } from './camelot';
import { downsampleForAnalysis } from './downsample';
import { keyOfAnalysisSignal } from './key';
import type { KeyOptions } from './key';
import { integratedLoudness } from './loudness';
import type { LoudnessOptions } from './loudness';
import { tempoOfAnalysisSignal } from './tempo';
import type { TempoOptions } from './tempo';
import { truePeakDbtp } from './true-peak';
import { waveformPeaks } from './waveform';
import type { WaveformPeaks } from './waveform';

export interface TrackKey {
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  tonic: number;
  mode: KeyMode;
  /** "A minor" */
  name: string;
  /** "8A" */
  camelot: string;
  /** 0..1 */
  confidence: number;
}

export interface TrackAnalysis {
  durationSec: number;
  /** Best tempo guess (0 only for silence); a `tempoConfidence` below ~0.1 means no steady pulse. */
  tempoBpm: number;
  tempoConfidence: number;
  /** null when the track has no pitched content (silence, pure noise). */
  key: TrackKey | null;
  /** Gated integrated loudness; −Infinity for silence. */
  integratedLufs: number;
  /** 4× oversampled peak; −Infinity for digital silence. */
  truePeakDbtp: number;
  peaks: WaveformPeaks;
}

export interface TrackAnalysisOptions {
  /** Buckets in the waveform overview. Default 2048. */
  waveformBuckets?: number;
  tempo?: TempoOptions;
  key?: KeyOptions;
  loudness?: LoudnessOptions;
}

export const DEFAULT_WAVEFORM_BUCKETS = 2048;

export function analyseTrack(channels: readonly Float32Array[], sampleRate: number, options: TrackAnalysisOptions = {}): TrackAnalysis {
  if (channels.length === 0) throw new RangeError('analyseTrack needs at least one channel');
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new RangeError(`analyseTrack needs a positive sample rate, got ${sampleRate}`);
  const frameCount = channels[0]!.length;
  if (channels.some((channel) => channel.length !== frameCount)) throw new RangeError('analyseTrack needs channels of equal length');

  const analysis = downsampleForAnalysis(channels, sampleRate);
  const tempo = tempoOfAnalysisSignal(analysis.samples, analysis.sampleRate, options.tempo);
  const key = keyOfAnalysisSignal(analysis.samples, analysis.sampleRate, options.key);
  return {
    durationSec: frameCount / sampleRate,
    tempoBpm: tempo.tempoBpm,
    tempoConfidence: tempo.confidence,
    key: key && { tonic: key.tonic, mode: key.mode, name: keyName(key), camelot: camelotCode(key), confidence: key.confidence },
    integratedLufs: integratedLoudness(channels, sampleRate, options.loudness),
    truePeakDbtp: truePeakDbtp(channels),
    peaks: waveformPeaks(channels, options.waveformBuckets ?? DEFAULT_WAVEFORM_BUCKETS),
  };
}

export { camelotCode, camelotRelation, compatibleKeys, fromCamelot, isCamelotCompatible, keyName, parseCamelot, parseKeyName, toCamelot } from './camelot';
export type { CamelotKey, CamelotRelation, KeyMode, MusicalKey } from './camelot';
export { estimateKey, keyFromChroma, KEY_PROFILES } from './key';
export type { KeyEstimate, KeyOptions, KeyProfileName } from './key';
export { estimateTempo, LIVE_TEMPO_MIN_CONFIDENCE, LiveTempoTracker, TempoEstimator } from './tempo';
export type { LiveTempoOptions, LiveTempoReading, TempoEstimate, TempoOptions } from './tempo';
export { integratedLoudness, kWeightingSections, LoudnessMeter } from './loudness';
export type { LoudnessOptions } from './loudness';
export { samplePeak, truePeakDbtp, truePeakOfChannel } from './true-peak';
export { waveformPeaks } from './waveform';
export type { WaveformPeaks } from './waveform';
export { downsampleForAnalysis, MonoDecimator } from './downsample';
