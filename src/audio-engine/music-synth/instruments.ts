/**
 * Pitched instruments from band-limited wavetables: each timbre is a harmonic
 * recipe, and a table keeps only the harmonics below Nyquist for the note it
 * plays, so bright sounds stay alias-free at 22.05 kHz. Tables are cached per
 * (timbre, harmonic count); a note costs a table lookup, an envelope and a
 * one-pole low-pass per sample.
 */
import { onePoleCoefficient } from './filters';

export type Timbre = 'saw' | 'square' | 'organ' | 'electricPiano' | 'brass' | 'strings' | 'pluck' | 'sub';

export const TIMBRES: readonly Timbre[] = ['saw', 'square', 'organ', 'electricPiano', 'brass', 'strings', 'pluck', 'sub'];

const MAX_HARMONICS: Record<Timbre, number> = {
  saw: 24,
  square: 24,
  organ: 16,
  electricPiano: 10,
  brass: 20,
  strings: 20,
  pluck: 20,
  sub: 3,
};

function harmonicAmplitude(timbre: Timbre, harmonic: number): number {
  switch (timbre) {
    case 'saw':
      return 1 / harmonic;
    case 'square':
      return harmonic % 2 === 1 ? 1 / harmonic : 0;
    case 'organ': {
      // Drawbars 8', 4', 2 2/3', 2', 1 3/5' (harmonics 1, 2, 3, 4, 5) plus a little 8th.
      const drawbars: Record<number, number> = { 1: 1, 2: 0.7, 3: 0.5, 4: 0.45, 5: 0.2, 6: 0.15, 8: 0.2 };
      return drawbars[harmonic] ?? 0;
    }
    case 'electricPiano':
      return harmonic === 1 ? 1 : 0.5 / harmonic ** 1.6;
    case 'brass':
      return harmonic <= 3 ? 0.6 + 0.2 * harmonic : 1.2 / (harmonic - 1.5);
    case 'strings':
      return 1 / harmonic ** 0.8;
    case 'pluck':
      return 1 / harmonic ** 1.1;
    case 'sub':
      return harmonic === 1 ? 1 : harmonic === 2 ? 0.15 : 0.05;
  }
}

const TABLE_SIZE = 2048;
const tableCache = new Map<string, Float32Array>();

/** One cycle (plus a guard sample) of `timbre` with its first `harmonicCount` harmonics, peak-normalised. */
export function wavetable(timbre: Timbre, harmonicCount: number): Float32Array {
  const count = Math.max(1, Math.min(harmonicCount, MAX_HARMONICS[timbre]));
  const cacheKey = `${timbre}:${count}`;
  const cached = tableCache.get(cacheKey);
  if (cached) return cached;
  const table = new Float32Array(TABLE_SIZE + 1);
  for (let harmonic = 1; harmonic <= count; harmonic++) {
    const amplitude = harmonicAmplitude(timbre, harmonic);
    if (amplitude === 0) continue;
    for (let index = 0; index < TABLE_SIZE; index++) {
      table[index]! += amplitude * Math.sin((2 * Math.PI * harmonic * index) / TABLE_SIZE);
    }
  }
  let peak = 0;
  for (let index = 0; index < TABLE_SIZE; index++) peak = Math.max(peak, Math.abs(table[index]!));
  for (let index = 0; index < TABLE_SIZE; index++) table[index]! /= peak || 1;
  table[TABLE_SIZE] = table[0]!;
  tableCache.set(cacheKey, table);
  return table;
}

export interface NoteShape {
  attackSec: number;
  /** Time constant of the exponential fall from peak to `sustainLevel`. */
  decaySec: number;
  sustainLevel: number;
  /** Time constant of the exponential release after the note ends. */
  releaseSec: number;
  /** One-pole low-pass cutoff at the note start, falling towards `cutoffEndHz`. */
  cutoffStartHz: number;
  cutoffEndHz: number;
  cutoffDecaySec: number;
}

const shape = (attackSec: number, decaySec: number, sustainLevel: number, releaseSec: number, cutoffStartHz: number, cutoffEndHz: number, cutoffDecaySec: number): NoteShape => ({
  attackSec,
  decaySec,
  sustainLevel,
  releaseSec,
  cutoffStartHz,
  cutoffEndHz,
  cutoffDecaySec,
});

export const NOTE_SHAPES: Record<'pad' | 'stab' | 'pluck' | 'bass' | 'lead' | 'keys', NoteShape> = {
  //          attack  decay sustain release cutoff start/end/decay
  pad: shape(0.08, 0.6, 0.7, 0.2, 3000, 2200, 1),
  stab: shape(0.004, 0.12, 0.3, 0.05, 5000, 1500, 0.1),
  pluck: shape(0.003, 0.25, 0.1, 0.08, 6000, 900, 0.15),
  bass: shape(0.005, 0.3, 0.6, 0.04, 1400, 500, 0.15),
  lead: shape(0.01, 0.3, 0.75, 0.08, 5000, 3500, 0.3),
  keys: shape(0.004, 0.5, 0.35, 0.15, 4500, 2000, 0.4),
};

/**
 * Add one note to `target`: `durationSec` of sustain then an exponential release.
 * `phaseOffset` (0..1) varies the start phase between notes.
 */
export function addNote(
  target: Float32Array,
  sampleRate: number,
  timbre: Timbre,
  shape: NoteShape,
  startSec: number,
  durationSec: number,
  frequencyHz: number,
  gain: number,
  phaseOffset: number,
): void {
  const startIndex = Math.round(startSec * sampleRate);
  // Four release time constants (−35 dB), then the note is cut.
  const releaseLengthSec = shape.releaseSec * 4;
  const lengthSamples = Math.round((durationSec + releaseLengthSec) * sampleRate);
  const noteOffIndex = Math.round(durationSec * sampleRate);
  const attackSamples = Math.max(1, Math.round(shape.attackSec * sampleRate));
  const decayFactor = Math.exp(-1 / (shape.decaySec * sampleRate));
  const releaseFactor = Math.exp(-1 / (shape.releaseSec * sampleRate));
  const cutoffFactor = Math.exp(-1 / (shape.cutoffDecaySec * sampleRate));
  const sustainLevel = shape.sustainLevel;
  const cutoffEndHz = shape.cutoffEndHz;
  const cutoffStepFactor = cutoffFactor ** 32;
  const table = wavetable(timbre, Math.floor((0.45 * sampleRate) / frequencyHz));
  const phaseIncrement = (frequencyHz / sampleRate) * TABLE_SIZE;
  let phase = (phaseOffset % 1) * TABLE_SIZE;
  let envelope = 0;
  let decayLevel = 1;
  let cutoffSpanHz = shape.cutoffStartHz - cutoffEndHz;
  let filtered = 0;
  let coefficient = onePoleCoefficient(shape.cutoffStartHz, sampleRate);
  const to = Math.min(lengthSamples, target.length - startIndex);
  for (let index = 0; index < to; index++) {
    if (index < noteOffIndex) {
      decayLevel = sustainLevel + (decayLevel - sustainLevel) * decayFactor;
      envelope = index < attackSamples ? (index / attackSamples) * decayLevel : decayLevel;
    } else {
      envelope *= releaseFactor;
    }
    const tableIndex = phase | 0;
    const left = table[tableIndex]!;
    const sample = left + (table[tableIndex + 1]! - left) * (phase - tableIndex);
    phase += phaseIncrement;
    if (phase >= TABLE_SIZE) phase -= TABLE_SIZE;
    // The filter coefficient follows the cutoff envelope; refreshed every 32 samples.
    if ((index & 31) === 31) {
      cutoffSpanHz *= cutoffStepFactor;
      coefficient = onePoleCoefficient(cutoffEndHz + cutoffSpanHz, sampleRate);
    }
    filtered += coefficient * (sample - filtered);
    const targetIndex = startIndex + index;
    if (targetIndex >= 0) target[targetIndex] = target[targetIndex]! + filtered * envelope * gain;
  }
}
