import type { StudioProject } from '../../../shared/studio';
import type { AutomationPointInput, NewNote, NotePatch, StudioEditor, TrackPatch } from '../view';
import type { TimeSignature } from '../ui/timeline';

export interface ProjectEditorOptions {
  /** Seconds per beat at a project beat, for audio offsets (the tempo map is the engine's to read). */
  readonly secondsAtBeat?: (fromBeat: number, toBeat: number) => number;
  /** An edit the model refused (a collaborator deleted the thing, a range): told to the user in words. */
  readonly onRefused: (message: string) => void;
}

/**
 * The editors' `StudioEditor` on top of the model's `StudioProject`. Every call is one undo
 * step of this page's user: capturing is stopped before each gesture so quick gestures do not
 * merge, and compound edits (trim-from-the-left, drawing an automation lane) run in one transaction.
 */
export function createProjectEditor(project: StudioProject, options: ProjectEditorOptions): StudioEditor {
  const secondsBetween = options.secondsAtBeat ?? ((from: number, to: number) => ((to - from) * 60) / project.read().tempoBpm);

  function run<T>(fallback: T, edit: () => T): T {
    project.stopCapturing();
    try {
      return project.transact(edit);
    } catch (error) {
      options.onRefused(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  }

  const editor: StudioEditor = {
    addTrack: (kind, extra) =>
      run(null as string | null, () => {
        const label = kind === 'instrument' ? (extra?.drums ? 'Drums' : 'Synth') : kind === 'audio' ? 'Audio' : 'Bus';
        const name = `${label} ${project.read().tracks.length + 1}`;
        return project.addTrack(kind === 'instrument' ? { kind, name, instrument: extra?.drums ? { type: 'drums' } : { type: 'synth' } } : { kind, name });
      }),
    removeTrack: (trackId) => run(undefined, () => project.removeTrack(trackId)),
    setTrack: (trackId, patch: TrackPatch) => run(undefined, () => project.updateTrack(trackId, patch)),
    setSendLevel: (trackId, busId, levelDb) => run(undefined, () => project.setSend(trackId, busId, levelDb)),
    setMasterVolume: (volumeDb) => run(undefined, () => project.setMasterVolume(volumeDb)),
    setTempo: (tempoBpm) => run(undefined, () => project.setTempo(tempoBpm)),
    setSignature: (signature: TimeSignature) =>
      run(undefined, () => project.setTimeSignature(signature.numerator, signature.denominator as 2 | 4 | 8 | 16)),
    setLoop: (loop) => run(undefined, () => project.setLoop(loop)),
    addMarker: (beat, name) => run(undefined, () => void project.addMarker(beat, name)),
    removeMarker: (markerId) => run(undefined, () => project.removeMarker(markerId)),
    setProjectName: (name) => run(undefined, () => project.setName(name)),
    addNoteClip: (trackId, startBeat, lengthBeats, notes?: readonly NewNote[]) =>
      run(null as string | null, () => {
        // A new clip takes its track's name, as most DAWs do, so the arrangement reads at a glance.
        const trackName = project.read().tracks.find((track) => track.id === trackId)?.name ?? '';
        const clipId = project.addNoteClip({ trackId, startBeat, lengthBeats, name: trackName });
        if (notes && notes.length > 0) project.addNotes(clipId, notes);
        return clipId;
      }),
    moveClips: (moves) =>
      run(undefined, () => {
        for (const move of moves) project.updateClip(move.clipId, { startBeat: move.startBeat, trackId: move.trackId });
      }),
    trimClip: (clipId, edge, beat) =>
      run(undefined, () => {
        const clip = project.read().clips.find((entry) => entry.id === clipId);
        if (!clip) throw new RangeError('That clip is gone (a collaborator may have deleted it).');
        const end = clip.startBeat + clip.lengthBeats;
        if (edge === 'end') {
          project.updateClip(clipId, { lengthBeats: beat - clip.startBeat });
          return;
        }
        // Trimming the left edge keeps the content where it is in the song: the clip starts
        // later and its content moves earlier by the same amount.
        const delta = beat - clip.startBeat;
        project.updateClip(clipId, { startBeat: beat, lengthBeats: end - beat });
        if (clip.kind === 'audio') {
          project.updateClip(clipId, { offsetSec: Math.max(0, clip.offsetSec + (delta >= 0 ? secondsBetween(clip.startBeat, beat) : -secondsBetween(beat, clip.startBeat))) });
        } else {
          for (const note of clip.notes) {
            const start = note.startBeat - delta;
            if (start + note.lengthBeats <= 0) project.removeNote(note.id);
            else if (start < 0) project.updateNote(note.id, { startBeat: 0, lengthBeats: note.lengthBeats + start });
            else project.updateNote(note.id, { startBeat: start });
          }
        }
      }),
    splitClip: (clipId, atBeat) =>
      run(undefined, () => {
        const clip = project.read().clips.find((entry) => entry.id === clipId);
        if (!clip) throw new RangeError('That clip is gone (a collaborator may have deleted it).');
        project.splitClip(clipId, atBeat, clip.kind === 'audio' ? { offsetDeltaSec: secondsBetween(clip.startBeat, atBeat) } : {});
      }),
    duplicateClips: (clipIds) =>
      run([] as string[], () => {
        // A group duplicates as a group: every copy lands one group-length later.
        const clips = project.read().clips.filter((clip) => clipIds.includes(clip.id));
        if (clips.length === 0) return [];
        const first = Math.min(...clips.map((clip) => clip.startBeat));
        const last = Math.max(...clips.map((clip) => clip.startBeat + clip.lengthBeats));
        return clipIds.flatMap((id) => {
          const clip = clips.find((entry) => entry.id === id);
          return clip ? [project.duplicateClip(id, clip.startBeat + (last - first))] : [];
        });
      }),
    removeClips: (clipIds) =>
      run(undefined, () => {
        for (const id of clipIds) project.removeClip(id);
      }),
    addNotes: (clipId, notes) => run([] as string[], () => project.addNotes(clipId, notes)),
    updateNotes: (_clipId, patches: readonly { noteId: string; patch: NotePatch }[]) =>
      run(undefined, () => {
        for (const { noteId, patch } of patches) project.updateNote(noteId, patch);
      }),
    removeNotes: (_clipId, noteIds) =>
      run(undefined, () => {
        for (const id of noteIds) project.removeNote(id);
      }),
    quantizeNotes: (clipId, gridBeats, noteIds) =>
      run(undefined, () => {
        const clip = project.read().clips.find((entry) => entry.id === clipId);
        if (!clip || clip.kind !== 'notes') return;
        const ids = noteIds && noteIds.length > 0 ? noteIds : clip.notes.map((note) => note.id);
        project.quantizeNotes(ids, gridBeats);
      }),
    setDeviceParam: (trackId, deviceId, param, value) => run(undefined, () => project.setDeviceParam(trackId, deviceId, param, value)),
    setDeviceBypass: (trackId, deviceId, bypass) => run(undefined, () => project.updateDevice(trackId, deviceId, { bypass })),
    addDevice: (trackId, type) => run(undefined, () => void project.addDevice(trackId, type)),
    removeDevice: (trackId, deviceId) => run(undefined, () => project.removeDevice(trackId, deviceId)),
    setInstrument: (trackId, instrument) => run(undefined, () => project.updateTrack(trackId, { instrument })),
    setOutputBus: (trackId, busId) => run(undefined, () => project.updateTrack(trackId, { outputBusId: busId })),
    setAutomation: (trackId, target, points: readonly AutomationPointInput[]) =>
      run(undefined, () => {
        const track = project.read().tracks.find((entry) => entry.id === trackId);
        if (!track) throw new RangeError('That track is gone (a collaborator may have deleted it).');
        const lane = track.automation.find((entry) => entry.target === target);
        const laneId = lane?.id ?? project.addAutomationLane(trackId, target);
        // Keep the ids of points that did not move, so a collaborator's edit of another point merges.
        const kept = new Set<string>();
        const existing = lane?.points ?? [];
        for (const point of points) {
          const same = existing.find((entry) => !kept.has(entry.id) && entry.beat === point.beat && entry.value === point.value);
          if (same) kept.add(same.id);
          else project.addAutomationPoint(trackId, laneId, point.beat, point.value);
        }
        for (const point of existing) if (!kept.has(point.id)) project.removeAutomationPoint(trackId, laneId, point.id);
      }),
    undo: () => {
      project.stopCapturing();
      project.undo();
    },
    redo: () => {
      project.stopCapturing();
      project.redo();
    },
  };
  return editor;
}
