import { frequencyFromMidi, midiFromFrequency } from '../pitch/pitch-units';

export { frequencyFromMidi, midiFromFrequency };

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

/** 60 → "C4" (MIDI middle C). */
export function noteName(midi: number): string {
  const rounded = Math.round(midi);
  return `${NOTE_NAMES[((rounded % 12) + 12) % 12]}${Math.floor(rounded / 12) - 1}`;
}

export function dbToGain(db: number, silentDb = -70): number {
  return db <= silentDb ? 0 : 10 ** (db / 20);
}

export function gainToDb(gain: number): number {
  return gain <= 0 ? -Infinity : 20 * Math.log10(gain);
}

/** Equal-power pan law (pan −1…1): the gains of the left and right channels. */
export function panGains(pan: number): { left: number; right: number } {
  const angle = ((Math.min(1, Math.max(-1, pan)) + 1) * Math.PI) / 4;
  return { left: Math.cos(angle), right: Math.sin(angle) };
}
