import * as Y from 'yjs';
import type { MixdeckClient } from '../../shared/contract';
import { StudioProject } from '../../shared/studio';
import { createStudioUiStore, type StudioUiStore } from './ui-store';
import { EngineTransport } from './session/engine-bridge';
import type { CollabUser } from './session/collab';
import { ProjectSession } from './session/project-session';
import { MainProjectStorage, base64ToBytes, bytesToBase64, type ProjectStorage, type ProjectSummary } from './session/storage';
import { StudioRecorder } from './recording/recorder';
import { gridBeats } from './ui/timeline';
import { encodeWav } from '../../audio-engine/studio/wav';
import { waveformPeaks } from './recording/wav';

/** 512 KiB of audio per message: under the contract's 700,000 base64 characters a piece. */
const TAKE_CHUNK_BYTES = 512 * 1024;

type DroppedAudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg' | 'opus' | 'm4a' | 'aiff';
const DROPPED_AUDIO_FORMATS: Record<string, DroppedAudioFormat> = { wav: 'wav', mp3: 'mp3', flac: 'flac', ogg: 'ogg', oga: 'ogg', opus: 'opus', m4a: 'm4a', aac: 'm4a', aif: 'aiff', aiff: 'aiff' };

function droppedAudioFormat(fileName: string): DroppedAudioFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return (extension && DROPPED_AUDIO_FORMATS[extension]) || null;
}

type Notify = (level: 'info' | 'warning' | 'error', message: string) => void;

export interface OpenProject {
  readonly session: ProjectSession;
  readonly ui: StudioUiStore;
  /** The engine behind the session's transport: sound, meters, waveforms. */
  readonly audio: EngineTransport;
}

/**
 * The studio's page-wide state: storage, the open project, the recorder and the sound. It
 * outlives the Studio area's component, so switching to the Library and back keeps the
 * project open, playing and connected.
 */
export class StudioRuntime {
  readonly storage: ProjectStorage;
  readonly recorder: StudioRecorder;
  readonly peaks = new Map<string, Float32Array>();
  readonly takes = new Map<string, AudioBuffer>();
  private current: OpenProject | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly client: MixdeckClient,
    private notify: Notify,
    storage?: ProjectStorage,
  ) {
    this.storage = storage ?? new MainProjectStorage(client);
    this.recorder = new StudioRecorder({
      session: () => this.current?.session ?? null,
      notify: (level, message) => this.notify(level, message),
      recordQuantizeBeats: () => {
        const open = this.current;
        if (!open) return 0;
        const state = open.ui.getState();
        return state.snap ? gridBeats(state.grid, open.session.project.read().timeSignature) : 0;
      },
      peaks: this.peaks,
      takes: this.takes,
      saveTake: (_name, channels, sampleRate) => this.saveTake(channels, sampleRate),
      audio: () => this.current?.audio ?? null,
    });
  }

  /** Sends a recorded take to main, so it is kept with the project. */
  private saveTake(channels: Float32Array[], sampleRate: number): Promise<string> {
    return this.keepAudio(encodeWav(channels, sampleRate, 16), 'wav');
  }

  /** Sends audio bytes to main in order, piece by piece, into the project's folder; answers the source id. */
  private async keepAudio(bytes: Uint8Array, format: DroppedAudioFormat): Promise<string> {
    const projectId = this.current?.session.id;
    if (!projectId) throw new Error('no project is open');
    const takeId = crypto.randomUUID();
    for (let offset = 0; offset < bytes.byteLength; offset += TAKE_CHUNK_BYTES) {
      const piece = bytes.subarray(offset, Math.min(bytes.byteLength, offset + TAKE_CHUNK_BYTES));
      await this.client.call('studio.appendTake', { projectId, takeId, offsetBytes: offset, dataBase64: bytesToBase64(piece) });
    }
    return (await this.client.call('studio.finishTake', { projectId, takeId, format })).sourceId;
  }

  /**
   * Audio files dropped on the arrangement: each is kept with the project and placed as a clip
   * at the drop point, on the audio track under it or on a new audio track. One undo step each.
   */
  async importAudioFiles(files: readonly File[], trackId: string | null, startBeat: number): Promise<void> {
    const open = this.current;
    if (!open) return;
    let targetTrackId = trackId && open.session.project.read().tracks.some((track) => track.id === trackId && track.kind === 'audio') ? trackId : null;
    for (const file of files) {
      const format = droppedAudioFormat(file.name);
      if (!format) {
        this.notify('error', `${file.name} is not an audio file Mixdeck imports (WAV, MP3, FLAC, Ogg, Opus, M4A, AIFF).`);
        continue;
      }
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const context = new OfflineAudioContext(1, 1, 48_000);
        // decodeAudioData detaches the buffer it is given: decode a copy, send the original.
        const buffer = await context.decodeAudioData(bytes.slice().buffer);
        const sourceId = await this.keepAudio(bytes, format);
        const channels = Array.from({ length: buffer.numberOfChannels }, (_, index) => buffer.getChannelData(index));
        this.takes.set(sourceId, buffer);
        this.peaks.set(sourceId, waveformPeaks(channels[0] ?? new Float32Array(0), 1024));
        const project = open.session.project;
        const name = file.name.replace(/\.[^.]+$/, '');
        project.stopCapturing();
        project.transact(() => {
          targetTrackId ??= project.addTrack({ kind: 'audio', name });
          const data = project.read();
          const tempoBpm = [...data.tempoChanges].reverse().find((change) => change.beat <= startBeat)?.tempoBpm ?? data.tempoBpm;
          project.addAudioClip({ trackId: targetTrackId, startBeat, lengthBeats: (buffer.duration * tempoBpm) / 60, sourceId, name });
        });
      } catch (error) {
        this.notify('error', `${file.name} could not be imported: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  setNotify(notify: Notify): void {
    this.notify = notify;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getOpen = (): OpenProject | null => this.current;

  async create(name: string): Promise<void> {
    // The first state is made here and handed to main, so the saved project and the open one
    // start from the same Yjs history (two independent first states would fight over fields).
    const first = StudioProject.create({ name });
    const initialState = first.encode();
    first.destroy();
    const summary = await this.storage.create(name, initialState);
    const audio = this.makeAudio();
    this.show(new ProjectSession(summary, initialState, this.storage, (level, message) => this.notify(level, message), audio), audio);
    await this.current?.session.saveNow();
  }

  /** Opens a saved project; one that was shared reconnects to its room. */
  async open(summary: ProjectSummary, user: CollabUser): Promise<void> {
    const state = await this.storage.load(summary.id);
    const audio = this.makeAudio();
    const session = new ProjectSession(summary, state, this.storage, (level, message) => this.notify(level, message), audio);
    this.show(session, audio);
    if (summary.room) {
      const problem = session.share(summary.room.serverUrl, summary.room.room, user);
      if (problem) this.notify('warning', `This project was shared, but ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}`);
    }
  }

  /** A project someone shared: a new local copy that fills from the room. */
  async join(serverUrl: string, room: string, user: CollabUser): Promise<void> {
    // An empty first state: everything, the name included, comes from the room.
    const summary = await this.storage.create(`Shared · ${room}`, Y.encodeStateAsUpdate(new Y.Doc()));
    const audio = this.makeAudio();
    const session = new ProjectSession(summary, null, this.storage, (level, message) => this.notify(level, message), audio, { joining: true });
    const problem = session.share(serverUrl, room, user);
    if (problem) {
      session.destroy();
      audio.dispose();
      this.notify('error', problem.message);
      return;
    }
    this.show(session, audio);
  }

  close(): void {
    if (this.recorder.isRecording()) void this.recorder.stop();
    this.current?.session.destroy();
    this.current?.audio.dispose();
    this.current = null;
    this.emit();
  }

  private makeAudio(): EngineTransport {
    return new EngineTransport((sourceId) => this.loadSource(sourceId), this.peaks, (message) => this.notify('warning', message));
  }

  /** Takes recorded in this page first; other sources (library tracks, files) are decoded by main. */
  private async loadSource(sourceId: string): Promise<{ channels: Float32Array[]; sampleRate: number }> {
    const take = this.takes.get(sourceId);
    if (take) return { channels: Array.from({ length: take.numberOfChannels }, (_, index) => take.getChannelData(index)), sampleRate: take.sampleRate };
    const pcm = await this.client.call('studio.readSource', { sourceId });
    const channels = pcm.channelsBase64.map((base64) => {
      const bytes = base64ToBytes(base64);
      return new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
    });
    if (channels[0] && !this.peaks.has(sourceId)) this.peaks.set(sourceId, waveformPeaks(channels[0], 1024));
    return { channels, sampleRate: pcm.sampleRate };
  }

  private show(session: ProjectSession, audio: EngineTransport): void {
    this.current?.session.destroy();
    this.current?.audio.dispose();
    const ui = createStudioUiStore();
    const first = session.project.read().tracks[0];
    if (first) ui.getState().set({ selectedTrackId: first.id });
    this.current = { session, ui, audio };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

let runtime: StudioRuntime | null = null;

declare global {
  interface Window {
    /** Set by a test (before the page loads) to get `__mixdeckStudio`. Never set in the app. */
    __mixdeckTestHooks?: boolean;
    __mixdeckStudio?: StudioTestHooks;
  }
}

/** What a browser test may read and do; exposed only when `__mixdeckTestHooks` was set first. */
export interface StudioTestHooks {
  readonly runtime: StudioRuntime;
  docJson(): string | null;
  project(): unknown;
  feedMidi(data: number[], timeStampMs?: number): void;
}

export function getStudioRuntime(client: MixdeckClient, notify: Notify): StudioRuntime {
  if (runtime && runtime.client === client) {
    runtime.setNotify(notify);
    return runtime;
  }
  runtime = new StudioRuntime(client, notify);
  if (window.__mixdeckTestHooks === true) {
    const current = runtime;
    window.__mixdeckStudio = {
      runtime: current,
      docJson: () => current.getOpen()?.session.docJson() ?? null,
      project: () => current.getOpen()?.session.project.read() ?? null,
      feedMidi: (data, timeStampMs) => current.recorder.handleMidiMessage(data, timeStampMs ?? performance.now()),
    };
  }
  return runtime;
}
