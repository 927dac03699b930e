/** Encodes PCM WAV (16- or 24-bit integer, little-endian) from float channels, with TPDF-free rounding so two encodes are identical. */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number, bits: 16 | 24): Uint8Array {
  const channelCount = channels.length;
  const frames = channels[0]?.length ?? 0;
  const bytesPerSample = bits / 8;
  const dataBytes = frames * channelCount * bytesPerSample;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let index = 0; index < text.length; index += 1) out[offset + index] = text.charCodeAt(index);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channelCount * bytesPerSample, true);
  view.setUint16(32, channelCount * bytesPerSample, true);
  view.setUint16(34, bits, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  const full = bits === 16 ? 0x7fff : 0x7fffff;
  let offset = 44;
  for (let frame = 0; frame < frames; frame += 1) {
    for (let channel = 0; channel < channelCount; channel += 1) {
      const sample = Math.max(-1, Math.min(1, (channels[channel] as Float32Array)[frame] as number));
      const value = Math.round(sample * full);
      if (bits === 16) view.setInt16(offset, value, true);
      else {
        out[offset] = value & 0xff;
        out[offset + 1] = (value >> 8) & 0xff;
        out[offset + 2] = (value >> 16) & 0xff;
      }
      offset += bytesPerSample;
    }
  }
  return out;
}

/** Reads a PCM WAV written by `encodeWav` (16/24-bit) back to float channels. */
export function decodeWav(bytes: Uint8Array): { channels: Float32Array[]; sampleRate: number; bits: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channelCount = view.getUint16(22, true);
  const sampleRate = view.getUint32(24, true);
  const bits = view.getUint16(34, true);
  let offset = 12;
  while (offset + 8 <= bytes.length && String.fromCharCode(...bytes.subarray(offset, offset + 4)) !== 'data') offset += 8 + view.getUint32(offset + 4, true);
  const dataBytes = view.getUint32(offset + 4, true);
  offset += 8;
  const bytesPerSample = bits / 8;
  const frames = Math.floor(dataBytes / (bytesPerSample * channelCount));
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  const full = bits === 16 ? 0x7fff : 0x7fffff;
  for (let frame = 0; frame < frames; frame += 1) {
    for (let channel = 0; channel < channelCount; channel += 1) {
      let value: number;
      if (bits === 16) value = view.getInt16(offset, true);
      else value = (((bytes[offset + 2] as number) << 24) >> 8) | ((bytes[offset + 1] as number) << 8) | (bytes[offset] as number);
      (channels[channel] as Float32Array)[frame] = value / full;
      offset += bytesPerSample;
    }
  }
  return { channels, sampleRate, bits };
}
