/**
 * Runs a PitchDetector every `hopSize` samples and (optionally) smooths the
 * result over three frames. Two ways in:
 *
 * - `analyse(signal)`: a whole recording at once → a `PitchTrack` (offline
 *   scoring, analysing a take);
 * - `push(block, onEstimate)`: live audio in blocks of any size (an
 *   AudioWorklet's 128-sample quanta); calls `onEstimate` once per hop.
 *   Allocates nothing after construction.
 *
 * Frame i covers samples [i·hopSize, i·hopSize + frameSize). With smoothing,
 * the estimate of frame i is released one hop later (when frame i + 1 is known).
 */
import { PitchDetector } from './pitch-detector';
import type { PitchDetectorOptions, PitchEstimate } from './pitch-detector';
import { PitchSmoother } from './pitch-smoother';

export interface PitchTrackerOptions extends PitchDetectorOptions {
  /** Samples between frame starts; defaults to 20 ms (50 analyses per second). */
  hopSize?: number;
  /** Three-frame median / dropout filling, one hop of latency. Default true. */
  smoothing?: boolean;
}

export interface PitchTrack {
  sampleRate: number;
  frameSize: number;
  hopSize: number;
  frameCount: number;
  /** Per frame, Hz; 0 when unvoiced. */
  frequencyHz: Float32Array;
  confidence: Float32Array;
  rmsDb: Float32Array;
}

/** Receives the estimate of frame `frameIndex`; the estimate object is reused after the call returns. */
export type PitchEstimateListener = (estimate: PitchEstimate, frameIndex: number) => void;

export class PitchTracker {
  readonly hopSize: number;
  readonly frameSize: number;
  readonly sampleRate: number;
  private readonly detector: PitchDetector;
  private readonly smoother: PitchSmoother | null;
  /** Live input: the newest `frameSize` samples, oldest first once full. */
  private readonly ring: Float32Array;
  private readonly frame: Float32Array;
  private ringWrite = 0;
  private samplesUntilHop: number;
  private framesReleased = 0;

  constructor(options: PitchTrackerOptions) {
    this.detector = new PitchDetector(options);
    this.sampleRate = options.sampleRate;
    this.frameSize = this.detector.frameSize;
    this.hopSize = options.hopSize ?? Math.round(options.sampleRate * 0.02);
    if (!Number.isInteger(this.hopSize) || this.hopSize < 1) throw new RangeError(`hopSize must be a whole number of samples ≥ 1, got ${this.hopSize}`);
    this.smoother = options.smoothing === false ? null : new PitchSmoother();
    this.ring = new Float32Array(this.frameSize);
    this.frame = new Float32Array(this.frameSize);
    this.samplesUntilHop = this.frameSize;
  }

  /** Analyses a whole signal from a fresh state. */
  analyse(signal: Float32Array): PitchTrack {
    this.reset();
    const { frameSize, hopSize } = this;
    const frameCount = signal.length < frameSize ? 0 : Math.floor((signal.length - frameSize) / hopSize) + 1;
    const track: PitchTrack = {
      sampleRate: this.sampleRate,
      frameSize,
      hopSize,
      frameCount,
      frequencyHz: new Float32Array(frameCount),
      confidence: new Float32Array(frameCount),
      rmsDb: new Float32Array(frameCount),
    };
    const record: PitchEstimateListener = (estimate, frameIndex) => {
      track.frequencyHz[frameIndex] = estimate.frequencyHz;
      track.confidence[frameIndex] = estimate.confidence;
      track.rmsDb[frameIndex] = estimate.rmsDb;
    };
    for (let frameIndex = 0; frameIndex < frameCount; frameIndex++) {
      const start = frameIndex * hopSize;
      this.analyseFrame(signal.subarray(start, start + frameSize), record);
    }
    this.flush(record);
    this.reset();
    return track;
  }

  /** Feeds live samples; calls `onEstimate` for every frame released. */
  push(samples: Float32Array, onEstimate: PitchEstimateListener): void {
    const { ring, frameSize } = this;
    for (let index = 0; index < samples.length; index++) {
      ring[this.ringWrite] = samples[index]!;
      this.ringWrite = this.ringWrite + 1 === frameSize ? 0 : this.ringWrite + 1;
      if (--this.samplesUntilHop === 0) {
        this.samplesUntilHop = this.hopSize;
        this.unrollRing();
        this.analyseFrame(this.frame, onEstimate);
      }
    }
  }

  /** Releases the frame held back by smoothing (end of a take). */
  flush(onEstimate: PitchEstimateListener): void {
    const released = this.smoother?.flush() ?? null;
    if (released !== null) onEstimate(released, this.framesReleased++);
  }

  /** Forgets all state: the live buffer, the smoother and the detector's bleed gate. */
  reset(): void {
    this.ring.fill(0);
    this.ringWrite = 0;
    this.samplesUntilHop = this.frameSize;
    this.framesReleased = 0;
    this.smoother?.reset();
    this.detector.reset();
  }

  /** Copies the ring into `frame`, oldest sample first (no subarray views: they allocate). */
  private unrollRing(): void {
    const { ring, frame, frameSize, ringWrite } = this;
    let target = 0;
    for (let index = ringWrite; index < frameSize; index++) frame[target++] = ring[index]!;
    for (let index = 0; index < ringWrite; index++) frame[target++] = ring[index]!;
  }

  private analyseFrame(frame: Float32Array, onEstimate: PitchEstimateListener): void {
    const raw = this.detector.process(frame);
    if (this.smoother === null) {
      onEstimate(raw, this.framesReleased++);
      return;
    }
    const released = this.smoother.push(raw);
    if (released !== null) onEstimate(released, this.framesReleased++);
  }
}
