/** Someone else in the project's room, as awareness tells this page. */
export interface PeerPresence {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly playheadBeat: number | null;
  readonly selectedClipIds: readonly string[];
  readonly editingClipId: string | null;
  readonly selectedNoteIds: readonly string[];
}

/** Where the transport is, read each animation frame (the engine moves it, not React). */
export interface PlayheadClock {
  getBeat(): number;
  isPlaying(): boolean;
}
