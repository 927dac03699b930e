/**
 * Pitch-class profile (chroma) of a signal, HPCP-style: spectral peaks of long
 * frames are placed precisely by parabolic interpolation and accumulated in a
 * 10-cent pitch-class histogram; each peak also credits its 2nd–4th
 * subharmonics (a peak may be a harmonic of a lower note) with decreasing
 * weight. At the end the tuning (offset of the histogram from A = 440 Hz) is
 * estimated and the histogram folds into 12 semitones with a cos² window
 * centred on the tuned pitches, so a record cut at A = 432 Hz keeps its key.
 * Streaming and allocation-free after construction.
 */
import { RealFft } from '../dsp/fft';
import { copyIntoRing, hannWindow, unrollWindowed } from '../dsp/frames';

const FRAME_DURATION_SEC = 0.37;
/** Below 100 Hz sit kick drums and bass lines that mostly repeat chord roots: both blur the key. */
const MIN_FREQUENCY_HZ = 100;
const MAX_FREQUENCY_HZ = 3500;
/** Peaks more than 60 dB below the frame's strongest are ignored. */
const PEAK_FLOOR_RATIO = 1e-3;
/** Weight of the pitch class of subharmonic h is SUBHARMONIC_DECAY^(h−1). */
const SUBHARMONIC_DECAY = 0.6;
const SUBHARMONICS = 4;

const BINS_PER_SEMITONE = 10;
const FINE_BINS = 12 * BINS_PER_SEMITONE;

export interface ChromaResult {
  /** Magnitude-weighted pitch-class profile, index 0 = C. */
  chroma: Float64Array;
  /** Estimated offset of the tuning from A = 440 Hz (cents, −50..50). */
  tuningCents: number;
  frameCount: number;
}

export class ChromaAccumulator {
  readonly sampleRate: number;
  readonly frameSize: number;
  readonly hopSize: number;
  private readonly fineChroma = new Float64Array(FINE_BINS);
  private frameCount = 0;
  private readonly fft: RealFft;
  private readonly window: Float32Array;
  private readonly ring: Float32Array;
  private ringPosition = 0;
  private samplesUntilFrame: number;
  private readonly frame: Float64Array;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  private readonly logMagnitude: Float64Array;
  private readonly minBin: number;
  private readonly maxBin: number;
  private readonly binWidthHz: number;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
    this.frameSize = 2 ** Math.round(Math.log2(FRAME_DURATION_SEC * sampleRate));
    this.hopSize = this.frameSize / 2;
    this.fft = new RealFft(this.frameSize);
    this.window = hannWindow(this.frameSize);
    this.ring = new Float32Array(this.frameSize);
    this.samplesUntilFrame = this.frameSize;
    this.frame = new Float64Array(this.frameSize);
    this.spectrumRe = new Float64Array(this.fft.binCount);
    this.spectrumIm = new Float64Array(this.fft.binCount);
    this.logMagnitude = new Float64Array(this.fft.binCount);
    this.binWidthHz = sampleRate / this.frameSize;
    this.minBin = Math.max(2, Math.floor(MIN_FREQUENCY_HZ / this.binWidthHz));
    this.maxBin = Math.min(this.fft.binCount - 2, Math.ceil(MAX_FREQUENCY_HZ / this.binWidthHz));
  }

  reset(): void {
    this.fineChroma.fill(0);
    this.frameCount = 0;
    this.ring.fill(0);
    this.ringPosition = 0;
    this.samplesUntilFrame = this.frameSize;
  }

  /** Tuning estimate and the 12-bin chroma of everything processed so far (into `target`). */
  result(target: ChromaResult = createChromaResult()): ChromaResult {
    const tuningCents = estimateTuningCents(this.fineChroma);
    foldChroma(this.fineChroma, tuningCents, target.chroma);
    target.tuningCents = tuningCents;
    target.frameCount = this.frameCount;
    return target;
  }

  process(samples: Float32Array, from: number, to: number): void {
    const ring = this.ring;
    let index = from;
    while (index < to) {
      const take = Math.min(this.samplesUntilFrame, to - index);
      this.ringPosition = copyIntoRing(samples, index, take, ring, this.ringPosition);
      index += take;
      this.samplesUntilFrame -= take;
      if (this.samplesUntilFrame === 0) {
        this.analyseFrame();
        this.samplesUntilFrame = this.hopSize;
      }
    }
  }

  private analyseFrame(): void {
    const { frame, ring, window } = this;
    unrollWindowed(ring, this.ringPosition, window, frame);
    this.fft.forward(frame, this.spectrumRe, this.spectrumIm);
    const { spectrumRe, spectrumIm, logMagnitude, minBin, maxBin } = this;
    let strongest = 0;
    for (let bin = minBin - 1; bin <= maxBin + 1; bin++) {
      const power = spectrumRe[bin]! * spectrumRe[bin]! + spectrumIm[bin]! * spectrumIm[bin]!;
      logMagnitude[bin] = 0.5 * Math.log(power + 1e-30);
      if (power > strongest) strongest = power;
    }
    if (strongest <= 1e-20) return;
    const floorLog = 0.5 * Math.log(strongest) + Math.log(PEAK_FLOOR_RATIO);
    const semitonesPerOctave = 12;
    for (let bin = minBin; bin <= maxBin; bin++) {
      const centre = logMagnitude[bin]!;
      if (centre < floorLog) continue;
      const left = logMagnitude[bin - 1]!;
      const right = logMagnitude[bin + 1]!;
      if (!(centre > left && centre >= right)) continue;
      const curvature = left - 2 * centre + right;
      const offset = curvature < 0 ? (0.5 * (left - right)) / curvature : 0;
      const frequencyHz = (bin + offset) * this.binWidthHz;
      const magnitude = Math.exp(centre - 0.25 * (left - right) * offset);
      // Position in the pitch-class circle, in fine bins from C (A4 = 440 Hz is MIDI 69).
      const pitch = 69 + semitonesPerOctave * Math.log2(frequencyHz / 440);
      let weight = magnitude;
      for (let subharmonic = 1; subharmonic <= SUBHARMONICS; subharmonic++) {
        const position = (pitch - semitonesPerOctave * Math.log2(subharmonic)) * BINS_PER_SEMITONE;
        const lower = Math.floor(position);
        const fraction = position - lower;
        const lowerBin = ((lower % FINE_BINS) + FINE_BINS) % FINE_BINS;
        const upperBin = lowerBin + 1 === FINE_BINS ? 0 : lowerBin + 1;
        this.fineChroma[lowerBin]! += weight * (1 - fraction);
        this.fineChroma[upperBin]! += weight * fraction;
        weight *= SUBHARMONIC_DECAY;
      }
    }
    this.frameCount++;
  }
}

export function createChromaResult(): ChromaResult {
  return { chroma: new Float64Array(12), tuningCents: 0, frameCount: 0 };
}

/** Circular mean of where energy sits inside a semitone: the tuning offset in cents. */
function estimateTuningCents(fineChroma: Float64Array): number {
  let re = 0;
  let im = 0;
  for (let bin = 0; bin < FINE_BINS; bin++) {
    const angle = (2 * Math.PI * (bin % BINS_PER_SEMITONE)) / BINS_PER_SEMITONE;
    re += fineChroma[bin]! * Math.cos(angle);
    im += fineChroma[bin]! * Math.sin(angle);
  }
  if (re === 0 && im === 0) return 0;
  return (Math.atan2(im, re) / (2 * Math.PI)) * 100;
}

/** Fold the fine histogram into 12 bins with a cos² window (one semitone wide) around each tuned pitch. */
function foldChroma(fineChroma: Float64Array, tuningCents: number, target: Float64Array): void {
  target.fill(0);
  const shiftBins = (tuningCents / 100) * BINS_PER_SEMITONE;
  for (let bin = 0; bin < FINE_BINS; bin++) {
    const semitones = (bin - shiftBins) / BINS_PER_SEMITONE;
    const nearest = Math.round(semitones);
    const cosine = Math.cos(Math.PI * (semitones - nearest));
    target[((nearest % 12) + 12) % 12]! += fineChroma[bin]! * cosine * cosine;
  }
}
