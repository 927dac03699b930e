import { PitchTracker, type PitchTrack as DetectedPitchTrack } from '../pitch/pitch-tracker';
import { scoreVoice, type PitchTrack, type ScoreOptions, type ScoreResult } from './scoring';
import type { UltraStarSong } from './ultrastar';

/** Louder than this counts as voice activity, for rap notes (which have no steady pitch). */
export const VOICE_ACTIVITY_DB = -45;

/**
 * The detector's track (Hz per frame, 0 when unvoiced) as the scorer reads it: frame-centre
 * times, MIDI note numbers, and voice activity from pitch or loudness.
 */
export function toScoringTrack(track: DetectedPitchTrack, voiceActivityDb = VOICE_ACTIVITY_DB): PitchTrack {
  const midi = new Float32Array(track.frameCount);
  const active = new Uint8Array(track.frameCount);
  for (let frame = 0; frame < track.frameCount; frame += 1) {
    const frequencyHz = track.frequencyHz[frame]!;
    midi[frame] = frequencyHz > 0 ? 69 + 12 * Math.log2(frequencyHz / 440) : Number.NaN;
    active[frame] = frequencyHz > 0 || track.rmsDb[frame]! > voiceActivityDb ? 1 : 0;
  }
  return {
    startSec: track.frameSize / 2 / track.sampleRate,
    hopSec: track.hopSize / track.sampleRate,
    midi,
    active,
  };
}

export interface RecordingScore extends ScoreResult {
  readonly voiceIndex: number;
  readonly difficulty: ScoreOptions['difficulty'];
  readonly delayMs: number;
}

/**
 * Scores a recorded vocal (mono samples from the song's start) for one singer of a song: the
 * same pitch detector the live screen runs in its worklet, then the same beat-by-beat scoring.
 */
export function scoreRecording(
  song: UltraStarSong,
  samples: Float32Array,
  sampleRate: number,
  options: ScoreOptions & { voiceIndex?: number },
): RecordingScore {
  const voiceIndex = options.voiceIndex ?? 0;
  const voice = song.voices[voiceIndex];
  if (!voice) throw new RangeError(`This song has ${song.voices.length} singer(s); there is no singer ${voiceIndex + 1}.`);
  const tracker = new PitchTracker({ sampleRate });
  const track = toScoringTrack(tracker.analyse(samples));
  return { ...scoreVoice(song, voice, track, options), voiceIndex, difficulty: options.difficulty, delayMs: options.delayMs ?? 0 };
}
