import type { Project } from '../../../shared/studio';
import { TempoMap } from '../../../audio-engine/studio/tempo-map';

/**
 * What to play between two timeline times, as plain data. Everything is computed from the
 * project's tempo map into absolute seconds here, so live playback and offline rendering play
 * exactly the same events, and no event depends on Tone.Transport's bpm automation.
 */
export interface NoteEvent {
  readonly trackId: string;
  readonly startSec: number;
  readonly durationSec: number;
  readonly pitch: number;
  readonly velocity: number;
}

export interface AudioEvent {
  readonly trackId: string;
  readonly clipId: string;
  readonly sourceId: string;
  /** When the clip's sound starts on the timeline (later than the clip start when playback starts mid-clip). */
  readonly startSec: number;
  readonly durationSec: number;
  /** Where in the source to start. */
  readonly offsetSec: number;
  readonly gainDb: number;
  readonly fadeInSec: number;
  readonly fadeOutSec: number;
}

export function tempoMapOf(project: Project): TempoMap {
  return new TempoMap(project.tempoBpm, project.tempoChanges);
}

/** Notes that start in [fromSec, toSec), cut at their clip's end. */
export function noteEventsBetween(project: Project, tempoMap: TempoMap, fromSec: number, toSec: number): NoteEvent[] {
  const events: NoteEvent[] = [];
  for (const clip of project.clips) {
    if (clip.kind !== 'notes') continue;
    const clipStartSec = tempoMap.beatToSeconds(clip.startBeat);
    const clipEndBeat = clip.startBeat + clip.lengthBeats;
    if (clipStartSec >= toSec || tempoMap.beatToSeconds(clipEndBeat) <= fromSec) continue;
    for (const note of clip.notes) {
      if (note.startBeat >= clip.lengthBeats) continue;
      const startBeat = clip.startBeat + note.startBeat;
      const startSec = tempoMap.beatToSeconds(startBeat);
      if (startSec < fromSec || startSec >= toSec) continue;
      const endBeat = Math.min(startBeat + note.lengthBeats, clipEndBeat);
      events.push({ trackId: clip.trackId, startSec, durationSec: tempoMap.beatToSeconds(endBeat) - startSec, pitch: note.pitch, velocity: note.velocity });
    }
  }
  return events.sort((a, b) => a.startSec - b.startSec || a.pitch - b.pitch);
}

/**
 * Audio clips that start in [fromSec, toSec); with `includeSounding`, also those already playing
 * at `fromSec` (playback started mid-clip), started at `fromSec` with the matching offset.
 */
export function audioEventsBetween(project: Project, tempoMap: TempoMap, fromSec: number, toSec: number, includeSounding = false): AudioEvent[] {
  const events: AudioEvent[] = [];
  for (const clip of project.clips) {
    if (clip.kind !== 'audio') continue;
    const clipStartSec = tempoMap.beatToSeconds(clip.startBeat);
    const clipEndSec = tempoMap.beatToSeconds(clip.startBeat + clip.lengthBeats);
    const startsInside = clipStartSec >= fromSec && clipStartSec < toSec;
    const sounding = includeSounding && clipStartSec < fromSec && clipEndSec > fromSec;
    if (!startsInside && !sounding) continue;
    const startSec = sounding ? fromSec : clipStartSec;
    events.push({
      trackId: clip.trackId,
      clipId: clip.id,
      sourceId: clip.sourceId,
      startSec,
      durationSec: clipEndSec - startSec,
      offsetSec: clip.offsetSec + (startSec - clipStartSec),
      gainDb: clip.gainDb,
      fadeInSec: sounding ? 0 : clip.fadeInSec,
      fadeOutSec: clip.fadeOutSec,
    });
  }
  return events.sort((a, b) => a.startSec - b.startSec);
}

/** Where the project's last clip ends, in seconds (0 for an empty project). */
export function projectEndSec(project: Project, tempoMap: TempoMap = tempoMapOf(project)): number {
  let endBeat = 0;
  for (const clip of project.clips) endBeat = Math.max(endBeat, clip.startBeat + clip.lengthBeats);
  return tempoMap.beatToSeconds(endBeat);
}

/** The value of an automation lane at a beat: linear between points, held before/after. */
export function automationValueAt(points: readonly { beat: number; value: number }[], beat: number): number | null {
  if (points.length === 0) return null;
  const first = points[0] as { beat: number; value: number };
  if (beat <= first.beat) return first.value;
  for (let index = 1; index < points.length; index += 1) {
    const right = points[index] as { beat: number; value: number };
    const left = points[index - 1] as { beat: number; value: number };
    if (beat <= right.beat) return right.beat === left.beat ? right.value : left.value + ((right.value - left.value) * (beat - left.beat)) / (right.beat - left.beat);
  }
  return (points[points.length - 1] as { value: number }).value;
}

/** Which tracks sound: mute wins; when any track is soloed, only soloed tracks (and buses) do. */
export function audibleTracks(project: Project): Set<string> {
  const anySolo = project.tracks.some((track) => track.solo && track.kind !== 'bus');
  return new Set(project.tracks.filter((track) => !track.mute && (track.kind === 'bus' || !anySolo || track.solo)).map((track) => track.id));
}
