import * as Y from 'yjs';
import { childMap, DEFAULT_META, DEFAULT_TRACK, isYMap, KNOWN, projectMaps, readNumber, type YRecord } from './doc-layout';
import { LIMITS, SYNTH_PRESETS, DRUM_KITS } from './schema';

/** The origin of repair transactions: not a user's edit, so no UndoManager tracks it. */
export const REPAIR_ORIGIN = Symbol('studio-repair');

export interface RepairReport {
  /** One sentence per fix, in the order they were made (for logs and tests). */
  readonly fixes: string[];
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Makes the document valid again after concurrent edits broke an invariant, deterministically:
 * the fixes depend only on the document's state (never on who runs it, the clock or randomness),
 * and each fix either deletes a record or writes a value computed from the state. Two peers that
 * repair the same state write the same values, so their repairs merge into the same document.
 *
 * Rules: a note whose clip is gone goes with it; a clip whose track is gone, or that a track of
 * its kind cannot hold, is deleted; a send or output to a missing bus is dropped; automation of
 * a deleted device is dropped; numbers are clamped into range; overlapping notes of one pitch are
 * trimmed (the earlier note ends where the later one starts; at the same start, the larger id
 * goes); two tempo changes at one beat keep the smaller id; a loop that ends before it starts
 * becomes one bar long.
 */
export function repairProject(doc: Y.Doc): RepairReport {
  const fixes: string[] = [];
  doc.transact(() => repairInTransaction(doc, fixes), REPAIR_ORIGIN);
  return { fixes };
}

function setIfDifferent(map: YRecord, key: string, value: unknown, fixes: string[], what: string): void {
  if (map.get(key) !== value) {
    map.set(key, value);
    fixes.push(`${what}: ${key} set to ${String(value)}`);
  }
}

function fixNumber(map: YRecord, key: string, min: number, max: number, fallback: number, fixes: string[], what: string, integer = false): number {
  let value = readNumber(map, key, fallback);
  if (integer) value = Math.round(value);
  value = clamp(value, min, max);
  setIfDifferent(map, key, value, fixes, what);
  return value;
}

function fixBoolean(map: YRecord, key: string, fixes: string[], what: string): void {
  if (typeof map.get(key) !== 'boolean') setIfDifferent(map, key, false, fixes, what);
}

function deleteKey<T>(map: Y.Map<T>, key: string, fixes: string[], why: string): void {
  map.delete(key);
  fixes.push(why);
}

/** Sorted entries, so every peer visits records (and so fixes them) in the same order. */
function sortedEntries(map: Y.Map<unknown>): [string, unknown][] {
  return [...map.entries()].sort(([a], [b]) => compareIds(a, b));
}

function repairInTransaction(doc: Y.Doc, fixes: string[]): void {
  const maps = projectMaps(doc);
  const { meta } = maps;

  // Project settings a peer has never written stay unset (read as defaults): writing defaults
  // here would race a collaborator's real value, and Yjs resolves such races by client id.
  const metaWhat = 'project';
  if (meta.has('name') && typeof meta.get('name') !== 'string') setIfDifferent(meta, 'name', DEFAULT_META.name, fixes, metaWhat);
  const metaNumber = (key: keyof typeof DEFAULT_META, min: number, max: number, integer = false): number => {
    const fallback = DEFAULT_META[key] as number;
    return meta.has(key) ? fixNumber(meta, key, min, max, fallback, fixes, metaWhat, integer) : fallback;
  };
  metaNumber('tempoBpm', LIMITS.tempoBpm.min, LIMITS.tempoBpm.max);
  const numerator = metaNumber('timeSignatureNumerator', 1, 32, true);
  if (meta.has('timeSignatureDenominator') && ![2, 4, 8, 16].includes(meta.get('timeSignatureDenominator') as number)) setIfDifferent(meta, 'timeSignatureDenominator', 4, fixes, metaWhat);
  if (meta.has('loopEnabled')) fixBoolean(meta, 'loopEnabled', fixes, metaWhat);
  const loopStart = metaNumber('loopStartBeat', 0, LIMITS.maxBeat - numerator);
  const loopEnd = metaNumber('loopEndBeat', 0, LIMITS.maxBeat);
  if (loopEnd <= loopStart) setIfDifferent(meta, 'loopEndBeat', loopStart + numerator, fixes, 'loop ended before it started');
  metaNumber('masterVolumeDb', LIMITS.volumeDb.min, LIMITS.volumeDb.max);

  // Tempo changes: after beat 0, in range, one per beat (the smaller id stays).
  const tempoBeats = new Set<number>();
  for (const [id, value] of sortedEntries(maps.tempoChanges as Y.Map<unknown>)) {
    if (!isYMap(value)) {
      deleteKey(maps.tempoChanges, id, fixes, `tempo change ${id} was not a record`);
      continue;
    }
    const beat = readNumber(value, 'beat', 0);
    if (beat <= 0 || beat > LIMITS.maxBeat || tempoBeats.has(beat)) {
      deleteKey(maps.tempoChanges, id, fixes, `tempo change ${id} at beat ${beat} removed (not after beat 0, or a second change at that beat)`);
      continue;
    }
    tempoBeats.add(beat);
    if (value.get('beat') !== beat) setIfDifferent(value, 'beat', beat, fixes, `tempo change ${id}`);
    fixNumber(value, 'tempoBpm', LIMITS.tempoBpm.min, LIMITS.tempoBpm.max, DEFAULT_META.tempoBpm, fixes, `tempo change ${id}`);
  }

  for (const [id, value] of sortedEntries(maps.markers as Y.Map<unknown>)) {
    if (!isYMap(value)) {
      deleteKey(maps.markers, id, fixes, `marker ${id} was not a record`);
      continue;
    }
    fixNumber(value, 'beat', 0, LIMITS.maxBeat, 0, fixes, `marker ${id}`);
    if (typeof value.get('name') !== 'string') setIfDifferent(value, 'name', '', fixes, `marker ${id}`);
  }

  // Tracks first: clips and sends are judged against the tracks that survive.
  for (const [id, value] of sortedEntries(maps.tracks as Y.Map<unknown>)) {
    if (!isYMap(value) || !KNOWN.trackKinds.has(value.get('kind') as string)) deleteKey(maps.tracks, id, fixes, `track ${id} had no valid kind`);
  }
  const kindOf = new Map<string, string>([...maps.tracks].map(([id, track]) => [id, track.get('kind') as string]));
  for (const [id, track] of [...maps.tracks].sort(([a], [b]) => compareIds(a, b))) repairTrack(id, track, kindOf, fixes);

  // Clips: on an existing track that can hold their kind.
  const clipKinds = new Map<string, string>();
  for (const [id, value] of sortedEntries(maps.clips as Y.Map<unknown>)) {
    if (!isYMap(value)) {
      deleteKey(maps.clips, id, fixes, `clip ${id} was not a record`);
      continue;
    }
    const trackKind = kindOf.get(value.get('trackId') as string);
    const kind = value.get('kind');
    const fits = (kind === 'notes' && trackKind === 'instrument') || (kind === 'audio' && trackKind === 'audio');
    if (!fits) {
      deleteKey(maps.clips, id, fixes, `clip ${id} removed: its track is gone or cannot hold a ${String(kind)} clip`);
      continue;
    }
    clipKinds.set(id, kind);
    const what = `clip ${id}`;
    fixNumber(value, 'startBeat', 0, LIMITS.maxBeat, 0, fixes, what);
    fixNumber(value, 'lengthBeats', LIMITS.minLengthBeats, LIMITS.maxBeat, 4, fixes, what);
    fixNumber(value, 'gainDb', LIMITS.gainDb.min, LIMITS.gainDb.max, 0, fixes, what);
    if (typeof value.get('name') !== 'string') setIfDifferent(value, 'name', '', fixes, what);
    if (kind === 'audio') {
      if (typeof value.get('sourceId') !== 'string' || (value.get('sourceId') as string).length === 0) {
        deleteKey(maps.clips, id, fixes, `audio clip ${id} had no source`);
        clipKinds.delete(id);
        continue;
      }
      fixNumber(value, 'offsetSec', 0, Number.MAX_SAFE_INTEGER, 0, fixes, what);
      fixNumber(value, 'fadeInSec', 0, LIMITS.maxFadeSec, 0, fixes, what);
      fixNumber(value, 'fadeOutSec', 0, LIMITS.maxFadeSec, 0, fixes, what);
    }
  }

  // Notes: in an existing note clip, in range, no two of one pitch sounding at once.
  const notesByClipAndPitch = new Map<string, { id: string; map: YRecord; startBeat: number; lengthBeats: number }[]>();
  for (const [id, value] of sortedEntries(maps.notes as Y.Map<unknown>)) {
    if (!isYMap(value) || clipKinds.get(value.get('clipId') as string) !== 'notes') {
      deleteKey(maps.notes, id, fixes, `note ${id} removed: its clip is gone`);
      continue;
    }
    const what = `note ${id}`;
    const pitch = fixNumber(value, 'pitch', LIMITS.pitch.min, LIMITS.pitch.max, 60, fixes, what, true);
    const startBeat = fixNumber(value, 'startBeat', 0, LIMITS.maxBeat, 0, fixes, what);
    const lengthBeats = fixNumber(value, 'lengthBeats', LIMITS.minLengthBeats, LIMITS.maxBeat, 1, fixes, what);
    fixNumber(value, 'velocity', LIMITS.velocity.min, LIMITS.velocity.max, 0.8, fixes, what);
    const key = `${value.get('clipId') as string}\u0000${pitch}`;
    const list = notesByClipAndPitch.get(key) ?? [];
    list.push({ id, map: value, startBeat, lengthBeats });
    notesByClipAndPitch.set(key, list);
  }
  for (const list of notesByClipAndPitch.values()) {
    list.sort((a, b) => a.startBeat - b.startBeat || compareIds(a.id, b.id));
    let previous: (typeof list)[number] | null = null;
    for (const note of list) {
      if (previous && note.startBeat - previous.startBeat < LIMITS.minLengthBeats) {
        deleteKey(maps.notes, note.id, fixes, `note ${note.id} removed: note ${previous.id} of the same pitch starts at the same beat`);
        continue;
      }
      if (previous && previous.startBeat + previous.lengthBeats > note.startBeat) {
        previous.lengthBeats = note.startBeat - previous.startBeat;
        setIfDifferent(previous.map, 'lengthBeats', previous.lengthBeats, fixes, `note ${previous.id} overlapped note ${note.id}`);
      }
      previous = note;
    }
  }
}

function repairTrack(id: string, track: YRecord, kindOf: Map<string, string>, fixes: string[]): void {
  const what = `track ${id}`;
  const kind = track.get('kind') as string;
  for (const collection of ['sends', 'devices', 'automation']) {
    if (!isYMap(track.get(collection))) setIfDifferent(track, collection, new Y.Map(), fixes, what);
  }
  if (typeof track.get('name') !== 'string') setIfDifferent(track, 'name', DEFAULT_TRACK.name, fixes, what);
  if (typeof track.get('color') !== 'string') setIfDifferent(track, 'color', DEFAULT_TRACK.color, fixes, what);
  fixNumber(track, 'order', -1e12, 1e12, 0, fixes, what);
  fixNumber(track, 'volumeDb', LIMITS.volumeDb.min, LIMITS.volumeDb.max, 0, fixes, what);
  fixNumber(track, 'pan', -1, 1, 0, fixes, what);
  for (const flag of ['mute', 'solo', 'armed']) fixBoolean(track, flag, fixes, what);

  // Buses output to the master only, so routing can never loop.
  const output = track.get('outputBusId');
  if (output !== null && (kind === 'bus' || kindOf.get(output as string) !== 'bus')) setIfDifferent(track, 'outputBusId', null, fixes, `${what} output`);

  if (kind === 'instrument') {
    const type = track.get('instrumentType') as string;
    if (!KNOWN.instrumentTypes.has(type)) setIfDifferent(track, 'instrumentType', 'synth', fixes, what);
    const presets: readonly string[] = track.get('instrumentType') === 'drums' ? DRUM_KITS : SYNTH_PRESETS;
    if (!presets.includes(track.get('instrumentPreset') as string)) setIfDifferent(track, 'instrumentPreset', presets[0], fixes, what);
  } else {
    if (track.has('instrumentType')) deleteKey(track, 'instrumentType', fixes, `${what}: only instrument tracks have an instrument`);
    if (track.has('instrumentPreset')) deleteKey(track, 'instrumentPreset', fixes, `${what}: only instrument tracks have a preset`);
  }

  const sends = childMap(track, 'sends');
  for (const [busId, send] of sortedEntries(sends as Y.Map<unknown>)) {
    if (kind === 'bus' || kindOf.get(busId) !== 'bus' || !isYMap(send)) {
      deleteKey(sends, busId, fixes, `${what}: send to ${busId} removed (no such bus, or a bus cannot send)`);
      continue;
    }
    fixNumber(send, 'levelDb', LIMITS.sendDb.min, LIMITS.sendDb.max, 0, fixes, `${what} send ${busId}`);
    fixBoolean(send, 'preFader', fixes, `${what} send ${busId}`);
  }

  const devices = childMap(track, 'devices');
  for (const [deviceId, device] of sortedEntries(devices as Y.Map<unknown>)) {
    if (!isYMap(device) || !KNOWN.deviceTypes.has(device.get('type') as string)) {
      deleteKey(devices, deviceId, fixes, `${what}: device ${deviceId} of unknown type removed`);
      continue;
    }
    const deviceWhat = `${what} device ${deviceId}`;
    fixNumber(device, 'order', -1e12, 1e12, 0, fixes, deviceWhat);
    fixBoolean(device, 'bypass', fixes, deviceWhat);
    const specs = KNOWN.deviceSpecs[device.get('type') as string] ?? {};
    let params = device.get('params');
    if (!isYMap(params)) {
      params = new Y.Map<unknown>();
      device.set('params', params);
    }
    const paramMap = params as YRecord;
    for (const name of [...paramMap.keys()].sort()) if (!(name in specs)) deleteKey(paramMap, name, fixes, `${deviceWhat}: unknown param ${name} removed`);
    for (const [name, spec] of Object.entries(specs)) fixNumber(paramMap, name, spec.min, spec.max, spec.defaultValue, fixes, deviceWhat, name === 'mode');
  }

  const lanes = childMap(track, 'automation');
  for (const [laneId, lane] of sortedEntries(lanes as Y.Map<unknown>)) {
    const range = isYMap(lane) ? automationRange(lane.get('target'), devices) : null;
    if (!range || !isYMap(lane)) {
      deleteKey(lanes, laneId, fixes, `${what}: automation lane ${laneId} removed (its target is gone)`);
      continue;
    }
    if (!isYMap(lane.get('points'))) setIfDifferent(lane, 'points', new Y.Map(), fixes, `${what} automation lane ${laneId}`);
    const points = childMap(lane, 'points');
    for (const [pointId, point] of sortedEntries(points as Y.Map<unknown>)) {
      if (!isYMap(point)) {
        deleteKey(points, pointId, fixes, `${what}: automation point ${pointId} was not a record`);
        continue;
      }
      fixNumber(point, 'beat', 0, LIMITS.maxBeat, 0, fixes, `${what} automation point ${pointId}`);
      fixNumber(point, 'value', range.min, range.max, range.min, fixes, `${what} automation point ${pointId}`);
    }
  }
}

/** The value range of an automation target, or null when the target no longer exists. */
export function automationRange(target: unknown, devices: Y.Map<YRecord>): { min: number; max: number } | null {
  if (target === 'volumeDb') return LIMITS.volumeDb;
  if (target === 'pan') return LIMITS.pan;
  if (typeof target !== 'string') return null;
  const match = /^device:([^:]+):([A-Za-z]+)$/.exec(target);
  if (!match) return null;
  const device = devices.get(match[1] as string);
  if (!isYMap(device)) return null;
  const spec = KNOWN.deviceSpecs[device.get('type') as string]?.[match[2] as string];
  return spec ?? null;
}
