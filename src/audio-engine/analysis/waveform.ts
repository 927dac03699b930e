/**
 * Waveform overview for drawing: per bucket the minimum and maximum sample over
 * all channels (so clipping on either side shows) and the RMS over all channels.
 */

export interface WaveformPeaks {
  bucketCount: number;
  /** Input frames per bucket (fractional: buckets are spread evenly over the track). */
  framesPerBucket: number;
  min: Float32Array;
  max: Float32Array;
  rms: Float32Array;
}

export function waveformPeaks(channels: readonly Float32Array[], bucketCount: number): WaveformPeaks {
  if (!Number.isInteger(bucketCount) || bucketCount < 1) throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
  const frameCount = channels[0]?.length ?? 0;
  const min = new Float32Array(bucketCount);
  const max = new Float32Array(bucketCount);
  const rms = new Float32Array(bucketCount);
  const framesPerBucket = frameCount / bucketCount;
  if (frameCount === 0) return { bucketCount, framesPerBucket, min, max, rms };
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    const from = Math.min(frameCount - 1, Math.floor(bucket * framesPerBucket));
    // A bucket narrower than a frame still shows the frame it falls on.
    const to = Math.max(from + 1, Math.min(frameCount, Math.floor((bucket + 1) * framesPerBucket)));
    let low = Infinity;
    let high = -Infinity;
    let sumSquares = 0;
    for (const channel of channels) {
      for (let index = from; index < to; index++) {
        const value = channel[index]!;
        if (value < low) low = value;
        if (value > high) high = value;
        sumSquares += value * value;
      }
    }
    min[bucket] = low;
    max[bucket] = high;
    rms[bucket] = Math.sqrt(sumSquares / ((to - from) * channels.length));
  }
  return { bucketCount, framesPerBucket, min, max, rms };
}
