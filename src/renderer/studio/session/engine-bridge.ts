import type { Project } from '../../../shared/studio';
import type { StudioEngine } from '../engine';
import type { LevelSource } from '../ui/Meter';
import type { Clip } from '../view';
import type { StudioAudio } from './audio';
import { FreeRunningTransport, type StudioTransport } from './clock';

/**
 * The transport and sound of an open project on the Tone.js engine (../engine). Tone is loaded
 * and the AudioContext made only on the first play or note (a user gesture), so opening the
 * studio costs nothing and Chromium never blocks an early AudioContext. Until then — and if the
 * engine cannot start — a free-running clock keeps the playhead honest.
 */
export class EngineTransport implements StudioTransport, StudioAudio {
  private engine: StudioEngine | null = null;
  private loading: Promise<StudioEngine | null> | null = null;
  private readonly fallback = new FreeRunningTransport();
  private project: Project | null = null;
  private metronome = false;
  private readonly listeners = new Set<() => void>();
  private readonly silent: LevelSource = () => null;

  constructor(
    private readonly loadSource: (sourceId: string) => Promise<{ channels: Float32Array[]; sampleRate: number }>,
    private readonly peaks: Map<string, Float32Array>,
    private readonly onProblem: (message: string) => void,
  ) {}

  getBeat(): number {
    return this.engine ? this.engine.positionBeat() : this.fallback.getBeat();
  }

  isPlaying(): boolean {
    return this.engine ? this.engine.playing : this.fallback.isPlaying();
  }

  play(options: { countInBars?: number } = {}): Promise<void> {
    const fromBeat = this.getBeat();
    return this.ready().then((engine) => {
      if (!engine) {
        this.fallback.play(options);
        this.emit();
        return;
      }
      engine.play({ fromBeat, countInBars: options.countInBars ?? 0 });
      this.emit();
    });
  }

  stop(): void {
    if (this.engine) this.engine.stop();
    else this.fallback.stop();
    this.emit();
  }

  seek(beat: number): void {
    if (this.engine) this.engine.seek(beat);
    else this.fallback.seek(beat);
    this.emit();
  }

  setProject(project: Project): void {
    this.project = project;
    this.fallback.setProject(project);
    this.engine?.setProject(project);
  }

  setMetronome(enabled: boolean): void {
    this.metronome = enabled;
    this.engine?.setMetronome(enabled);
  }

  setLatencyMode(mode: 'playback' | 'live'): void {
    this.engine?.setLatencyMode(mode);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  audition(trackId: string | null, pitch: number, velocity: number): void {
    if (!trackId) return;
    void this.ready().then((engine) => {
      if (!engine) return;
      engine.noteOn(trackId, pitch, velocity);
      setTimeout(() => engine.noteOff(trackId, pitch), 220);
    });
  }

  noteOn(trackId: string, pitch: number, velocity: number): void {
    this.engine?.noteOn(trackId, pitch, velocity);
  }

  noteOff(trackId: string, pitch: number): void {
    this.engine?.noteOff(trackId, pitch);
  }

  readonly levelsFor = (trackId: string | 'master'): LevelSource => {
    if (!this.engine) return this.silent;
    return () => {
      if (!this.engine || !this.engine.playing) return null;
      const levels = this.engine.levels();
      const db = trackId === 'master' ? levels.masterDb : (levels.tracksDb[trackId] ?? -Infinity);
      return { leftDb: db, rightDb: db };
    };
  };

  readonly peaksFor = (clip: Clip): Float32Array | null => (clip.kind === 'audio' ? (this.peaks.get(clip.sourceId) ?? null) : null);

  dispose(): void {
    this.engine?.dispose();
    this.engine = null;
    this.listeners.clear();
  }

  private ready(): Promise<StudioEngine | null> {
    if (this.engine) return this.engine.start().then(() => this.engine);
    this.loading ??= import('../engine')
      .then(async (module) => {
        const engine = new module.StudioEngine({ loadSource: this.loadSource });
        if (this.project) engine.setProject(this.project);
        engine.setMetronome(this.metronome);
        engine.seek(this.fallback.getBeat());
        this.fallback.stop();
        await engine.start();
        this.engine = engine;
        return engine;
      })
      .catch((error: unknown) => {
        this.onProblem(`The sound engine could not start: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
    return this.loading;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
