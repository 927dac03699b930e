import { noteStartSec, type NoteKind, type SongVoice, type UltraStarSong } from './ultrastar';

/**
 * Scoring as the established karaoke games do it (UltraStar Deluxe, Vocaluxe):
 * - each beat of each note is judged once;
 * - a sung pitch is folded by octaves to the nearest copy of the target, so singing an octave
 *   down is as good as in tune;
 * - tolerance by difficulty: Easy ±2, Medium ±1, Hard 0 semitones;
 * - weights: normal 1, golden 2, rap 1 (judged by voice activity, not pitch), golden rap 2,
 *   freestyle 0;
 * - the notes are worth 9,000 in all, and a line bonus of 1,000 is shared by the lines that have
 *   notes to score, each line paying its share times the fraction of its weight that was hit;
 * - 10,000 is perfect.
 */

export type Difficulty = 'easy' | 'medium' | 'hard';

export const TOLERANCE_SEMITONES: Readonly<Record<Difficulty, number>> = { easy: 2, medium: 1, hard: 0 };
export const NOTE_WEIGHT: Readonly<Record<NoteKind, number>> = { normal: 1, golden: 2, rap: 1, 'golden-rap': 2, freestyle: 0 };
export const MAX_SCORE = 10_000;
export const NOTES_SHARE = 9_000;
export const LINE_BONUS_SHARE = 1_000;

export type LineRating = 'Perfect' | 'Great' | 'Good' | 'OK' | 'Poor' | 'Missed';

export function rateLine(perfection: number): LineRating {
  if (perfection >= 0.95) return 'Perfect';
  if (perfection >= 0.8) return 'Great';
  if (perfection >= 0.6) return 'Good';
  if (perfection >= 0.4) return 'OK';
  if (perfection > 0) return 'Poor';
  return 'Missed';
}

/** The pitch of the singing over time, one value per analysis hop. */
export interface PitchTrack {
  /** Time of the first frame's centre, in seconds from the start of the song audio. */
  readonly startSec: number;
  readonly hopSec: number;
  /** Sung pitch as a (fractional) MIDI note number, NaN where no pitch was found. */
  readonly midi: Float32Array;
  /** Voice activity (1 = someone is singing or rapping), for rap notes. */
  readonly active: Uint8Array;
}

export interface ScoreOptions {
  difficulty: Difficulty;
  /** How late the microphone hears the singer (measured by calibration). */
  delayMs?: number;
  /** Key change of the backing track; the targets move with it. */
  transposeSemitones?: number;
}

/** Semitone distance from a sung pitch to the nearest octave copy of the target, in [-6, 6]. */
export function foldedDistance(sungMidi: number, targetMidi: number): number {
  const difference = (((Math.round(sungMidi) - targetMidi) % 12) + 12) % 12;
  return difference > 6 ? difference - 12 : difference;
}

export interface BeatVerdict {
  /** Whether this beat had voice in it at all. */
  readonly sung: boolean;
  readonly hit: boolean;
  /** The sung pitch the beat was judged on (NaN if none). */
  readonly sungMidi: number;
}

/**
 * Judges one beat from the frames whose centres fall in its window (shifted by the microphone
 * delay): the median of the voiced frames' pitches against the target, or voice activity for rap.
 * `scratch` is reused between calls, so judging allocates nothing.
 */
export function judgeBeat(
  track: PitchTrack,
  windowStartSec: number,
  windowEndSec: number,
  targetMidi: number,
  kind: NoteKind,
  toleranceSemitones: number,
  scratch: Float32Array,
): BeatVerdict {
  const frameCount = track.midi.length;
  let first = Math.ceil((windowStartSec - track.startSec) / track.hopSec);
  let last = Math.ceil((windowEndSec - track.startSec) / track.hopSec) - 1;
  if (last < first) {
    // Beats shorter than a hop: judge the frame nearest the window's centre.
    first = last = Math.round(((windowStartSec + windowEndSec) / 2 - track.startSec) / track.hopSec);
  }
  first = Math.max(0, first);
  last = Math.min(frameCount - 1, last);
  if (last < first) return { sung: false, hit: false, sungMidi: Number.NaN };

  const total = last - first + 1;
  let voiced = 0;
  let activeFrames = 0;
  for (let frame = first; frame <= last; frame += 1) {
    if (track.active[frame]) activeFrames += 1;
    const midi = track.midi[frame]!;
    if (!Number.isNaN(midi) && voiced < scratch.length) scratch[voiced++] = midi;
  }
  if (kind === 'rap' || kind === 'golden-rap') {
    const sung = activeFrames * 2 >= total;
    return { sung, hit: sung, sungMidi: Number.NaN };
  }
  if (voiced * 2 < total || voiced === 0) return { sung: activeFrames * 2 >= total, hit: false, sungMidi: Number.NaN };
  const sungMidi = median(scratch, voiced);
  return { sung: true, hit: Math.abs(foldedDistance(sungMidi, targetMidi)) <= toleranceSemitones, sungMidi };
}

/** Median of the first `count` values; sorts them in place (insertion sort: counts are small). */
function median(values: Float32Array, count: number): number {
  for (let index = 1; index < count; index += 1) {
    const value = values[index]!;
    let position = index - 1;
    while (position >= 0 && values[position]! > value) {
      values[position + 1] = values[position]!;
      position -= 1;
    }
    values[position + 1] = value;
  }
  const middle = count >> 1;
  return count % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}

export interface LineResult {
  readonly index: number;
  readonly startSec: number;
  readonly endSec: number;
  readonly text: string;
  /** Share of the line's weighted beats that were hit, 0..1. */
  readonly perfection: number;
  /** Null for a line with nothing to score (only freestyle notes). */
  readonly rating: LineRating | null;
  /** Points this line earned: its notes plus its share of the line bonus. */
  readonly points: number;
}

export interface ScoreResult {
  /** 0..10,000. */
  readonly score: number;
  /** Points from normal and rap notes. */
  readonly notes: number;
  /** Points from golden and golden-rap notes. */
  readonly golden: number;
  readonly lineBonus: number;
  readonly lines: LineResult[];
  readonly beatsJudged: number;
  readonly beatsHit: number;
}

/** Weighted beats that can be scored in a voice (freestyle counts nothing). */
export function scorableWeight(voice: SongVoice): number {
  let weight = 0;
  for (const line of voice.lines) for (const note of line.notes) weight += NOTE_WEIGHT[note.kind] * note.lengthBeats;
  return weight;
}

/**
 * Scores one singer's voice against a pitch track. The live screen judges the same beats with
 * `judgeBeat` as they pass; this offline form is what `mixdeck karaoke score` prints.
 */
export function scoreVoice(song: UltraStarSong, voice: SongVoice, track: PitchTrack, options: ScoreOptions): ScoreResult {
  const tolerance = TOLERANCE_SEMITONES[options.difficulty];
  const delaySec = (options.delayMs ?? 0) / 1000;
  const transpose = options.transposeSemitones ?? 0;
  const totalWeight = scorableWeight(voice);
  const pointsPerWeight = totalWeight > 0 ? NOTES_SHARE / totalWeight : 0;
  const scoredLines = voice.lines.filter((line) => line.notes.some((note) => NOTE_WEIGHT[note.kind] > 0)).length;
  const bonusPerLine = scoredLines > 0 ? LINE_BONUS_SHARE / scoredLines : 0;
  const scratch = new Float32Array(256);

  let notePoints = 0;
  let goldenPoints = 0;
  let bonusPoints = 0;
  let beatsJudged = 0;
  let beatsHit = 0;
  const lines: LineResult[] = [];

  voice.lines.forEach((line, index) => {
    let lineWeight = 0;
    let lineHitWeight = 0;
    for (const note of line.notes) {
      const weight = NOTE_WEIGHT[note.kind];
      if (weight === 0) continue;
      for (let beat = note.startBeat; beat < note.startBeat + note.lengthBeats; beat += 1) {
        const windowStart = noteStartSec(song, beat) + delaySec;
        const verdict = judgeBeat(track, windowStart, windowStart + song.beatDurationSec, note.midi + transpose, note.kind, tolerance, scratch);
        lineWeight += weight;
        beatsJudged += 1;
        if (!verdict.hit) continue;
        beatsHit += 1;
        lineHitWeight += weight;
        if (note.kind === 'golden' || note.kind === 'golden-rap') goldenPoints += weight * pointsPerWeight;
        else notePoints += weight * pointsPerWeight;
      }
    }
    const perfection = lineWeight > 0 ? lineHitWeight / lineWeight : 0;
    const lineBonus = lineWeight > 0 ? bonusPerLine * perfection : 0;
    bonusPoints += lineBonus;
    const last = line.notes[line.notes.length - 1]!;
    lines.push({
      index,
      startSec: noteStartSec(song, line.startBeat),
      endSec: noteStartSec(song, last.startBeat + last.lengthBeats),
      text: line.notes.map((note) => note.text).join('').trim(),
      perfection,
      rating: lineWeight > 0 ? rateLine(perfection) : null,
      points: Math.round(lineHitWeight * pointsPerWeight + lineBonus),
    });
  });

  const notes = Math.round(notePoints);
  const golden = Math.round(goldenPoints);
  const lineBonus = Math.round(bonusPoints);
  return { score: Math.min(MAX_SCORE, notes + golden + lineBonus), notes, golden, lineBonus, lines, beatsJudged, beatsHit };
}
