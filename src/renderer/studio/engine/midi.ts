import * as midiPackage from '@tonejs/midi';
import { MixdeckError } from '../../../shared/contract';
import { LIMITS, type Project, type StudioProject } from '../../../shared/studio';

// Node loads the package's CommonJS build, whose named exports it cannot detect; the page's
// bundle gets the ES module. Take `Midi` from whichever shape arrived.
const { Midi } = 'Midi' in midiPackage && midiPackage.Midi ? midiPackage : (midiPackage as unknown as { default: typeof midiPackage }).default;

export interface MidiImportResult {
  readonly trackIds: string[];
  readonly noteCount: number;
}

const GM_PERCUSSION_CHANNEL = 9;

/**
 * What a MIDI file may ask of an import (and so of a render): a file sets every one of these
 * sizes, and a 43-byte file can ask for an hour of audio. Checked before anything is built.
 */
export const MIDI_LIMITS = {
  maxFileBytes: 4 * 1024 * 1024,
  /** Track chunks in the file (counted from the chunk headers, before parsing). */
  maxTracks: 256,
  maxNotes: 50_000,
  /** The parser pairs note-ons and note-offs in time that grows with the square of a track's notes. */
  maxNotesPerTrack: 20_000,
  /** The last note ends within this many seconds, at the file's own tempo map. */
  maxDurationSec: 30 * 60,
} as const;

/** Refuses a MIDI file in words; the message reads on its own and after "the file …: ". */
function refuse(reason: string): never {
  throw new MixdeckError('invalid-input', reason);
}

/**
 * Checks the file's structure and counts its tracks and notes by walking the events (delta
 * times, running status, meta and sysex lengths) without building anything, so a file beyond
 * MIDI_LIMITS is refused before the parser allocates per note.
 */
export function scanMidiFile(bytes: Uint8Array): { trackCount: number; noteCount: number } {
  if (bytes.length > MIDI_LIMITS.maxFileBytes) refuse(`it is ${Math.round(bytes.length / 1024)} KB; a MIDI file the studio imports is at most ${MIDI_LIMITS.maxFileBytes / 1024 / 1024} MB`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 14 || chunkType(0) !== 'MThd') refuse('it is not a Standard MIDI File (it does not start with an MThd header)');
  const headerLength = view.getUint32(4);
  if (headerLength < 6 || 8 + headerLength > bytes.length) refuse('its MThd header is damaged');
  const format = view.getUint16(8);
  if (format > 2) refuse(`it is in MIDI file format ${format}; only formats 0, 1 and 2 exist`);
  const division = view.getUint16(12);
  if (division & 0x8000) refuse('it counts time in SMPTE frames, which the studio does not read (only ticks per quarter note)');
  if (division === 0) refuse('its header says a quarter note lasts 0 ticks');
  let trackCount = 0;
  let noteCount = 0;
  let offset = 8 + headerLength;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) refuse('it is cut short (a chunk header is incomplete)');
    const length = view.getUint32(offset + 4);
    if (offset + 8 + length > bytes.length) refuse(`it is cut short: chunk ${trackCount + 1} claims ${length} bytes, and only ${bytes.length - offset - 8} remain`);
    if (chunkType(offset) === 'MTrk') {
      trackCount += 1;
      if (trackCount > MIDI_LIMITS.maxTracks) refuse(`it has more than ${MIDI_LIMITS.maxTracks} tracks; the studio imports at most ${MIDI_LIMITS.maxTracks}`);
      const notes = countTrackNotes(bytes, offset + 8, offset + 8 + length, trackCount, division);
      if (notes > MIDI_LIMITS.maxNotesPerTrack) {
        refuse(`track ${trackCount} has ${notes.toLocaleString('en-US')} notes; the studio imports at most ${MIDI_LIMITS.maxNotesPerTrack.toLocaleString('en-US')} per track`);
      }
      noteCount += notes;
      if (noteCount > MIDI_LIMITS.maxNotes) refuse(`it has more than ${MIDI_LIMITS.maxNotes.toLocaleString('en-US')} notes; the studio imports at most ${MIDI_LIMITS.maxNotes.toLocaleString('en-US')}`);
    }
    offset += 8 + length;
  }
  if (trackCount === 0) refuse('it has no tracks');
  return { trackCount, noteCount };
}

/** Counts a track's note-ons (velocity above 0), and refuses one whose events run past its end or beyond the timeline. */
function countTrackNotes(bytes: Uint8Array, start: number, end: number, trackNumber: number, ticksPerBeat: number): number {
  const damaged = (): never => refuse(`track ${trackNumber} is damaged: an event runs past the end of the track`);
  let position = start;
  const readVarLength = (): number => {
    let value = 0;
    for (let count = 0; count < 4; count += 1) {
      if (position >= end) damaged();
      const byte = bytes[position++]!;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    return refuse(`track ${trackNumber} is damaged: a length or time takes more than four bytes`);
  };
  let notes = 0;
  let ticks = 0;
  let runningStatus = 0;
  while (position < end) {
    ticks += readVarLength();
    if (ticks / ticksPerBeat > LIMITS.maxBeat) refuse(`track ${trackNumber} runs past beat ${LIMITS.maxBeat}, where the studio's timeline ends`);
    if (position >= end) damaged();
    let status = bytes[position]!;
    if (status >= 0x80) position += 1;
    else if (runningStatus === 0) refuse(`track ${trackNumber} is damaged: it has data where an event should start`);
    else status = runningStatus;
    if (status === 0xff || status === 0xf0 || status === 0xf7) {
      if (status === 0xff) position += 1;
      // Read the length first: it moves `position` past itself.
      const dataLength = readVarLength();
      position += dataLength;
    } else if (status >= 0xf0) {
      refuse(`track ${trackNumber} holds a system message (0x${status.toString(16)}) that has no place in a file`);
    } else {
      runningStatus = status;
      const kind = status & 0xf0;
      const dataBytes = kind === 0xc0 || kind === 0xd0 ? 1 : 2;
      if (position + dataBytes > end) damaged();
      if (kind === 0x90 && bytes[position + 1]! > 0) notes += 1;
      position += dataBytes;
    }
    if (position > end) damaged();
  }
  return notes;
}

/** Parses a Standard MIDI File within MIDI_LIMITS; every refusal is a sentence (never the parser's own). */
export function readMidiFile(bytes: Uint8Array): InstanceType<typeof Midi> {
  scanMidiFile(bytes);
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch {
    return refuse('it is damaged: its events cannot be read as MIDI');
  }
  let noteCount = 0;
  let lastTick = 0;
  for (const track of midi.tracks) {
    noteCount += track.notes.length;
    if (noteCount > MIDI_LIMITS.maxNotes) refuse(`it has more than ${MIDI_LIMITS.maxNotes.toLocaleString('en-US')} notes; the studio imports at most ${MIDI_LIMITS.maxNotes.toLocaleString('en-US')}`);
    for (const note of track.notes) lastTick = Math.max(lastTick, note.ticks + note.durationTicks);
  }
  if (lastTick / midi.header.ppq > LIMITS.maxBeat) refuse(`its notes reach beat ${Math.round(lastTick / midi.header.ppq)}; the studio's timeline ends at beat ${LIMITS.maxBeat}`);
  const durationSec = midi.header.ticksToSeconds(lastTick);
  if (!Number.isFinite(durationSec)) refuse('its timing cannot be read (a tempo or tick value is not a number)');
  if (durationSec > MIDI_LIMITS.maxDurationSec) {
    refuse(`its last note ends ${Math.round(durationSec / 60)} minutes in; the studio imports at most ${MIDI_LIMITS.maxDurationSec / 60} minutes`);
  }
  return midi;
}

/**
 * Imports a Standard MIDI File onto new instrument tracks (one per MIDI track with notes; the
 * percussion channel becomes a drum-machine track), with its tempo map and time signature, as
 * one undoable edit. Beats are quarter notes: a tick position divided by the file's PPQ.
 * Files beyond MIDI_LIMITS are refused in words before the project is touched.
 */
export function importMidi(project: StudioProject, bytes: Uint8Array, options: { setTempo?: boolean } = {}): MidiImportResult {
  const midi = readMidiFile(bytes);
  const ppq = midi.header.ppq;
  const trackIds: string[] = [];
  let noteCount = 0;
  project.transact(() => {
    if (options.setTempo !== false) {
      const tempos = [...midi.header.tempos].filter((tempo) => Number.isFinite(tempo.bpm) && tempo.bpm > 0).sort((a, b) => a.ticks - b.ticks);
      const first = tempos[0];
      project.setTempo(first && first.ticks === 0 ? first.bpm : 120);
      for (const change of project.read().tempoChanges) project.removeTempoChange(change.id);
      for (const tempo of tempos) if (tempo.ticks > 0) project.addTempoChange(tempo.ticks / ppq, tempo.bpm);
      const signature = midi.header.timeSignatures[0]?.timeSignature;
      if (signature && [2, 4, 8, 16].includes(signature[1] as number) && Number.isInteger(signature[0]) && (signature[0] as number) >= 1 && (signature[0] as number) <= 32) {
        project.setTimeSignature(signature[0] as number, signature[1] as 2 | 4 | 8 | 16);
      }
    }
    const beatsPerBar = project.read().timeSignature.numerator;
    for (const track of midi.tracks) {
      if (track.notes.length === 0) continue;
      const drums = track.channel === GM_PERCUSSION_CHANNEL || track.instrument.percussion;
      const name = (track.name || (drums ? 'Drums' : track.instrument.name || 'MIDI')).slice(0, 200);
      const trackId = project.addTrack({ kind: 'instrument', name, instrument: drums ? { type: 'drums', preset: 'mixdeck-808' } : { type: 'synth', preset: 'keys' } });
      let endBeat = 0;
      for (const note of track.notes) endBeat = Math.max(endBeat, (note.ticks + note.durationTicks) / ppq);
      const clipId = project.addNoteClip({ trackId, startBeat: 0, lengthBeats: Math.max(beatsPerBar, Math.ceil(endBeat / beatsPerBar) * beatsPerBar), name });
      project.addNotes(
        clipId,
        track.notes.map((note) => ({ pitch: note.midi, startBeat: note.ticks / ppq, lengthBeats: Math.max(LIMITS.minLengthBeats, note.durationTicks / ppq), velocity: note.velocity })),
      );
      trackIds.push(trackId);
      noteCount += track.notes.length;
    }
  });
  return { trackIds, noteCount };
}

/** Exports the instrument tracks' notes, the tempo map and the time signature as a Standard MIDI File. */
export function exportMidi(project: Project): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  midi.header.name = project.name;
  midi.header.tempos = [{ ticks: 0, bpm: project.tempoBpm }, ...project.tempoChanges.map((change) => ({ ticks: Math.round(change.beat * ppq), bpm: change.tempoBpm }))];
  midi.header.timeSignatures = [{ ticks: 0, timeSignature: [project.timeSignature.numerator, project.timeSignature.denominator] }];
  midi.header.update();
  let melodicChannel = 0;
  for (const track of project.tracks) {
    if (track.kind !== 'instrument') continue;
    const out = midi.addTrack();
    out.name = track.name;
    if (track.instrument?.type === 'drums') out.channel = GM_PERCUSSION_CHANNEL;
    else {
      out.channel = melodicChannel;
      melodicChannel = (melodicChannel + 1) % 16;
      if (melodicChannel === GM_PERCUSSION_CHANNEL) melodicChannel += 1;
    }
    for (const clip of project.clips) {
      if (clip.kind !== 'notes' || clip.trackId !== track.id) continue;
      for (const note of clip.notes) {
        if (note.startBeat >= clip.lengthBeats) continue;
        const lengthBeats = Math.min(note.lengthBeats, clip.lengthBeats - note.startBeat);
        out.addNote({ midi: note.pitch, ticks: Math.round((clip.startBeat + note.startBeat) * ppq), durationTicks: Math.max(1, Math.round(lengthBeats * ppq)), velocity: note.velocity });
      }
    }
  }
  return midi.toArray();
}
