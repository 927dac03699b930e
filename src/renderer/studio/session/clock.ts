import type { Project } from '../../../shared/studio';
import type { PlayheadClock } from '../ui/presence';

/**
 * The transport as the editors see it. The Tone.js engine (../engine) drives it when it is
 * loaded; until then (or where audio cannot start) this clock keeps time on its own, so the
 * playhead, the position display and presence still work.
 */
export interface StudioTransport extends PlayheadClock {
  /** Starts playing; `countInBars` clicks that many bars first (for recording). Resolves once started. */
  play(options?: { countInBars?: number }): Promise<void> | void;
  stop(): void;
  seek(beat: number): void;
  /** Called on every change of the project: tempo, loop, and for the engine everything it plays. */
  setProject(project: Project): void;
  setMetronome(enabled: boolean): void;
  /** 'live' while recording, so what is played in is heard at once. */
  setLatencyMode(mode: 'playback' | 'live'): void;
  subscribe(listener: () => void): () => void;
}

export class FreeRunningTransport implements StudioTransport {
  private playing = false;
  private startedAtMs = 0;
  private startBeat = 0;
  private tempoBpm = 120;
  private loop = { enabled: false, startBeat: 0, endBeat: 16 };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  getBeat(): number {
    if (!this.playing) return this.startBeat;
    const beat = this.startBeat + ((this.now() - this.startedAtMs) / 60000) * this.tempoBpm;
    const { enabled, startBeat, endBeat } = this.loop;
    if (enabled && endBeat > startBeat && this.startBeat < endBeat && beat >= endBeat) {
      return startBeat + ((beat - startBeat) % (endBeat - startBeat));
    }
    return beat;
  }

  isPlaying(): boolean {
    return this.playing;
  }

  play(options: { countInBars?: number } = {}): void {
    if (this.playing) return;
    // Without the engine there is no click to hear: a count-in just starts earlier.
    if (options.countInBars) this.startBeat = Math.max(0, this.startBeat - options.countInBars * 4);
    this.startedAtMs = this.now();
    this.playing = true;
    this.emit();
  }

  stop(): void {
    if (!this.playing) return;
    this.startBeat = this.getBeat();
    this.playing = false;
    this.emit();
  }

  seek(beat: number): void {
    this.startBeat = Math.max(0, beat);
    this.startedAtMs = this.now();
    this.emit();
  }

  setProject(project: Project): void {
    this.setTempo(project.tempoBpm);
    const { enabled, startBeat, endBeat } = project.loop;
    if (enabled !== this.loop.enabled || startBeat !== this.loop.startBeat || endBeat !== this.loop.endBeat) this.setLoop(project.loop);
  }

  setMetronome(): void {
    // Nothing to click without the engine.
  }

  setLatencyMode(): void {
    // No look-ahead to change without the engine.
  }

  setTempo(tempoBpm: number): void {
    if (tempoBpm === this.tempoBpm) return;
    // Keep the position: the new tempo counts from here.
    this.startBeat = this.getBeat();
    this.startedAtMs = this.now();
    this.tempoBpm = tempoBpm;
  }

  setLoop(loop: { enabled: boolean; startBeat: number; endBeat: number }): void {
    this.startBeat = this.getBeat();
    this.startedAtMs = this.now();
    this.loop = { ...loop };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
