/**
 * The waveform overview is stored as one BLOB of little-endian float32: min[n], max[n], rms[n].
 * Values are rounded to 3 decimals on the way out: more is invisible on screen and bloats JSON.
 */

export function encodeWaveform(peaks: { min: Float32Array; max: Float32Array; rms: Float32Array }): Buffer {
  const count = peaks.min.length;
  const buffer = Buffer.alloc(count * 12);
  for (let index = 0; index < count; index += 1) {
    buffer.writeFloatLE(peaks.min[index]!, index * 4);
    buffer.writeFloatLE(peaks.max[index]!, (count + index) * 4);
    buffer.writeFloatLE(peaks.rms[index]!, (2 * count + index) * 4);
  }
  return buffer;
}

export function decodeWaveform(blob: Buffer, count: number): { min: number[]; max: number[]; rms: number[] } {
  const read = (part: number): number[] => {
    const values: number[] = new Array<number>(count);
    for (let index = 0; index < count; index += 1) {
      const offset = (part * count + index) * 4;
      values[index] = offset + 4 <= blob.length ? Math.round(blob.readFloatLE(offset) * 1000) / 1000 : 0;
    }
    return values;
  };
  return { min: read(0), max: read(1), rms: read(2) };
}
