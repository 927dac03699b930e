import * as midiPackage from '@tonejs/midi';
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
 * Imports a Standard MIDI File onto new instrument tracks (one per MIDI track with notes; the
 * percussion channel becomes a drum-machine track), with its tempo map and time signature, as
 * one undoable edit. Beats are quarter notes: a tick position divided by the file's PPQ.
 */
export function importMidi(project: StudioProject, bytes: Uint8Array, options: { setTempo?: boolean } = {}): MidiImportResult {
  const midi = new Midi(bytes);
  const ppq = midi.header.ppq;
  const trackIds: string[] = [];
  let noteCount = 0;
  project.transact(() => {
    if (options.setTempo !== false) {
      const tempos = [...midi.header.tempos].sort((a, b) => a.ticks - b.ticks);
      const first = tempos[0];
      project.setTempo(first && first.ticks === 0 ? first.bpm : 120);
      for (const change of project.read().tempoChanges) project.removeTempoChange(change.id);
      for (const tempo of tempos) if (tempo.ticks > 0) project.addTempoChange(tempo.ticks / ppq, tempo.bpm);
      const signature = midi.header.timeSignatures[0]?.timeSignature;
      if (signature && [2, 4, 8, 16].includes(signature[1] as number)) project.setTimeSignature(signature[0] as number, signature[1] as 2 | 4 | 8 | 16);
    }
    const beatsPerBar = project.read().timeSignature.numerator;
    for (const track of midi.tracks) {
      if (track.notes.length === 0) continue;
      const drums = track.channel === GM_PERCUSSION_CHANNEL || track.instrument.percussion;
      const name = track.name || (drums ? 'Drums' : track.instrument.name || 'MIDI');
      const trackId = project.addTrack({ kind: 'instrument', name, instrument: drums ? { type: 'drums', preset: 'mixdeck-808' } : { type: 'synth', preset: 'keys' } });
      const endBeat = Math.max(...track.notes.map((note) => (note.ticks + note.durationTicks) / ppq));
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
