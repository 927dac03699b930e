/** Small building blocks shared by the synthetic singer and the synthetic backing band. */

/**
 * PolyBLEP residual for a unit-step discontinuity at phase 0/1 of a phase
 * accumulator advancing `phaseIncrement` per sample. Subtracting it from a naive
 * sawtooth band-limits it well enough for test signals.
 */
export function polyBlep(phase: number, phaseIncrement: number): number {
  if (phase < phaseIncrement) {
    const t = phase / phaseIncrement;
    return t + t - t * t - 1;
  }
  if (phase > 1 - phaseIncrement) {
    const t = (phase - 1) / phaseIncrement;
    return t * t + t + t + 1;
  }
  return 0;
}

/**
 * Two-pole resonator in Klatt's cascade form, y = a·x + b·y[n-1] + c·y[n-2],
 * with unity gain at 0 Hz so resonators can be chained (a vowel's formants).
 */
export class Resonator {
  private a = 1;
  private b = 0;
  private c = 0;
  private y1 = 0;
  private y2 = 0;

  constructor(private readonly sampleRate: number) {}

  tune(centerHz: number, bandwidthHz: number): void {
    const samplePeriodSec = 1 / this.sampleRate;
    this.c = -Math.exp(-2 * Math.PI * bandwidthHz * samplePeriodSec);
    this.b = 2 * Math.exp(-Math.PI * bandwidthHz * samplePeriodSec) * Math.cos(2 * Math.PI * centerHz * samplePeriodSec);
    this.a = 1 - this.b - this.c;
  }

  step(input: number): number {
    const output = this.a * input + this.b * this.y1 + this.c * this.y2;
    this.y2 = this.y1;
    this.y1 = output;
    return output;
  }
}

/** One-pole low-pass, y += k·(x − y). */
export class OnePoleLowPass {
  private readonly coefficient: number;
  private state = 0;

  constructor(sampleRate: number, cutoffHz: number) {
    this.coefficient = 1 - Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
  }

  step(input: number): number {
    this.state += this.coefficient * (input - this.state);
    return this.state;
  }

  reset(value = 0): void {
    this.state = value;
  }
}

export function dbToGain(gainDb: number): number {
  return 10 ** (gainDb / 20);
}

export function rootMeanSquare(samples: Float32Array, mask?: Uint8Array, maskValue = 1): number {
  let sum = 0;
  let count = 0;
  for (let index = 0; index < samples.length; index++) {
    if (mask !== undefined && mask[index] !== maskValue) continue;
    const sample = samples[index] ?? 0;
    sum += sample * sample;
    count++;
  }
  return count === 0 ? 0 : Math.sqrt(sum / count);
}

/** Raised-cosine ramp from 0 to 1 as `position` goes from 0 to 1 (clamped). */
export function smoothStep(position: number): number {
  if (position <= 0) return 0;
  if (position >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * position);
}
