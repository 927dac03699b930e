import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  createQueue,
  currentItem,
  cycleRepeat,
  DEFAULT_TARGET_LUFS,
  DEFAULT_TRUE_PEAK_CEILING_DBTP,
  effectiveCrossfadeSec,
  enqueue,
  fillEqualPowerCurve,
  itemAtPosition,
  jumpToIndex,
  moveItem,
  moveTo,
  nextPosition,
  normalisationGain,
  playableRegion,
  previousPosition,
  removeAt,
  setRepeat,
  setShuffle,
  buildLyricsTimeline,
  NO_LYRICS,
  type LyricsTimeline,
  type NormalisationGain,
  type NormalisationMode,
  type PlayQueue,
  type RepeatMode,
} from '../../../audio-engine/player';
import type { MixdeckClient, TrackDetails, TrackSummary } from '../../../shared/contract';
import { peaksFromAnalysis, peaksFromBuffer, type WaveformPeaks } from './peaks';

/**
 * The library's player: Web Audio, one AudioBufferSourceNode per track ("voice"), each decoded
 * whole with decodeAudioData so the next track can be scheduled sample-accurately at the end of
 * the current one (gapless) or overlapping it (crossfade). Everything is scheduled on the
 * AudioContext's clock; pausing suspends the context, so the schedule survives a pause.
 *
 *   source → fade gain (crossfade curves) → level gain (normalisation) → master (volume) → output
 */

export type PlayerStatus = 'idle' | 'loading' | 'playing' | 'paused' | 'ended';

export interface PlayerSettings {
  /** 0 = gapless joins. */
  crossfadeSec: number;
  normalisation: NormalisationMode;
  targetLufs: number;
  /** Linear master volume, 0–1. */
  volume: number;
}

export const DEFAULT_PLAYER_SETTINGS: PlayerSettings = { crossfadeSec: 0, normalisation: 'track', targetLufs: DEFAULT_TARGET_LUFS, volume: 1 };
export const MAX_CROSSFADE_SEC = 12;

export interface PlayerState {
  status: PlayerStatus;
  queue: PlayQueue<TrackSummary>;
  current: TrackDetails | null;
  /** Length of the music (after the gapless trim) of the current track. */
  durationSec: number;
  peaks: WaveformPeaks | null;
  lyrics: LyricsTimeline;
  gain: NormalisationGain | null;
  settings: PlayerSettings;
  /** A sentence for the player bar when something could not play. */
  error: string | null;
}

interface Voice {
  readonly decoded: Decoded;
  readonly details: TrackDetails;
  readonly position: number;
  readonly source: AudioBufferSourceNode;
  readonly fade: GainNode;
  readonly level: GainNode;
  /** Context time at which the track's music position 0 is (or would have been) heard. */
  readonly originCtx: number;
  readonly startCtx: number;
  readonly endCtx: number;
  readonly durationSec: number;
}

interface Decoded {
  readonly details: TrackDetails;
  readonly buffer: AudioBuffer;
  readonly startSec: number;
  readonly durationSec: number;
}

const SETTINGS_KEY = 'mixdeck.library.player';
/** Time from "now" to the first sample of a freshly started voice, so its start is never in the past. */
const START_LEAD_SEC = 0.05;
const TICK_MS = 40;
const FADE_CURVE_POINTS = 256;
/** Previous restarts the track after this much of it; before, it goes to the previous track. */
const RESTART_THRESHOLD_SEC = 3;

function loadSettings(): PlayerSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<PlayerSettings> | null;
    return { ...DEFAULT_PLAYER_SETTINGS, ...(saved ?? {}) };
  } catch {
    return DEFAULT_PLAYER_SETTINGS;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class LibraryPlayer {
  readonly store: StoreApi<PlayerState>;
  private context: AudioContext | null = null;
  private master: GainNode | null = null;
  private current: Voice | null = null;
  private pending: Voice | null = null;
  /** Bumped by every user action that replaces the schedule, so late decodes are dropped. */
  private generation = 0;
  private readonly decoded = new Map<number, Promise<Decoded>>();
  private ticker: ReturnType<typeof setInterval> | null = null;
  private readonly fadeInCurve = new Float32Array(FADE_CURVE_POINTS);
  private readonly fadeOutCurve = new Float32Array(FADE_CURVE_POINTS);

  constructor(private readonly client: MixdeckClient) {
    fillEqualPowerCurve(this.fadeInCurve, 'in', 1);
    fillEqualPowerCurve(this.fadeOutCurve, 'out', 1);
    this.store = createStore<PlayerState>(() => ({
      status: 'idle',
      queue: createQueue<TrackSummary>([], 0),
      current: null,
      durationSec: 0,
      peaks: null,
      lyrics: NO_LYRICS,
      gain: null,
      settings: loadSettings(),
      error: null,
    }));
  }

  // ---------- what the UI calls ----------

  /** Replaces the queue with `tracks` and plays from `startIndex`. */
  async playTracks(tracks: readonly TrackSummary[], startIndex: number): Promise<void> {
    const { queue } = this.store.getState();
    const fresh = createQueue(tracks, startIndex, { shuffle: queue.shuffle, repeat: queue.repeat });
    this.store.setState({ queue: fresh });
    await this.startPosition(fresh.position, 0);
  }

  async togglePlay(): Promise<void> {
    const { status, queue } = this.store.getState();
    if (status === 'playing') return this.pause();
    if (status === 'paused') return this.resume();
    if (queue.items.length > 0) await this.startPosition(Math.max(0, queue.position), 0);
  }

  async pause(): Promise<void> {
    if (!this.context || this.store.getState().status !== 'playing') return;
    this.store.setState({ status: 'paused' });
    await this.context.suspend();
  }

  async resume(): Promise<void> {
    if (!this.context || this.store.getState().status !== 'paused') return;
    await this.context.resume();
    this.store.setState({ status: 'playing' });
  }

  async next(): Promise<void> {
    const { queue } = this.store.getState();
    const position = nextPosition(queue, false);
    if (position === null) return;
    this.recordHistory('skipped');
    await this.startPosition(position, 0);
  }

  async previous(): Promise<void> {
    const { queue } = this.store.getState();
    if (this.positionSec() > RESTART_THRESHOLD_SEC || previousPosition(queue) === null) {
      await this.seek(0);
      return;
    }
    this.recordHistory('skipped');
    await this.startPosition(previousPosition(queue)!, 0);
  }

  async seek(positionSec: number): Promise<void> {
    const { queue, durationSec } = this.store.getState();
    if (queue.position < 0 || !this.current) return;
    const clamped = Math.min(Math.max(0, positionSec), Math.max(0, durationSec - 0.05));
    await this.startPosition(queue.position, clamped, this.store.getState().status === 'paused');
  }

  async playQueueIndex(itemIndex: number): Promise<void> {
    const queue = jumpToIndex(this.store.getState().queue, itemIndex);
    this.store.setState({ queue });
    await this.startPosition(queue.position, 0);
  }

  /** Adds tracks after the current one or at the end; starts playing if nothing was. */
  enqueue(tracks: readonly TrackSummary[], where: 'next' | 'end'): void {
    const before = this.store.getState();
    const queue = enqueue(before.queue, tracks, where);
    this.store.setState({ queue });
    if (before.queue.items.length === 0) void this.startPosition(queue.position, 0);
    else this.rescheduleNext();
  }

  removeFromQueue(itemIndex: number): void {
    const before = this.store.getState().queue;
    const wasCurrent = before.order[before.position] === itemIndex;
    const queue = removeAt(before, itemIndex);
    this.store.setState({ queue });
    if (wasCurrent) {
      if (queue.items.length === 0) this.stop();
      else void this.startPosition(queue.position, 0);
    } else {
      this.rescheduleNext();
    }
  }

  moveInQueue(fromIndex: number, toIndex: number): void {
    this.store.setState({ queue: moveItem(this.store.getState().queue, fromIndex, toIndex) });
    this.rescheduleNext();
  }

  toggleShuffle(): void {
    const { queue } = this.store.getState();
    this.store.setState({ queue: setShuffle(queue, !queue.shuffle) });
    this.rescheduleNext();
  }

  cycleRepeat(): void {
    const { queue } = this.store.getState();
    this.setRepeat(cycleRepeat(queue.repeat));
  }

  setRepeat(mode: RepeatMode): void {
    this.store.setState({ queue: setRepeat(this.store.getState().queue, mode) });
    this.rescheduleNext();
  }

  updateSettings(patch: Partial<PlayerSettings>): void {
    const settings = { ...this.store.getState().settings, ...patch };
    settings.crossfadeSec = Math.min(MAX_CROSSFADE_SEC, Math.max(0, settings.crossfadeSec));
    settings.volume = Math.min(1, Math.max(0, settings.volume));
    this.store.setState({ settings });
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    } catch {
      // Private windows may refuse storage; the setting still applies to this session.
    }
    if (this.master && this.context) this.master.gain.setTargetAtTime(settings.volume, this.context.currentTime, 0.02);
    if (this.current && this.context) {
      const gain = this.gainFor(this.current.details);
      this.current.level.gain.setTargetAtTime(gain.linearGain, this.context.currentTime, 0.05);
      this.store.setState({ gain });
    }
    if (patch.crossfadeSec !== undefined || patch.normalisation !== undefined || patch.targetLufs !== undefined) this.rescheduleNext();
  }

  /** Where the current track is, in seconds of music; read by the UI each animation frame. */
  positionSec(): number {
    if (!this.context || !this.current) return 0;
    const voice = this.pendingHasStarted() ? this.pending! : this.current;
    return Math.min(voice.durationSec, Math.max(0, this.context.currentTime - voice.originCtx));
  }

  /**
   * The player's output (after its volume) and its context, for a tap such as the broadcast's
   * "Mixdeck's player" source. Makes the context if nothing has played yet.
   */
  outputForTap(): { context: AudioContext; output: AudioNode } {
    const context = this.ensureContext();
    return { context, output: this.master! };
  }

  dispose(): void {
    this.stop();
    void this.context?.close();
    this.context = null;
  }

  // ---------- scheduling ----------

  private ensureContext(): AudioContext {
    if (!this.context) {
      this.context = new AudioContext({ latencyHint: 'playback' });
      this.master = this.context.createGain();
      this.master.gain.value = this.store.getState().settings.volume;
      this.master.connect(this.context.destination);
    }
    return this.context;
  }

  private gainFor(details: TrackDetails): NormalisationGain {
    const { settings } = this.store.getState();
    return normalisationGain(
      {
        lufs: details.lufs,
        truePeakDbtp: details.truePeakDbtp,
        replayGainTrackGainDb: details.replayGain.trackGainDb,
        replayGainTrackPeak: details.replayGain.trackPeak,
        replayGainAlbumGainDb: details.replayGain.albumGainDb,
        replayGainAlbumPeak: details.replayGain.albumPeak,
        albumLufs: details.albumLufs,
      },
      { mode: settings.normalisation, targetLufs: settings.targetLufs, truePeakCeilingDbtp: DEFAULT_TRUE_PEAK_CEILING_DBTP },
    );
  }

  private decode(track: TrackSummary): Promise<Decoded> {
    const known = this.decoded.get(track.id);
    if (known) return known;
    const context = this.ensureContext();
    const loading = (async (): Promise<Decoded> => {
      const details = await this.client.call('library.track', { id: track.id });
      const response = await fetch(details.audioUrl);
      if (!response.ok) throw new Error(`the library refused the file (HTTP ${response.status})`);
      const buffer = await context.decodeAudioData(await response.arrayBuffer());
      const region = playableRegion(buffer.length, buffer.sampleRate, {
        encoderDelaySamples: details.encoderDelaySamples,
        encoderPaddingSamples: details.encoderPaddingSamples,
        fileSampleRate: details.sampleRate,
        durationSec: details.durationSec,
      });
      return { details, buffer, startSec: region.startSec, durationSec: region.durationSec };
    })();
    this.decoded.set(track.id, loading);
    loading.catch(() => this.decoded.delete(track.id));
    return loading;
  }

  /** Keeps decoded audio only for the tracks playing, scheduled and next: a song is ~50 MB of floats. */
  private trimDecodeCache(): void {
    const { queue } = this.store.getState();
    const keep = new Set<number>();
    const add = (track: TrackSummary | null): void => {
      if (track) keep.add(track.id);
    };
    add(currentItem(queue));
    add(itemAtPosition(queue, nextPosition(queue, true)));
    if (this.current) keep.add(this.current.details.id);
    if (this.pending) keep.add(this.pending.details.id);
    for (const id of [...this.decoded.keys()]) if (!keep.has(id)) this.decoded.delete(id);
  }

  private makeVoice(decoded: Decoded, position: number, startCtx: number, offsetSec: number, fadeInSec: number): Voice {
    const context = this.ensureContext();
    const source = context.createBufferSource();
    source.buffer = decoded.buffer;
    const fade = context.createGain();
    const level = context.createGain();
    level.gain.value = this.gainFor(decoded.details).linearGain;
    if (fadeInSec > 0) {
      fade.gain.value = 0;
      fade.gain.setValueCurveAtTime(this.fadeInCurve, startCtx, fadeInSec);
    }
    source.connect(fade).connect(level).connect(this.master!);
    const playSec = Math.max(0, decoded.durationSec - offsetSec);
    source.start(startCtx, decoded.startSec + offsetSec, playSec);
    return {
      decoded,
      details: decoded.details,
      position,
      source,
      fade,
      level,
      originCtx: startCtx - offsetSec,
      startCtx,
      endCtx: startCtx + playSec,
      durationSec: decoded.durationSec,
    };
  }

  private static silence(voice: Voice | null): void {
    if (!voice) return;
    try {
      voice.source.stop();
    } catch {
      // Never started: nothing to stop.
    }
    voice.source.disconnect();
    voice.level.disconnect();
  }

  private stop(): void {
    this.generation += 1;
    LibraryPlayer.silence(this.current);
    LibraryPlayer.silence(this.pending);
    this.current = null;
    this.pending = null;
    this.stopTicker();
    this.store.setState({ status: 'idle', current: null, peaks: null, lyrics: NO_LYRICS, durationSec: 0 });
    this.announce(null);
  }

  /** Starts the queue's `position` at `offsetSec`; `stayPaused` (a seek while paused) schedules it but keeps the clock stopped. */
  private async startPosition(position: number, offsetSec: number, stayPaused = false): Promise<void> {
    const state = this.store.getState();
    const track = itemAtPosition(state.queue, position);
    if (!track) return;
    const generation = ++this.generation;
    const context = this.ensureContext();
    const sameTrack = this.current?.details.id === track.id;
    LibraryPlayer.silence(this.current);
    LibraryPlayer.silence(this.pending);
    this.current = null;
    this.pending = null;
    this.store.setState({ queue: moveTo(state.queue, position), status: 'loading', error: null });
    if (context.state === 'suspended' && !stayPaused) await context.resume();
    let decoded: Decoded;
    try {
      decoded = await this.decode(track);
    } catch (error) {
      if (generation !== this.generation) return;
      this.store.setState({ status: 'idle', error: `Could not play “${track.title || track.path}”: ${describeError(error)}.` });
      return;
    }
    if (generation !== this.generation) return;
    this.current = this.makeVoice(decoded, position, context.currentTime + START_LEAD_SEC, offsetSec, 0);
    this.showCurrent(decoded, !sameTrack);
    this.startTicker();
    if (stayPaused) {
      await context.suspend();
      if (generation !== this.generation) return;
      this.store.setState({ status: 'paused' });
    } else {
      this.store.setState({ status: 'playing' });
    }
    this.trimDecodeCache();
    void this.scheduleNext(generation);
  }

  private showCurrent(decoded: Decoded, newTrack: boolean): void {
    const { details } = decoded;
    this.store.setState({
      current: details,
      durationSec: decoded.durationSec,
      gain: this.gainFor(details),
      peaks: details.waveform ? peaksFromAnalysis(details.waveform) : peaksFromBuffer(decoded.buffer, decoded.startSec, decoded.durationSec),
      lyrics: buildLyricsTimeline(details.syncedLyrics, details.lyrics),
    });
    if (newTrack) this.announce(details.id);
  }

  /** Decodes the track after the current one and schedules it at the current one's end (minus the crossfade). */
  private async scheduleNext(generation: number): Promise<void> {
    const current = this.current;
    if (!current) return;
    const { queue } = this.store.getState();
    const position = nextPosition(queue, true);
    const track = itemAtPosition(queue, position);
    if (position === null || !track) return;
    let decoded: Decoded;
    try {
      decoded = await this.decode(track);
    } catch {
      return; // Reported when (if) the player reaches it.
    }
    if (generation !== this.generation || this.current !== current || this.pending) return;
    const context = this.ensureContext();
    const { settings } = this.store.getState();
    const fadeSec = effectiveCrossfadeSec(settings.crossfadeSec, current.durationSec, decoded.durationSec);
    const startCtx = Math.max(current.endCtx - fadeSec, context.currentTime + START_LEAD_SEC);
    const overlapSec = Math.max(0, current.endCtx - startCtx);
    current.fade.gain.cancelScheduledValues(0);
    current.fade.gain.setValueAtTime(1, context.currentTime);
    if (overlapSec > 0) current.fade.gain.setValueCurveAtTime(this.fadeOutCurve, startCtx, overlapSec);
    this.pending = this.makeVoice(decoded, position, startCtx, 0, overlapSec);
  }

  /** After a change to the queue or the crossfade, the track scheduled next may no longer be right. */
  private rescheduleNext(): void {
    if (!this.current || this.pendingHasStarted()) return;
    LibraryPlayer.silence(this.pending);
    this.pending = null;
    if (this.current && this.context) {
      this.current.fade.gain.cancelScheduledValues(0);
      this.current.fade.gain.setValueAtTime(1, this.context.currentTime);
    }
    this.trimDecodeCache();
    void this.scheduleNext(this.generation);
  }

  private pendingHasStarted(): boolean {
    return !!this.pending && !!this.context && this.context.currentTime >= this.pending.startCtx;
  }

  private startTicker(): void {
    if (this.ticker === null) this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  private stopTicker(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Follows the schedule: promotes the next voice once it is heard, notices the end of the queue. */
  private tick(): void {
    const context = this.context;
    if (!context || !this.current) return;
    if (this.pending && context.currentTime >= this.pending.startCtx) {
      const finished = this.current;
      const next = this.pending;
      this.recordHistory('played', finished);
      // The outgoing voice keeps fading out on its own; it stops itself at its end.
      this.current = next;
      this.pending = null;
      const { queue } = this.store.getState();
      this.store.setState({ queue: moveTo(queue, next.position) });
      this.showCurrent(next.decoded, true);
      this.trimDecodeCache();
      void this.scheduleNext(this.generation);
      return;
    }
    if (!this.pending && context.currentTime >= this.current.endCtx) {
      this.recordHistory('played', this.current);
      this.stopTicker();
      this.store.setState({ status: 'ended' });
      this.announce(null);
    }
  }

  // ---------- telling main ----------

  private recordHistory(outcome: 'played' | 'skipped', voice: Voice | null = this.current): void {
    if (!voice || !this.context) return;
    const playedSec = Math.min(voice.durationSec, Math.max(0, this.context.currentTime - voice.originCtx));
    this.client
      .call('library.history.record', { trackId: voice.details.id, outcome, playedSec: Math.round(playedSec * 10) / 10 })
      .catch(() => undefined);
  }

  private announce(trackId: number | null): void {
    this.client.call('library.nowPlaying', { trackId }).catch(() => undefined);
  }
}
