/**
 * Gapless playback: which part of a decoded buffer is music. Lossy encoders add silent
 * "priming" frames at the start (encoder delay; 576 + 529 samples for LAME MP3, 1024/2112 for
 * AAC) and pad the end to a whole frame. Tags (LAME/Xing, iTunSMPB, MP4 edit lists) record both.
 * Some decoders already drop them, some do not, so the trim is decided from the decoded
 * length: if it matches the music alone, nothing is cut; if it matches music plus delay plus
 * padding, both are cut.
 */

export interface GaplessInfo {
  /** Frames of encoder delay at the file's own sample rate (null or 0 when none). */
  readonly encoderDelaySamples: number | null;
  readonly encoderPaddingSamples: number | null;
  /** The file's sample rate, which the delay and padding are counted in. */
  readonly fileSampleRate: number | null;
  /** The music's duration as the library measured it (without delay and padding), if known. */
  readonly durationSec: number | null;
}

export interface PlayableRegion {
  /** Offset into the decoded buffer where the music starts. */
  readonly startSec: number;
  /** How long the music lasts from there. */
  readonly durationSec: number;
  readonly trimmed: boolean;
}

/** Within this many frames a decoded length is taken to "match" an expected one (decoders round to frames). */
const MATCH_TOLERANCE_FRAMES = 64;

export function playableRegion(decodedFrames: number, bufferSampleRate: number, info: GaplessInfo): PlayableRegion {
  const whole: PlayableRegion = { startSec: 0, durationSec: decodedFrames / bufferSampleRate, trimmed: false };
  const delay = info.encoderDelaySamples ?? 0;
  const padding = info.encoderPaddingSamples ?? 0;
  if (delay <= 0 && padding <= 0) return whole;
  const fileRate = info.fileSampleRate && info.fileSampleRate > 0 ? info.fileSampleRate : bufferSampleRate;
  const toBuffer = bufferSampleRate / fileRate;
  const delayFrames = delay * toBuffer;
  const paddingFrames = padding * toBuffer;

  if (info.durationSec !== null && info.durationSec > 0) {
    const musicFrames = info.durationSec * bufferSampleRate;
    if (Math.abs(decodedFrames - musicFrames) <= MATCH_TOLERANCE_FRAMES * toBuffer + 1) return whole;
    const untrimmedFrames = musicFrames + delayFrames + paddingFrames;
    if (Math.abs(decodedFrames - untrimmedFrames) > Math.max(MATCH_TOLERANCE_FRAMES * toBuffer, 0.01 * musicFrames)) {
      // Neither shape fits: trust the decoder rather than cut music.
      return whole;
    }
  }
  const musicFrames = decodedFrames - delayFrames - paddingFrames;
  if (musicFrames <= 0) return whole;
  return { startSec: delayFrames / bufferSampleRate, durationSec: musicFrames / bufferSampleRate, trimmed: true };
}
