/**
 * Framing helpers for block-based analysis: a periodic Hann window, and a circular buffer that
 * takes audio in blocks of any size and unrolls the newest frame, windowed, for an FFT.
 * Nothing here allocates after setup.
 */

/** Periodic Hann window of `size` samples. */
export function hannWindow(size: number): Float32Array {
  const window = new Float32Array(size);
  for (let index = 0; index < size; index++) window[index] = 0.5 - 0.5 * Math.cos((2 * Math.PI * index) / size);
  return window;
}

/**
 * Copy `count` samples from `source[from..]` into the circular buffer `ring` at
 * `position`; returns the new write position.
 */
export function copyIntoRing(source: Float32Array, from: number, count: number, ring: Float32Array, position: number): number {
  let written = 0;
  let cursor = position;
  while (written < count) {
    const run = Math.min(count - written, ring.length - cursor);
    for (let offset = 0; offset < run; offset++) ring[cursor + offset] = source[from + written + offset]!;
    written += run;
    cursor += run;
    if (cursor === ring.length) cursor = 0;
  }
  return cursor;
}

/** Unroll `ring` (oldest sample at `position`) into `target`, multiplied by `window`. */
export function unrollWindowed(ring: Float32Array, position: number, window: Float32Array, target: Float64Array): void {
  const size = ring.length;
  const firstRun = size - position;
  for (let offset = 0; offset < firstRun; offset++) target[offset] = ring[position + offset]! * window[offset]!;
  for (let offset = firstRun; offset < size; offset++) target[offset] = ring[offset - firstRun]! * window[offset]!;
}
