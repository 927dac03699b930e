/**
 * Onset novelty: band-weighted spectral flux of the log-compressed magnitude
 * spectrum. One value per hop (~11.6 ms), computed as a stream, so the offline
 * analyser and the live tempo tracker run exactly the same code.
 *
 * Each band (roughly one octave, 120 Hz–4 kHz split points) contributes its mean
 * positive flux, so a kick (a handful of low bins) weighs as much as a hi-hat
 * spread over hundreds of high bins: beats, not the densest layer, drive tempo.
 */
import { RealFft } from '../dsp/fft';
import { copyIntoRing, hannWindow, unrollWindowed } from '../dsp/frames';

const FRAME_DURATION_SEC = 0.046;
const HOP_DURATION_SEC = 0.0116;
const BAND_EDGES_HZ = [0, 120, 250, 500, 1000, 2000, 4000];
/** Where snares and claps live (and kicks mostly do not): the backbeat band. */
const BACKBEAT_LOW_HZ = 2000;
const BACKBEAT_HIGH_HZ = 4000;
/** Log compression log(1 + γ·|X|) on amplitude-normalised magnitudes. */
const COMPRESSION_GAMMA = 100;

export interface NoveltyFraming {
  sampleRate: number;
  frameSize: number;
  hopSize: number;
  /** Novelty values per second (sampleRate / hopSize). */
  frameRate: number;
}

/** Frame and hop for `sampleRate`: ~46 ms power-of-two frames every ~11.6 ms. */
export function noveltyFraming(sampleRate: number): NoveltyFraming {
  const frameSize = 2 ** Math.max(6, Math.round(Math.log2(FRAME_DURATION_SEC * sampleRate)));
  const hopSize = Math.max(1, Math.round(HOP_DURATION_SEC * sampleRate));
  return { sampleRate, frameSize, hopSize, frameRate: sampleRate / hopSize };
}

export class SpectralFluxNovelty {
  readonly framing: NoveltyFraming;
  private readonly fft: RealFft;
  private readonly window: Float32Array;
  /** The last `frameSize` input samples, oldest at `ringPosition`. */
  private readonly ring: Float32Array;
  private ringPosition = 0;
  private samplesUntilFrame: number;
  private readonly frame: Float64Array;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  private readonly logMagnitude: Float32Array;
  private readonly previousLogMagnitude: Float32Array;
  private readonly binWeight: Float32Array;
  private readonly backbeatFirstBin: number;
  private readonly backbeatEndBin: number;
  private readonly magnitudeScale: number;
  /** Mean positive flux of the backbeat band in the last frame. */
  private backbeatFlux = 0;

  constructor(sampleRate: number) {
    this.framing = noveltyFraming(sampleRate);
    const { frameSize, hopSize } = this.framing;
    this.fft = new RealFft(frameSize);
    this.window = hannWindow(frameSize);
    this.ring = new Float32Array(frameSize);
    this.samplesUntilFrame = hopSize;
    this.frame = new Float64Array(frameSize);
    this.spectrumRe = new Float64Array(this.fft.binCount);
    this.spectrumIm = new Float64Array(this.fft.binCount);
    this.logMagnitude = new Float32Array(this.fft.binCount);
    this.previousLogMagnitude = new Float32Array(this.fft.binCount);
    const binWidthHz = sampleRate / frameSize;
    this.binWeight = bandWeights(this.fft.binCount, binWidthHz);
    this.backbeatFirstBin = Math.min(this.fft.binCount - 1, Math.ceil(BACKBEAT_LOW_HZ / binWidthHz));
    this.backbeatEndBin = Math.min(this.fft.binCount, Math.ceil(BACKBEAT_HIGH_HZ / binWidthHz));
    // A full-scale sine peaks at |X| = N/4 under a Hann window: normalise to amplitude.
    this.magnitudeScale = 4 / frameSize;
  }

  /** Novelty frames that `sampleCount` more samples can produce (an upper bound). */
  maxFrames(sampleCount: number): number {
    return Math.floor((sampleCount + this.framing.hopSize - this.samplesUntilFrame) / this.framing.hopSize) + 1;
  }

  reset(): void {
    this.ring.fill(0);
    this.previousLogMagnitude.fill(0);
    this.ringPosition = 0;
    this.samplesUntilFrame = this.framing.hopSize;
  }

  /**
   * Consume `samples[from..to)` (mono, at the framing's sample rate) and write one
   * novelty value per completed hop to `output` from `outputOffset` — and, when
   * given, the backbeat-band (2–4 kHz) flux to `backbeatOutput` at the same index.
   * Returns the number of values written.
   */
  process(samples: Float32Array, from: number, to: number, output: Float32Array, outputOffset: number, backbeatOutput?: Float32Array): number {
    const ring = this.ring;
    let written = 0;
    let index = from;
    while (index < to) {
      const take = Math.min(this.samplesUntilFrame, to - index);
      this.ringPosition = copyIntoRing(samples, index, take, ring, this.ringPosition);
      index += take;
      this.samplesUntilFrame -= take;
      if (this.samplesUntilFrame === 0) {
        output[outputOffset + written] = this.computeFrame();
        if (backbeatOutput) backbeatOutput[outputOffset + written] = this.backbeatFlux;
        written++;
        this.samplesUntilFrame = this.framing.hopSize;
      }
    }
    return written;
  }

  private computeFrame(): number {
    const { frame, ring, window } = this;
    unrollWindowed(ring, this.ringPosition, window, frame);
    this.fft.forward(frame, this.spectrumRe, this.spectrumIm);
    const { spectrumRe, spectrumIm, logMagnitude, previousLogMagnitude, binWeight } = this;
    const scale = this.magnitudeScale;
    let flux = 0;
    let backbeatFlux = 0;
    const backbeatFirstBin = this.backbeatFirstBin;
    const backbeatEndBin = this.backbeatEndBin;
    for (let bin = 1; bin < logMagnitude.length; bin++) {
      const re = spectrumRe[bin]!;
      const im = spectrumIm[bin]!;
      const compressed = Math.log1p(COMPRESSION_GAMMA * scale * Math.sqrt(re * re + im * im));
      const rise = compressed - previousLogMagnitude[bin]!;
      if (rise > 0) {
        flux += rise * binWeight[bin]!;
        if (bin >= backbeatFirstBin && bin < backbeatEndBin) backbeatFlux += rise;
      }
      logMagnitude[bin] = compressed;
    }
    previousLogMagnitude.set(logMagnitude);
    this.backbeatFlux = backbeatEndBin > backbeatFirstBin ? backbeatFlux / (backbeatEndBin - backbeatFirstBin) : 0;
    return flux;
  }
}

/** 1 / (bins in the band) for each bin, so every band has the same total weight. */
function bandWeights(binCount: number, binWidthHz: number): Float32Array {
  const weights = new Float32Array(binCount);
  const bandOf = (bin: number): number => {
    let band = 0;
    while (band + 1 < BAND_EDGES_HZ.length && bin * binWidthHz >= BAND_EDGES_HZ[band + 1]!) band++;
    return band;
  };
  const binsInBand = new Array<number>(BAND_EDGES_HZ.length).fill(0);
  for (let bin = 1; bin < binCount; bin++) binsInBand[bandOf(bin)]!++;
  for (let bin = 1; bin < binCount; bin++) weights[bin] = 1 / binsInBand[bandOf(bin)]!;
  return weights;
}
