/**
 * Broadcast level meters: per channel the peak since the last reading, a peak hold that stays
 * put for a while and then falls (so a DJ glancing at the booth laptop still sees the last
 * over), and RMS over a short window. Fed with every block of PCM; read ~10 times a second.
 */

export interface MeterOptions {
  sampleRate: number;
  channels?: number;
  /** How long the peak hold stays before falling, default 1.5 s. */
  holdSec?: number;
  /** How fast it falls afterwards, default 20 dB/s. */
  fallDbPerSec?: number;
  /** RMS window, default 300 ms (like a VU's integration time). */
  rmsWindowSec?: number;
}

export interface ChannelLevel {
  peakDb: number;
  peakHoldDb: number;
  rmsDb: number;
}

/** The floor the meters report for silence. */
export const METER_FLOOR_DB = -120;

const toDb = (value: number): number => (value > 0 ? Math.max(METER_FLOOR_DB, 20 * Math.log10(value)) : METER_FLOOR_DB);

export class LevelMeters {
  readonly channels: number;
  private readonly sampleRate: number;
  private readonly holdFrames: number;
  private readonly fallDbPerFrame: number;
  private readonly rmsFrames: number;
  private readonly peaks: Float64Array;
  private readonly holdDb: Float64Array;
  private readonly holdAge: Float64Array;
  /** Per channel: squared samples of the RMS window in a ring, and their running sum. */
  private readonly squares: Float64Array[];
  private readonly squareSums: Float64Array;
  private squareAt = 0;
  private framesSinceRead = 0;

  constructor(options: MeterOptions) {
    this.channels = options.channels ?? 2;
    this.sampleRate = options.sampleRate;
    this.holdFrames = Math.round((options.holdSec ?? 1.5) * options.sampleRate);
    this.fallDbPerFrame = (options.fallDbPerSec ?? 20) / options.sampleRate;
    this.rmsFrames = Math.max(1, Math.round((options.rmsWindowSec ?? 0.3) * options.sampleRate));
    this.peaks = new Float64Array(this.channels);
    this.holdDb = new Float64Array(this.channels).fill(METER_FLOOR_DB);
    this.holdAge = new Float64Array(this.channels);
    this.squares = Array.from({ length: this.channels }, () => new Float64Array(this.rmsFrames));
    this.squareSums = new Float64Array(this.channels);
  }

  push(channels: readonly Float32Array[], frames = channels[0]?.length ?? 0): void {
    const startAt = this.squareAt;
    for (let channel = 0; channel < this.channels; channel++) {
      const samples = channels[channel] ?? channels[0]!;
      const ring = this.squares[channel]!;
      let peak = this.peaks[channel]!;
      let sum = this.squareSums[channel]!;
      let at = startAt;
      for (let frame = 0; frame < frames; frame++) {
        const value = samples[frame]!;
        const magnitude = value < 0 ? -value : value;
        if (magnitude > peak) peak = magnitude;
        const square = value * value;
        sum += square - ring[at]!;
        ring[at] = square;
        at = at + 1 === this.rmsFrames ? 0 : at + 1;
      }
      this.peaks[channel] = peak;
      this.squareSums[channel] = sum;
    }
    this.squareAt = (startAt + frames) % this.rmsFrames;
    this.framesSinceRead += frames;
  }

  /** The levels since the last reading; resets the peak (not the hold or the RMS window). */
  read(into: ChannelLevel[] = []): ChannelLevel[] {
    const elapsed = this.framesSinceRead;
    this.framesSinceRead = 0;
    for (let channel = 0; channel < this.channels; channel++) {
      const peakDb = toDb(this.peaks[channel]!);
      this.peaks[channel] = 0;
      let hold = this.holdDb[channel]!;
      let age = this.holdAge[channel]! + elapsed;
      if (peakDb >= hold) {
        hold = peakDb;
        age = 0;
      } else if (age > this.holdFrames) {
        hold = Math.max(peakDb, hold - (age - this.holdFrames) * this.fallDbPerFrame, METER_FLOOR_DB);
        age = this.holdFrames;
      }
      this.holdDb[channel] = hold;
      this.holdAge[channel] = age;
      // The running sum can drift a hair below zero after long silence.
      const meanSquare = Math.max(0, this.squareSums[channel]!) / this.rmsFrames;
      const level = into[channel] ?? { peakDb: 0, peakHoldDb: 0, rmsDb: 0 };
      level.peakDb = peakDb;
      level.peakHoldDb = hold;
      level.rmsDb = toDb(Math.sqrt(meanSquare));
      into[channel] = level;
    }
    into.length = this.channels;
    return into;
  }

  reset(): void {
    this.peaks.fill(0);
    this.holdDb.fill(METER_FLOOR_DB);
    this.holdAge.fill(0);
    for (const ring of this.squares) ring.fill(0);
    this.squareSums.fill(0);
    this.framesSinceRead = 0;
    void this.sampleRate;
  }
}
