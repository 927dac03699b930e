import { describe, expect, it } from 'vitest';
import { MidiNoteRecorder, quantizeRecorded } from './midi-notes';

// 120 BPM: one beat every 500 ms; the recording starts at beat 8 (time 4000 ms).
const beatAt = (timeStampMs: number): number => timeStampMs / 500;
const recorder = (channel?: number): MidiNoteRecorder => new MidiNoteRecorder({ beatAt, startBeat: 8, ...(channel ? { channel } : {}) });

describe('recording MIDI into notes', () => {
  it('pairs note-on and note-off (and note-on with velocity 0) into notes placed from the recording start', () => {
    const take = recorder();
    take.handle([0x90, 60, 127], 4000);
    take.handle([0x90, 64, 64], 4250);
    take.handle([0x80, 60, 0], 4500);
    take.handle([0x90, 64, 0], 5000);
    expect(take.finish(20)).toEqual([
      { pitch: 60, startBeat: 0, lengthBeats: 1, velocity: 1 },
      { pitch: 64, startBeat: 0.5, lengthBeats: 1.5, velocity: 64 / 127 },
    ]);
  });

  it('holds note-offs while the sustain pedal is down and ends them when it lifts', () => {
    const take = recorder();
    take.handle([0xb0, 64, 127], 4000);
    take.handle([0x90, 67, 100], 4000);
    take.handle([0x80, 67, 0], 4250);
    take.handle([0xb0, 64, 0], 5000);
    expect(take.finish(20)).toEqual([{ pitch: 67, startBeat: 0, lengthBeats: 2, velocity: 100 / 127 }]);
  });

  it('ends notes still held when recording stops, and a re-struck key ends the first note', () => {
    const take = recorder();
    take.handle([0x90, 48, 90], 4500);
    take.handle([0x90, 48, 90], 5000);
    expect(take.finish(12).map((note) => [note.startBeat, note.lengthBeats])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('listens to one channel when asked, and ignores other messages', () => {
    const take = recorder(2);
    take.handle([0x90, 60, 100], 4000);
    take.handle([0x91, 62, 100], 4000);
    take.handle([0xe1, 0, 64], 4100);
    take.handle([0x81, 62, 0], 4500);
    take.handle([0x80, 60, 0], 4500);
    expect(take.finish(20).map((note) => note.pitch)).toEqual([62]);
  });

  it('drops a note played and released during the count-in, and clips one held across the downbeat', () => {
    const take = recorder();
    take.handle([0x90, 50, 80], 3000);
    take.handle([0x80, 50, 0], 3400);
    take.handle([0x90, 52, 80], 3750);
    take.handle([0x80, 52, 0], 4500);
    expect(take.finish(20)).toEqual([{ pitch: 52, startBeat: 0, lengthBeats: 1, velocity: 80 / 127 }]);
  });

  it('quantizes starts to the grid, fully or by a strength, keeping lengths or ends', () => {
    const played = [
      { pitch: 60, startBeat: 0.06, lengthBeats: 0.5, velocity: 0.8 },
      { pitch: 62, startBeat: 0.96, lengthBeats: 0.5, velocity: 0.8 },
    ];
    expect(quantizeRecorded(played, 0.25).map((note) => note.startBeat)).toEqual([0, 1]);
    const half = quantizeRecorded(played, 0.25, 0.5);
    expect(half[0]!.startBeat).toBeCloseTo(0.03, 9);
    expect(half[1]!.startBeat).toBeCloseTo(0.98, 9);
    const keptEnds = quantizeRecorded(played, 0.25, 1, true);
    expect(keptEnds[0]!.lengthBeats).toBeCloseTo(0.56, 9);
    expect(keptEnds[1]!.lengthBeats).toBeCloseTo(0.46, 9);
    expect(quantizeRecorded(played, 0)).toEqual(played);
  });
});
