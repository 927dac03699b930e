/**
 * Deterministic test music with ground truth (tempo, key, beats) for the analysis
 * code: drum grooves per style, bass, chords and melody. Not for production audio.
 */
export { renderClip } from './render-clip';
export type { ClipRequest, ClipTruth, RenderedClip } from './render-clip';
export { MUSIC_STYLES, STYLES } from './styles';
export type { MusicStyle, StyleSpec } from './styles';
export type { KeyMode, MusicalKey } from './theory';
export { keyClipSet, tempoClipSet, tempoStressClipSet } from './clip-sets';
export type { ClipSetOptions } from './clip-sets';
