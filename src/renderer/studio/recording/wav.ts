/** Min/max pairs over `columns` slices of a signal, for drawing a clip's waveform. */
export function waveformPeaks(samples: Float32Array, columns: number): Float32Array {
  const peaks = new Float32Array(columns * 2);
  const per = samples.length / columns;
  for (let column = 0; column < columns; column += 1) {
    let min = 0;
    let max = 0;
    const end = Math.min(samples.length, Math.floor((column + 1) * per));
    for (let index = Math.floor(column * per); index < end; index += 1) {
      const value = samples[index]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    peaks[column * 2] = min;
    peaks[column * 2 + 1] = max;
  }
  return peaks;
}
