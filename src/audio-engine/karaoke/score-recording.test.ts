import { describe, expect, it } from 'vitest';
import { renderVoice, type MelodyNote, type VoiceType } from '../testing/voice-synth';
import { scoreRecording } from './score-recording';
import { noteStartSec, parseUltraStar, type NoteKind, type UltraStarSong } from './ultrastar';

const SAMPLE_RATE = 48_000;
const MARK: Record<NoteKind, string> = { normal: ':', golden: '*', rap: 'R', 'golden-rap': 'G', freestyle: 'F' };

interface SongNoteSpec {
  pitch: number;
  beats: number;
  kind?: NoteKind;
}

/** An UltraStar song at 240 BPM (62.5 ms beats) from 0.5 s: one line per group, a beat of rest between notes. */
function makeSong(lines: SongNoteSpec[][]): UltraStarSong {
  const rows = ['#TITLE:Synthetic', '#ARTIST:Mixdeck', '#AUDIO:song.ogg', '#BPM:240', '#GAP:500'];
  let beat = 0;
  lines.forEach((line, lineIndex) => {
    if (lineIndex > 0) {
      rows.push(`- ${beat}`);
      beat += 2;
    }
    for (const note of line) {
      rows.push(`${MARK[note.kind ?? 'normal']} ${beat} ${note.beats} ${note.pitch} la`);
      beat += note.beats + 1;
    }
  });
  rows.push('E');
  return parseUltraStar(rows.join('\n'));
}

const MELODY = makeSong([
  [{ pitch: 0, beats: 8 }, { pitch: 2, beats: 8 }, { pitch: 4, beats: 8 }, { pitch: 5, beats: 8, kind: 'golden' }],
  [{ pitch: 7, beats: 8 }, { pitch: 5, beats: 6 }, { pitch: 4, beats: 6 }, { pitch: 2, beats: 10 }],
  [{ pitch: 4, beats: 8 }, { pitch: 0, beats: 12, kind: 'golden' }],
]);

/** Sings a song's notes with the synthetic voice (vibrato, formants, jitter), shifted and late as asked. */
function sing(song: UltraStarSong, options: { voiceType?: VoiceType; shiftSemitones?: number; lateMs?: number; pitchOf?: (kind: NoteKind, midi: number) => number | null } = {}): Float32Array {
  const notes: MelodyNote[] = [];
  for (const line of song.voices[0]!.lines) {
    for (const note of line.notes) {
      const midi = options.pitchOf ? options.pitchOf(note.kind, note.midi) : note.midi;
      if (midi === null) continue;
      const startSec = noteStartSec(song, note.startBeat) + (options.lateMs ?? 0) / 1000;
      notes.push({ midi: midi + (options.shiftSemitones ?? 0) - (options.voiceType === 'male' ? 12 : 0), startSec, durationSec: note.lengthBeats * song.beatDurationSec });
    }
  }
  const last = notes[notes.length - 1]!;
  return renderVoice({ sampleRate: SAMPLE_RATE, durationSec: last.startSec + last.durationSec + 0.5, notes, voiceType: options.voiceType ?? 'female', seed: 3, vibratoDepthCents: 40 }).samples;
}

const score = (song: UltraStarSong, samples: Float32Array, difficulty: 'easy' | 'medium' | 'hard', delayMs = 0) =>
  scoreRecording(song, samples, SAMPLE_RATE, { difficulty, delayMs });

describe('scoring a synthetic singer through the pitch detector', () => {
  const inTune = sing(MELODY);

  it('scores singing in tune at least 9,000 on Medium', () => {
    const result = score(MELODY, inTune, 'medium');
    expect(result.score).toBeGreaterThanOrEqual(9000);
    expect(result.golden).toBeGreaterThan(0);
  });

  it('scores a singer an octave down the same as in tune', () => {
    const male = score(MELODY, sing(MELODY, { voiceType: 'male' }), 'medium').score;
    expect(Math.abs(male - score(MELODY, inTune, 'medium').score)).toBeLessThanOrEqual(300);
  });

  it('forgives a semitone sharp on Easy, not on Hard', () => {
    const sharp = sing(MELODY, { shiftSemitones: 1 });
    expect(score(MELODY, sharp, 'easy').score).toBeGreaterThanOrEqual(8500);
    expect(score(MELODY, sharp, 'hard').score).toBeLessThan(2000);
  });

  it('gives silence 0', () => {
    expect(score(MELODY, new Float32Array(SAMPLE_RATE * 8), 'easy').score).toBe(0);
  });

  it('scores 150 ms late clearly lower, unless the delay is given', () => {
    const late = sing(MELODY, { lateMs: 150 });
    const uncorrected = score(MELODY, late, 'medium').score;
    const corrected = score(MELODY, late, 'medium', 150).score;
    expect(corrected).toBeGreaterThanOrEqual(9000);
    expect(uncorrected).toBeLessThan(corrected - 1500);
  });

  it('scores rap notes from voice activity, whatever the pitch', () => {
    const rap = makeSong([[{ pitch: 0, beats: 8, kind: 'rap' }, { pitch: 0, beats: 8, kind: 'golden-rap' }], [{ pitch: 4, beats: 8 }]]);
    // The rapper's "notes" are at an unrelated pitch; only the sung note needs its pitch.
    const rapped = sing(rap, { pitchOf: (kind, midi) => (kind === 'normal' ? midi : midi + 5) });
    expect(score(rap, rapped, 'hard').score).toBeGreaterThanOrEqual(9000);
    const onlySung = sing(rap, { pitchOf: (kind, midi) => (kind === 'normal' ? midi : null) });
    expect(score(rap, onlySung, 'hard').score).toBeLessThan(4000);
  });

  it('follows a key change: sung 3 semitones up, it scores as in tune when the backing is shifted +3, and not otherwise', () => {
    const shifted = sing(MELODY, { shiftSemitones: 3 });
    expect(scoreRecording(MELODY, shifted, SAMPLE_RATE, { difficulty: 'medium', transposeSemitones: 3 }).score).toBeGreaterThanOrEqual(9000);
    expect(scoreRecording(MELODY, shifted, SAMPLE_RATE, { difficulty: 'medium' }).score).toBeLessThan(2000);
  });

  it('never scores freestyle notes', () => {
    const free = makeSong([[{ pitch: 0, beats: 8 }, { pitch: 4, beats: 8, kind: 'freestyle' }]]);
    const withFree = score(free, sing(free), 'medium');
    const withoutFree = score(free, sing(free, { pitchOf: (kind, midi) => (kind === 'freestyle' ? null : midi) }), 'medium');
    expect(withFree.score).toBe(withoutFree.score);
    expect(withFree.score).toBeGreaterThanOrEqual(9000);
  });
});
