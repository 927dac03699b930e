/**
 * Positions and the grid of the studio's editors. Everything in the model is in beats
 * (quarter notes); the editors turn beats into pixels with a zoom in pixels per beat.
 */

export interface TimeSignature {
  readonly numerator: number;
  readonly denominator: number;
}

/** Grid choices a producer expects, in beats (quarter notes). */
export const GRID_CHOICES = [
  { label: '1 bar', beats: 0 },
  { label: '1/2', beats: 2 },
  { label: '1/4', beats: 1 },
  { label: '1/8', beats: 0.5 },
  { label: '1/16', beats: 0.25 },
  { label: '1/32', beats: 0.125 },
  { label: '1/8T', beats: 1 / 3 },
  { label: '1/16T', beats: 1 / 6 },
  { label: 'Off', beats: -1 },
] as const;

export type GridLabel = (typeof GRID_CHOICES)[number]['label'];

/** Beats per bar: a 6/8 bar holds three quarter notes. */
export function beatsPerBar(signature: TimeSignature): number {
  return (signature.numerator * 4) / signature.denominator;
}

/** The grid size in beats for a label; "1 bar" depends on the time signature, "Off" snaps nowhere (0). */
export function gridBeats(label: GridLabel, signature: TimeSignature): number {
  const choice = GRID_CHOICES.find((entry) => entry.label === label) ?? GRID_CHOICES[4];
  if (choice.beats === 0) return beatsPerBar(signature);
  if (choice.beats < 0) return 0;
  return choice.beats;
}

/** Rounds to the nearest grid line; a grid of 0 leaves the value as it is. */
export function snapBeat(beat: number, grid: number): number {
  if (grid <= 0) return beat;
  return Math.round(beat / grid) * grid;
}

/** Rounds down to the grid line at or before the value. */
export function floorToGrid(beat: number, grid: number): number {
  if (grid <= 0) return beat;
  return Math.floor(beat / grid + 1e-9) * grid;
}

/** "bar.beat.sixteenth", all counted from 1, as transport displays show it. */
export function formatBarsBeats(beat: number, signature: TimeSignature): string {
  const perBar = beatsPerBar(signature);
  const beatUnit = 4 / signature.denominator;
  const safe = Math.max(0, beat);
  const bar = Math.floor(safe / perBar + 1e-9);
  const inBar = safe - bar * perBar;
  const beatInBar = Math.floor(inBar / beatUnit + 1e-9);
  const sixteenth = Math.floor((inBar - beatInBar * beatUnit) / 0.25 + 1e-9);
  return `${bar + 1}.${beatInBar + 1}.${sixteenth + 1}`;
}

/** Minutes:seconds.millis for a time in seconds. */
export function formatClock(seconds: number): string {
  const safe = Math.max(0, seconds);
  const minutes = Math.floor(safe / 60);
  const rest = safe - minutes * 60;
  return `${minutes}:${rest.toFixed(3).padStart(6, '0')}`;
}

/** Clamps a value into [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Zoom limits of the arrangement, in pixels per beat. */
export const ARRANGE_ZOOM = { min: 4, max: 240, initial: 28 } as const;
export const PIANO_ZOOM = { min: 20, max: 400, initial: 80 } as const;

/** Steps the zoom by a factor, kept within limits. */
export function zoomBy(pxPerBeat: number, factor: number, limits: { min: number; max: number }): number {
  return clamp(pxPerBeat * factor, limits.min, limits.max);
}

/**
 * Which grid lines to draw at a zoom: a line every `minor` beats (never closer than ~7 px),
 * bar lines every bar and, when bars are tiny, every few bars only.
 */
export function visibleGrid(pxPerBeat: number, grid: number, signature: TimeSignature): { minor: number; barEvery: number } {
  const perBar = beatsPerBar(signature);
  let minor = grid > 0 ? grid : 0.25;
  while (minor * pxPerBeat < 7) minor *= 2;
  let barEvery = 1;
  while (barEvery * perBar * pxPerBeat < 36) barEvery *= 2;
  return { minor, barEvery };
}

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'] as const;

/** MIDI note number to a name with octave, C4 = 60 as most DAWs show it. */
export function noteName(pitch: number): string {
  return `${NOTE_NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

export function isBlackKey(pitch: number): boolean {
  return [1, 3, 6, 8, 10].includes(((pitch % 12) + 12) % 12);
}

/** Decibels for a fader position in [0, 1], with the usual more-room-near-0-dB curve. */
export function faderToDb(position: number): number {
  if (position <= 0) return -Infinity;
  // 0.75 of the travel is 0 dB, the top is +6 dB, and the curve falls away below.
  if (position >= 0.75) return ((position - 0.75) / 0.25) * 6;
  return 60 * Math.log10(position / 0.75) * 1.0;
}

export function dbToFader(db: number): number {
  if (!Number.isFinite(db) || db <= -96) return 0;
  if (db >= 0) return clamp(0.75 + (db / 6) * 0.25, 0, 1);
  return clamp(0.75 * Math.pow(10, db / 60), 0, 1);
}

export function formatDb(db: number): string {
  if (!Number.isFinite(db) || db <= -96) return '−∞';
  const rounded = Math.round(db * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}`;
}

export function formatPan(pan: number): string {
  const percent = Math.round(Math.abs(pan) * 100);
  if (percent === 0) return 'C';
  return `${percent}${pan < 0 ? 'L' : 'R'}`;
}
