/**
 * Karaoke backing from a finished stereo mix: the lead vocal is usually panned to the centre
 * (equal in both channels), so the side signal (L − R)/2 has none of it. The side alone loses
 * the bass and kick too (also centred), so below the crossover (~120 Hz) each channel keeps
 * the original:
 *
 *     reducedL = lowPass(L) + (S − lowPass(S)),   reducedR = lowPass(R) − (S − lowPass(S))
 *
 * where S = (L − R)/2 and lowPass is a 4th-order Butterworth (two biquads). `amount` blends
 * from the original (0) to the reduced mix (1). Block processing, no allocation.
 */

const BUTTERWORTH_4_Q = [0.541196100146197, 1.3065629648763766] as const;
export const DEFAULT_CROSSOVER_HZ = 120;

/** A 4th-order Butterworth low-pass as two biquads in transposed direct form II. */
class LowPass4 {
  private readonly coefficients: Float64Array;
  private readonly state = new Float64Array(4);

  constructor(sampleRate: number, cutoffHz: number) {
    this.coefficients = new Float64Array(10);
    BUTTERWORTH_4_Q.forEach((q, section) => {
      // Audio EQ Cookbook low-pass.
      const omega = (2 * Math.PI * cutoffHz) / sampleRate;
      const alpha = Math.sin(omega) / (2 * q);
      const cosOmega = Math.cos(omega);
      const a0 = 1 + alpha;
      const b0 = (1 - cosOmega) / 2 / a0;
      this.coefficients.set([b0, 2 * b0, b0, (-2 * cosOmega) / a0, (1 - alpha) / a0], section * 5);
    });
  }

  next(input: number): number {
    const { coefficients: c, state: z } = this;
    let value = input;
    for (let section = 0; section < 2; section += 1) {
      const base = section * 5;
      const output = c[base]! * value + z[section * 2]!;
      z[section * 2] = c[base + 1]! * value - c[base + 3]! * output + z[section * 2 + 1]!;
      z[section * 2 + 1] = c[base + 2]! * value - c[base + 4]! * output;
      value = output;
    }
    return value;
  }

  reset(): void {
    this.state.fill(0);
  }
}

export class VocalReducer {
  private readonly lowLeft: LowPass4;
  private readonly lowRight: LowPass4;
  private readonly lowSide: LowPass4;

  constructor(sampleRate: number, crossoverHz = DEFAULT_CROSSOVER_HZ) {
    if (!(crossoverHz > 0 && crossoverHz < sampleRate / 2)) throw new RangeError(`crossoverHz must be between 0 and ${sampleRate / 2}, got ${crossoverHz}`);
    this.lowLeft = new LowPass4(sampleRate, crossoverHz);
    this.lowRight = new LowPass4(sampleRate, crossoverHz);
    this.lowSide = new LowPass4(sampleRate, crossoverHz);
  }

  /**
   * Writes `count` samples (default: the whole input) of the blend into the outputs, which may
   * be the input arrays themselves. `amount` 0 = original, 1 = fully reduced.
   */
  process(left: Float32Array, right: Float32Array, outLeft: Float32Array, outRight: Float32Array, amount: number, count = left.length): void {
    const wet = Math.min(1, Math.max(0, amount));
    const dry = 1 - wet;
    for (let index = 0; index < count; index += 1) {
      const l = left[index]!;
      const r = right[index]!;
      const side = (l - r) / 2;
      const highSide = side - this.lowSide.next(side);
      const reducedLeft = this.lowLeft.next(l) + highSide;
      const reducedRight = this.lowRight.next(r) - highSide;
      outLeft[index] = dry * l + wet * reducedLeft;
      outRight[index] = dry * r + wet * reducedRight;
    }
  }

  reset(): void {
    this.lowLeft.reset();
    this.lowRight.reset();
    this.lowSide.reset();
  }
}

/** The fully reduced backing of a whole stereo track, as new arrays. */
export function reduceVocals(left: Float32Array, right: Float32Array, sampleRate: number, crossoverHz = DEFAULT_CROSSOVER_HZ): [Float32Array<ArrayBuffer>, Float32Array<ArrayBuffer>] {
  const outLeft = new Float32Array(left.length);
  const outRight = new Float32Array(right.length);
  new VocalReducer(sampleRate, crossoverHz).process(left, right, outLeft, outRight, 1);
  return [outLeft, outRight];
}
