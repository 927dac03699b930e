export function formatSampleRate(sampleRate: number): string {
  return `${(sampleRate / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kHz`;
}

/** How long one buffer of audio lasts: the latency a buffer size adds. */
export function bufferLatencyMs(bufferFrames: number, sampleRate: number): number {
  return (bufferFrames / sampleRate) * 1000;
}
