import type { EncodeProfile, X264Preset } from './presets';

/**
 * Is an encode keeping up with real time, and if not, what would help? Fed with ffmpeg's
 * `-progress` blocks (one a second) and the wall clock; pure, so it is tested without ffmpeg.
 *
 * The encoder drops late video frames itself (plan.ts, LATE_FRAME_GOVERNOR), so an overloaded
 * encoder keeps its media time close to real time and its `speed` near 1: the sign of overload is
 * the frame rate it actually encodes against the nominal one. Speed below 0.95 counts too (a
 * source or a stage the governor does not cover is too slow).
 */

/** How long a condition must last before the status changes either way. */
export const OVERLOAD_WINDOW_MS = 5000;
/** Below this fraction of the nominal frame rate (frames the renderer never sent excepted), the encoder is behind. */
const OVERLOADED_FPS_RATIO = 0.9;
const RECOVERED_FPS_RATIO = 0.97;
const OVERLOADED_SPEED = 0.95;
const RECOVERED_SPEED = 0.98;
/** A target sending less than this share of its encode's bitrate is degraded. */
export const DEGRADED_BITRATE_RATIO = 0.6;

const PRESET_ORDER: readonly X264Preset[] = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'];
/** Below veryfast, x264 at a constant bitrate loses more picture than a smaller size does. */
const FASTEST_USEFUL_PRESET: X264Preset = 'veryfast';
const SHORT_SIDES = [1080, 720, 540, 360] as const;
const LOWER_FRAME_RATE: Readonly<Record<number, number>> = { 60: 30, 50: 25, 30: 24 };

export type RemedyStep = 'preset' | 'resolution' | 'frame-rate';

export interface Remedy {
  step: RemedyStep;
  /** The suggestion in words. */
  description: string;
  /** What changes in the encode's profile. */
  changes: Partial<Pick<EncodeProfile, 'x264Preset' | 'width' | 'height' | 'fps'>>;
}

/** The next step that makes encoding cheaper: a faster x264 preset, then a smaller picture, then fewer frames. */
export function nextRemedy(profile: EncodeProfile): Remedy | null {
  const presetIndex = PRESET_ORDER.indexOf(profile.x264Preset);
  const usefulIndex = PRESET_ORDER.indexOf(FASTEST_USEFUL_PRESET);
  if (presetIndex > usefulIndex) {
    // One jump to veryfast: one step at a time from medium would take three restarts to help.
    return {
      step: 'preset',
      description: `Switch x264 from the "${profile.x264Preset}" preset to "${FASTEST_USEFUL_PRESET}" (about half the work per frame).`,
      changes: { x264Preset: FASTEST_USEFUL_PRESET },
    };
  }
  const shortSide = Math.min(profile.width, profile.height);
  const smaller = SHORT_SIDES.find((side) => side < shortSide - 1);
  if (smaller !== undefined) {
    const scale = smaller / shortSide;
    const even = (value: number): number => Math.max(2, Math.round((value * scale) / 2) * 2);
    const width = even(profile.width);
    const height = even(profile.height);
    return {
      step: 'resolution',
      description: `Encode ${width}×${height} instead of ${profile.width}×${profile.height} (${Math.round((1 - scale * scale) * 100)} % fewer pixels).`,
      changes: { width, height },
    };
  }
  const lowerFps = LOWER_FRAME_RATE[profile.fps];
  if (lowerFps !== undefined) {
    return { step: 'frame-rate', description: `Encode ${lowerFps} frames a second instead of ${profile.fps}.`, changes: { fps: lowerFps } };
  }
  return null;
}

export interface EncodeHealthSample {
  atMs: number;
  /** Frames encoded so far. */
  frames: number;
  /** Media time produced so far (the audio's, which follows the set). */
  outTimeSec: number;
  /** Frames the renderer never sent so far (its WebM stopped or stalled). */
  rendererMissingFrames: number;
}

export interface EncodeHealth {
  overloaded: boolean;
  /** When the current overload began (ms, the engine's clock), or null. */
  overloadedSinceMs: number | null;
  /** In words, like OBS's "Encoding overloaded"; null when it keeps up. */
  reason: string | null;
  /** Frames a second actually encoded over the last few seconds. */
  encodedFps: number;
  /** Media seconds produced per wall-clock second over the last few seconds. */
  speed: number;
  /** Video frames dropped because the encoder was behind, this encoder's run. */
  encoderDroppedFrames: number;
  /** Video frames the renderer did not send, this encoder's run. */
  rendererMissingFrames: number;
  remedy: Remedy | null;
}

export type HealthChange = 'overloaded' | 'recovered' | null;

/** One encoder's health over a sliding window of progress samples. */
export class EncodeHealthMonitor {
  private readonly samples: EncodeHealthSample[] = [];
  private overloadedSinceMs: number | null = null;
  private badSinceMs: number | null = null;
  private goodSinceMs: number | null = null;
  private latest: { encodedFps: number; speed: number } = { encodedFps: 0, speed: 0 };

  constructor(private readonly profile: EncodeProfile) {}

  /** Adds a sample; says whether the overload began or ended with it. */
  observe(sample: EncodeHealthSample): HealthChange {
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.atMs - this.samples[1]!.atMs >= OVERLOAD_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const spanMs = sample.atMs - first.atMs;
    // x264's lookahead and the first keyframe make the first seconds look slow; judge on a full window.
    if (spanMs < OVERLOAD_WINDOW_MS * 0.8) return null;
    const spanSec = spanMs / 1000;
    const mediaSec = Math.max(0, sample.outTimeSec - first.outTimeSec);
    const encodedFps = (sample.frames - first.frames) / spanSec;
    const speed = mediaSec / spanSec;
    const rendererFps = (sample.rendererMissingFrames - first.rendererMissingFrames) / spanSec;
    // What the encoder was asked for: the nominal rate over the media time produced, less what never arrived.
    // Media time running ahead of the wall clock is the muxer catching up on buffered sound, not more frames to encode.
    const askedFps = Math.max(0, (this.profile.fps * Math.min(mediaSec, spanSec)) / spanSec - rendererFps);
    this.latest = { encodedFps, speed };
    const fpsRatio = askedFps > 0 ? encodedFps / askedFps : 1;
    const bad = speed < OVERLOADED_SPEED || fpsRatio < OVERLOADED_FPS_RATIO;
    const good = speed >= RECOVERED_SPEED && fpsRatio >= RECOVERED_FPS_RATIO;
    this.badSinceMs = bad ? (this.badSinceMs ?? first.atMs) : null;
    this.goodSinceMs = good ? (this.goodSinceMs ?? sample.atMs) : null;
    if (this.overloadedSinceMs === null && this.badSinceMs !== null) {
      this.overloadedSinceMs = this.badSinceMs;
      return 'overloaded';
    }
    if (this.overloadedSinceMs !== null && this.goodSinceMs !== null && sample.atMs - this.goodSinceMs >= OVERLOAD_WINDOW_MS) {
      this.overloadedSinceMs = null;
      return 'recovered';
    }
    return null;
  }

  /** An encoder that replaces an overloaded one (a remedy) is overloaded until it has shown it keeps up. */
  inheritOverload(sinceMs: number): void {
    this.overloadedSinceMs = sinceMs;
  }

  health(): EncodeHealth {
    const last = this.samples[this.samples.length - 1];
    const rendererMissingFrames = Math.round(last?.rendererMissingFrames ?? 0);
    const expected = last ? last.outTimeSec * this.profile.fps : 0;
    const encoderDroppedFrames = last ? Math.max(0, Math.round(expected - last.frames - rendererMissingFrames)) : 0;
    const overloaded = this.overloadedSinceMs !== null;
    const remedy = overloaded ? nextRemedy(this.profile) : null;
    const { width, height, fps } = this.profile;
    const reason = overloaded
      ? `Encoding overloaded: the computer cannot encode ${width}×${height} at ${fps} fps fast enough ` +
        `(${this.latest.encodedFps.toFixed(1)} fps encoded, speed ${this.latest.speed.toFixed(2)}×). ` +
        'The sound stays whole and the picture drops frames. ' +
        (remedy ? `Suggested: ${remedy.description}` : 'Close other programs or use a faster computer.')
      : null;
    return {
      overloaded,
      overloadedSinceMs: this.overloadedSinceMs,
      reason,
      encodedFps: Math.round(this.latest.encodedFps * 10) / 10,
      speed: Math.round(this.latest.speed * 100) / 100,
      encoderDroppedFrames,
      rendererMissingFrames,
      remedy,
    };
  }
}

/** Why a live target sending far below its bitrate is not plainly live; null when it is fine. */
export function degradedReason(label: string, bitrateKbps: number, targetKbps: number, encoderOverloaded: boolean): string | null {
  if (targetKbps <= 0 || bitrateKbps >= targetKbps * DEGRADED_BITRATE_RATIO) return null;
  const cause = encoderOverloaded ? 'the encoder cannot keep up' : 'the connection cannot carry it';
  return `${label} receives ${Math.round(bitrateKbps)} kbps of the ${Math.round(targetKbps)} kbps it should: ${cause}.`;
}
