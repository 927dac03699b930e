import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  MixdeckError,
  type BroadcastAudioInputConfig,
  type BroadcastBandwidth,
  type BroadcastLevels,
  type BroadcastNowPlaying,
  type BroadcastPlatform,
  type BroadcastPlatformPreset,
  type BroadcastProfileOverrides,
  type BroadcastSetStateInfo,
  type BroadcastStatusSnapshot,
  type BroadcastTarget,
  type BroadcastTargetStatus,
  type BroadcastTempo,
  type MixdeckClient,
} from '../../shared/contract';
import { libraryRuntime } from '../library/runtime';
import { LiveScene, type LiveSceneState } from './live-scene';
import { PlayerTap } from './player-tap';

/** Seconds of per-target bitrate kept for the sparklines and the health graph. */
export const HISTORY_SEC = 60;

export interface TracklistEntry {
  setElapsedSec: number;
  text: string;
}

export interface FormProblem {
  path: string;
  message: string;
}

export interface HealthSample {
  /** Sum of what reached every server, kbps. */
  totalKbps: number;
  /** Encoder speed (1 = real time); the slowest encode. */
  speed: number;
  /** Dropped frames over all targets and encodes, cumulative. */
  droppedFrames: number;
  liveTargets: number;
}

export interface NewTarget {
  platform: BroadcastPlatform;
  name?: string;
  server?: string;
  streamKey?: string;
  overrides?: BroadcastProfileOverrides;
}

export interface TargetEdit {
  name?: string;
  /** null: the preset's default server. */
  server?: string | null;
  /** Omitted keeps the saved key. */
  streamKey?: string;
  /** Replaces every override ({} = the preset as is). */
  overrides?: BroadcastProfileOverrides;
}

export interface BroadcastState {
  loaded: boolean;
  loadError: string | null;
  presets: readonly BroadcastPlatformPreset[];
  targets: readonly BroadcastTarget[];
  statuses: Readonly<Record<string, BroadcastTargetStatus>>;
  /** Last HISTORY_SEC bitrate readings per target, oldest first. */
  bitrateHistory: Readonly<Record<string, readonly number[]>>;
  health: readonly HealthSample[];
  set: BroadcastSetStateInfo | null;
  levels: BroadcastLevels | null;
  tempo: BroadcastTempo;
  nowPlaying: BroadcastNowPlaying | null;
  tracklist: readonly TracklistEntry[];
  /** Lines the DJ pasted to pick from during the set. */
  plannedTracks: readonly string[];
  bandwidth: BroadcastBandwidth | null;
  audioInput: BroadcastAudioInputConfig | null;
  scene: LiveSceneState;
  /** The last thing main refused, in its words; shown in the dashboard's alert line. */
  error: string | null;
  busy: 'going-live' | 'ending' | 'remedy' | null;
  /** Where the last set's recording went (after End). */
  lastRecording: string | null;

  start(): () => void;
  refresh(): Promise<void>;
  addTarget(target: NewTarget): Promise<{ ok: true; target: BroadcastTarget } | { ok: false; message: string; problems: FormProblem[] }>;
  updateTarget(id: string, patch: { enabled?: boolean; streamKey?: string | null; name?: string }): Promise<boolean>;
  /** Saves a target's new settings; one on air (`restartOnAir`) is restarted with them, the others untouched. */
  editTarget(id: string, patch: TargetEdit, restartOnAir: boolean): Promise<{ ok: true; target: BroadcastTarget } | { ok: false; message: string; problems: FormProblem[] }>;
  removeTarget(id: string): Promise<boolean>;
  setTargetLive(id: string, live: boolean): Promise<boolean>;
  goLive(): Promise<boolean>;
  endSet(): Promise<boolean>;
  /** With the DJ's consent: the overloaded encode's suggested remedy, applied without ending the set. */
  applyRemedy(encodeId: string): Promise<boolean>;
  setNowPlaying(text: string, source: 'typed' | 'tracklist'): Promise<boolean>;
  /** A track picked from the library: artist and title kept apart for the tracklist and CUE sheet. */
  setNowPlayingTrack(track: { artist: string; title: string }): Promise<boolean>;
  setPlannedTracks(lines: readonly string[]): void;
  setUploadBandwidth(uploadKbps: number | null): Promise<boolean>;
  setAudioInput(patch: Partial<BroadcastAudioInputConfig>): Promise<boolean>;
  clearError(): void;
  readonly liveScene: LiveScene;
}

export type BroadcastStore = StoreApi<BroadcastState>;

export function describeError(error: unknown): { message: string; problems: FormProblem[] } {
  if (error instanceof MixdeckError) return { message: error.message, problems: error.issues ?? [] };
  if (error instanceof Error && error.message) return { message: error.message, problems: [] };
  return { message: 'Something went wrong.', problems: [] };
}

function appendCapped<T>(list: readonly T[], value: T, cap: number): T[] {
  const next = list.length >= cap ? list.slice(list.length - cap + 1) : list.slice();
  next.push(value);
  return next;
}

export function createBroadcastStore(client: MixdeckClient): BroadcastStore {
  const liveScene = new LiveScene(client);
  // The library player's sound goes to main while it is the chosen source (main drops it when no set or preview uses it).
  let playerTap: PlayerTap | null = null;
  const followAudioSource = (audioInput: BroadcastAudioInputConfig | null): void => {
    if (audioInput?.source === 'player') {
      playerTap ??= new PlayerTap(client, libraryRuntime(client).player);
      void playerTap.start().catch(() => undefined);
    } else {
      playerTap?.stop();
    }
  };

  return createStore<BroadcastState>()((set, get) => {
    const fail = (error: unknown): false => {
      set({ error: describeError(error).message });
      return false;
    };

    const acceptSnapshot = (snapshot: BroadcastStatusSnapshot): void => {
      set({
        set: snapshot.set,
        statuses: Object.fromEntries(snapshot.targets.map((status) => [status.id, status])),
        nowPlaying: snapshot.nowPlaying,
        tracklist: snapshot.tracklist,
        tempo: snapshot.tempo,
        bandwidth: snapshot.bandwidth,
      });
      liveScene.setTempo(snapshot.tempo.tempoBpm);
      liveScene.setNowPlaying(snapshot.nowPlaying?.text ?? '');
    };

    const acceptTargetStatus = (targets: readonly BroadcastTargetStatus[]): void => {
      const state = get();
      const statuses = Object.fromEntries(targets.map((status) => [status.id, status]));
      const bitrateHistory: Record<string, readonly number[]> = {};
      for (const status of targets) {
        bitrateHistory[status.id] = appendCapped(state.bitrateHistory[status.id] ?? [], status.bitrateKbps, HISTORY_SEC);
      }
      const encodes = state.set?.encodes ?? [];
      const sample: HealthSample = {
        totalKbps: targets.reduce((sum, status) => sum + status.bitrateKbps, 0),
        speed: encodes.length ? Math.min(...encodes.map((encode) => encode.speed)) : 0,
        droppedFrames:
          targets.reduce((sum, status) => sum + status.droppedFrames, 0) + encodes.reduce((sum, encode) => sum + encode.droppedFrames, 0),
        liveTargets: targets.filter((status) => status.state === 'live').length,
      };
      const setRunning = state.set !== null && state.set.state !== 'idle';
      set({ statuses, bitrateHistory, health: setRunning ? appendCapped(state.health, sample, HISTORY_SEC) : state.health });
    };

    return {
      loaded: false,
      loadError: null,
      presets: [],
      targets: [],
      statuses: {},
      bitrateHistory: {},
      health: [],
      set: null,
      levels: null,
      tempo: { tempoBpm: null, confidence: 0 },
      nowPlaying: null,
      tracklist: [],
      plannedTracks: [],
      bandwidth: null,
      audioInput: null,
      scene: liveScene.state,
      error: null,
      busy: null,
      lastRecording: null,
      liveScene,

      start() {
        const stopScene = liveScene.onDidChange((scene) => set({ scene }));
        const unsubscribe = [
          client.on('broadcast.targetStatus', ({ targets }) => acceptTargetStatus(targets)),
          client.on('broadcast.setState', (info) => {
            set({ set: info });
            liveScene.followSet(info.state);
          }),
          client.on('broadcast.levels', (levels) => {
            set({ levels });
            liveScene.pushLevels(levels);
          }),
          // The scene's visualizer: main's spectrum of the streamed sound (not kept in the store: 20 a second).
          client.on('broadcast.spectrum', (spectrum) => liveScene.pushSpectrum(spectrum)),
          client.on('broadcast.tempo', (tempo) => {
            set({ tempo });
            liveScene.setTempo(tempo.tempoBpm);
          }),
          client.on('broadcast.nowPlaying', ({ nowPlaying, tracklist }) => {
            set({ nowPlaying, tracklist });
            liveScene.setNowPlaying(nowPlaying?.text ?? '');
          }),
          client.on('broadcast.targetsChanged', ({ targets }) => set({ targets })),
          client.onConnectionChange((connection) => {
            if (connection === 'connected') void get().refresh();
          }),
        ];
        void get().refresh();
        return () => {
          stopScene();
          for (const undo of unsubscribe) undo();
        };
      },

      async refresh() {
        try {
          const [presets, targets, snapshot, audioInput] = await Promise.all([
            client.call('broadcast.listPresets', {}),
            client.call('broadcast.listTargets', {}),
            client.call('broadcast.status', {}),
            client.call('broadcast.getAudioInput', {}),
          ]);
          set({ presets: presets.platforms, targets: targets.targets, audioInput, loaded: true, loadError: null });
          followAudioSource(audioInput);
          acceptSnapshot(snapshot);
        } catch (error) {
          set({ loaded: true, loadError: describeError(error).message });
        }
      },

      async addTarget(target) {
        try {
          const saved = await client.call('broadcast.addTarget', { ...target, enabled: true });
          set((state) => ({ targets: [...state.targets.filter((existing) => existing.id !== saved.id), saved], error: null }));
          void client.call('broadcast.status', {}).then(acceptSnapshot, () => undefined);
          return { ok: true, target: saved };
        } catch (error) {
          const { message, problems } = describeError(error);
          return { ok: false, message, problems };
        }
      },

      async updateTarget(id, patch) {
        try {
          const saved = await client.call('broadcast.updateTarget', { id, ...patch });
          set((state) => ({ targets: state.targets.map((target) => (target.id === id ? saved : target)), error: null }));
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async editTarget(id, patch, restartOnAir) {
        try {
          const saved = await client.call('broadcast.updateTarget', { id, ...patch });
          set((state) => ({ targets: state.targets.map((target) => (target.id === id ? saved : target)), error: null }));
          void client.call('broadcast.status', {}).then(acceptSnapshot, () => undefined);
          if (restartOnAir) {
            // Main replaces a target on air whose server, key or profile changed; the others keep going.
            const status = await client.call('broadcast.setTargetLive', { id, live: true });
            set((state) => ({ statuses: { ...state.statuses, [id]: status } }));
          }
          return { ok: true, target: saved };
        } catch (error) {
          const { message, problems } = describeError(error);
          return { ok: false, message, problems };
        }
      },

      async removeTarget(id) {
        try {
          await client.call('broadcast.removeTarget', { id });
          set((state) => ({ targets: state.targets.filter((target) => target.id !== id), error: null }));
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async setTargetLive(id, live) {
        try {
          const status = await client.call('broadcast.setTargetLive', { id, live });
          set((state) => ({ statuses: { ...state.statuses, [id]: status }, error: null }));
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async goLive() {
        set({ busy: 'going-live', error: null, health: [], bitrateHistory: {} });
        try {
          const chosen = get().targets.filter((target) => target.enabled);
          const videoSource = await liveScene.prepareForSet(chosen.map((target) => target.profile));
          await client.call('broadcast.setVideoSource', videoSource);
          const snapshot = await client.call('broadcast.goLive', { record: true });
          acceptSnapshot(snapshot);
          liveScene.followSet(snapshot.set.state);
          return true;
        } catch (error) {
          await liveScene.stopSending();
          return fail(error);
        } finally {
          set({ busy: null });
        }
      },

      async applyRemedy(encodeId) {
        set({ busy: 'remedy', error: null });
        try {
          await client.call('broadcast.applyRemedy', { encodeId });
          return true;
        } catch (error) {
          return fail(error);
        } finally {
          set({ busy: null });
        }
      },

      async endSet() {
        set({ busy: 'ending', error: null });
        try {
          await liveScene.stopForEnd();
          const summary = await client.call('broadcast.end', {});
          set({ lastRecording: summary.recordings[0]?.path ?? summary.recordingFolder });
          const first = summary.recordings.find((recording) => recording.error);
          if (first?.error) set({ error: first.error });
          void client.call('broadcast.status', {}).then(acceptSnapshot, () => undefined);
          return true;
        } catch (error) {
          liveScene.endRefused();
          return fail(error);
        } finally {
          set({ busy: null });
        }
      },

      async setNowPlaying(text, source) {
        const trimmed = text.trim();
        if (!trimmed) return false;
        try {
          const nowPlaying = await client.call('broadcast.setNowPlaying', { text: trimmed, source });
          set({ nowPlaying, error: null });
          liveScene.setNowPlaying(nowPlaying.text);
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async setNowPlayingTrack({ artist, title }) {
        try {
          const nowPlaying = await client.call('broadcast.setNowPlaying', {
            artist: artist.trim() || undefined,
            title: title.trim() || undefined,
            source: 'library',
          });
          set({ nowPlaying, error: null });
          liveScene.setNowPlaying(nowPlaying.text);
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      setPlannedTracks(lines) {
        set({ plannedTracks: lines.map((line) => line.trim()).filter(Boolean) });
      },

      async setUploadBandwidth(uploadKbps) {
        try {
          const bandwidth = await client.call('broadcast.setUploadBandwidth', { uploadKbps });
          set({ bandwidth, error: null });
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      async setAudioInput(patch) {
        try {
          const audioInput = await client.call('broadcast.setAudioInput', patch);
          set({ audioInput, error: null });
          followAudioSource(audioInput);
          return true;
        } catch (error) {
          return fail(error);
        }
      },

      clearError() {
        set({ error: null });
      },
    };
  });
}

const stores = new WeakMap<MixdeckClient, BroadcastStore>();

/**
 * One broadcast store per connection, kept while the page lives: a set (and its compositor and
 * MediaRecorder) goes on when the user switches to another area.
 */
export function broadcastStoreFor(client: MixdeckClient): BroadcastStore {
  let store = stores.get(client);
  if (!store) {
    store = createBroadcastStore(client);
    stores.set(client, store);
    store.getState().start();
  }
  return store;
}
