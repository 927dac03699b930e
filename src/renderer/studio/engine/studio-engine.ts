import * as Tone from 'tone';
import type { Project } from '../../../shared/studio';
import { metronomeClick } from '../../../audio-engine/studio/drum-kit';
import { metronomeBeats, type TempoMap } from '../../../audio-engine/studio/tempo-map';
import { ProjectGraph } from './graph';
import { playAudioEvent } from './offline-render';
import { toToneBuffer, type SourceLoader } from './pcm';
import { audioEventsBetween, audibleTracks, noteEventsBetween, tempoMapOf } from './schedule';

export interface StudioEngineOptions {
  /** Defaults to Tone's global context (the page's AudioContext). */
  context?: Tone.BaseContext;
  loadSource?: SourceLoader;
  /** How far ahead the scheduler writes events (s). Longer survives a busy main thread. */
  scheduleAheadSec?: number;
}

export interface PlayOptions {
  fromBeat?: number;
  /** Bars of metronome before the timeline starts (for recording). */
  countInBars?: number;
}

/** A point where timeline seconds and context seconds line up (one per play and per loop wrap). */
interface Anchor {
  readonly ctxSec: number;
  readonly timelineSec: number;
}

/**
 * Live playback of a project on Tone.js. Our own look-ahead scheduler (driven by the context's
 * ticker, which keeps running in a background tab) writes note, audio and metronome events at
 * absolute context times computed from the project's tempo map; Tone.Transport is not used, so
 * tempo changes and loop wraps land exactly where the offline render puts them.
 */
export class StudioEngine {
  readonly context: Tone.BaseContext;
  private readonly graph: ProjectGraph;
  private readonly loadSource: SourceLoader | undefined;
  private readonly aheadSec: number;
  private project: Project | null = null;
  private tempoMap: TempoMap | null = null;
  private readonly buffers = new Map<string, Tone.ToneAudioBuffer>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly clicks: { down: Tone.ToneAudioBuffer; up: Tone.ToneAudioBuffer };
  private readonly clickOut: Tone.Gain;
  /** One-shots (audio clips, clicks) with their start times: a stop must not come before a start. */
  private readonly playingSources = new Map<Tone.ToneBufferSource, number>();
  private anchors: Anchor[] = [];
  private scheduledCtxSec = 0;
  private scheduledTimelineSec = 0;
  private tickerId: number | null = null;
  private metronome = false;
  private stoppedAtBeat = 0;

  constructor(options: StudioEngineOptions = {}) {
    this.context = options.context ?? Tone.getContext();
    if (options.context) Tone.setContext(options.context);
    this.loadSource = options.loadSource;
    this.aheadSec = options.scheduleAheadSec ?? 0.2;
    this.graph = new ProjectGraph(this.context.destination);
    const rate = this.context.sampleRate;
    this.clicks = {
      down: toToneBuffer(this.context, { channels: [metronomeClick(rate, true)], sampleRate: rate }),
      up: toToneBuffer(this.context, { channels: [metronomeClick(rate, false)], sampleRate: rate }),
    };
    this.clickOut = new Tone.Gain(0.5).connect(this.context.destination);
  }

  /** Resumes the AudioContext (call from a user gesture in the page). */
  async start(): Promise<void> {
    if (this.context.state !== 'running') await this.context.resume();
  }

  /** Shows the engine the project's current state; params change in place, structure rebuilds. */
  setProject(project: Project): void {
    const wasPlaying = this.playing;
    const positionBeat = wasPlaying ? this.positionBeat() : this.stoppedAtBeat;
    const tempoChanged = this.project !== null && JSON.stringify([this.project.tempoBpm, this.project.tempoChanges]) !== JSON.stringify([project.tempoBpm, project.tempoChanges]);
    this.project = project;
    this.tempoMap = tempoMapOf(project);
    this.graph.update(project);
    for (const clip of project.clips) if (clip.kind === 'audio') void this.ensureSource(clip.sourceId);
    // Events already written used the old tempo map: start again from where we are.
    if (wasPlaying && tempoChanged) this.play({ fromBeat: positionBeat });
  }

  get playing(): boolean {
    return this.tickerId !== null;
  }

  setMetronome(enabled: boolean): void {
    this.metronome = enabled;
  }

  /**
   * 'live' while playing an instrument or recording (MIDI in, microphone): Tone's look-ahead goes
   * to 0 so a key press sounds at once; 'playback' keeps a look-ahead so a busy page never glitches.
   */
  setLatencyMode(mode: 'playback' | 'live'): void {
    this.context.lookAhead = mode === 'live' ? 0 : 0.1;
  }

  play(options: PlayOptions = {}): void {
    if (!this.project || !this.tempoMap) throw new Error('Give the engine a project before playing.');
    this.haltSources();
    const fromBeat = Math.max(0, options.fromBeat ?? this.stoppedAtBeat);
    const startCtx = this.context.currentTime + 0.05;
    const tempoMap = this.tempoMap;
    const project = this.project;
    let timelineStartCtx = startCtx;
    const countInBars = options.countInBars ?? 0;
    if (countInBars > 0) {
      const beatsPerBar = project.timeSignature.numerator;
      const secPerBeat = 60 / tempoMap.tempoAtBeat(fromBeat);
      for (let beat = 0; beat < countInBars * beatsPerBar; beat += 1) this.click(startCtx + beat * secPerBeat, beat % beatsPerBar === 0);
      timelineStartCtx = startCtx + countInBars * beatsPerBar * secPerBeat;
    }
    const timelineSec = tempoMap.beatToSeconds(fromBeat);
    this.anchors = [{ ctxSec: timelineStartCtx, timelineSec }];
    this.scheduledCtxSec = timelineStartCtx;
    this.scheduledTimelineSec = timelineSec;
    for (const track of project.tracks) this.graph.strips.get(track.id)?.scheduleAutomation(track, tempoMap, fromBeat, (sec) => timelineStartCtx + (sec - timelineSec));
    this.scheduleAudioAlreadySounding(timelineSec, timelineStartCtx);
    if (this.tickerId === null) this.tickerId = this.context.setInterval(() => this.tick(), 0.025);
    this.tick();
  }

  stop(): void {
    if (this.playing) this.stoppedAtBeat = this.positionBeat();
    if (this.tickerId !== null) this.context.clearInterval(this.tickerId);
    this.tickerId = null;
    this.haltSources();
    if (this.project) {
      const audible = audibleTracks(this.project);
      for (const track of this.project.tracks) this.graph.strips.get(track.id)?.cancelAutomation(track, this.project.tempoBpm, audible.has(track.id));
    }
  }

  seek(beat: number): void {
    if (this.playing) this.play({ fromBeat: beat });
    else this.stoppedAtBeat = Math.max(0, beat);
  }

  /** The beat being heard now (before the count-in ends: the start beat). */
  positionBeat(): number {
    if (!this.tempoMap) return 0;
    if (!this.playing) return this.stoppedAtBeat;
    const now = this.context.currentTime;
    let anchor = this.anchors[0];
    for (const candidate of this.anchors) if (candidate.ctxSec <= now) anchor = candidate;
    if (!anchor) return this.stoppedAtBeat;
    return this.tempoMap.secondsToBeat(anchor.timelineSec + Math.max(0, now - anchor.ctxSec));
  }

  noteOn(trackId: string, pitch: number, velocity = 0.8): void {
    this.graph.strips.get(trackId)?.instrument?.noteOn(pitch, velocity, this.context.currentTime);
  }

  noteOff(trackId: string, pitch: number): void {
    this.graph.strips.get(trackId)?.instrument?.noteOff(pitch, this.context.currentTime);
  }

  /** Peak levels in dBFS for the mixer's meters (poll in requestAnimationFrame). */
  levels(): { masterDb: number; tracksDb: Record<string, number> } {
    return this.graph.levels();
  }

  /**
   * Stops and silences at once; the nodes are disposed a little later, because Tone's clock
   * still holds callbacks (voice stops, one-shot ends) for them and disposing first makes those
   * throw. Disposing the Tone context itself (when the caller made one) clears them too.
   */
  dispose(): void {
    this.stop();
    this.graph.master.limiter.disconnect();
    this.clickOut.disconnect();
    setTimeout(() => {
      this.graph.dispose();
      this.clickOut.dispose();
      this.clicks.down.dispose();
      this.clicks.up.dispose();
      for (const buffer of this.buffers.values()) buffer.dispose();
    }, 3000);
  }

  /** Loads (once) an audio source for the clips that use it. */
  ensureSource(sourceId: string): Promise<void> {
    if (this.buffers.has(sourceId) || !this.loadSource) return Promise.resolve();
    let pending = this.loading.get(sourceId);
    if (!pending) {
      pending = this.loadSource(sourceId).then(
        (pcm) => void this.buffers.set(sourceId, toToneBuffer(this.context, pcm)),
        () => undefined,
      );
      this.loading.set(sourceId, pending);
    }
    return pending;
  }

  private tick(): void {
    const project = this.project;
    const tempoMap = this.tempoMap;
    if (!project || !tempoMap) return;
    const horizonCtx = this.context.currentTime + this.aheadSec;
    // Fell behind (a blocked main thread, an overloaded machine): never write events into the
    // past, skip ahead on the timeline instead, as a dropout would.
    const earliestCtx = this.context.currentTime + 0.005;
    if (this.scheduledCtxSec < earliestCtx) {
      this.scheduledTimelineSec += earliestCtx - this.scheduledCtxSec;
      this.scheduledCtxSec = earliestCtx;
    }
    const loopStartSec = tempoMap.beatToSeconds(project.loop.startBeat);
    const loopEndSec = tempoMap.beatToSeconds(project.loop.endBeat);
    let guard = 0;
    while (this.scheduledCtxSec < horizonCtx && guard < 64) {
      guard += 1;
      const fromTimeline = this.scheduledTimelineSec;
      let toTimeline = fromTimeline + (horizonCtx - this.scheduledCtxSec);
      const wraps = project.loop.enabled && fromTimeline < loopEndSec && toTimeline >= loopEndSec;
      if (wraps) toTimeline = loopEndSec;
      const shift = this.scheduledCtxSec - fromTimeline;
      this.scheduleRange(project, tempoMap, fromTimeline, toTimeline, shift);
      this.scheduledCtxSec += toTimeline - fromTimeline;
      this.scheduledTimelineSec = toTimeline;
      if (wraps) {
        this.scheduledTimelineSec = loopStartSec;
        this.anchors = [...this.anchors.slice(-3), { ctxSec: this.scheduledCtxSec, timelineSec: loopStartSec }];
        for (const track of project.tracks) this.graph.strips.get(track.id)?.scheduleAutomation(track, tempoMap, project.loop.startBeat, (sec) => this.scheduledCtxSec + (sec - loopStartSec));
        this.scheduleAudioAlreadySounding(loopStartSec, this.scheduledCtxSec);
      }
    }
  }

  private scheduleRange(project: Project, tempoMap: TempoMap, fromSec: number, toSec: number, shiftSec: number): void {
    for (const event of noteEventsBetween(project, tempoMap, fromSec, toSec)) {
      this.graph.strips.get(event.trackId)?.instrument?.play(event.pitch, event.velocity, event.startSec + shiftSec, event.durationSec);
    }
    for (const event of audioEventsBetween(project, tempoMap, fromSec, toSec)) this.startAudio(event, shiftSec);
    if (this.metronome) {
      const beats = metronomeBeats(tempoMap.secondsToBeat(fromSec), tempoMap.secondsToBeat(toSec), project.timeSignature.numerator);
      for (const click of beats) this.click(tempoMap.beatToSeconds(click.beat) + shiftSec, click.downbeat);
    }
  }

  private scheduleAudioAlreadySounding(timelineSec: number, ctxSec: number): void {
    if (!this.project || !this.tempoMap) return;
    const sounding = audioEventsBetween(this.project, this.tempoMap, timelineSec, timelineSec, true);
    for (const event of sounding) this.startAudio(event, ctxSec - timelineSec);
  }

  private startAudio(event: Parameters<typeof playAudioEvent>[0], shiftSec: number): void {
    const strip = this.graph.strips.get(event.trackId);
    const buffer = this.buffers.get(event.sourceId);
    if (!strip || !buffer) return;
    const source = playAudioEvent(event, buffer, strip.input, shiftSec);
    this.playingSources.set(source, event.startSec + shiftSec);
    source.onended = () => {
      this.playingSources.delete(source);
      source.dispose();
    };
  }

  private click(ctxSec: number, downbeat: boolean): void {
    const source = new Tone.ToneBufferSource({ url: downbeat ? this.clicks.down : this.clicks.up }).connect(this.clickOut);
    this.playingSources.set(source, ctxSec);
    source.onended = () => {
      this.playingSources.delete(source);
      source.dispose();
    };
    source.start(ctxSec);
  }

  private haltSources(): void {
    const now = this.context.currentTime;
    for (const [source, startSec] of this.playingSources) source.stop(Math.max(now, startSec + 0.001));
    this.playingSources.clear();
    for (const strip of this.graph.strips.values()) strip.instrument?.releaseAll(now);
  }
}
