import * as Y from 'yjs';
import {
  DEVICE_SPECS,
  DEVICE_TYPES,
  INSTRUMENT_TYPES,
  LIMITS,
  TRACK_KINDS,
  type AutomationLane,
  type Clip,
  type Device,
  type DeviceType,
  type Note,
  type Project,
  type Send,
  type Track,
} from './schema';

/**
 * How a project lives in its Y.Doc. Every collection is a top-level (or per-track) Y.Map keyed by
 * id, every record a Y.Map of fields, so two people editing different fields of the same note
 * both win, and ordering is a number field (`order`) rather than an array position.
 *
 * Notes and clips are flat collections that point at their parent (`clipId`, `trackId`) instead
 * of nesting: moving a note to another clip is one field write, and a note whose clip a
 * collaborator deleted at the same moment stays visible to repair (repair.ts) instead of
 * vanishing inside a deleted Y type.
 */
export const ROOT = {
  meta: 'meta',
  tempoChanges: 'tempoChanges',
  markers: 'markers',
  tracks: 'tracks',
  clips: 'clips',
  notes: 'notes',
} as const;

export type YRecord = Y.Map<unknown>;

export interface ProjectMaps {
  readonly meta: YRecord;
  readonly tempoChanges: Y.Map<YRecord>;
  readonly markers: Y.Map<YRecord>;
  readonly tracks: Y.Map<YRecord>;
  readonly clips: Y.Map<YRecord>;
  readonly notes: Y.Map<YRecord>;
}

export function projectMaps(doc: Y.Doc): ProjectMaps {
  return {
    meta: doc.getMap(ROOT.meta),
    tempoChanges: doc.getMap(ROOT.tempoChanges),
    markers: doc.getMap(ROOT.markers),
    tracks: doc.getMap(ROOT.tracks),
    clips: doc.getMap(ROOT.clips),
    notes: doc.getMap(ROOT.notes),
  };
}

export const DEFAULT_META = {
  name: 'Untitled project',
  tempoBpm: 120,
  timeSignatureNumerator: 4,
  timeSignatureDenominator: 4,
  loopEnabled: false,
  loopStartBeat: 0,
  loopEndBeat: 16,
  masterVolumeDb: 0,
} as const;

export const DEFAULT_TRACK = {
  name: 'Track',
  order: 0,
  color: '#4fa3ff',
  volumeDb: 0,
  pan: 0,
  mute: false,
  solo: false,
  armed: false,
  outputBusId: null,
} as const;

export function isYMap(value: unknown): value is YRecord {
  return value instanceof Y.Map;
}

/** Builds a Y.Map from plain fields (nested plain objects are not converted: pass Y.Maps). */
export function record(fields: Record<string, unknown>): YRecord {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) map.set(key, value);
  return map;
}

const EMPTY_CHILD = new Map<string, YRecord>();

/** A record's child collection; an empty, read-only stand-in when it is missing (repair adds it). */
export function childMap(parent: YRecord, key: string): Y.Map<YRecord> {
  const value = parent.get(key);
  return (isYMap(value) ? value : EMPTY_CHILD) as unknown as Y.Map<YRecord>;
}

export function readNumber(map: YRecord, key: string, fallback: number): number {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function readString(map: YRecord, key: string, fallback: string): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : fallback;
}

export function readBoolean(map: YRecord, key: string, fallback: boolean): boolean {
  const value = map.get(key);
  return typeof value === 'boolean' ? value : fallback;
}

function raw(map: YRecord, key: string): unknown {
  return map.get(key);
}

const byOrderThenId = (a: { order: number; id: string }, b: { order: number; id: string }): number =>
  a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byBeatThenId = (a: { beat: number; id: string }, b: { beat: number; id: string }): number =>
  a.beat - b.beat || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byStartThenId = (a: { startBeat: number; id: string }, b: { startBeat: number; id: string }): number =>
  a.startBeat - b.startBeat || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function readDevice(id: string, map: YRecord): Device {
  const params: Record<string, number> = {};
  for (const [name, value] of childMap(map, 'params') as unknown as Y.Map<unknown>) params[name] = value as number;
  return { id, type: raw(map, 'type') as DeviceType, order: readNumber(map, 'order', 0), bypass: readBoolean(map, 'bypass', false), params };
}

function readLane(id: string, map: YRecord): AutomationLane {
  const points = [...childMap(map, 'points')].map(([pointId, point]) => ({ id: pointId, beat: raw(point, 'beat') as number, value: raw(point, 'value') as number }));
  return { id, target: raw(map, 'target') as string, points: points.sort(byBeatThenId) };
}

export function readTrack(id: string, map: YRecord): Track {
  const instrumentType = raw(map, 'instrumentType');
  const sends: Send[] = [...childMap(map, 'sends')]
    .map(([busId, send]) => ({ busId, levelDb: raw(send, 'levelDb') as number, preFader: readBoolean(send, 'preFader', false) }))
    .sort((a, b) => (a.busId < b.busId ? -1 : 1));
  const devices = [...childMap(map, 'devices')].map(([deviceId, device]) => readDevice(deviceId, device)).sort(byOrderThenId);
  const automation = [...childMap(map, 'automation')].map(([laneId, lane]) => readLane(laneId, lane)).sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    id,
    kind: raw(map, 'kind') as Track['kind'],
    name: readString(map, 'name', DEFAULT_TRACK.name),
    order: readNumber(map, 'order', 0),
    color: readString(map, 'color', DEFAULT_TRACK.color),
    volumeDb: raw(map, 'volumeDb') as number,
    pan: raw(map, 'pan') as number,
    mute: readBoolean(map, 'mute', false),
    solo: readBoolean(map, 'solo', false),
    armed: readBoolean(map, 'armed', false),
    outputBusId: (raw(map, 'outputBusId') as string | null | undefined) ?? null,
    instrument: instrumentType === undefined || instrumentType === null ? null : { type: instrumentType as 'synth', preset: readString(map, 'instrumentPreset', '') },
    sends,
    devices,
    automation,
  };
}

export function readNote(id: string, map: YRecord): Note {
  return {
    id,
    clipId: raw(map, 'clipId') as string,
    pitch: raw(map, 'pitch') as number,
    startBeat: raw(map, 'startBeat') as number,
    lengthBeats: raw(map, 'lengthBeats') as number,
    velocity: raw(map, 'velocity') as number,
  };
}

function readClip(id: string, map: YRecord, notes: Note[]): Clip {
  const base = {
    id,
    trackId: raw(map, 'trackId') as string,
    name: readString(map, 'name', ''),
    startBeat: raw(map, 'startBeat') as number,
    lengthBeats: raw(map, 'lengthBeats') as number,
    gainDb: readNumber(map, 'gainDb', 0),
  };
  if (raw(map, 'kind') === 'audio') {
    return {
      ...base,
      kind: 'audio',
      sourceId: raw(map, 'sourceId') as string,
      offsetSec: readNumber(map, 'offsetSec', 0),
      fadeInSec: readNumber(map, 'fadeInSec', 0),
      fadeOutSec: readNumber(map, 'fadeOutSec', 0),
    };
  }
  return { ...base, kind: raw(map, 'kind') as 'notes', notes };
}

/**
 * The project as plain data, in a stable order (tracks by `order`, clips by track then start,
 * notes by start then pitch). It reads what is there without fixing it: validate the result with
 * `validateProject`, or run `repairProject` first.
 */
export function readProject(doc: Y.Doc): Project {
  const maps = projectMaps(doc);
  const { meta } = maps;
  const tracks = [...maps.tracks].map(([id, map]) => readTrack(id, map)).sort(byOrderThenId);
  const trackRank = new Map(tracks.map((track, index) => [track.id, index]));
  const notesByClip = new Map<string, Note[]>();
  for (const [id, map] of maps.notes) {
    const note = readNote(id, map);
    const list = notesByClip.get(note.clipId) ?? [];
    list.push(note);
    notesByClip.set(note.clipId, list);
  }
  for (const list of notesByClip.values()) list.sort((a, b) => byStartThenId(a, b) || a.pitch - b.pitch);
  const clips = [...maps.clips]
    .map(([id, map]) => readClip(id, map, notesByClip.get(id) ?? []))
    .sort((a, b) => (trackRank.get(a.trackId) ?? 1e9) - (trackRank.get(b.trackId) ?? 1e9) || byStartThenId(a, b));
  return {
    name: readString(meta, 'name', DEFAULT_META.name),
    tempoBpm: readNumber(meta, 'tempoBpm', DEFAULT_META.tempoBpm),
    tempoChanges: [...maps.tempoChanges].map(([id, map]) => ({ id, beat: raw(map, 'beat') as number, tempoBpm: raw(map, 'tempoBpm') as number })).sort(byBeatThenId),
    timeSignature: {
      numerator: readNumber(meta, 'timeSignatureNumerator', DEFAULT_META.timeSignatureNumerator),
      denominator: readNumber(meta, 'timeSignatureDenominator', DEFAULT_META.timeSignatureDenominator) as 4,
    },
    loop: {
      enabled: readBoolean(meta, 'loopEnabled', DEFAULT_META.loopEnabled),
      startBeat: readNumber(meta, 'loopStartBeat', DEFAULT_META.loopStartBeat),
      endBeat: readNumber(meta, 'loopEndBeat', DEFAULT_META.loopEndBeat),
    },
    masterVolumeDb: readNumber(meta, 'masterVolumeDb', DEFAULT_META.masterVolumeDb),
    markers: [...maps.markers].map(([id, map]) => ({ id, beat: raw(map, 'beat') as number, name: readString(map, 'name', '') })).sort(byBeatThenId),
    tracks,
    clips,
  };
}

export const KNOWN = {
  trackKinds: new Set<string>(TRACK_KINDS),
  instrumentTypes: new Set<string>(INSTRUMENT_TYPES),
  deviceTypes: new Set<string>(DEVICE_TYPES),
  deviceSpecs: DEVICE_SPECS as Record<string, Record<string, { min: number; max: number; defaultValue: number }>>,
  limits: LIMITS,
};
