/**
 * The one interface through which the studio's editors change the project. The editors read
 * plain, validated snapshots (`Project` from shared/studio/schema) and never touch the Y.Doc;
 * the session (`session/`) applies these edits through the model's editing functions, so every
 * gesture is one undoable transaction of this page's user.
 */
import type { TimeSignature } from './ui/timeline';
import type { AudioClip, Clip, DeviceType, InstrumentType, Note, NoteClip, Project, Track, TrackKind } from '../../shared/studio/schema';

export type { AudioClip, Clip, Note, NoteClip, Project, Track, TrackKind };

export type TrackPatch = Partial<Pick<Track, 'name' | 'volumeDb' | 'pan' | 'mute' | 'solo' | 'armed' | 'color'>>;
export type NotePatch = Partial<Pick<Note, 'pitch' | 'startBeat' | 'lengthBeats' | 'velocity'>>;
export interface NewNote {
  readonly pitch: number;
  readonly startBeat: number;
  readonly lengthBeats: number;
  readonly velocity: number;
}
export interface AutomationPointInput {
  readonly beat: number;
  readonly value: number;
}

export interface StudioEditor {
  addTrack(kind: TrackKind, options?: { drums?: boolean }): string | null;
  removeTrack(trackId: string): void;
  setTrack(trackId: string, patch: TrackPatch): void;
  setSendLevel(trackId: string, busId: string, levelDb: number): void;
  setMasterVolume(volumeDb: number): void;
  setTempo(tempoBpm: number): void;
  setSignature(signature: TimeSignature): void;
  setLoop(loop: { enabled?: boolean; startBeat?: number; endBeat?: number }): void;
  addMarker(beat: number, name: string): void;
  removeMarker(markerId: string): void;
  addNoteClip(trackId: string, startBeat: number, lengthBeats: number, notes?: readonly NewNote[]): string | null;
  /** Moves clips (and, for one clip, to another track) in one step. */
  moveClips(moves: readonly { clipId: string; startBeat: number; trackId: string }[]): void;
  /** Trims either edge: a left trim moves the start and the content offset together. */
  trimClip(clipId: string, edge: 'start' | 'end', beat: number): void;
  splitClip(clipId: string, atBeat: number): void;
  duplicateClips(clipIds: readonly string[]): string[];
  removeClips(clipIds: readonly string[]): void;
  addNotes(clipId: string, notes: readonly NewNote[]): string[];
  updateNotes(clipId: string, patches: readonly { noteId: string; patch: NotePatch }[]): void;
  removeNotes(clipId: string, noteIds: readonly string[]): void;
  quantizeNotes(clipId: string, gridBeats: number, noteIds?: readonly string[]): void;
  setDeviceParam(trackId: string, deviceId: string, param: string, value: number): void;
  setDeviceBypass(trackId: string, deviceId: string, bypass: boolean): void;
  addDevice(trackId: string, type: DeviceType): void;
  removeDevice(trackId: string, deviceId: string): void;
  setInstrument(trackId: string, instrument: { type: InstrumentType; preset: string }): void;
  setOutputBus(trackId: string, busId: string | null): void;
  setProjectName(name: string): void;
  setAutomation(trackId: string, target: string, points: readonly AutomationPointInput[]): void;
  undo(): void;
  redo(): void;
}

/** A track with an instrument of type "drums" opens its note clips in the step sequencer. */
export function isDrumTrack(track: Track | undefined): boolean {
  return track?.instrument?.type === 'drums';
}

export function isNoteClip(clip: Clip | undefined): clip is NoteClip {
  return clip?.kind === 'notes';
}

/** The fallback colour of a track, when its own is not a CSS colour we accept. */
export function trackColor(track: Track | undefined): string {
  const color = track?.color ?? '';
  return /^#[0-9a-f]{3,8}$/i.test(color) || /^(hsl|rgb)a?\([\d\s.,%]+\)$/i.test(color) ? color : '#5b8def';
}
