import { describe, expect, it } from 'vitest';
import { playableRegion } from './gapless';

// A LAME MP3 at 44.1 kHz: 576 + 529 frames of delay, padding to fill the last 1152-frame frame.
const LAME = { encoderDelaySamples: 1105, encoderPaddingSamples: 1263, fileSampleRate: 44100 };

describe('gapless trim', () => {
  it('cuts the encoder delay and padding when the decoder kept them', () => {
    const musicFrames = 44100 * 3;
    const region = playableRegion(musicFrames + 1105 + 1263, 44100, { ...LAME, durationSec: 3 });
    expect(region.trimmed).toBe(true);
    expect(region.startSec * 44100).toBeCloseTo(1105, 6);
    expect(region.durationSec * 44100).toBeCloseTo(musicFrames, 6);
  });

  it('cuts nothing when the decoder already dropped them', () => {
    const region = playableRegion(44100 * 3, 44100, { ...LAME, durationSec: 3 });
    expect(region).toEqual({ startSec: 0, durationSec: 3, trimmed: false });
  });

  it('converts the delay from the file rate to the rate the buffer was decoded at', () => {
    const bufferRate = 48000;
    const decoded = Math.round((44100 * 3 + 1105 + 1263) * (bufferRate / 44100));
    const region = playableRegion(decoded, bufferRate, { ...LAME, durationSec: 3 });
    expect(region.trimmed).toBe(true);
    expect(region.startSec).toBeCloseTo(1105 / 44100, 4);
    expect(region.durationSec).toBeCloseTo(3, 4);
  });

  it('trusts the decoder when neither length fits, and plays lossless files whole', () => {
    expect(playableRegion(44100 * 5, 44100, { ...LAME, durationSec: 3 }).trimmed).toBe(false);
    expect(
      playableRegion(44100 * 3, 44100, { encoderDelaySamples: null, encoderPaddingSamples: null, fileSampleRate: 44100, durationSec: 3 }),
    ).toEqual({ startSec: 0, durationSec: 3, trimmed: false });
  });

  it('trims by the tags alone when the duration is unknown', () => {
    const region = playableRegion(10_000, 44100, { ...LAME, durationSec: null });
    expect(region.trimmed).toBe(true);
    expect(region.durationSec * 44100).toBeCloseTo(10_000 - 1105 - 1263, 6);
  });
});
