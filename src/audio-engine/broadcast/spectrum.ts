import { RealFft } from '../dsp/fft';
import { copyIntoRing, hannWindow, unrollWindowed } from '../dsp/frames';

/**
 * The spectrum of the sound being broadcast, for the scene's visualizer: the stereo PCM after the
 * limiter, mixed to mono, the newest `fftSize` samples Hann-windowed, and the bins summed into
 * log-spaced bands. Each band is in dBFS where a full-scale sine in it reads about 0 dB. Fed with
 * every block (like the meters), read ~20 times a second; nothing allocates after construction.
 */

export interface SpectrumOptions {
  sampleRate: number;
  /** Power of two; 2048 at 48 kHz is 43 ms of sound and 23 Hz per bin. */
  fftSize?: number;
  bandCount?: number;
  minHz?: number;
  maxHz?: number;
}

export const SPECTRUM_FLOOR_DB = -120;
export const DEFAULT_SPECTRUM_BANDS = 32;
export const SPECTRUM_MIN_HZ = 40;
export const SPECTRUM_MAX_HZ = 16000;

/** The band edges in Hz (bandCount + 1 of them), log-spaced from minHz to maxHz. */
export function spectrumBandEdgesHz(bandCount = DEFAULT_SPECTRUM_BANDS, minHz = SPECTRUM_MIN_HZ, maxHz = SPECTRUM_MAX_HZ): number[] {
  const ratio = maxHz / minHz;
  return Array.from({ length: bandCount + 1 }, (_, index) => minHz * ratio ** (index / bandCount));
}

export class BroadcastSpectrum {
  readonly bandCount: number;
  readonly edgesHz: readonly number[];
  private readonly fft: RealFft;
  private readonly window: Float32Array;
  private readonly ring: Float32Array;
  private position = 0;
  private readonly mono: Float32Array;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Per band, the first and last bin (inclusive) it sums. */
  private readonly firstBin: Int32Array;
  private readonly lastBin: Int32Array;
  /** Power of a full-scale sine through this window and FFT: the 0 dB reference. */
  private readonly fullScalePower: number;

  constructor(options: SpectrumOptions) {
    const size = options.fftSize ?? 2048;
    this.bandCount = options.bandCount ?? DEFAULT_SPECTRUM_BANDS;
    const maxHz = Math.min(options.maxHz ?? SPECTRUM_MAX_HZ, options.sampleRate / 2);
    this.edgesHz = spectrumBandEdgesHz(this.bandCount, options.minHz ?? SPECTRUM_MIN_HZ, maxHz);
    this.fft = new RealFft(size);
    this.window = hannWindow(size);
    this.ring = new Float32Array(size);
    this.mono = new Float32Array(4096);
    this.frame = new Float64Array(size);
    this.re = new Float64Array(this.fft.binCount);
    this.im = new Float64Array(this.fft.binCount);
    this.firstBin = new Int32Array(this.bandCount);
    this.lastBin = new Int32Array(this.bandCount);
    const hzPerBin = options.sampleRate / size;
    for (let band = 0; band < this.bandCount; band++) {
      const low = Math.ceil(this.edgesHz[band]! / hzPerBin);
      const high = Math.ceil(this.edgesHz[band + 1]! / hzPerBin) - 1;
      // A band narrower than a bin (the lowest ones) reads the bin its centre falls in.
      const centre = Math.round(Math.sqrt(this.edgesHz[band]! * this.edgesHz[band + 1]!) / hzPerBin);
      this.firstBin[band] = high >= low ? low : centre;
      this.lastBin[band] = high >= low ? high : centre;
    }
    // A Hann-windowed sine of amplitude 1 peaks at N/4 in its bin and spreads ~1.5× that power over
    // its neighbours: summed power N²/16 · 1.5.
    this.fullScalePower = ((size / 4) ** 2) * 1.5;
  }

  /** One block of the broadcast's stereo (after the limiter). */
  push(left: Float32Array, right: Float32Array, frames: number): void {
    let done = 0;
    while (done < frames) {
      const count = Math.min(frames - done, this.mono.length);
      for (let index = 0; index < count; index++) this.mono[index] = (left[done + index]! + right[done + index]!) * 0.5;
      this.position = copyIntoRing(this.mono, 0, count, this.ring, this.position);
      done += count;
    }
  }

  /** Each band's level now, dBFS, into `out` (length ≥ bandCount); returns `out`. */
  read(out: Float32Array = new Float32Array(this.bandCount)): Float32Array {
    unrollWindowed(this.ring, this.position, this.window, this.frame);
    this.fft.forward(this.frame, this.re, this.im);
    for (let band = 0; band < this.bandCount; band++) {
      let power = 0;
      for (let bin = this.firstBin[band]!; bin <= this.lastBin[band]!; bin++) power += this.re[bin]! ** 2 + this.im[bin]! ** 2;
      const relative = power / this.fullScalePower;
      out[band] = relative > 0 ? Math.max(SPECTRUM_FLOOR_DB, 10 * Math.log10(relative)) : SPECTRUM_FLOOR_DB;
    }
    return out;
  }

  /** The band a frequency falls in, or -1 outside the analysed range. */
  bandOf(frequencyHz: number): number {
    for (let band = 0; band < this.bandCount; band++) if (frequencyHz >= this.edgesHz[band]! && frequencyHz < this.edgesHz[band + 1]!) return band;
    return -1;
  }

  reset(): void {
    this.ring.fill(0);
    this.position = 0;
  }
}
