import { z } from 'zod';

/**
 * The plain, validated shape of a studio project: what `readProject(doc)` returns and what the
 * engine and the UI read. The Yjs document (see model.ts) stores the same fields in Y.Maps keyed
 * by id, so concurrent edits merge field by field.
 */

export const TRACK_KINDS = ['audio', 'instrument', 'bus'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const INSTRUMENT_TYPES = ['synth', 'drums'] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** Polyphonic synth presets the engine knows (renderer/studio/engine/instruments.ts). */
export const SYNTH_PRESETS = ['keys', 'pad', 'bass', 'lead', 'pluck'] as const;
/** Built-in drum kits, synthesized by audio-engine/studio/drum-kit.ts (nothing downloaded). */
export const DRUM_KITS = ['mixdeck-808', 'mixdeck-acoustic'] as const;

/** General MIDI drum notes the built-in kit plays (the step sequencer's rows). */
export const DRUM_NOTES = {
  kick: 36,
  rimshot: 37,
  snare: 38,
  clap: 39,
  closedHat: 42,
  lowTom: 45,
  openHat: 46,
  midTom: 47,
  crash: 49,
  highTom: 50,
} as const;

export interface ParamSpec {
  readonly min: number;
  readonly max: number;
  readonly defaultValue: number;
  readonly unit: string;
}

const p = (min: number, max: number, defaultValue: number, unit: string): ParamSpec => ({ min, max, defaultValue, unit });

/** Filter modes, stored as the `mode` param's index so every param stays a number. */
export const FILTER_MODES = ['lowpass', 'highpass', 'bandpass'] as const;

/** Every device type with its params' ranges and defaults; repair clamps into these ranges. */
export const DEVICE_SPECS = {
  eq3: { lowDb: p(-24, 24, 0, 'dB'), midDb: p(-24, 24, 0, 'dB'), highDb: p(-24, 24, 0, 'dB'), lowFrequencyHz: p(40, 1000, 400, 'Hz'), highFrequencyHz: p(1000, 12000, 2500, 'Hz') },
  compressor: { thresholdDb: p(-60, 0, -18, 'dB'), ratio: p(1, 20, 4, ':1'), attackSec: p(0.001, 1, 0.01, 's'), releaseSec: p(0.01, 2, 0.2, 's'), makeupDb: p(0, 24, 0, 'dB') },
  reverb: { decaySec: p(0.1, 10, 2, 's'), preDelaySec: p(0, 0.2, 0.01, 's'), wet: p(0, 1, 0.3, '') },
  delay: { delayBeats: p(0.0625, 4, 0.75, 'beats'), feedback: p(0, 0.95, 0.35, ''), wet: p(0, 1, 0.25, '') },
  filter: { mode: p(0, FILTER_MODES.length - 1, 0, 'mode'), frequencyHz: p(20, 20000, 2000, 'Hz'), q: p(0.1, 20, 0.7, '') },
} as const satisfies Record<string, Record<string, ParamSpec>>;

export type DeviceType = keyof typeof DEVICE_SPECS;
export const DEVICE_TYPES = Object.keys(DEVICE_SPECS) as DeviceType[];

export const LIMITS = {
  tempoBpm: { min: 20, max: 400 },
  volumeDb: { min: -70, max: 12 },
  pan: { min: -1, max: 1 },
  sendDb: { min: -70, max: 6 },
  gainDb: { min: -48, max: 24 },
  pitch: { min: 0, max: 127 },
  velocity: { min: 0.01, max: 1 },
  /** The shortest clip or note: a 1/128 note, so nothing has zero or negative length. */
  minLengthBeats: 1 / 32,
  maxBeat: 100_000,
  maxFadeSec: 60,
} as const;

/** Volume at or below this is silence (−∞ dB in the UI). */
export const SILENT_DB = LIMITS.volumeDb.min;

const id = z.string().min(1).max(64);
const beat = z.number().finite().min(0).max(LIMITS.maxBeat);
const lengthBeats = z.number().finite().min(LIMITS.minLengthBeats).max(LIMITS.maxBeat);

export const TempoChangeSchema = z.object({ id, beat: beat.gt(0), tempoBpm: z.number().min(LIMITS.tempoBpm.min).max(LIMITS.tempoBpm.max) });
export type TempoChange = z.infer<typeof TempoChangeSchema>;

export const MarkerSchema = z.object({ id, beat, name: z.string().max(200) });
export type Marker = z.infer<typeof MarkerSchema>;

export const DeviceSchema = z.object({
  id,
  type: z.enum(DEVICE_TYPES as [DeviceType, ...DeviceType[]]),
  order: z.number().finite(),
  bypass: z.boolean(),
  params: z.record(z.string(), z.number().finite()),
});
export type Device = z.infer<typeof DeviceSchema>;

export const SendSchema = z.object({ busId: id, levelDb: z.number().min(LIMITS.sendDb.min).max(LIMITS.sendDb.max), preFader: z.boolean() });
export type Send = z.infer<typeof SendSchema>;

export const AutomationPointSchema = z.object({ id, beat, value: z.number().finite() });
export type AutomationPoint = z.infer<typeof AutomationPointSchema>;

/** `volumeDb`, `pan`, or `device:<deviceId>:<param>`. */
export const AutomationTargetSchema = z.string().regex(/^(volumeDb|pan|device:[^:]+:[A-Za-z]+)$/);
export const AutomationLaneSchema = z.object({ id, target: AutomationTargetSchema, points: z.array(AutomationPointSchema) });
export type AutomationLane = z.infer<typeof AutomationLaneSchema>;

export const InstrumentSchema = z.object({ type: z.enum(INSTRUMENT_TYPES), preset: z.string().min(1).max(64) });
export type Instrument = z.infer<typeof InstrumentSchema>;

export const TrackSchema = z.object({
  id,
  kind: z.enum(TRACK_KINDS),
  name: z.string().max(200),
  order: z.number().finite(),
  color: z.string().max(32),
  volumeDb: z.number().min(LIMITS.volumeDb.min).max(LIMITS.volumeDb.max),
  pan: z.number().min(-1).max(1),
  mute: z.boolean(),
  solo: z.boolean(),
  armed: z.boolean(),
  /** Where the track's output goes: a bus track's id, or null for the master. */
  outputBusId: id.nullable(),
  instrument: InstrumentSchema.nullable(),
  sends: z.array(SendSchema),
  devices: z.array(DeviceSchema),
  automation: z.array(AutomationLaneSchema),
});
export type Track = z.infer<typeof TrackSchema>;

export const NoteSchema = z.object({
  id,
  clipId: id,
  pitch: z.number().int().min(LIMITS.pitch.min).max(LIMITS.pitch.max),
  /** From the clip's start. */
  startBeat: beat,
  lengthBeats,
  velocity: z.number().min(LIMITS.velocity.min).max(LIMITS.velocity.max),
});
export type Note = z.infer<typeof NoteSchema>;

const clipBase = { id, trackId: id, name: z.string().max(200), startBeat: beat, lengthBeats, gainDb: z.number().min(LIMITS.gainDb.min).max(LIMITS.gainDb.max) };

export const AudioClipSchema = z.object({
  ...clipBase,
  kind: z.literal('audio'),
  /** `library:<trackId>`, `file:<absolute path>` or `asset:<name>`; resolved by the engine's source loader. */
  sourceId: z.string().min(1).max(4200),
  /** Where in the source the clip starts. */
  offsetSec: z.number().finite().min(0),
  fadeInSec: z.number().min(0).max(LIMITS.maxFadeSec),
  fadeOutSec: z.number().min(0).max(LIMITS.maxFadeSec),
});
export type AudioClip = z.infer<typeof AudioClipSchema>;

export const NoteClipSchema = z.object({ ...clipBase, kind: z.literal('notes'), notes: z.array(NoteSchema) });
export type NoteClip = z.infer<typeof NoteClipSchema>;

export const ClipSchema = z.discriminatedUnion('kind', [AudioClipSchema, NoteClipSchema]);
export type Clip = z.infer<typeof ClipSchema>;

export const ProjectSchema = z.object({
  name: z.string().max(200),
  /** The tempo at beat 0; later changes are in `tempoChanges`, sorted by beat. */
  tempoBpm: z.number().min(LIMITS.tempoBpm.min).max(LIMITS.tempoBpm.max),
  tempoChanges: z.array(TempoChangeSchema),
  timeSignature: z.object({ numerator: z.number().int().min(1).max(32), denominator: z.union([z.literal(2), z.literal(4), z.literal(8), z.literal(16)]) }),
  loop: z.object({ enabled: z.boolean(), startBeat: beat, endBeat: beat }).refine((loop) => loop.endBeat > loop.startBeat, 'The loop must end after it starts'),
  masterVolumeDb: z.number().min(LIMITS.volumeDb.min).max(LIMITS.volumeDb.max),
  markers: z.array(MarkerSchema),
  /** Sorted by `order`, then id. */
  tracks: z.array(TrackSchema),
  /** Sorted by track order, then startBeat, then id. */
  clips: z.array(ClipSchema),
});
export type Project = z.infer<typeof ProjectSchema>;

export interface ProjectProblem {
  readonly path: string;
  readonly message: string;
}

/** Validates a plain project; answers the problems in words (empty when valid). */
export function validateProject(project: unknown): ProjectProblem[] {
  const result = ProjectSchema.safeParse(project);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function defaultDeviceParams(type: DeviceType): Record<string, number> {
  const specs: Record<string, ParamSpec> = DEVICE_SPECS[type];
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.defaultValue]));
}
