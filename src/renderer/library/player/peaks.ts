/** A waveform overview to draw: per bucket the lowest and highest sample, in [-1, 1]. */
export interface WaveformPeaks {
  readonly bucketCount: number;
  readonly min: Float32Array;
  readonly max: Float32Array;
  readonly durationSec: number;
}

/**
 * Peaks from a decoded buffer, for tracks the library has not analysed yet. Runs once per
 * track after decoding (a few milliseconds for a song), never while audio plays frame by frame.
 */
export function peaksFromBuffer(buffer: AudioBuffer, startSec: number, durationSec: number, bucketCount = 1200): WaveformPeaks {
  const min = new Float32Array(bucketCount);
  const max = new Float32Array(bucketCount);
  const first = Math.floor(startSec * buffer.sampleRate);
  const frames = Math.max(1, Math.min(buffer.length - first, Math.floor(durationSec * buffer.sampleRate)));
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, channel) => buffer.getChannelData(channel));
  for (let bucket = 0; bucket < bucketCount; bucket += 1) {
    const from = first + Math.floor((bucket * frames) / bucketCount);
    const to = first + Math.max(Math.floor(((bucket + 1) * frames) / bucketCount), from - first + 1);
    let low = 0;
    let high = 0;
    for (const data of channels) {
      for (let frame = from; frame < to && frame < data.length; frame += 1) {
        const sample = data[frame]!;
        if (sample < low) low = sample;
        if (sample > high) high = sample;
      }
    }
    min[bucket] = low;
    max[bucket] = high;
  }
  return { bucketCount, min, max, durationSec };
}

export function peaksFromAnalysis(waveform: { bucketCount: number; bucketSec: number; min: number[]; max: number[] }): WaveformPeaks {
  return {
    bucketCount: waveform.bucketCount,
    min: Float32Array.from(waveform.min),
    max: Float32Array.from(waveform.max),
    durationSec: waveform.bucketCount * waveform.bucketSec,
  };
}
