/**
 * Band-limits a frame before pitch analysis: a 2nd-order Butterworth high-pass
 * (rumble, handling noise, kick drums) and a 4th-order Butterworth low-pass
 * (hi-hats, breath hiss, upper harmonics of the backing). Biquads in transposed
 * direct form II, in double precision.
 *
 * Each frame is filtered on its own (frames overlap, so there is no shared
 * stream state); to avoid a start-up transient the filter state starts at its
 * steady state for a constant input equal to the frame's first sample.
 */

interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Q of the two sections of a 4th-order Butterworth filter. */
const BUTTERWORTH_4_Q = [0.541196100146197, 1.3065629648763766] as const;

function butterworthSection(kind: 'high-pass' | 'low-pass', sampleRate: number, cutoffHz: number, q: number): BiquadCoefficients {
  // Audio EQ Cookbook (R. Bristow-Johnson).
  const omega = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(omega) / (2 * q);
  const cosOmega = Math.cos(omega);
  const a0 = 1 + alpha;
  const sign = kind === 'low-pass' ? 1 : -1;
  const b0 = (1 - sign * cosOmega) / 2 / a0;
  return { b0, b1: sign * 2 * b0, b2: b0, a1: (-2 * cosOmega) / a0, a2: (1 - alpha) / a0 };
}

export interface BandLimiterOptions {
  sampleRate: number;
  /** 0 disables the high-pass. */
  highPassHz: number;
  /** 0 (or ≥ Nyquist) disables the low-pass. */
  lowPassHz: number;
}

export class BandLimiter {
  private readonly sections: BiquadCoefficients[] = [];
  /** Gain at 0 Hz of each section (0 for the high-pass, 1 for low-pass sections). */
  private readonly dcGains: number[] = [];

  constructor({ sampleRate, highPassHz, lowPassHz }: BandLimiterOptions) {
    if (highPassHz > 0) this.sections.push(butterworthSection('high-pass', sampleRate, highPassHz, Math.SQRT1_2));
    if (lowPassHz > 0 && lowPassHz < sampleRate / 2) {
      for (const q of BUTTERWORTH_4_Q) this.sections.push(butterworthSection('low-pass', sampleRate, lowPassHz, q));
    }
    for (const { b0, b1, b2, a1, a2 } of this.sections) this.dcGains.push((b0 + b1 + b2) / (1 + a1 + a2));
  }

  /** Filters `input[0, length)` into `output`; input and output may be the same array. */
  processFrame(input: Float32Array | Float64Array, output: Float64Array, length: number): void {
    if (output !== input) for (let index = 0; index < length; index++) output[index] = input[index]!;
    let settledInput = length > 0 ? output[0]! : 0;
    for (let section = 0; section < this.sections.length; section++) {
      const { b0, b1, b2, a1, a2 } = this.sections[section]!;
      const settledOutput = this.dcGains[section]! * settledInput;
      let state1 = settledOutput - b0 * settledInput;
      let state2 = b2 * settledInput - a2 * settledOutput;
      for (let index = 0; index < length; index++) {
        const x = output[index]!;
        const y = b0 * x + state1;
        state1 = b1 * x - a1 * y + state2;
        state2 = b2 * x - a2 * y;
        output[index] = y;
      }
      settledInput = settledOutput;
    }
  }
}
