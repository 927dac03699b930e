import { describe, expect, it } from 'vitest';
import { PitchTracker } from '../pitch/pitch-tracker';
import { renderVoice } from '../testing/voice-synth';
import { LivePitchTrack } from './live-track';
import { scoreRecording } from './score-recording';
import { scoreVoice } from './scoring';
import { noteStartSec, parseUltraStar } from './ultrastar';

const SAMPLE_RATE = 48_000;
const SONG = parseUltraStar(
  ['#TITLE:Live', '#ARTIST:Mixdeck', '#AUDIO:a.ogg', '#BPM:120', '#GAP:400', ': 0 6 0 la', '* 8 6 4 la', '- 16', ': 18 8 7 la', 'R 28 4 0 yo', 'E'].join('\n'),
);

function singSong(lateSec: number): Float32Array {
  const notes = SONG.voices[0]!.lines.flatMap((line) =>
    line.notes.map((note) => ({ midi: note.midi, startSec: noteStartSec(SONG, note.startBeat) + lateSec, durationSec: note.lengthBeats * SONG.beatDurationSec })),
  );
  return renderVoice({ sampleRate: SAMPLE_RATE, durationSec: 5, notes, voiceType: 'female', seed: 5, vibratoDepthCents: 40 }).samples;
}

describe('LivePitchTrack', () => {
  it('scores a take fed in 128-sample blocks exactly as the offline scorer scores the whole file', () => {
    const samples = singSong(0);
    const tracker = new PitchTracker({ sampleRate: SAMPLE_RATE });
    const live = new LivePitchTrack(SAMPLE_RATE, tracker.frameSize, tracker.hopSize);
    for (let start = 0; start < samples.length; start += 128) {
      tracker.push(samples.subarray(start, start + 128), (estimate, frame) => live.add(frame, estimate.frequencyHz, estimate.rmsDb));
    }
    tracker.flush((estimate, frame) => live.add(frame, estimate.frequencyHz, estimate.rmsDb));
    const offline = scoreRecording(SONG, samples, SAMPLE_RATE, { difficulty: 'medium' });
    const online = scoreVoice(SONG, SONG.voices[0]!, live.toScoringTrack(0), { difficulty: 'medium' });
    expect(offline.score).toBeGreaterThan(8000);
    expect(online.score).toBe(offline.score);
    expect(online.lines.map((line) => line.rating)).toEqual(offline.lines.map((line) => line.rating));
  });

  it('places the microphone on the song clock: a microphone opened 1 s before the song scores a 1 s-padded take', () => {
    const take = singSong(0);
    const padded = new Float32Array(take.length + SAMPLE_RATE);
    padded.set(take, SAMPLE_RATE);
    const tracker = new PitchTracker({ sampleRate: SAMPLE_RATE });
    const live = new LivePitchTrack(SAMPLE_RATE, tracker.frameSize, tracker.hopSize);
    tracker.push(padded, (estimate, frame) => live.add(frame, estimate.frequencyHz, estimate.rmsDb));
    const shifted = scoreVoice(SONG, SONG.voices[0]!, live.toScoringTrack(-1), { difficulty: 'medium' }).score;
    const unshifted = scoreVoice(SONG, SONG.voices[0]!, live.toScoringTrack(0), { difficulty: 'medium' }).score;
    expect(Math.abs(shifted - scoreRecording(SONG, take, SAMPLE_RATE, { difficulty: 'medium' }).score)).toBeLessThanOrEqual(100);
    expect(unshifted).toBeLessThan(shifted - 3000);
  });
});
