/**
 * What the studio page exposes to browser tests (src/renderer/studio/runtime.ts) when a test
 * sets `window.__mixdeckTestHooks = true` before the page loads, as far as the tests use it.
 */
export interface StudioEditorInPage {
  addTrack(kind: string, options?: { drums?: boolean }): string;
  addNoteClip(trackId: string, startBeat: number, lengthBeats: number, notes?: unknown[]): string;
  setTempo(tempoBpm: number): void;
  setLoop(loop: Record<string, unknown>): void;
  addMarker(beat: number, name: string): void;
  addDevice(trackId: string, type: string): void;
  setSendLevel(trackId: string, busId: string, levelDb: number): void;
  setTrack(trackId: string, patch: Record<string, unknown>): void;
  setAutomation(trackId: string, target: string, points: { beat: number; value: number }[]): void;
  setProjectName(name: string): void;
  setInstrument(trackId: string, instrument: { type: string; preset: string }): void;
}

export interface StudioUiInPage {
  arrangeZoom: number;
  pianoZoom: number;
  pianoRowHeight: number;
  set(patch: Record<string, unknown>): void;
  openClip(id: string | null): void;
  selectClips(ids: string[]): void;
}

export interface StudioHooksInPage {
  /** The Y.Doc as canonical JSON (keys sorted), to compare two peers. */
  docJson(): string | null;
  /** The project as plain, validated data. */
  project(): unknown;
  /** Feeds one MIDI message to the handler Web MIDI calls. */
  feedMidi(data: number[], timeStampMs?: number): void;
  runtime: {
    getOpen(): {
      ui: { getState(): StudioUiInPage };
      audio: { levelsFor(trackId: string): () => { leftDb: number; rightDb: number } | null };
      session: { editor: StudioEditorInPage; transport: { seek(beat: number): void; getBeat(): number; isPlaying(): boolean; stop(): void } };
    } | null;
  };
}

declare global {
  interface Window {
    __mixdeckTestHooks?: boolean;
    __mixdeckStudio?: StudioHooksInPage;
  }
}
