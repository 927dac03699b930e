import type { LevelSource } from '../ui/Meter';
import type { Clip } from '../view';

/**
 * What the editors ask of the sound engine: play a note when one is drawn or a key is
 * clicked, read channel levels for the meters, and the waveform of an audio clip.
 */
export interface StudioAudio {
  audition(trackId: string | null, pitch: number, velocity: number): void;
  /** Live notes through a track's instrument (MIDI input while recording). */
  noteOn(trackId: string, pitch: number, velocity: number): void;
  noteOff(trackId: string, pitch: number): void;
  readonly levelsFor: (trackId: string | 'master') => LevelSource;
  readonly peaksFor: (clip: Clip) => Float32Array | null;
}
