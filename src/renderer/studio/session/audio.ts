import type { LevelSource } from '../ui/Meter';
import type { Clip } from '../view';

/**
 * What the editors ask of the sound engine: play a note when one is drawn or a key is
 * clicked, read channel levels for the meters, and the waveform of an audio clip.
 */
export interface StudioAudio {
  audition(trackId: string | null, pitch: number, velocity: number): void;
  readonly levelsFor: (trackId: string | 'master') => LevelSource;
  readonly peaksFor: (clip: Clip) => Float32Array | null;
}

const SILENT: LevelSource = () => null;

/** Until the engine is running: silent meters, no audition, waveforms from recordings made here. */
export function createQuietAudio(peaks: Map<string, Float32Array>): StudioAudio {
  return {
    audition: () => undefined,
    levelsFor: () => SILENT,
    peaksFor: (clip) => (clip.kind === 'audio' ? (peaks.get(clip.sourceId) ?? null) : null),
  };
}
