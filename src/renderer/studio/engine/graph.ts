import * as Tone from 'tone';
import type { Project, Track } from '../../../shared/studio';
import { dbToGain } from '../../../audio-engine/studio/music';
import type { TempoMap } from '../../../audio-engine/studio/tempo-map';
import { createDevice, type AutomatableParam, type EngineDevice } from './devices';
import { createInstrument, type EngineInstrument } from './instruments';
import { audibleTracks, automationValueAt } from './schedule';

/** The master bus: volume → limiter (−1 dBFS ceiling) → meter → destination. */
export class MasterStrip {
  readonly input = new Tone.Gain(1);
  readonly limiter = new Tone.Limiter(-1);
  readonly meter = new Tone.Meter({ smoothing: 0.6 });
  constructor(destination: Tone.InputNode) {
    this.input.chain(this.limiter, destination);
    this.limiter.connect(this.meter);
  }
  setVolume(volumeDb: number): void {
    this.input.gain.value = dbToGain(volumeDb);
  }
  dispose(): void {
    this.input.dispose();
    this.limiter.dispose();
    this.meter.dispose();
  }
}

/**
 * One mixer channel: input → devices (in order, bypassed ones left out) → fader → panner →
 * mute → output (a bus's input or the master), with post-fader sends (pre-fader ones tap before
 * the fader) and a meter after the mute.
 */
export class TrackStrip {
  readonly input = new Tone.Gain(1);
  readonly fader = new Tone.Gain(1);
  readonly panner = new Tone.Panner(0);
  readonly muteGain = new Tone.Gain(1);
  readonly meter = new Tone.Meter({ smoothing: 0.6 });
  readonly instrument: EngineInstrument | null;
  readonly devices = new Map<string, EngineDevice>();
  readonly sends = new Map<string, Tone.Gain>();
  /** What, when it changes, needs the strip rebuilt rather than its params set. */
  readonly structureKey: string;

  constructor(track: Track, tempoBpm: number, resolveInput: (busId: string | null) => Tone.InputNode) {
    this.structureKey = structureKey(track);
    this.instrument = track.kind === 'instrument' && track.instrument ? createInstrument(track.instrument) : null;
    this.instrument?.output.connect(this.input);
    let tail: Tone.ToneAudioNode = this.input;
    for (const device of track.devices) {
      const created = createDevice(device, tempoBpm);
      this.devices.set(device.id, created);
      if (device.bypass) continue;
      tail.connect(created.input);
      tail = created.output;
    }
    tail.chain(this.fader, this.panner, this.muteGain);
    this.muteGain.connect(resolveInput(track.outputBusId));
    this.muteGain.connect(this.meter);
    for (const send of track.sends) {
      const gain = new Tone.Gain(dbToGain(send.levelDb));
      (send.preFader ? tail : this.muteGain).connect(gain);
      gain.connect(resolveInput(send.busId));
      this.sends.set(send.busId, gain);
    }
  }

  /** Sets every param that does not change the structure. */
  update(track: Track, audible: boolean, tempoBpm: number): void {
    this.fader.gain.value = dbToGain(track.volumeDb);
    this.panner.pan.value = track.pan;
    this.muteGain.gain.value = audible ? 1 : 0;
    for (const device of track.devices) this.devices.get(device.id)?.set(device.params, tempoBpm);
    for (const send of track.sends) {
      const gain = this.sends.get(send.busId);
      if (gain) gain.gain.value = dbToGain(send.levelDb);
    }
  }

  /** Writes the track's automation into its params, from `fromBeat` on, at context time `ctxTimeOf(beat)`. */
  scheduleAutomation(track: Track, tempoMap: TempoMap, fromBeat: number, ctxTimeOfSec: (timelineSec: number) => number): void {
    for (const lane of track.automation) {
      if (lane.points.length === 0) continue;
      const target = this.automationTarget(lane.target);
      if (!target) continue;
      const toParamValue = lane.target === 'volumeDb' ? (db: number) => dbToGain(db) : (value: number) => value;
      const startValue = automationValueAt(lane.points, fromBeat) as number;
      const startCtx = ctxTimeOfSec(tempoMap.beatToSeconds(fromBeat));
      target.cancelScheduledValues(startCtx);
      target.setValueAtTime(toParamValue(startValue) as never, startCtx);
      for (const point of lane.points) {
        if (point.beat <= fromBeat) continue;
        target.linearRampToValueAtTime(toParamValue(point.value) as never, ctxTimeOfSec(tempoMap.beatToSeconds(point.beat)));
      }
    }
  }

  cancelAutomation(track: Track, tempoBpm: number, audible: boolean): void {
    for (const lane of track.automation) this.automationTarget(lane.target)?.cancelScheduledValues(0);
    this.update(track, audible, tempoBpm);
  }

  private automationTarget(target: string): AutomatableParam | null {
    if (target === 'volumeDb') return this.fader.gain;
    if (target === 'pan') return this.panner.pan;
    const match = /^device:([^:]+):([A-Za-z]+)$/.exec(target);
    if (!match) return null;
    return this.devices.get(match[1] as string)?.param(match[2] as string) ?? null;
  }

  dispose(): void {
    this.instrument?.dispose();
    for (const device of this.devices.values()) device.dispose();
    for (const send of this.sends.values()) send.dispose();
    this.input.dispose();
    this.fader.dispose();
    this.panner.dispose();
    this.muteGain.dispose();
    this.meter.dispose();
  }
}

function structureKey(track: Track): string {
  return JSON.stringify([
    track.kind,
    track.instrument,
    track.outputBusId,
    track.devices.map((device) => [device.id, device.type, device.bypass]),
    track.sends.map((send) => [send.busId, send.preFader]),
  ]);
}

/**
 * The whole mixer for a project, built in the current Tone context. `update(project)` sets
 * params in place and rebuilds only strips whose structure changed (all of them when the set
 * of buses changed, since other strips connect to buses).
 */
export class ProjectGraph {
  readonly master: MasterStrip;
  readonly strips = new Map<string, TrackStrip>();
  private busKey = '';
  private project: Project | null = null;

  constructor(destination: Tone.InputNode) {
    this.master = new MasterStrip(destination);
  }

  update(project: Project): void {
    const tempoBpm = project.tempoBpm;
    const busKey = project.tracks.filter((track) => track.kind === 'bus').map((track) => structureKey(track)).join('|');
    if (busKey !== this.busKey) {
      for (const strip of this.strips.values()) strip.dispose();
      this.strips.clear();
      this.busKey = busKey;
    }
    const wanted = new Set(project.tracks.map((track) => track.id));
    for (const [id, strip] of this.strips) {
      if (!wanted.has(id)) {
        strip.dispose();
        this.strips.delete(id);
      }
    }
    const resolveInput = (busId: string | null): Tone.InputNode => (busId ? (this.strips.get(busId)?.input ?? this.master.input) : this.master.input);
    // Buses first, so the tracks that feed them find their inputs.
    const ordered = [...project.tracks].sort((a, b) => Number(b.kind === 'bus') - Number(a.kind === 'bus'));
    for (const track of ordered) {
      const existing = this.strips.get(track.id);
      if (existing && existing.structureKey === structureKey(track)) continue;
      existing?.dispose();
      this.strips.set(track.id, new TrackStrip(track, tempoBpm, resolveInput));
    }
    const audible = audibleTracks(project);
    for (const track of project.tracks) this.strips.get(track.id)?.update(track, audible.has(track.id), tempoBpm);
    this.master.setVolume(project.masterVolumeDb);
    this.project = project;
  }

  /** Peak levels in dBFS (−Infinity when silent) for the meters. */
  levels(): { masterDb: number; tracksDb: Record<string, number> } {
    const read = (meter: Tone.Meter): number => {
      const value = meter.getValue();
      return typeof value === 'number' ? value : Math.max(...(value as number[]));
    };
    return { masterDb: read(this.master.meter), tracksDb: Object.fromEntries([...this.strips].map(([id, strip]) => [id, read(strip.meter)])) };
  }

  current(): Project | null {
    return this.project;
  }

  dispose(): void {
    for (const strip of this.strips.values()) strip.dispose();
    this.strips.clear();
    this.master.dispose();
  }
}
