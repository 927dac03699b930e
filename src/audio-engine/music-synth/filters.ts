/** Tiny filters for synthesis (RBJ cookbook biquads and a one-pole), state kept per instance. */

export class SynthBiquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  constructor(private readonly sampleRate: number) {}

  lowpass(cutoffHz: number, q = Math.SQRT1_2): this {
    const { cosW, alpha } = this.prewarp(cutoffHz, q);
    return this.set((1 - cosW) / 2, 1 - cosW, (1 - cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha);
  }

  highpass(cutoffHz: number, q = Math.SQRT1_2): this {
    const { cosW, alpha } = this.prewarp(cutoffHz, q);
    return this.set((1 + cosW) / 2, -(1 + cosW), (1 + cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha);
  }

  /** Band-pass with 0 dB peak gain. */
  bandpass(centerHz: number, q: number): this {
    const { cosW, alpha } = this.prewarp(centerHz, q);
    return this.set(alpha, 0, -alpha, 1 + alpha, -2 * cosW, 1 - alpha);
  }

  reset(): void {
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }

  process(input: number): number {
    const output = this.b0 * input + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = input;
    this.y2 = this.y1;
    this.y1 = output;
    return output;
  }

  private prewarp(frequencyHz: number, q: number): { cosW: number; alpha: number } {
    const clampedHz = Math.min(frequencyHz, 0.45 * this.sampleRate);
    const omega = (2 * Math.PI * clampedHz) / this.sampleRate;
    return { cosW: Math.cos(omega), alpha: Math.sin(omega) / (2 * q) };
  }

  private set(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number): this {
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = a1 / a0;
    this.a2 = a2 / a0;
    return this;
  }
}

/** Coefficient of a one-pole low-pass y += k·(x − y) with the given −3 dB frequency. */
export function onePoleCoefficient(cutoffHz: number, sampleRate: number): number {
  return 1 - Math.exp((-2 * Math.PI * Math.min(cutoffHz, 0.45 * sampleRate)) / sampleRate);
}
