/**
 * Beats ↔ seconds through a tempo map with step changes (each change holds until the next).
 * The engine schedules every event at absolute seconds computed here instead of relying on
 * Tone.Transport's bpm automation, whose tempo changes have open bugs.
 */
export interface TempoPoint {
  readonly beat: number;
  readonly tempoBpm: number;
}

interface Segment {
  readonly startBeat: number;
  readonly startSec: number;
  readonly secPerBeat: number;
}

export class TempoMap {
  private readonly segments: Segment[];

  /** `initialTempoBpm` holds from beat 0; `changes` at beats > 0 (any order, duplicates: last wins). */
  constructor(initialTempoBpm: number, changes: readonly TempoPoint[] = []) {
    const points = [{ beat: 0, tempoBpm: initialTempoBpm }, ...changes.filter((change) => change.beat > 0)].sort((a, b) => a.beat - b.beat);
    this.segments = [];
    let startSec = 0;
    for (let index = 0; index < points.length; index += 1) {
      const point = points[index] as TempoPoint;
      const previous = this.segments[this.segments.length - 1];
      if (previous) startSec = previous.startSec + (point.beat - previous.startBeat) * previous.secPerBeat;
      if (previous && previous.startBeat === point.beat) this.segments.pop();
      this.segments.push({ startBeat: point.beat, startSec, secPerBeat: 60 / point.tempoBpm });
    }
  }

  private segmentAtBeat(beat: number): Segment {
    let found = this.segments[0] as Segment;
    for (const segment of this.segments) if (segment.startBeat <= beat) found = segment;
    return found;
  }

  beatToSeconds(beat: number): number {
    const segment = this.segmentAtBeat(beat);
    return segment.startSec + (beat - segment.startBeat) * segment.secPerBeat;
  }

  secondsToBeat(seconds: number): number {
    let found = this.segments[0] as Segment;
    for (const segment of this.segments) if (segment.startSec <= seconds) found = segment;
    return found.startBeat + (seconds - found.startSec) / found.secPerBeat;
  }

  tempoAtBeat(beat: number): number {
    return 60 / this.segmentAtBeat(beat).secPerBeat;
  }

  /** Seconds between two beats (end after start). */
  durationSec(startBeat: number, endBeat: number): number {
    return this.beatToSeconds(endBeat) - this.beatToSeconds(startBeat);
  }
}

/** Snaps a beat toward the grid: strength 1 lands on it, 0 leaves it. */
export function quantizeBeat(beat: number, gridBeats: number, strength = 1): number {
  if (!(gridBeats > 0)) return beat;
  const target = Math.round(beat / gridBeats) * gridBeats;
  return beat + (target - beat) * Math.min(1, Math.max(0, strength));
}

/** The beats of bar starts and beats in [fromBeat, toBeat), for the metronome and the grid. */
export function metronomeBeats(fromBeat: number, toBeat: number, beatsPerBar: number, beatUnitBeats = 1): { beat: number; downbeat: boolean }[] {
  const clicks: { beat: number; downbeat: boolean }[] = [];
  const first = Math.ceil(fromBeat / beatUnitBeats - 1e-9);
  for (let index = first; index * beatUnitBeats < toBeat - 1e-9; index += 1) clicks.push({ beat: index * beatUnitBeats, downbeat: index % beatsPerBar === 0 });
  return clicks;
}
