/**
 * Scores a pitch track (Hz per frame, 0 = no pitch) against a scene's frame truth.
 * Voiced frames are those where the singer voices through the whole frame;
 * frames that straddle an onset or offset are not scored.
 */
import { centsBetween, isOctaveError } from '../pitch/pitch-units';
import { FrameKind } from './karaoke-scenes';
import type { FrameTruth } from './karaoke-scenes';

export interface PitchScore {
  voicedFrames: number;
  /** Share of voiced frames reported within `toleranceCents` of the truth. */
  withinTolerance: number;
  /** Share of voiced frames reported at ×2, ×3, ×4, ½, ⅓ or ¼ of the truth. */
  octaveErrors: number;
  /** Share of voiced frames with no pitch reported. */
  missed: number;
  silenceFrames: number;
  /** Share of silence frames (the voice is silent; backing may play) with a pitch reported. */
  silenceReports: number;
  breathFrames: number;
  /** Share of breath frames with a pitch reported. */
  breathReports: number;
  /** Frames inside a fast glide (not counted as voiced frames). */
  glideFrames: number;
  /** Share of glide frames within tolerance of the frame's mean true pitch (for information). */
  glideWithinTolerance: number;
}

export function scorePitchTrack(frequencyHz: ArrayLike<number>, truth: FrameTruth, toleranceCents = 50): PitchScore {
  let voicedFrames = 0;
  let within = 0;
  let octave = 0;
  let missed = 0;
  let silenceFrames = 0;
  let silenceReports = 0;
  let breathFrames = 0;
  let breathReports = 0;
  let glideFrames = 0;
  let glideWithin = 0;
  const frameCount = Math.min(frequencyHz.length, truth.frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    const estimateHz = frequencyHz[frame] ?? 0;
    const reported = estimateHz > 0;
    switch (truth.kind[frame]) {
      case FrameKind.voiced: {
        voicedFrames++;
        const truthHz = truth.f0Hz[frame] ?? 0;
        if (!reported) missed++;
        else if (Math.abs(centsBetween(truthHz, estimateHz)) <= toleranceCents) within++;
        else if (isOctaveError(truthHz, estimateHz)) octave++;
        break;
      }
      case FrameKind.silence:
        silenceFrames++;
        if (reported) silenceReports++;
        break;
      case FrameKind.breath:
        breathFrames++;
        if (reported) breathReports++;
        break;
      case FrameKind.glide:
        glideFrames++;
        if (reported && Math.abs(centsBetween(truth.f0Hz[frame] ?? 0, estimateHz)) <= toleranceCents) glideWithin++;
        break;
      default:
        break;
    }
  }
  const share = (count: number, total: number): number => (total === 0 ? 0 : count / total);
  return {
    voicedFrames,
    withinTolerance: share(within, voicedFrames),
    octaveErrors: share(octave, voicedFrames),
    missed: share(missed, voicedFrames),
    silenceFrames,
    silenceReports: share(silenceReports, silenceFrames),
    breathFrames,
    breathReports: share(breathReports, breathFrames),
    glideFrames,
    glideWithinTolerance: share(glideWithin, glideFrames),
  };
}

/** Adds up scores of several scenes, weighting each share by its frame count. */
export function combineScores(scores: readonly PitchScore[]): PitchScore {
  const total = (pick: (score: PitchScore) => number): number => scores.reduce((sum, score) => sum + pick(score), 0);
  const weighted = (share: (score: PitchScore) => number, frames: (score: PitchScore) => number): number => {
    const frameTotal = total(frames);
    return frameTotal === 0 ? 0 : total((score) => share(score) * frames(score)) / frameTotal;
  };
  return {
    voicedFrames: total((score) => score.voicedFrames),
    withinTolerance: weighted((score) => score.withinTolerance, (score) => score.voicedFrames),
    octaveErrors: weighted((score) => score.octaveErrors, (score) => score.voicedFrames),
    missed: weighted((score) => score.missed, (score) => score.voicedFrames),
    silenceFrames: total((score) => score.silenceFrames),
    silenceReports: weighted((score) => score.silenceReports, (score) => score.silenceFrames),
    breathFrames: total((score) => score.breathFrames),
    breathReports: weighted((score) => score.breathReports, (score) => score.breathFrames),
    glideFrames: total((score) => score.glideFrames),
    glideWithinTolerance: weighted((score) => score.glideWithinTolerance, (score) => score.glideFrames),
  };
}
