/**
 * Interleaved 16-bit PCM (what sound cards and ffmpeg speak) to and from planar Float32Array
 * (what the DSP works on), with the channel pair a DJ picks from a multi-channel interface.
 */

/**
 * Picks two channels (0-based) out of `channelCount` interleaved s16 channels into `left`/`right`.
 * Returns the frame count.
 */
export function deinterleaveS16Pair(
  input: Int16Array,
  channelCount: number,
  leftIndex: number,
  rightIndex: number,
  left: Float32Array,
  right: Float32Array,
): number {
  const frames = Math.min(Math.floor(input.length / channelCount), left.length, right.length);
  const scale = 1 / 32768;
  for (let frame = 0, at = 0; frame < frames; frame++, at += channelCount) {
    left[frame] = input[at + leftIndex]! * scale;
    right[frame] = input[at + rightIndex]! * scale;
  }
  return frames;
}

/** Planar stereo float back to interleaved s16, rounded and clamped. */
export function interleaveS16Stereo(left: Float32Array, right: Float32Array, frames: number, output: Int16Array): void {
  for (let frame = 0, at = 0; frame < frames; frame++, at += 2) {
    output[at] = toS16(left[frame]!);
    output[at + 1] = toS16(right[frame]!);
  }
}

function toS16(value: number): number {
  // The same scale as the way in (1/32768), so 16-bit audio passes through bit for bit.
  const scaled = Math.round(value * 32768);
  return scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
}

/**
 * A streaming linear-interpolation resampler for one channel pair (a 44.1 or 96 kHz interface to
 * the encoder's 48 kHz). Linear interpolation: cheap, and its faint aliasing sits far below what
 * a 160 kbps AAC stream keeps.
 */
export class StereoResampler {
  private readonly step: number;
  private position = 0;
  private lastLeft = 0;
  private lastRight = 0;
  readonly passthrough: boolean;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    this.step = inputRate / outputRate;
    this.passthrough = inputRate === outputRate;
  }

  /** Largest output a block of `frames` input frames can give. */
  maxOutput(frames: number): number {
    return Math.ceil(frames / this.step) + 2;
  }

  /** Resamples `frames` input frames; returns how many output frames were written. */
  process(left: Float32Array, right: Float32Array, frames: number, outLeft: Float32Array, outRight: Float32Array): number {
    if (this.passthrough) {
      outLeft.set(left.subarray(0, frames));
      outRight.set(right.subarray(0, frames));
      return frames;
    }
    let written = 0;
    // `position` is measured from the previous block's last sample (index -1).
    let position = this.position;
    while (position < frames - 1 + 1e-9 && written < outLeft.length) {
      const index = Math.floor(position);
      const fraction = position - index;
      const l0 = index < 0 ? this.lastLeft : left[index]!;
      const r0 = index < 0 ? this.lastRight : right[index]!;
      const l1 = left[index + 1] ?? l0;
      const r1 = right[index + 1] ?? r0;
      outLeft[written] = l0 + (l1 - l0) * fraction;
      outRight[written] = r0 + (r1 - r0) * fraction;
      written++;
      position += this.step;
    }
    this.position = position - frames;
    if (frames > 0) {
      this.lastLeft = left[frames - 1]!;
      this.lastRight = right[frames - 1]!;
    }
    return written;
  }
}
