import * as Y from 'yjs';
import { childMap, DEFAULT_TRACK, isYMap, projectMaps, readProject, record, type ProjectMaps, type YRecord } from './doc-layout';
import { REPAIR_ORIGIN, repairProject, type RepairReport } from './repair';
import {
  defaultDeviceParams,
  DEVICE_SPECS,
  DRUM_KITS,
  LIMITS,
  SYNTH_PRESETS,
  validateProject,
  type DeviceType,
  type InstrumentType,
  type Project,
  type ProjectProblem,
  type TrackKind,
} from './schema';

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export interface NewTrack {
  kind: TrackKind;
  name?: string;
  color?: string;
  volumeDb?: number;
  pan?: number;
  /** Instrument tracks only; defaults to the 'keys' synth. */
  instrument?: { type: InstrumentType; preset?: string };
  outputBusId?: string | null;
  order?: number;
}

export type TrackPatch = Partial<{ name: string; color: string; volumeDb: number; pan: number; mute: boolean; solo: boolean; armed: boolean; outputBusId: string | null; order: number; instrument: { type: InstrumentType; preset: string } }>;

export interface NewClipBase {
  trackId: string;
  startBeat: number;
  lengthBeats: number;
  name?: string;
  gainDb?: number;
}
export interface NewAudioClip extends NewClipBase {
  sourceId: string;
  offsetSec?: number;
  fadeInSec?: number;
  fadeOutSec?: number;
}
export type ClipPatch = Partial<{ trackId: string; startBeat: number; lengthBeats: number; name: string; gainDb: number; offsetSec: number; fadeInSec: number; fadeOutSec: number }>;

export interface NewNote {
  pitch: number;
  /** From the clip's start. */
  startBeat: number;
  lengthBeats: number;
  velocity?: number;
}
export type NotePatch = Partial<{ clipId: string; pitch: number; startBeat: number; lengthBeats: number; velocity: number }>;

export interface ProjectChange {
  /** True when this window's own edit (or its undo/redo) made the change. */
  readonly local: boolean;
  /** Fixes repair made after a remote change or an undo (empty when none were needed). */
  readonly repairs: readonly string[];
}

export interface StudioProjectOptions {
  /** Edits closer together than this become one undo step (ms). Y.UndoManager's default is 500. */
  undoCaptureMs?: number;
  /** Called when the document is still invalid after repair: a bug, reported in words. */
  onInvalid?: (problems: ProjectProblem[]) => void;
}

/**
 * One studio project: a Y.Doc plus the editing functions that keep it valid.
 *
 * Every edit runs in a transaction whose origin is this object, so the UndoManager (which tracks
 * only that origin) undoes my edits and never a collaborator's. After every remote update, and
 * after undo/redo (which can resurrect a note in a clip a collaborator deleted), the document is
 * repaired deterministically (repair.ts) and validated against the schema.
 */
export class StudioProject {
  readonly doc: Y.Doc;
  readonly undoManager: Y.UndoManager;
  private readonly maps: ProjectMaps;
  private readonly listeners = new Set<(change: ProjectChange) => void>();
  private readonly onInvalid: ((problems: ProjectProblem[]) => void) | undefined;
  private idCounter = 0;
  private cached: Project | null = null;
  private lastRepairs: string[] = [];

  constructor(doc: Y.Doc = new Y.Doc(), options: StudioProjectOptions = {}) {
    this.doc = doc;
    this.maps = projectMaps(doc);
    this.onInvalid = options.onInvalid;
    const scope = Object.values(this.maps) as Y.AbstractType<unknown>[];
    this.undoManager = new Y.UndoManager(scope, { trackedOrigins: new Set([this]), captureTimeout: options.undoCaptureMs ?? 500 });
    doc.on('afterTransaction', this.handleTransaction);
    this.repairNow();
  }

  /** A project from a saved or received Yjs update (repaired and validated on load). */
  static fromUpdate(update: Uint8Array, options?: StudioProjectOptions): StudioProject {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update, 'load');
    return new StudioProject(doc, options);
  }

  /** A new, empty project with a name and tempo. */
  static create(init: { name?: string; tempoBpm?: number } = {}, options?: StudioProjectOptions): StudioProject {
    const project = new StudioProject(new Y.Doc(), options);
    project.doc.transact(() => {
      if (init.name !== undefined) project.maps.meta.set('name', init.name.slice(0, 200));
      if (init.tempoBpm !== undefined) project.maps.meta.set('tempoBpm', clamp(init.tempoBpm, LIMITS.tempoBpm.min, LIMITS.tempoBpm.max));
    }, REPAIR_ORIGIN);
    return project;
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.handleTransaction);
    this.undoManager.destroy();
    this.listeners.clear();
  }

  /** The project as plain, validated data (cached until the next change). */
  read(): Project {
    this.cached ??= readProject(this.doc);
    return this.cached;
  }

  /** Listen to every change (mine, a collaborator's, undo). Returns the unsubscribe function. */
  onChange(listener: (change: ProjectChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  encode(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /** Where this document is now; pass it to `encodeSince` to get only the changes after it. */
  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  encodeSince(stateVector: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  /** Applies a collaborator's (or the server's) update; repair and validation follow. */
  applyRemoteUpdate(update: Uint8Array, origin: unknown = 'remote'): void {
    Y.applyUpdate(this.doc, update, origin);
  }

  /** Runs several edits as one transaction: one undo step, one update on the wire. */
  transact<T>(edit: () => T): T {
    let result: T | undefined;
    this.doc.transact(() => {
      result = edit();
    }, this);
    return result as T;
  }

  undo(): boolean {
    return this.undoManager.undo() !== null;
  }

  redo(): boolean {
    return this.undoManager.redo() !== null;
  }

  canUndo(): boolean {
    return this.undoManager.canUndo();
  }

  canRedo(): boolean {
    return this.undoManager.canRedo();
  }

  /** Ends the current undo step, so the next edit is undone on its own. */
  stopCapturing(): void {
    this.undoManager.stopCapturing();
  }

  // ---- Project settings ----

  setName(name: string): void {
    this.transact(() => this.maps.meta.set('name', name.slice(0, 200)));
  }

  setTempo(tempoBpm: number): void {
    this.transact(() => this.maps.meta.set('tempoBpm', clamp(tempoBpm, LIMITS.tempoBpm.min, LIMITS.tempoBpm.max)));
  }

  addTempoChange(beat: number, tempoBpm: number, id = this.newId('tempo')): string {
    if (!(beat > 0)) throw new RangeError('A tempo change comes after beat 0; set the starting tempo with setTempo.');
    this.transact(() => this.maps.tempoChanges.set(id, record({ beat: clamp(beat, 0, LIMITS.maxBeat), tempoBpm: clamp(tempoBpm, LIMITS.tempoBpm.min, LIMITS.tempoBpm.max) })));
    return id;
  }

  updateTempoChange(id: string, patch: { beat?: number; tempoBpm?: number }): void {
    this.transact(() => {
      const change = this.require(this.maps.tempoChanges, id, 'tempo change');
      if (patch.beat !== undefined) change.set('beat', clamp(patch.beat, LIMITS.minLengthBeats, LIMITS.maxBeat));
      if (patch.tempoBpm !== undefined) change.set('tempoBpm', clamp(patch.tempoBpm, LIMITS.tempoBpm.min, LIMITS.tempoBpm.max));
    });
  }

  removeTempoChange(id: string): void {
    this.transact(() => this.maps.tempoChanges.delete(id));
  }

  setTimeSignature(numerator: number, denominator: 2 | 4 | 8 | 16): void {
    this.transact(() => {
      this.maps.meta.set('timeSignatureNumerator', clamp(Math.round(numerator), 1, 32));
      this.maps.meta.set('timeSignatureDenominator', denominator);
    });
  }

  setLoop(loop: { enabled?: boolean; startBeat?: number; endBeat?: number }): void {
    this.transact(() => {
      const { meta } = this.maps;
      if (loop.enabled !== undefined) meta.set('loopEnabled', loop.enabled);
      const current = readProject(this.doc).loop;
      const start = clamp(loop.startBeat ?? current.startBeat, 0, LIMITS.maxBeat);
      const end = clamp(loop.endBeat ?? current.endBeat, 0, LIMITS.maxBeat);
      if (end <= start) throw new RangeError('The loop must end after it starts.');
      meta.set('loopStartBeat', start);
      meta.set('loopEndBeat', end);
    });
  }

  setMasterVolume(volumeDb: number): void {
    this.transact(() => this.maps.meta.set('masterVolumeDb', clamp(volumeDb, LIMITS.volumeDb.min, LIMITS.volumeDb.max)));
  }

  addMarker(beat: number, name: string, id = this.newId('marker')): string {
    this.transact(() => this.maps.markers.set(id, record({ beat: clamp(beat, 0, LIMITS.maxBeat), name: name.slice(0, 200) })));
    return id;
  }

  updateMarker(id: string, patch: { beat?: number; name?: string }): void {
    this.transact(() => {
      const marker = this.require(this.maps.markers, id, 'marker');
      if (patch.beat !== undefined) marker.set('beat', clamp(patch.beat, 0, LIMITS.maxBeat));
      if (patch.name !== undefined) marker.set('name', patch.name.slice(0, 200));
    });
  }

  removeMarker(id: string): void {
    this.transact(() => this.maps.markers.delete(id));
  }

  // ---- Tracks ----

  addTrack(track: NewTrack, id = this.newId('track')): string {
    this.transact(() => {
      const orders = [...this.maps.tracks.values()].map((t) => (t.get('order') as number) ?? 0);
      const map = record({
        kind: track.kind,
        name: (track.name ?? defaultTrackName(track.kind, this.maps.tracks.size + 1)).slice(0, 200),
        order: track.order ?? (orders.length ? Math.max(...orders) + 1 : 0),
        color: track.color ?? TRACK_COLORS[this.maps.tracks.size % TRACK_COLORS.length],
        volumeDb: clamp(track.volumeDb ?? DEFAULT_TRACK.volumeDb, LIMITS.volumeDb.min, LIMITS.volumeDb.max),
        pan: clamp(track.pan ?? 0, -1, 1),
        mute: false,
        solo: false,
        armed: false,
        outputBusId: track.kind === 'bus' ? null : (track.outputBusId ?? null),
        sends: new Y.Map(),
        devices: new Y.Map(),
        automation: new Y.Map(),
      });
      if (track.kind === 'instrument') {
        const type = track.instrument?.type ?? 'synth';
        map.set('instrumentType', type);
        map.set('instrumentPreset', track.instrument?.preset ?? (type === 'drums' ? DRUM_KITS[0] : SYNTH_PRESETS[0]));
      }
      this.maps.tracks.set(id, map);
    });
    return id;
  }

  updateTrack(id: string, patch: TrackPatch): void {
    this.transact(() => {
      const track = this.require(this.maps.tracks, id, 'track');
      if (patch.name !== undefined) track.set('name', patch.name.slice(0, 200));
      if (patch.color !== undefined) track.set('color', patch.color.slice(0, 32));
      if (patch.volumeDb !== undefined) track.set('volumeDb', clamp(patch.volumeDb, LIMITS.volumeDb.min, LIMITS.volumeDb.max));
      if (patch.pan !== undefined) track.set('pan', clamp(patch.pan, -1, 1));
      if (patch.mute !== undefined) track.set('mute', patch.mute);
      if (patch.solo !== undefined) track.set('solo', patch.solo);
      if (patch.armed !== undefined) track.set('armed', patch.armed);
      if (patch.order !== undefined) track.set('order', patch.order);
      if (patch.outputBusId !== undefined) {
        if (patch.outputBusId !== null && this.maps.tracks.get(patch.outputBusId)?.get('kind') !== 'bus') throw new RangeError('A track can only output to a bus track.');
        if (track.get('kind') === 'bus' && patch.outputBusId !== null) throw new RangeError('A bus outputs to the master.');
        track.set('outputBusId', patch.outputBusId);
      }
      if (patch.instrument !== undefined) {
        if (track.get('kind') !== 'instrument') throw new RangeError('Only instrument tracks have an instrument.');
        track.set('instrumentType', patch.instrument.type);
        track.set('instrumentPreset', patch.instrument.preset);
      }
    });
  }

  /** Removes a track with its clips and their notes (one undo step). Sends to it go too. */
  removeTrack(id: string): void {
    this.transact(() => {
      for (const [clipId, clip] of [...this.maps.clips]) if (clip.get('trackId') === id) this.deleteClipWithNotes(clipId);
      for (const track of this.maps.tracks.values()) {
        childMap(track, 'sends').delete(id);
        if (track.get('outputBusId') === id) track.set('outputBusId', null);
      }
      this.maps.tracks.delete(id);
    });
  }

  setSend(trackId: string, busId: string, levelDb: number, preFader = false): void {
    this.transact(() => {
      const track = this.require(this.maps.tracks, trackId, 'track');
      if (this.maps.tracks.get(busId)?.get('kind') !== 'bus') throw new RangeError('Sends go to bus tracks.');
      if (track.get('kind') === 'bus') throw new RangeError('A bus cannot send to another bus.');
      const sends = childMap(track, 'sends');
      const existing = sends.get(busId);
      const level = clamp(levelDb, LIMITS.sendDb.min, LIMITS.sendDb.max);
      if (existing) {
        existing.set('levelDb', level);
        existing.set('preFader', preFader);
      } else sends.set(busId, record({ levelDb: level, preFader }));
    });
  }

  removeSend(trackId: string, busId: string): void {
    this.transact(() => childMap(this.require(this.maps.tracks, trackId, 'track'), 'sends').delete(busId));
  }

  // ---- Devices ----

  addDevice(trackId: string, type: DeviceType, params: Partial<Record<string, number>> = {}, id = this.newId('device')): string {
    this.transact(() => {
      const devices = childMap(this.require(this.maps.tracks, trackId, 'track'), 'devices');
      const orders = [...devices.values()].map((d) => (d.get('order') as number) ?? 0);
      const paramMap = new Y.Map<unknown>();
      const specs: Record<string, { min: number; max: number }> = DEVICE_SPECS[type];
      for (const [name, value] of Object.entries({ ...defaultDeviceParams(type), ...params })) {
        const spec = specs[name];
        if (spec && value !== undefined) paramMap.set(name, clamp(value, spec.min, spec.max));
      }
      devices.set(id, record({ type, order: orders.length ? Math.max(...orders) + 1 : 0, bypass: false, params: paramMap }));
    });
    return id;
  }

  setDeviceParam(trackId: string, deviceId: string, param: string, value: number): void {
    this.transact(() => {
      const device = this.require(childMap(this.require(this.maps.tracks, trackId, 'track'), 'devices'), deviceId, 'device');
      const spec = (DEVICE_SPECS as Record<string, Record<string, { min: number; max: number }>>)[device.get('type') as string]?.[param];
      if (!spec) throw new RangeError(`A ${String(device.get('type'))} has no "${param}".`);
      (device.get('params') as YRecord).set(param, clamp(value, spec.min, spec.max));
    });
  }

  updateDevice(trackId: string, deviceId: string, patch: { bypass?: boolean; order?: number }): void {
    this.transact(() => {
      const device = this.require(childMap(this.require(this.maps.tracks, trackId, 'track'), 'devices'), deviceId, 'device');
      if (patch.bypass !== undefined) device.set('bypass', patch.bypass);
      if (patch.order !== undefined) device.set('order', patch.order);
    });
  }

  removeDevice(trackId: string, deviceId: string): void {
    this.transact(() => {
      const track = this.require(this.maps.tracks, trackId, 'track');
      childMap(track, 'devices').delete(deviceId);
      const lanes = childMap(track, 'automation');
      for (const [laneId, lane] of [...lanes]) if ((lane.get('target') as string).startsWith(`device:${deviceId}:`)) lanes.delete(laneId);
    });
  }

  // ---- Automation ----

  /** target: 'volumeDb', 'pan' or `device:<deviceId>:<param>`. */
  addAutomationLane(trackId: string, target: string, id = this.newId('lane')): string {
    this.transact(() => childMap(this.require(this.maps.tracks, trackId, 'track'), 'automation').set(id, record({ target, points: new Y.Map() })));
    return id;
  }

  removeAutomationLane(trackId: string, laneId: string): void {
    this.transact(() => childMap(this.require(this.maps.tracks, trackId, 'track'), 'automation').delete(laneId));
  }

  addAutomationPoint(trackId: string, laneId: string, beat: number, value: number, id = this.newId('point')): string {
    this.transact(() => {
      const lane = this.require(childMap(this.require(this.maps.tracks, trackId, 'track'), 'automation'), laneId, 'automation lane');
      childMap(lane, 'points').set(id, record({ beat: clamp(beat, 0, LIMITS.maxBeat), value }));
    });
    return id;
  }

  updateAutomationPoint(trackId: string, laneId: string, pointId: string, patch: { beat?: number; value?: number }): void {
    this.transact(() => {
      const lane = this.require(childMap(this.require(this.maps.tracks, trackId, 'track'), 'automation'), laneId, 'automation lane');
      const point = this.require(childMap(lane, 'points'), pointId, 'automation point');
      if (patch.beat !== undefined) point.set('beat', clamp(patch.beat, 0, LIMITS.maxBeat));
      if (patch.value !== undefined) point.set('value', patch.value);
    });
  }

  removeAutomationPoint(trackId: string, laneId: string, pointId: string): void {
    this.transact(() => {
      const lane = this.require(childMap(this.require(this.maps.tracks, trackId, 'track'), 'automation'), laneId, 'automation lane');
      childMap(lane, 'points').delete(pointId);
    });
  }

  // ---- Clips ----

  addNoteClip(clip: NewClipBase, id = this.newId('clip')): string {
    this.transact(() => {
      if (this.require(this.maps.tracks, clip.trackId, 'track').get('kind') !== 'instrument') throw new RangeError('Note clips go on instrument tracks.');
      this.maps.clips.set(id, record({ kind: 'notes', ...clipFields(clip) }));
    });
    return id;
  }

  addAudioClip(clip: NewAudioClip, id = this.newId('clip')): string {
    this.transact(() => {
      if (this.require(this.maps.tracks, clip.trackId, 'track').get('kind') !== 'audio') throw new RangeError('Audio clips go on audio tracks.');
      if (clip.sourceId.length === 0) throw new RangeError('An audio clip needs a source.');
      this.maps.clips.set(
        id,
        record({
          kind: 'audio',
          ...clipFields(clip),
          sourceId: clip.sourceId,
          offsetSec: Math.max(0, clip.offsetSec ?? 0),
          fadeInSec: clamp(clip.fadeInSec ?? 0, 0, LIMITS.maxFadeSec),
          fadeOutSec: clamp(clip.fadeOutSec ?? 0, 0, LIMITS.maxFadeSec),
        }),
      );
    });
    return id;
  }

  /** Move (startBeat, trackId), trim (lengthBeats, offsetSec), gain and fades. */
  updateClip(id: string, patch: ClipPatch): void {
    this.transact(() => {
      const clip = this.require(this.maps.clips, id, 'clip');
      if (patch.trackId !== undefined) {
        const kind = this.require(this.maps.tracks, patch.trackId, 'track').get('kind');
        if ((clip.get('kind') === 'notes') !== (kind === 'instrument') || kind === 'bus') throw new RangeError('That track cannot hold this clip.');
        clip.set('trackId', patch.trackId);
      }
      if (patch.startBeat !== undefined) clip.set('startBeat', clamp(patch.startBeat, 0, LIMITS.maxBeat));
      if (patch.lengthBeats !== undefined) clip.set('lengthBeats', clamp(patch.lengthBeats, LIMITS.minLengthBeats, LIMITS.maxBeat));
      if (patch.name !== undefined) clip.set('name', patch.name.slice(0, 200));
      if (patch.gainDb !== undefined) clip.set('gainDb', clamp(patch.gainDb, LIMITS.gainDb.min, LIMITS.gainDb.max));
      if (clip.get('kind') === 'audio') {
        if (patch.offsetSec !== undefined) clip.set('offsetSec', Math.max(0, patch.offsetSec));
        if (patch.fadeInSec !== undefined) clip.set('fadeInSec', clamp(patch.fadeInSec, 0, LIMITS.maxFadeSec));
        if (patch.fadeOutSec !== undefined) clip.set('fadeOutSec', clamp(patch.fadeOutSec, 0, LIMITS.maxFadeSec));
      }
    });
  }

  removeClip(id: string): void {
    this.transact(() => this.deleteClipWithNotes(id));
  }

  /**
   * Splits a clip at a project beat: the left part keeps the id, the right part is new and takes
   * the notes that start after the split (a note crossing the split is shortened). For audio
   * clips, the right part's offset moves by the split's distance in seconds, which the caller
   * gives (it depends on the tempo map, which the engine knows).
   */
  splitClip(id: string, atBeat: number, options: { offsetDeltaSec?: number } = {}, newId = this.newId('clip')): string {
    this.transact(() => {
      const clip = this.require(this.maps.clips, id, 'clip');
      const start = clip.get('startBeat') as number;
      const length = clip.get('lengthBeats') as number;
      const splitAt = atBeat - start;
      if (splitAt < LIMITS.minLengthBeats || length - splitAt < LIMITS.minLengthBeats) throw new RangeError('Split inside the clip.');
      const right = record(Object.fromEntries(clip.entries()));
      right.set('startBeat', atBeat);
      right.set('lengthBeats', length - splitAt);
      if (clip.get('kind') === 'audio') {
        right.set('offsetSec', (clip.get('offsetSec') as number) + (options.offsetDeltaSec ?? 0));
        right.set('fadeInSec', 0);
        clip.set('fadeOutSec', 0);
      }
      clip.set('lengthBeats', splitAt);
      this.maps.clips.set(newId, right);
      for (const note of this.maps.notes.values()) {
        if (note.get('clipId') !== id) continue;
        const noteStart = note.get('startBeat') as number;
        if (noteStart >= splitAt) {
          note.set('clipId', newId);
          note.set('startBeat', noteStart - splitAt);
        } else if (noteStart + (note.get('lengthBeats') as number) > splitAt) note.set('lengthBeats', splitAt - noteStart);
      }
    });
    return newId;
  }

  /** Copies a clip (and its notes) to a start beat, by default right after it. */
  duplicateClip(id: string, startBeat?: number, newId = this.newId('clip')): string {
    this.transact(() => {
      const clip = this.require(this.maps.clips, id, 'clip');
      const copy = record(Object.fromEntries(clip.entries()));
      copy.set('startBeat', clamp(startBeat ?? (clip.get('startBeat') as number) + (clip.get('lengthBeats') as number), 0, LIMITS.maxBeat));
      this.maps.clips.set(newId, copy);
      for (const note of [...this.maps.notes.values()]) {
        if (note.get('clipId') !== id) continue;
        const fields = Object.fromEntries(note.entries());
        this.maps.notes.set(this.newId('note'), record({ ...fields, clipId: newId }));
      }
    });
    return newId;
  }

  // ---- Notes ----

  addNote(clipId: string, note: NewNote, id = this.newId('note')): string {
    this.transact(() => {
      if (this.require(this.maps.clips, clipId, 'clip').get('kind') !== 'notes') throw new RangeError('Notes go in note clips.');
      this.maps.notes.set(id, record({ clipId, ...noteFields(note) }));
    });
    return id;
  }

  /** Several notes in one transaction (MIDI import, paste, recording). Returns their ids. */
  addNotes(clipId: string, notes: readonly NewNote[]): string[] {
    return this.transact(() => notes.map((note) => this.addNote(clipId, note)));
  }

  updateNote(id: string, patch: NotePatch): void {
    this.transact(() => {
      const note = this.require(this.maps.notes, id, 'note');
      if (patch.clipId !== undefined) {
        if (this.require(this.maps.clips, patch.clipId, 'clip').get('kind') !== 'notes') throw new RangeError('Notes go in note clips.');
        note.set('clipId', patch.clipId);
      }
      const fields = noteFields({
        pitch: patch.pitch ?? (note.get('pitch') as number),
        startBeat: patch.startBeat ?? (note.get('startBeat') as number),
        lengthBeats: patch.lengthBeats ?? (note.get('lengthBeats') as number),
        velocity: patch.velocity ?? (note.get('velocity') as number),
      });
      for (const [key, value] of Object.entries(fields)) if (note.get(key) !== value) note.set(key, value);
    });
  }

  /** Moves a note in time and/or pitch, optionally into another note clip. */
  moveNote(id: string, to: { startBeat?: number; pitch?: number; clipId?: string }): void {
    this.updateNote(id, to);
  }

  resizeNote(id: string, lengthBeats: number): void {
    this.updateNote(id, { lengthBeats });
  }

  setNoteVelocity(id: string, velocity: number): void {
    this.updateNote(id, { velocity });
  }

  removeNote(id: string): void {
    this.transact(() => this.maps.notes.delete(id));
  }

  /** Moves note starts toward the grid by `strength` (1 = onto it). One undo step. */
  quantizeNotes(noteIds: readonly string[], gridBeats: number, strength = 1): void {
    if (!(gridBeats > 0)) throw new RangeError('The grid must be longer than zero beats.');
    this.transact(() => {
      for (const id of noteIds) {
        const note = this.require(this.maps.notes, id, 'note');
        const start = note.get('startBeat') as number;
        const target = Math.round(start / gridBeats) * gridBeats;
        note.set('startBeat', Math.max(0, start + (target - start) * clamp(strength, 0, 1)));
      }
    });
  }

  // ---- internals ----

  /** Ids unique across peers: this document's client id plus a counter. */
  newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}-${this.doc.clientID.toString(36)}-${this.idCounter.toString(36)}`;
  }

  private require(map: Y.Map<YRecord>, id: string, what: string): YRecord {
    const value = map.get(id);
    if (!isYMap(value)) throw new RangeError(`No ${what} with id ${id} (a collaborator may have deleted it).`);
    return value;
  }

  private deleteClipWithNotes(clipId: string): void {
    for (const [noteId, note] of [...this.maps.notes]) if (note.get('clipId') === clipId) this.maps.notes.delete(noteId);
    this.maps.clips.delete(clipId);
  }

  private repairNow(): RepairReport {
    const report = repairProject(this.doc);
    this.cached = null;
    const problems = validateProject(this.read());
    if (problems.length > 0) this.onInvalid?.(problems);
    return report;
  }

  private readonly handleTransaction = (transaction: Y.Transaction): void => {
    if (transaction.origin === REPAIR_ORIGIN) {
      if (transaction.changed.size > 0) {
        this.cached = null;
        this.lastRepairs = [];
      }
      return;
    }
    if (transaction.changed.size === 0) return;
    this.cached = null;
    const local = transaction.origin === this || transaction.origin === this.undoManager;
    // My own edits are valid by construction (every setter clamps); anything else is checked.
    const repairs = transaction.origin === this ? [] : this.repairNow().fixes;
    this.lastRepairs = repairs;
    for (const listener of this.listeners) listener({ local, repairs });
  };
}

export const TRACK_COLORS = ['#4fa3ff', '#ff8a3d', '#5ed17a', '#c77dff', '#ffd23f', '#ff5c8a', '#3fd1c7', '#a0a8ff'] as const;

function defaultTrackName(kind: TrackKind, index: number): string {
  return `${kind === 'bus' ? 'Bus' : kind === 'audio' ? 'Audio' : 'Instrument'} ${index}`;
}

function clipFields(clip: NewClipBase): Record<string, unknown> {
  return {
    trackId: clip.trackId,
    name: (clip.name ?? '').slice(0, 200),
    startBeat: clamp(clip.startBeat, 0, LIMITS.maxBeat),
    lengthBeats: clamp(clip.lengthBeats, LIMITS.minLengthBeats, LIMITS.maxBeat),
    gainDb: clamp(clip.gainDb ?? 0, LIMITS.gainDb.min, LIMITS.gainDb.max),
  };
}

function noteFields(note: NewNote): { pitch: number; startBeat: number; lengthBeats: number; velocity: number } {
  return {
    pitch: clamp(Math.round(note.pitch), LIMITS.pitch.min, LIMITS.pitch.max),
    startBeat: clamp(note.startBeat, 0, LIMITS.maxBeat),
    lengthBeats: clamp(note.lengthBeats, LIMITS.minLengthBeats, LIMITS.maxBeat),
    velocity: clamp(note.velocity ?? 0.8, LIMITS.velocity.min, LIMITS.velocity.max),
  };
}

