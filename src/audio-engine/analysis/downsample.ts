/**
 * Mono mix-down and integer-factor decimation to the analysis rate. Tempo and key
 * only need content below ~5 kHz, so any input rate is reduced by the largest
 * integer factor that keeps the analysis rate at or above 11 025 Hz (44.1 kHz → ÷4,
 * 48 kHz → ÷4 = 12 kHz, 22.05 kHz → ÷2, 16 kHz → ÷1). Rates below 11 025 Hz are
 * analysed as they are.
 */
import { BiquadCascade, butterworthLowpass } from './biquad';

export const MIN_ANALYSIS_SAMPLE_RATE = 11025;

export function decimationFactor(sampleRate: number): number {
  return Math.max(1, Math.floor(sampleRate / MIN_ANALYSIS_SAMPLE_RATE + 1e-9));
}

const CHUNK_FRAMES = 2048;

/**
 * Streaming mono down-mixer + anti-alias low-pass (6th-order Butterworth at 0.4 of
 * the output rate) + decimator. State carries across calls; nothing is allocated
 * after construction.
 */
export class MonoDecimator {
  readonly factor: number;
  readonly inputSampleRate: number;
  readonly outputSampleRate: number;
  private readonly lowpass: BiquadCascade | null;
  private readonly scratch = new Float32Array(CHUNK_FRAMES);
  /** Input frames to skip before the next kept one. */
  private skip = 0;

  constructor(inputSampleRate: number) {
    if (!(inputSampleRate > 0)) throw new RangeError(`Sample rate must be positive, got ${inputSampleRate}`);
    this.inputSampleRate = inputSampleRate;
    this.factor = decimationFactor(inputSampleRate);
    this.outputSampleRate = inputSampleRate / this.factor;
    this.lowpass = this.factor > 1 ? new BiquadCascade(butterworthLowpass(6, 0.4 * this.outputSampleRate, inputSampleRate)) : null;
  }

  /** Output frames that `inputFrames` more input frames can produce (an upper bound). */
  maxOutputFrames(inputFrames: number): number {
    return Math.ceil(inputFrames / this.factor) + 1;
  }

  reset(): void {
    this.lowpass?.reset();
    this.skip = 0;
  }

  /**
   * Mix `channels[*][from..to)` to mono, filter, decimate, and write the result to
   * `output` from `outputOffset`. Returns the number of frames written.
   */
  process(channels: readonly Float32Array[], from: number, to: number, output: Float32Array, outputOffset: number): number {
    const scratch = this.scratch;
    const channelCount = channels.length;
    const channelScale = 1 / channelCount;
    let written = 0;
    for (let chunkStart = from; chunkStart < to; chunkStart += CHUNK_FRAMES) {
      const chunkLength = Math.min(CHUNK_FRAMES, to - chunkStart);
      const first = channels[0]!;
      if (channelCount === 1) {
        for (let index = 0; index < chunkLength; index++) scratch[index] = first[chunkStart + index]!;
      } else {
        for (let index = 0; index < chunkLength; index++) {
          let sum = 0;
          for (let channel = 0; channel < channelCount; channel++) sum += channels[channel]![chunkStart + index]!;
          scratch[index] = sum * channelScale;
        }
      }
      this.lowpass?.process(scratch, scratch, 0, chunkLength);
      let index = this.skip;
      for (; index < chunkLength; index += this.factor) output[outputOffset + written++] = scratch[index]!;
      this.skip = index - chunkLength;
    }
    return written;
  }
}

/** Whole-buffer convenience: the mono analysis-rate signal of `channels`. */
export function downsampleForAnalysis(channels: readonly Float32Array[], sampleRate: number): { samples: Float32Array; sampleRate: number } {
  const decimator = new MonoDecimator(sampleRate);
  const frameCount = channels[0]?.length ?? 0;
  const output = new Float32Array(decimator.maxOutputFrames(frameCount));
  const written = channels.length > 0 ? decimator.process(channels, 0, frameCount, output, 0) : 0;
  return { samples: output.subarray(0, written), sampleRate: decimator.outputSampleRate };
}
