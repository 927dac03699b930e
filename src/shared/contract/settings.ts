import { z } from 'zod';
import { defineCall, defineEvent } from './define';

export const THEMES = ['dark', 'booth', 'light'] as const;
export const SAMPLE_RATES = [44100, 48000, 96000] as const;
export const AREAS = ['broadcast', 'studio', 'karaoke', 'library', 'settings'] as const;
export type Area = (typeof AREAS)[number];

const folderPath = z
  .string()
  .min(1, 'A folder path cannot be empty')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');

export const SettingsSchema = z.object({
  audio: z.object({
    /** PortAudio device name, or null for the system default. */
    inputDevice: z.string().max(512).nullable(),
    outputDevice: z.string().max(512).nullable(),
    sampleRate: z.union([z.literal(44100), z.literal(48000), z.literal(96000)]),
    bufferFrames: z.union([z.literal(128), z.literal(256), z.literal(512), z.literal(1024)]),
  }),
  folders: z.object({
    music: z.array(folderPath).max(64),
    recordings: folderPath.nullable(),
  }),
  appearance: z.object({
    theme: z.enum(THEMES),
    /** UI scale in percent, for a laptop across a dark booth. */
    uiScalePercent: z.number().int().min(75).max(200),
    reduceMotion: z.boolean(),
  }),
  ui: z.object({
    lastArea: z.enum(AREAS),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  audio: { inputDevice: null, outputDevice: null, sampleRate: 48000, bufferFrames: 256 },
  folders: { music: [], recordings: null },
  appearance: { theme: 'dark', uiScalePercent: 100, reduceMotion: false },
  ui: { lastArea: 'broadcast' },
};

/** A partial update: any section, any field of it; unknown keys are refused. */
export const SettingsPatchSchema = z
  .object({
    audio: SettingsSchema.shape.audio.partial().strict().optional(),
    folders: SettingsSchema.shape.folders.partial().strict().optional(),
    appearance: SettingsSchema.shape.appearance.partial().strict().optional(),
    ui: SettingsSchema.shape.ui.partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const settingsCalls = {
  'settings.get': defineCall({
    input: z.object({}).strict(),
    output: SettingsSchema,
    summary: 'All settings.',
  }),
  'settings.update': defineCall({
    input: SettingsPatchSchema,
    output: SettingsSchema,
    summary: 'Change some settings; answers with all of them.',
  }),
  'settings.reset': defineCall({
    input: z.object({ section: z.enum(['audio', 'folders', 'appearance', 'ui']).optional() }).strict(),
    output: SettingsSchema,
    summary: 'Back to defaults, for one section or all.',
  }),
};

export const settingsEvents = {
  'settings.changed': defineEvent({ payload: SettingsSchema, summary: 'Settings changed (from any window or device).' }),
};
