import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  KaraokeImportResult,
  KaraokeScoreEntry,
  KaraokeSong,
  KaraokeSongSummary,
  MicDelay,
  MixdeckClient,
} from '../../shared/contract';
import type { Difficulty, LineRating } from '../../audio-engine/karaoke/scoring';
import { errorMessage } from '../app/store';

export interface SingerResult {
  singerName: string;
  voiceIndex: number;
  score: number;
  notes: number;
  golden: number;
  lineBonus: number;
  lines: { index: number; text: string; rating: LineRating | null; points: number }[];
  /** Place on the leaderboard once saved. */
  rank: number | null;
}

export interface PerformanceSetup {
  singerNames: [string, string];
  difficulty: Difficulty;
  /** Two singers on a duet: channel 1 and channel 2 of the input. */
  duet: boolean;
  reduction: number;
  monitor: boolean;
  reverb: number;
  echo: number;
  record: boolean;
  /** Key change of the backing, −6…6 semitones; scoring follows it. */
  keySemitones: number;
  /** Input device per singer, null for the default input (a duet on one interface: its two channels). */
  microphones: [string | null, string | null];
}

export type KaraokePhase = 'browse' | 'setup' | 'singing' | 'results';

export interface KaraokeState {
  phase: KaraokePhase;
  songs: KaraokeSongSummary[] | null;
  listError: string | null;
  importing: boolean;
  /** While importing: how many song files were read, and the last one. */
  importProgress: { filesDone: number; currentFile: string } | null;
  importResult: KaraokeImportResult | null;
  importError: string | null;
  song: KaraokeSong | null;
  openError: string | null;
  setup: PerformanceSetup;
  micDelay: MicDelay | null;
  calibrating: boolean;
  calibrationMessage: string | null;
  results: SingerResult[];
  leaderboard: KaraokeScoreEntry[];
  recordingUrl: string | null;

  loadSongs(): Promise<void>;
  importFolder(folderPath: string): Promise<void>;
  openSong(songId: number): Promise<void>;
  changeSetup(patch: Partial<PerformanceSetup>): void;
  startSinging(): void;
  finish(results: SingerResult[], recording: Blob | null): Promise<void>;
  backToSongs(): void;
  loadMicDelay(): Promise<void>;
  storeMicDelay(delayMs: number): Promise<void>;
  setCalibration(calibrating: boolean, message: string | null): void;
}

export type KaraokeStore = StoreApi<KaraokeState>;

const DEFAULT_SETUP: PerformanceSetup = {
  singerNames: ['Singer 1', 'Singer 2'],
  difficulty: 'medium',
  duet: false,
  reduction: 1,
  monitor: false,
  reverb: 0.25,
  echo: 0,
  record: true,
  keySemitones: 0,
  microphones: [null, null],
};

export function createKaraokeStore(client: MixdeckClient): KaraokeStore {
  return createStore<KaraokeState>()((set, get) => ({
    phase: 'browse',
    songs: null,
    listError: null,
    importing: false,
    importProgress: null,
    importResult: null,
    importError: null,
    song: null,
    openError: null,
    setup: DEFAULT_SETUP,
    micDelay: null,
    calibrating: false,
    calibrationMessage: null,
    results: [],
    leaderboard: [],
    recordingUrl: null,

    async loadSongs() {
      try {
        const { songs } = await client.call('karaoke.listSongs', {});
        set({ songs, listError: null });
      } catch (error) {
        set({ listError: errorMessage(error) });
      }
    },

    async importFolder(folderPath) {
      set({ importing: true, importError: null, importResult: null, importProgress: null });
      const stopListening = client.on('karaoke.importProgress', ({ filesDone, currentFile }) => set({ importProgress: { filesDone, currentFile } }));
      try {
        const importResult = await client.call('karaoke.importFolder', { folderPath });
        set({ importResult });
        await get().loadSongs();
      } catch (error) {
        set({ importError: errorMessage(error) });
      } finally {
        stopListening();
        set({ importing: false, importProgress: null });
      }
    },

    async openSong(songId) {
      set({ openError: null });
      try {
        const song = await client.call('karaoke.openSong', { songId });
        const { entries } = await client.call('karaoke.leaderboard', { songId, limit: 10 });
        const duet = song.voices.length > 1;
        set({ song, phase: 'setup', leaderboard: entries, setup: { ...get().setup, duet } });
      } catch (error) {
        set({ openError: errorMessage(error) });
      }
    },

    changeSetup(patch) {
      set({ setup: { ...get().setup, ...patch } });
    },

    startSinging() {
      const previous = get().recordingUrl;
      if (previous) URL.revokeObjectURL(previous);
      set({ phase: 'singing', results: [], recordingUrl: null });
    },

    async finish(results, recording) {
      const song = get().song;
      set({ phase: 'results', results, recordingUrl: recording ? URL.createObjectURL(recording) : null });
      if (!song || song.voices.length === 0) return;
      const saved: SingerResult[] = [];
      for (const result of results) {
        try {
          const entry = await client.call('karaoke.saveScore', {
            songId: song.id,
            singerName: result.singerName.trim() || `Singer ${result.voiceIndex + 1}`,
            difficulty: get().setup.difficulty,
            voiceIndex: result.voiceIndex,
            score: result.score,
            notes: result.notes,
            golden: result.golden,
            lineBonus: result.lineBonus,
            lineRatings: result.lines.map((line) => ({ index: line.index, rating: line.rating, points: line.points })),
          });
          saved.push({ ...result, rank: entry.rank });
        } catch (error) {
          saved.push(result);
          set({ openError: `The score could not be saved: ${errorMessage(error)}` });
        }
      }
      const { entries } = await client.call('karaoke.leaderboard', { songId: song.id, difficulty: get().setup.difficulty, limit: 10 });
      set({ results: saved, leaderboard: entries });
      void get().loadSongs();
    },

    backToSongs() {
      set({ phase: 'browse', song: null });
    },

    async loadMicDelay() {
      try {
        set({ micDelay: await client.call('karaoke.getMicDelay', {}) });
      } catch (error) {
        set({ calibrationMessage: errorMessage(error) });
      }
    },

    async storeMicDelay(delayMs) {
      set({ micDelay: await client.call('karaoke.setMicDelay', { delayMs }) });
    },

    setCalibration(calibrating, message) {
      set({ calibrating, calibrationMessage: message });
    },
  }));
}
