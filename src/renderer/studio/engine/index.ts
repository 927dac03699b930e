export { StudioEngine, type StudioEngineOptions, type PlayOptions } from './studio-engine';
export { renderProjectOffline, stemProject, checkRenderLimits, RENDER_LIMITS, type OfflineRenderOptions, type RenderedAudio } from './offline-render';
export { ProjectGraph, TrackStrip, MasterStrip } from './graph';
export { SYNTH_PRESETS_SPEC, type SynthPreset } from './instruments';
export type { PcmAudio, SourceLoader } from './pcm';
export * from './schedule';
export { importMidi, exportMidi, readMidiFile, MIDI_LIMITS, type MidiImportResult } from './midi';
