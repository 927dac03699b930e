import { createStore, type StoreApi } from 'zustand/vanilla';
import { ARRANGE_ZOOM, PIANO_ZOOM, type GridLabel } from './ui/timeline';

export type StudioTool = 'pointer' | 'draw' | 'split';
export type BottomPanel = 'editor' | 'mixer' | 'devices';

/** How the page looks at the project: selection, tools, zoom. Not part of the shared document. */
export interface StudioUiState {
  readonly tool: StudioTool;
  readonly grid: GridLabel;
  readonly snap: boolean;
  readonly arrangeZoom: number;
  readonly pianoZoom: number;
  /** Height of a piano-roll key row, in px. */
  readonly pianoRowHeight: number;
  readonly bottomPanel: BottomPanel;
  readonly bottomOpen: boolean;
  /** Height of the editor/mixer/devices panel, px (drag its top edge). */
  readonly bottomHeight: number;
  readonly selectedTrackId: string | null;
  readonly selectedClipIds: readonly string[];
  /** The note clip open in the piano roll or step sequencer. */
  readonly editingClipId: string | null;
  readonly selectedNoteIds: readonly string[];
  /** Tracks whose automation lanes are shown. */
  readonly automationOpen: readonly string[];
  readonly followPlayhead: boolean;
  set(patch: Partial<Omit<StudioUiState, 'set' | 'selectClips' | 'openClip' | 'toggleAutomation'>>): void;
  selectClips(clipIds: readonly string[], mode?: 'replace' | 'toggle' | 'add'): void;
  openClip(clipId: string | null): void;
  toggleAutomation(trackId: string): void;
}

export type StudioUiStore = StoreApi<StudioUiState>;

export function createStudioUiStore(): StudioUiStore {
  return createStore<StudioUiState>((set, get) => ({
    tool: 'pointer',
    grid: '1/16',
    snap: true,
    arrangeZoom: ARRANGE_ZOOM.initial,
    pianoZoom: PIANO_ZOOM.initial,
    pianoRowHeight: 14,
    bottomPanel: 'editor',
    bottomOpen: true,
    bottomHeight: 328,
    selectedTrackId: null,
    selectedClipIds: [],
    editingClipId: null,
    selectedNoteIds: [],
    automationOpen: [],
    followPlayhead: false,
    set: (patch) => set(patch),
    selectClips: (clipIds, mode = 'replace') => {
      const current = get().selectedClipIds;
      if (mode === 'replace') set({ selectedClipIds: [...clipIds] });
      else if (mode === 'add') set({ selectedClipIds: [...new Set([...current, ...clipIds])] });
      else {
        const next = new Set(current);
        for (const id of clipIds) {
          if (next.has(id)) next.delete(id);
          else next.add(id);
        }
        set({ selectedClipIds: [...next] });
      }
    },
    openClip: (clipId) => set({ editingClipId: clipId, selectedNoteIds: [], ...(clipId ? { bottomOpen: true, bottomPanel: 'editor' } : {}) }),
    toggleAutomation: (trackId) => {
      const open = get().automationOpen;
      set({ automationOpen: open.includes(trackId) ? open.filter((id) => id !== trackId) : [...open, trackId] });
    },
  }));
}
