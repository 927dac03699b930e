/**
 * Turns a stream of MIDI messages into notes on the song's timeline. Pure: the page feeds it
 * from Web MIDI (`onmidimessage`), the tests feed it synthetic messages through the same call.
 */

export interface RecordedNote {
  readonly pitch: number;
  /** From the start of the recording, in beats. */
  readonly startBeat: number;
  readonly lengthBeats: number;
  /** 0–1. */
  readonly velocity: number;
}

export interface MidiNoteRecorderOptions {
  /** The song position, in beats, of a message's timestamp (DOMHighResTimeStamp, ms). */
  readonly beatAt: (timeStampMs: number) => number;
  /** Where the recording starts, in beats: notes are placed relative to it. */
  readonly startBeat: number;
  /** Only this channel (1–16); all channels when omitted. */
  readonly channel?: number;
}

const NOTE_OFF = 0x80;
const NOTE_ON = 0x90;
const CONTROL_CHANGE = 0xb0;
const SUSTAIN = 64;
/** A note shorter than this (a flam of key bounce) still gets a length that can be seen and heard. */
const MIN_LENGTH_BEATS = 1 / 64;

export class MidiNoteRecorder {
  private readonly open = new Map<number, { startBeat: number; velocity: number }>();
  private readonly held = new Set<number>();
  private readonly notes: RecordedNote[] = [];
  private sustain = false;

  constructor(private readonly options: MidiNoteRecorderOptions) {}

  /** One MIDI message. Running status is not used by Web MIDI (each message is complete). */
  handle(data: ArrayLike<number>, timeStampMs: number): void {
    const status = data[0] ?? 0;
    const kind = status & 0xf0;
    const channel = (status & 0x0f) + 1;
    if (this.options.channel !== undefined && channel !== this.options.channel) return;
    const first = data[1] ?? 0;
    const second = data[2] ?? 0;
    const beat = this.options.beatAt(timeStampMs);
    if (kind === NOTE_ON && second > 0) {
      // A key struck again while still sounding ends the first note there.
      if (this.open.has(first)) this.close(first, beat);
      this.held.delete(first);
      this.open.set(first, { startBeat: beat, velocity: second / 127 });
    } else if (kind === NOTE_OFF || (kind === NOTE_ON && second === 0)) {
      if (this.sustain) this.held.add(first);
      else this.close(first, beat);
    } else if (kind === CONTROL_CHANGE && first === SUSTAIN) {
      this.sustain = second >= 64;
      if (!this.sustain) {
        for (const pitch of this.held) this.close(pitch, beat);
        this.held.clear();
      }
    }
  }

  /** Notes still sounding when recording stops end at `endBeat`. Returns every note, in order. */
  finish(endBeat: number): RecordedNote[] {
    for (const pitch of [...this.open.keys()]) this.close(pitch, endBeat);
    this.held.clear();
    return [...this.notes].sort((a, b) => a.startBeat - b.startBeat || a.pitch - b.pitch);
  }

  /** Notes so far (sounding ones up to `nowBeat`), for drawing while recording. */
  preview(nowBeat: number): RecordedNote[] {
    const sounding = [...this.open].map(([pitch, note]) => ({
      pitch,
      startBeat: note.startBeat - this.options.startBeat,
      lengthBeats: Math.max(MIN_LENGTH_BEATS, nowBeat - note.startBeat),
      velocity: note.velocity,
    }));
    return [...this.notes, ...sounding];
  }

  private close(pitch: number, beat: number): void {
    const note = this.open.get(pitch);
    if (!note) return;
    this.open.delete(pitch);
    const endBeat = beat - this.options.startBeat;
    // Played during the count-in and released before the downbeat: not part of the take.
    if (endBeat <= 0) return;
    // Held across the downbeat: it starts at the take's start.
    const startBeat = Math.max(0, note.startBeat - this.options.startBeat);
    this.notes.push({
      pitch,
      startBeat,
      lengthBeats: Math.max(MIN_LENGTH_BEATS, endBeat - startBeat),
      velocity: Math.min(1, Math.max(1 / 127, note.velocity)),
    });
  }
}

/**
 * Moves note starts toward the grid by `strength` (1 = onto it) and keeps their ends where
 * they were when `keepEnds` (so a quantized legato line stays legato), else keeps lengths.
 */
export function quantizeRecorded(notes: readonly RecordedNote[], gridBeats: number, strength = 1, keepEnds = false): RecordedNote[] {
  if (!(gridBeats > 0)) return [...notes];
  const amount = Math.min(1, Math.max(0, strength));
  return notes.map((note) => {
    const target = Math.round(note.startBeat / gridBeats) * gridBeats;
    const startBeat = Math.max(0, note.startBeat + (target - note.startBeat) * amount);
    const end = note.startBeat + note.lengthBeats;
    const lengthBeats = keepEnds ? Math.max(MIN_LENGTH_BEATS, end - startBeat) : note.lengthBeats;
    return { ...note, startBeat, lengthBeats };
  });
}
