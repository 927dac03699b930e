/** Second-order sections (normalised a0 = 1) and a stateful cascade that runs them in place. */

export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * Butterworth low-pass of even `order` as `order / 2` sections, designed by the
 * bilinear transform with pre-warping at `cutoffHz`.
 */
export function butterworthLowpass(order: number, cutoffHz: number, sampleRate: number): BiquadCoefficients[] {
  if (order < 2 || order % 2 !== 0) throw new RangeError(`Butterworth order must be even and ≥ 2, got ${order}`);
  const k = Math.tan((Math.PI * cutoffHz) / sampleRate);
  const sections: BiquadCoefficients[] = [];
  for (let pair = 0; pair < order / 2; pair++) {
    const q = 1 / (2 * Math.cos((Math.PI * (2 * pair + 1)) / (2 * order)));
    const norm = 1 / (1 + k / q + k * k);
    const b0 = k * k * norm;
    sections.push({ b0, b1: 2 * b0, b2: b0, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm });
  }
  return sections;
}

/** A chain of biquads in transposed direct form II, with state carried across blocks. */
export class BiquadCascade {
  private readonly coefficients: Float64Array;
  private readonly state: Float64Array;
  readonly sectionCount: number;

  constructor(sections: readonly BiquadCoefficients[]) {
    this.sectionCount = sections.length;
    this.coefficients = new Float64Array(sections.length * 5);
    sections.forEach((section, index) => this.coefficients.set([section.b0, section.b1, section.b2, section.a1, section.a2], index * 5));
    this.state = new Float64Array(sections.length * 2);
  }

  reset(): void {
    this.state.fill(0);
  }

  /** Filter one sample. */
  tick(input: number): number {
    const coefficients = this.coefficients;
    const state = this.state;
    let value = input;
    for (let section = 0; section < this.sectionCount; section++) {
      const c = section * 5;
      const s = section * 2;
      const output = coefficients[c]! * value + state[s]!;
      state[s] = coefficients[c + 1]! * value - coefficients[c + 3]! * output + state[s + 1]!;
      state[s + 1] = coefficients[c + 2]! * value - coefficients[c + 4]! * output;
      value = output;
    }
    return value;
  }

  /** Filter `input[from..to)` into `output` at the same indices (may be the same array). */
  process(input: Float32Array, output: Float32Array, from = 0, to = input.length): void {
    const coefficients = this.coefficients;
    const state = this.state;
    for (let section = 0; section < this.sectionCount; section++) {
      const c = section * 5;
      const b0 = coefficients[c]!;
      const b1 = coefficients[c + 1]!;
      const b2 = coefficients[c + 2]!;
      const a1 = coefficients[c + 3]!;
      const a2 = coefficients[c + 4]!;
      let s1 = state[section * 2]!;
      let s2 = state[section * 2 + 1]!;
      const source = section === 0 ? input : output;
      for (let index = from; index < to; index++) {
        const value = source[index]!;
        const filtered = b0 * value + s1;
        s1 = b1 * value - a1 * filtered + s2;
        s2 = b2 * value - a2 * filtered;
        output[index] = filtered;
      }
      state[section * 2] = s1;
      state[section * 2 + 1] = s2;
    }
  }
}
