import { describe, expect, it } from 'vitest';
import { foldedDistance, MAX_SCORE, scoreVoice, type PitchTrack } from './scoring';
import { noteStartSec, parseUltraStar, type UltraStarSong } from './ultrastar';

const HOP_SEC = 0.01;

/** A melody of four lines, with golden, rap and freestyle notes, at 300 BPM (50 ms beats). */
const SONG = parseUltraStar(`#TITLE:Scale
#ARTIST:Test
#AUDIO:a.ogg
#BPM:300
#GAP:500
: 0 8 0 Do
: 8 8 2 re
: 16 8 4 mi
- 26
: 28 8 5 fa
* 36 8 7 sol
- 46
R 48 8 0 rap
G 56 8 0 gold
- 66
: 68 8 9 la
F 76 8 0 free
E
`);

/** Builds the pitch track a perfect singer would produce, then lets a test bend it. */
function singTrack(
  song: UltraStarSong,
  options: { shiftSemitones?: number; lateMs?: number; silent?: boolean; vibratoCents?: number; silenceRap?: boolean } = {},
): PitchTrack {
  const durationSec = 8;
  const frames = Math.round(durationSec / HOP_SEC);
  const midi = new Float32Array(frames).fill(Number.NaN);
  const active = new Uint8Array(frames);
  if (options.silent) return { startSec: 0, hopSec: HOP_SEC, midi, active };
  const lateSec = (options.lateMs ?? 0) / 1000;
  for (const line of song.voices[0]!.lines) {
    for (const note of line.notes) {
      const start = noteStartSec(song, note.startBeat) + lateSec;
      const end = noteStartSec(song, note.startBeat + note.lengthBeats) + lateSec;
      for (let frame = Math.ceil(start / HOP_SEC); frame < end / HOP_SEC && frame < frames; frame += 1) {
        const isRap = note.kind === 'rap' || note.kind === 'golden-rap';
        if (isRap && options.silenceRap) continue;
        active[frame] = 1;
        if (isRap) continue; // rapping has no steady pitch
        const vibrato = ((options.vibratoCents ?? 0) / 100) * Math.sin(2 * Math.PI * 5.5 * frame * HOP_SEC);
        midi[frame] = note.midi + (options.shiftSemitones ?? 0) + vibrato;
      }
    }
  }
  return { startSec: 0, hopSec: HOP_SEC, midi, active };
}

const score = (track: PitchTrack, difficulty: 'easy' | 'medium' | 'hard', delayMs = 0) => scoreVoice(SONG, SONG.voices[0]!, track, { difficulty, delayMs });

describe('karaoke scoring', () => {
  it('folds a sung pitch to the nearest octave of the target', () => {
    expect(foldedDistance(48, 60)).toBe(0);
    expect(foldedDistance(73, 60)).toBe(1);
    expect(foldedDistance(59.4, 60)).toBe(-1);
    expect(foldedDistance(66, 60)).toBe(6);
  });

  it('gives a perfect singer 10,000, split into notes, golden notes and the line bonus', () => {
    const result = score(singTrack(SONG, { vibratoCents: 40 }), 'hard');
    expect(result.score).toBe(MAX_SCORE);
    expect(result.lineBonus).toBe(1000);
    // Weighted beats: normal 5×8, rap 8 → 48; golden 2×8×2 = 32 → 9000 × 48/80 and 9000 × 32/80.
    expect(result.notes).toBe(5400);
    expect(result.golden).toBe(3600);
    expect(result.lines.map((line) => line.rating)).toEqual(['Perfect', 'Perfect', 'Perfect', 'Perfect']);
  });

  it('scores one octave down the same as in tune', () => {
    expect(score(singTrack(SONG, { shiftSemitones: -12 }), 'medium').score).toBe(score(singTrack(SONG), 'medium').score);
  });

  it('forgives a semitone sharp on Easy and not on Hard', () => {
    const sharp = singTrack(SONG, { shiftSemitones: 1 });
    expect(score(sharp, 'easy').score).toBe(MAX_SCORE);
    expect(score(sharp, 'medium').score).toBe(MAX_SCORE);
    // Only the rap notes (judged by voice, not pitch) still score: 24 of 80 weighted beats and
    // the rap line's full share of the line bonus.
    expect(score(sharp, 'hard')).toMatchObject({ score: 2950, notes: 900, golden: 1800, lineBonus: 250 });

    const melody = parseUltraStar('#TITLE:M\n#ARTIST:T\n#AUDIO:a.ogg\n#BPM:300\n#GAP:500\n: 0 8 0 a\n: 8 8 2 b\n- 18\n* 20 8 4 c\n: 28 8 5 d\nE\n');
    const melodySharp = singTrack(melody, { shiftSemitones: 1, vibratoCents: 30 });
    expect(scoreVoice(melody, melody.voices[0]!, melodySharp, { difficulty: 'easy' }).score).toBe(MAX_SCORE);
    expect(scoreVoice(melody, melody.voices[0]!, melodySharp, { difficulty: 'hard' }).score).toBeLessThan(2000);
  });

  it('gives silence nothing', () => {
    const result = score(singTrack(SONG, { silent: true }), 'easy');
    expect(result).toMatchObject({ score: 0, notes: 0, golden: 0, lineBonus: 0 });
    expect(result.lines.every((line) => line.rating === 'Missed' || line.rating === null)).toBe(true);
  });

  it('scores a late singer lower, unless the microphone delay is given', () => {
    const late = singTrack(SONG, { lateMs: 150 });
    const uncorrected = score(late, 'hard').score;
    expect(uncorrected).toBeLessThan(8000);
    expect(score(late, 'hard', 150).score).toBe(MAX_SCORE);
  });

  it('scores rap notes from voice activity alone', () => {
    const withRap = score(singTrack(SONG), 'hard');
    const silentRap = score(singTrack(SONG, { silenceRap: true }), 'hard');
    // Rap (weight 1 × 8 beats) and golden rap (2 × 8) are 24 of 80 weighted beats: 2,700 points.
    expect(withRap.score - silentRap.score).toBeGreaterThanOrEqual(2700);
    expect(silentRap.lines[2]!.rating).toBe('Missed');
  });

  it('never scores freestyle notes', () => {
    const result = score(singTrack(SONG), 'hard');
    const freestyleLine = result.lines[3]!;
    expect(freestyleLine.text).toBe('lafree');
    // The last line's only scored note is "la"; singing "free" or not changes nothing.
    const track = singTrack(SONG);
    const freeStart = Math.ceil(noteStartSec(SONG, 76) / HOP_SEC);
    for (let frame = freeStart; frame < freeStart + 40; frame += 1) track.midi[frame] = Number.NaN;
    expect(score(track, 'hard').score).toBe(result.score);
  });
});
