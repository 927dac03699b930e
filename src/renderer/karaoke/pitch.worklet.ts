/**
 * The microphone's pitch, live, in the audio thread: our PitchTracker (band-limited FFT
 * difference function, octave checks, noise and bleed gate, smoothing) on every input channel
 * that has a singer, one estimate per 20 ms hop (50 analyses per second). Posts batches of
 * estimates (frame index, Hz, level) and, once, the audio-clock time of the first sample, so
 * the page can put every frame on the song's clock. In "clicks" mode (latency calibration) it
 * posts the audio-clock time of every loud onset instead.
 */
import { PitchTracker } from '../../audio-engine/pitch/pitch-tracker';
import type { PitchEstimate } from '../../audio-engine/pitch/pitch-detector';

// The AudioWorkletGlobalScope, declared here: the renderer's DOM types do not describe it.
declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, processor: new (options: { processorOptions?: PitchWorkletOptions }) => WorkletProcessor): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
interface WorkletProcessor extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean;
}

export interface PitchWorkletOptions {
  /** 1: one singer (channels mixed); 2: a duet on the two channels of one interface. */
  singers: 1 | 2;
  mode: 'pitch' | 'clicks';
}

export type PitchWorkletMessage =
  | { type: 'started'; firstSampleTime: number; sampleRate: number; frameSize: number; hopSize: number }
  /** Flat [singer, frameIndex, frequencyHz, rmsDb, …] quadruples. */
  | { type: 'estimates'; values: number[] }
  | { type: 'onset'; time: number; peak: number };

/** Posting allocates, so estimates are sent in batches of this many hops (80 ms). */
const HOPS_PER_POST = 4;
/** A click played through speakers arrives far louder than room noise; 0.1 is about −20 dBFS. */
const ONSET_THRESHOLD = 0.1;
const ONSET_HOLD_SEC = 0.25;

class PitchProcessor extends AudioWorkletProcessor implements WorkletProcessor {
  private readonly options: PitchWorkletOptions;
  private readonly trackers: PitchTracker[];
  private readonly mixed = new Float32Array(128);
  private pending: number[] = [];
  private started = false;
  private lastOnsetTime = -1;
  private readonly listeners: ((estimate: PitchEstimate, frame: number) => void)[];

  constructor(init: { processorOptions?: PitchWorkletOptions }) {
    super();
    this.options = init.processorOptions ?? { singers: 1, mode: 'pitch' };
    const count = this.options.mode === 'pitch' ? this.options.singers : 0;
    this.trackers = Array.from({ length: count }, () => new PitchTracker({ sampleRate }));
    this.listeners = this.trackers.map((_, singer) => (estimate, frame) => {
      this.pending.push(singer, frame, estimate.frequencyHz, estimate.rmsDb);
    });
    this.port.onmessage = (event: MessageEvent<{ type: 'reset' }>) => {
      if (event.data.type === 'reset') for (const tracker of this.trackers) tracker.reset();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0] ?? [];
    if (channels.length === 0) return true;
    if (!this.started) {
      this.started = true;
      const tracker = this.trackers[0];
      this.port.postMessage({
        type: 'started',
        firstSampleTime: currentTime,
        sampleRate,
        frameSize: tracker?.frameSize ?? 0,
        hopSize: tracker?.hopSize ?? 0,
      } satisfies PitchWorkletMessage);
    }
    if (this.options.mode === 'clicks') {
      this.findOnset(channels[0]!);
      return true;
    }
    if (this.options.singers === 2) {
      this.trackers[0]!.push(channels[0]!, this.listeners[0]!);
      this.trackers[1]!.push(channels[1] ?? channels[0]!, this.listeners[1]!);
    } else {
      const block = channels.length === 1 ? channels[0]! : this.mix(channels);
      this.trackers[0]!.push(block, this.listeners[0]!);
    }
    if (this.pending.length >= HOPS_PER_POST * 4 * this.options.singers) {
      this.port.postMessage({ type: 'estimates', values: this.pending } satisfies PitchWorkletMessage);
      this.pending = [];
    }
    return true;
  }

  private mix(channels: Float32Array[]): Float32Array {
    const length = channels[0]!.length;
    const mixed = this.mixed.length === length ? this.mixed : new Float32Array(length);
    mixed.fill(0);
    for (const channel of channels) for (let index = 0; index < length; index += 1) mixed[index] = mixed[index]! + channel[index]! / channels.length;
    return mixed;
  }

  private findOnset(block: Float32Array): void {
    for (let index = 0; index < block.length; index += 1) {
      const value = Math.abs(block[index]!);
      if (value < ONSET_THRESHOLD) continue;
      const time = currentTime + index / sampleRate;
      if (time - this.lastOnsetTime > ONSET_HOLD_SEC) {
        this.lastOnsetTime = time;
        this.port.postMessage({ type: 'onset', time, peak: value } satisfies PitchWorkletMessage);
      }
      return;
    }
  }
}

registerProcessor('mixdeck-pitch', PitchProcessor);
