import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/**
 * The MIDI capability's calls and events (renderer/midi ↔ main/services/midi). The page sees
 * devices by name, learn events and mapped actions; it never touches a port.
 */

/** How an action takes a control's value. */
export type MidiActionKind =
  /** Fires once on a press (value 1); a held action fires only after `holdMs`. */
  | 'trigger'
  /** On/off state (mute, play/pause); a toggle button flips it, a momentary button holds it. */
  | 'toggle'
  /** A position 0…1 (fader, knob); relative encoders move it by steps. */
  | 'continuous'
  /** A signed step per encoder tick (jog, seek, key change). */
  | 'relative'
  /** Note on/off from the controller's keys, with velocity 0…1. */
  | 'note'
  /** Held down, the controller's other bindings use their shift layer. */
  | 'shift';

export interface MidiActionInfo {
  readonly id: string;
  readonly label: string;
  readonly area: 'broadcast' | 'player' | 'studio' | 'karaoke' | 'controller';
  readonly kind: MidiActionKind;
  /** Numbered targets (studio tracks 1–8, scenes 1–8, decks 1–2); a binding picks one. */
  readonly slots?: number;
  /** Must be held this long before it fires, so a bump does nothing. */
  readonly holdMs?: number;
}

/** Every action a controller can drive, across the app. */
export const MIDI_ACTIONS = [
  { id: 'broadcast.goLive', label: 'Go Live (hold)', area: 'broadcast', kind: 'trigger', holdMs: 1000 },
  { id: 'broadcast.end', label: 'End the set (hold)', area: 'broadcast', kind: 'trigger', holdMs: 1500 },
  { id: 'broadcast.nowPlayingNext', label: 'Now playing: next in the tracklist', area: 'broadcast', kind: 'trigger' },
  { id: 'broadcast.nowPlayingPrevious', label: 'Now playing: previous in the tracklist', area: 'broadcast', kind: 'trigger' },
  { id: 'broadcast.markTrack', label: 'Mark track', area: 'broadcast', kind: 'trigger' },
  { id: 'broadcast.scene', label: 'Switch camera or scene', area: 'broadcast', kind: 'trigger', slots: 8 },
  { id: 'broadcast.muteMic', label: 'Mute microphone', area: 'broadcast', kind: 'toggle' },
  { id: 'player.playPause', label: 'Play / pause', area: 'player', kind: 'toggle', slots: 2 },
  { id: 'player.next', label: 'Next track', area: 'player', kind: 'trigger' },
  { id: 'player.previous', label: 'Previous track', area: 'player', kind: 'trigger' },
  { id: 'player.seek', label: 'Seek (jog)', area: 'player', kind: 'relative', slots: 2 },
  { id: 'player.volume', label: 'Volume', area: 'player', kind: 'continuous', slots: 2 },
  { id: 'player.pitch', label: 'Pitch (playback rate ±8 %)', area: 'player', kind: 'continuous', slots: 2 },
  { id: 'player.crossfade', label: 'Crossfade', area: 'player', kind: 'continuous' },
  { id: 'studio.play', label: 'Studio play / stop', area: 'studio', kind: 'toggle' },
  { id: 'studio.record', label: 'Studio record', area: 'studio', kind: 'toggle' },
  { id: 'studio.loop', label: 'Studio loop on/off', area: 'studio', kind: 'toggle' },
  { id: 'studio.trackFader', label: 'Track fader', area: 'studio', kind: 'continuous', slots: 8 },
  { id: 'studio.trackPan', label: 'Track pan', area: 'studio', kind: 'continuous', slots: 8 },
  { id: 'studio.trackMute', label: 'Track mute', area: 'studio', kind: 'toggle', slots: 8 },
  { id: 'studio.trackSolo', label: 'Track solo', area: 'studio', kind: 'toggle', slots: 8 },
  { id: 'studio.note', label: 'Notes into the armed instrument track', area: 'studio', kind: 'note' },
  { id: 'karaoke.start', label: 'Karaoke: start the song', area: 'karaoke', kind: 'trigger' },
  { id: 'karaoke.pause', label: 'Karaoke: pause / resume', area: 'karaoke', kind: 'toggle' },
  { id: 'karaoke.key', label: 'Karaoke: key change (semitones)', area: 'karaoke', kind: 'relative' },
  { id: 'controller.shift', label: 'Shift (hold for the shift layer)', area: 'controller', kind: 'shift' },
] as const satisfies readonly MidiActionInfo[];

export type MidiActionId = (typeof MIDI_ACTIONS)[number]['id'];
export const MIDI_ACTION_IDS = MIDI_ACTIONS.map((action) => action.id) as [MidiActionId, ...MidiActionId[]];

export function midiActionInfo(id: MidiActionId): MidiActionInfo {
  return MIDI_ACTIONS.find((action) => action.id === id)!;
}

/** App state a controller shows on its LEDs (and soft takeover starts from). */
export const MIDI_FEEDBACK_SOURCES = [
  'player.playing',
  'broadcast.live',
  'broadcast.micMuted',
  'broadcast.meter',
  'studio.playing',
  'studio.recording',
  'studio.trackMute',
  'studio.trackSolo',
  'karaoke.paused',
] as const;
export type MidiFeedbackSource = (typeof MIDI_FEEDBACK_SOURCES)[number];

export const RELATIVE_ENCODINGS = ['twos-complement', 'offset-64', 'sign-magnitude'] as const;
export type RelativeEncoding = (typeof RELATIVE_ENCODINGS)[number];

const statusByte = z.number().int().min(0x80).max(0xef);
const dataByte = z.number().int().min(0).max(127);
const slot = z.number().int().min(1).max(8);

/** One control on the controller bound to one action. */
export const MidiBindingSchema = z
  .object({
    /** The message's status byte, channel included (0x90 note on ch 1, 0xB1 CC ch 2, 0xE0 pitch bend). */
    status: statusByte,
    /** Note or CC number; ignored for pitch bend; null with studio.note for every key of the channel. */
    midino: dataByte.nullable(),
    action: z.enum(MIDI_ACTION_IDS),
    slot: slot.optional(),
    /** `normal` without shift held, `shift` with it, `any` in both. */
    layer: z.enum(['normal', 'shift', 'any']).default('any'),
    /** How the control sends its value. */
    control: z.enum(['button', 'absolute', 'relative']),
    buttonMode: z.enum(['momentary', 'toggle']).default('momentary'),
    encoding: z.enum(RELATIVE_ENCODINGS).optional(),
    /** The LSB's CC number of a 14-bit CC pair (usually midino + 32); the MSB arrives first. */
    lsbMidino: dataByte.optional(),
    softTakeover: z.boolean().default(false),
    invert: z.boolean().default(false),
  })
  .strict();
export type MidiBinding = z.output<typeof MidiBindingSchema>;
export type MidiBindingInput = z.input<typeof MidiBindingSchema>;

/** An LED or a row of them lit from the app's state. */
export const MidiOutputSchema = z
  .object({
    source: z.enum(MIDI_FEEDBACK_SOURCES),
    slot: slot.optional(),
    status: statusByte,
    /** The LED's note or CC; for a meter, the first LED of the row. */
    midino: dataByte,
    on: dataByte.default(127),
    off: dataByte.default(0),
    /** A meter's number of LEDs (midino, midino + 1, …). */
    ledCount: z.number().int().min(1).max(32).optional(),
  })
  .strict();
export type MidiOutput = z.output<typeof MidiOutputSchema>;

export const MidiMappingSchema = z
  .object({
    format: z.literal('mixdeck-midi-mapping'),
    version: z.literal(1),
    name: z.string().trim().min(1).max(200),
    /** The controller's port name this mapping is for. */
    device: z.string().max(200).default(''),
    bindings: z.array(MidiBindingSchema).max(2000),
    outputs: z.array(MidiOutputSchema).max(500).default([]),
    /** What an import could not carry over, in words. */
    notes: z.array(z.string().max(500)).max(2000).default([]),
  })
  .strict();
export type MidiMapping = z.output<typeof MidiMappingSchema>;

/** One action a controller fired, as the page and main's services receive it. */
export const MidiActionEventSchema = z.object({
  action: z.enum(MIDI_ACTION_IDS),
  slot: z.number().int().nullable(),
  /** 0…1 for absolute controls and buttons (1 pressed/on, 0 released/off); a signed step for relative ones. */
  value: z.number(),
  /** studio.note only: the key pressed. */
  note: z.number().int().nullable(),
  device: z.string(),
});
export type MidiActionEvent = z.infer<typeof MidiActionEventSchema>;

export const MidiDeviceSchema = z.object({
  name: z.string(),
  hasInput: z.boolean(),
  hasOutput: z.boolean(),
  connected: z.boolean(),
  /** The mapping used for this device (null: none yet). */
  mappingName: z.string().nullable(),
  bindingCount: z.number().int(),
});
export type MidiDevice = z.infer<typeof MidiDeviceSchema>;

export const MidiStatusSchema = z.object({
  available: z.boolean(),
  /** Why MIDI cannot be used here, in words; null when it can. */
  reason: z.string().nullable(),
  devices: z.array(MidiDeviceSchema),
  learning: z.string().nullable(),
  clock: z.object({ running: z.boolean(), tempoBpm: z.number().nullable(), output: z.string().nullable() }),
});
export type MidiStatus = z.infer<typeof MidiStatusSchema>;

/** A control heard during learn, with what kind of control it seems to be. */
export const MidiLearnedSchema = z.object({
  device: z.string(),
  status: statusByte,
  midino: dataByte,
  control: z.enum(['button', 'absolute', 'relative']),
  encoding: z.enum(RELATIVE_ENCODINGS).nullable(),
  lsbMidino: dataByte.nullable(),
  /** "Note 11 on channel 1", "CC 16 on channel 2 (14-bit with CC 48)", "Pitch bend on channel 1". */
  description: z.string(),
  messages: z.number().int(),
});
export type MidiLearned = z.infer<typeof MidiLearnedSchema>;

const deviceName = z.string().trim().min(1, 'Choose a controller').max(200);

export const MixxxImportReportSchema = z.object({
  mapped: z.array(z.object({ status: z.number().int(), midino: z.number().int(), action: z.string(), slot: z.number().int().optional() })),
  unmapped: z.array(z.object({ key: z.string(), reason: z.string() })),
});
export type MixxxImportReport = z.infer<typeof MixxxImportReportSchema>;

export const midiCalls = {
  'midi.status': defineCall({
    input: z.object({}).strict(),
    output: MidiStatusSchema,
    summary: 'Whether MIDI works here (and why not, in words), the controllers seen, learn and clock state.',
  }),
  'midi.getMapping': defineCall({
    input: z.object({ device: deviceName }).strict(),
    output: MidiMappingSchema,
    summary: 'The mapping of one controller (an empty one when it has none yet).',
  }),
  'midi.saveMapping': defineCall({
    input: z.object({ device: deviceName, mapping: MidiMappingSchema }).strict(),
    output: MidiMappingSchema,
    summary: 'Replace a controller\'s mapping (also how a mapping JSON is imported).',
  }),
  'midi.learn': defineCall({
    input: z.object({ device: deviceName.nullable() }).strict(),
    output: z.object({ learning: z.string().nullable() }),
    summary: 'Listen to one controller for learn (midi.learned events) instead of firing its actions; null stops.',
  }),
  'midi.assign': defineCall({
    input: z.object({ device: deviceName, binding: MidiBindingSchema }).strict(),
    output: MidiMappingSchema,
    summary: 'Bind a learned control to an action (replacing what that control did on that layer).',
  }),
  'midi.removeBinding': defineCall({
    input: z.object({ device: deviceName, index: z.number().int().min(0) }).strict(),
    output: MidiMappingSchema,
    summary: 'Remove one binding from a controller\'s mapping.',
  }),
  'midi.importMixxx': defineCall({
    input: z.object({ device: deviceName, xml: z.string().min(1).max(2_000_000) }).strict(),
    output: z.object({ mapping: MidiMappingSchema, report: MixxxImportReportSchema }),
    summary: 'Import a Mixxx .midi.xml mapping for a controller; every control with a Mixdeck equivalent is mapped, the rest listed with the reason.',
  }),
  'midi.reportState': defineCall({
    input: z
      .object({
        /** A state LEDs show, or an action's current value (a fader the mouse moved), for soft takeover. */
        source: z.union([z.enum(MIDI_FEEDBACK_SOURCES), z.enum(MIDI_ACTION_IDS)]),
        slot: slot.optional(),
        value: z.number().min(0).max(1),
      })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    summary: 'The page tells main the state controllers show (the player is playing…), for LEDs and soft takeover.',
  }),
  'midi.clock': defineCall({
    input: z
      .object({
        output: deviceName.nullable(),
        running: z.boolean(),
        /** Omit to follow the live set's measured tempo. */
        tempoBpm: z.number().min(20).max(300).optional(),
      })
      .strict(),
    output: z.object({ running: z.boolean(), tempoBpm: z.number().nullable(), output: z.string().nullable() }),
    summary: 'Send 24-ppqn MIDI clock with start/stop to a controller or another app, from a tempo or the live set\'s tempo.',
  }),
};

export const midiEvents = {
  'midi.devices': defineEvent({
    payload: MidiStatusSchema,
    summary: 'A controller was plugged in or out, a mapping or the clock changed.',
  }),
  'midi.learned': defineEvent({
    payload: MidiLearnedSchema,
    summary: 'During learn: the control the user moved.',
  }),
  'midi.clockIn': defineEvent({
    payload: z.object({ device: z.string(), running: z.boolean(), tempoBpm: z.number().nullable(), positionBeats: z.number() }),
    summary: 'MIDI clock arriving from a device (another app, a drum machine): tempo, start/stop and song position, for the studio to follow.',
  }),
  'midi.action': defineEvent({
    payload: MidiActionEventSchema,
    summary: 'A controller fired an action; the page acts on those it owns (player, studio, karaoke).',
  }),
};
