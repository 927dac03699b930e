import type { PitchTrack as DetectedPitchTrack } from '../pitch/pitch-tracker';
import { toScoringTrack } from './score-recording';
import type { PitchTrack } from './scoring';

/**
 * The live screen's record of the microphone: the pitch tracker's estimates as they arrive
 * from the worklet (frame index, Hz, level), grown in place, read by the scorer exactly as
 * `scoreRecording` reads a whole take — so the screen and `mixdeck karaoke score` agree.
 */
export class LivePitchTrack {
  private frequencyHz = new Float32Array(4096);
  private confidence = new Float32Array(4096);
  private rmsDb = new Float32Array(4096).fill(-200);
  private count = 0;

  constructor(
    readonly sampleRate: number,
    readonly frameSize: number,
    readonly hopSize: number,
  ) {}

  get frameCount(): number {
    return this.count;
  }

  /** Records the estimate of frame `frameIndex` (frames may arrive only in order; gaps stay unvoiced). */
  add(frameIndex: number, frequencyHz: number, rmsDb: number): void {
    if (frameIndex >= this.frequencyHz.length) this.grow(frameIndex + 1);
    this.frequencyHz[frameIndex] = frequencyHz;
    this.rmsDb[frameIndex] = rmsDb;
    this.count = Math.max(this.count, frameIndex + 1);
  }

  /** Frequency of a frame, 0 when unvoiced or unknown. */
  frequencyAt(frameIndex: number): number {
    return frameIndex >= 0 && frameIndex < this.count ? this.frequencyHz[frameIndex]! : 0;
  }

  /**
   * The track as the scorer reads it. `firstSampleSongSec` is where, on the song's clock, the
   * microphone's first sample lies (negative when the microphone opened before the song began).
   */
  toScoringTrack(firstSampleSongSec: number): PitchTrack {
    const detected: DetectedPitchTrack = {
      sampleRate: this.sampleRate,
      frameSize: this.frameSize,
      hopSize: this.hopSize,
      frameCount: this.count,
      frequencyHz: this.frequencyHz.subarray(0, this.count),
      confidence: this.confidence.subarray(0, this.count),
      rmsDb: this.rmsDb.subarray(0, this.count),
    };
    const track = toScoringTrack(detected);
    return { ...track, startSec: track.startSec + firstSampleSongSec };
  }

  private grow(minimum: number): void {
    let size = this.frequencyHz.length;
    while (size < minimum) size *= 2;
    const grown = (old: Float32Array, fill: number): Float32Array<ArrayBuffer> => {
      const next = new Float32Array(size).fill(fill);
      next.set(old);
      return next;
    };
    this.frequencyHz = grown(this.frequencyHz, 0);
    this.confidence = grown(this.confidence, 0);
    this.rmsDb = grown(this.rmsDb, -200);
  }
}
