/**
 * Radix-2 FFT of a real signal, computed as a complex FFT of half the length
 * (even samples as real parts, odd samples as imaginary parts) followed by a
 * split step. All tables and work buffers are allocated in the constructor;
 * `forward` and `inverse` allocate nothing.
 *
 * Spectra hold bins 0…size/2 (size/2 + 1 values). Work is done in double
 * precision because difference functions built on the FFT subtract nearly
 * equal energies.
 */

type RealArray = Float32Array | Float64Array;

export class RealFft {
  readonly size: number;
  /** Bins in a spectrum: 0 Hz to Nyquist inclusive. */
  readonly binCount: number;
  private readonly halfSize: number;
  /**
   * Twiddles of the half-length complex FFT, stage after stage: for the stage
   * that joins blocks of `half` points, entries [half − 1, 2·half − 1) hold
   * cos and −sin of 2πk/(2·half) for k < half, so the butterflies read them in order.
   */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  /** cos and −sin of 2πk/size: twiddles of the real/complex split. */
  private readonly splitRe: Float64Array;
  private readonly splitIm: Float64Array;
  private readonly bitReversed: Uint32Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`RealFft size must be a power of two ≥ 4, got ${size}`);
    }
    this.size = size;
    this.halfSize = size / 2;
    this.binCount = this.halfSize + 1;
    const halfSize = this.halfSize;

    this.twiddleRe = new Float64Array(Math.max(1, halfSize));
    this.twiddleIm = new Float64Array(Math.max(1, halfSize));
    for (let half = 1; half < halfSize; half *= 2) {
      for (let k = 0; k < half; k++) {
        this.twiddleRe[half - 1 + k] = Math.cos((Math.PI * k) / half);
        this.twiddleIm[half - 1 + k] = -Math.sin((Math.PI * k) / half);
      }
    }
    this.splitRe = new Float64Array(halfSize + 1);
    this.splitIm = new Float64Array(halfSize + 1);
    for (let k = 0; k <= halfSize; k++) {
      this.splitRe[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitIm[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    const bits = Math.log2(halfSize);
    this.bitReversed = new Uint32Array(halfSize);
    for (let index = 0; index < halfSize; index++) {
      let reversed = 0;
      for (let bit = 0; bit < bits; bit++) reversed |= ((index >>> bit) & 1) << (bits - 1 - bit);
      this.bitReversed[index] = reversed;
    }
    this.workRe = new Float64Array(halfSize);
    this.workIm = new Float64Array(halfSize);
  }

  /** Spectrum of `input` (first `size` samples) into `spectrumRe`/`spectrumIm` (length ≥ binCount). */
  forward(input: RealArray, spectrumRe: Float64Array, spectrumIm: Float64Array): void {
    const { halfSize, workRe, workIm, bitReversed, splitRe, splitIm } = this;
    for (let index = 0; index < halfSize; index++) {
      const target = bitReversed[index]!;
      workRe[target] = input[2 * index]!;
      workIm[target] = input[2 * index + 1]!;
    }
    this.transformInPlace(1);

    // Split: X[k] = E[k] + W^k·O[k], with E, O the spectra of the even and odd samples.
    for (let k = 0; k <= halfSize; k++) {
      const mirror = k === 0 || k === halfSize ? 0 : halfSize - k;
      const direct = k === halfSize ? 0 : k;
      const a = workRe[direct]!;
      const b = workIm[direct]!;
      const c = workRe[mirror]!;
      const d = workIm[mirror]!;
      const evenRe = 0.5 * (a + c);
      const evenIm = 0.5 * (b - d);
      const oddRe = 0.5 * (b + d);
      const oddIm = -0.5 * (a - c);
      const wRe = splitRe[k]!;
      const wIm = splitIm[k]!;
      spectrumRe[k] = evenRe + wRe * oddRe - wIm * oddIm;
      spectrumIm[k] = evenIm + wRe * oddIm + wIm * oddRe;
    }
  }

  /** Real signal of a spectrum (bins 0…size/2) into `output` (length ≥ size); inverse(forward(x)) = x. */
  inverse(spectrumRe: Float64Array, spectrumIm: Float64Array, output: RealArray): void {
    const { halfSize, workRe, workIm, bitReversed, splitRe, splitIm } = this;
    for (let k = 0; k < halfSize; k++) {
      const xRe = spectrumRe[k]!;
      const xIm = spectrumIm[k]!;
      const mirrorRe = spectrumRe[halfSize - k]!;
      const mirrorIm = -spectrumIm[halfSize - k]!;
      const evenRe = 0.5 * (xRe + mirrorRe);
      const evenIm = 0.5 * (xIm + mirrorIm);
      const differenceRe = 0.5 * (xRe - mirrorRe);
      const differenceIm = 0.5 * (xIm - mirrorIm);
      // O[k] = difference · W^−k, and W^−k is the conjugate of the stored twiddle.
      const wRe = splitRe[k]!;
      const wIm = -splitIm[k]!;
      const oddRe = differenceRe * wRe - differenceIm * wIm;
      const oddIm = differenceRe * wIm + differenceIm * wRe;
      // Z[k] = E[k] + i·O[k]
      const target = bitReversed[k]!;
      workRe[target] = evenRe - oddIm;
      workIm[target] = evenIm + oddRe;
    }
    this.transformInPlace(-1);
    const scale = 1 / halfSize;
    for (let index = 0; index < halfSize; index++) {
      output[2 * index] = workRe[index]! * scale;
      output[2 * index + 1] = workIm[index]! * scale;
    }
  }

  /** Iterative radix-2 butterflies on bit-reversed work buffers; direction −1 is the unscaled inverse. */
  private transformInPlace(direction: 1 | -1): void {
    const { halfSize, workRe, workIm, twiddleRe, twiddleIm } = this;
    // First stage: twiddle 1.
    for (let start = 0; start < halfSize; start += 2) {
      const re = workRe[start]!;
      const im = workIm[start]!;
      const partnerRe = workRe[start + 1]!;
      const partnerIm = workIm[start + 1]!;
      workRe[start] = re + partnerRe;
      workIm[start] = im + partnerIm;
      workRe[start + 1] = re - partnerRe;
      workIm[start + 1] = im - partnerIm;
    }
    for (let halfBlock = 2; halfBlock < halfSize; halfBlock *= 2) {
      const blockSize = 2 * halfBlock;
      const table = halfBlock - 1;
      for (let offset = 0; offset < halfBlock; offset++) {
        const wRe = twiddleRe[table + offset]!;
        const wIm = direction * twiddleIm[table + offset]!;
        for (let index = offset; index < halfSize; index += blockSize) {
          const partner = index + halfBlock;
          const partnerRe = workRe[partner]!;
          const partnerIm = workIm[partner]!;
          const productRe = partnerRe * wRe - partnerIm * wIm;
          const productIm = partnerRe * wIm + partnerIm * wRe;
          const re = workRe[index]!;
          const im = workIm[index]!;
          workRe[index] = re + productRe;
          workIm[index] = im + productIm;
          workRe[partner] = re - productRe;
          workIm[partner] = im - productIm;
        }
      }
    }
  }
}
