import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/** The studio capability's calls and events (renderer/studio ↔ main/services/studio). */

const projectId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'That is not a studio project id');
/** Yjs updates travel as base64; 64 MiB of update is far beyond any real project. */
const base64Update = z
  .string()
  .min(1, 'An update cannot be empty')
  .max(90_000_000, 'That update is too large')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'An update must be base64');
const filePath = z
  .string()
  .min(1, 'A path cannot be empty')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');

export const StudioShareSchema = z.object({
  /** A y-websocket server, e.g. ws://127.0.0.1:1234 or wss://collab.example.com. */
  serverUrl: z.string().regex(/^wss?:\/\/[^\s]+$/, 'The server must be a ws:// or wss:// address').max(2048),
  room: z.string().min(1, 'A room needs a name').max(200),
});
export type StudioShare = z.infer<typeof StudioShareSchema>;

export const StudioProjectInfoSchema = z.object({
  id: projectId,
  name: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  updatedAt: z.string(),
  share: StudioShareSchema.nullable(),
});
export type StudioProjectInfo = z.infer<typeof StudioProjectInfoSchema>;

export const STUDIO_EXPORT_FORMATS = ['wav', 'flac', 'mp3'] as const;

export const StudioExportProgressSchema = z.object({
  projectId,
  exportId: z.string(),
  stage: z.enum(['render', 'encode', 'done']),
  /** 0…1 over the whole export (mix and stems). */
  fraction: z.number().min(0).max(1),
  file: z.string(),
});
export type StudioExportProgress = z.infer<typeof StudioExportProgressSchema>;

const importSource = z.union([
  z.object({ path: filePath }).strict(),
  z.object({ libraryTrackId: z.number().int().positive() }).strict(),
]);

const takeId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'That is not a take id');
/** One piece of a recorded take's WAV bytes, small enough for one WebSocket message. */
const TAKE_CHUNK_BASE64_MAX = 700_000;
/** A take of at most about 45 minutes of 16-bit stereo at 48 kHz. */
export const TAKE_MAX_BYTES = 512 * 1024 * 1024;

export const studioCalls = {
  'studio.list': defineCall({
    input: z.object({}).strict(),
    output: z.array(StudioProjectInfoSchema),
    summary: 'The studio projects in the data folder, most recently changed first.',
  }),
  'studio.create': defineCall({
    input: z.object({ name: z.string().trim().min(1, 'A project needs a name').max(200), initialStateBase64: base64Update.optional() }).strict(),
    output: StudioProjectInfoSchema,
    summary: 'A new project (optionally with a first Yjs state).',
  }),
  'studio.open': defineCall({
    input: z.object({ projectId }).strict(),
    output: z.object({ info: StudioProjectInfoSchema, stateBase64: z.string() }),
    summary: 'A project’s info and its whole Yjs state as one update.',
  }),
  'studio.rename': defineCall({
    input: z.object({ projectId, name: z.string().trim().min(1, 'A project needs a name').max(200) }).strict(),
    output: StudioProjectInfoSchema,
    summary: 'Rename a project.',
  }),
  'studio.delete': defineCall({
    input: z.object({ projectId }).strict(),
    output: z.object({ deleted: z.literal(true) }),
    summary: 'Delete a project and its saved history.',
  }),
  'studio.saveUpdate': defineCall({
    input: z.object({ projectId, updateBase64: base64Update }).strict(),
    output: z.object({ saved: z.literal(true) }),
    summary: 'Append a Yjs update (or a whole state) to the project; on disk at once, synced to disk within a second.',
  }),
  'studio.setShare': defineCall({
    input: z.object({ projectId, share: StudioShareSchema.nullable() }).strict(),
    output: StudioProjectInfoSchema,
    summary: 'The y-websocket server and room a project is shared in (null: not shared).',
  }),
  'studio.export': defineCall({
    input: z
      .object({
        projectId,
        /** The mix's file; its extension picks the format unless `format` is given. Stems go beside it. */
        outPath: filePath,
        format: z.enum(STUDIO_EXPORT_FORMATS).optional(),
        bits: z.union([z.literal(16), z.literal(24)]).optional(),
        sampleRate: z.union([z.literal(44100), z.literal(48000), z.literal(96000)]).optional(),
        stems: z.boolean().optional(),
        /** Chosen by the caller to match `studio.exportProgress` events to this export. */
        exportId: z.string().min(1).max(100).optional(),
        /** Replace files that exist already; the page sends it only after the user said yes. */
        overwrite: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ exportId: z.string(), files: z.array(z.object({ path: z.string(), trackId: z.string().nullable(), durationSec: z.number() })) }),
    summary: 'Render and write the mix (and stems) as WAV, FLAC or MP3; progress comes as studio.exportProgress events.',
  }),
  'studio.importMidi': defineCall({
    input: z.object({ projectId, source: importSource }).strict(),
    output: z.object({ updateBase64: z.string(), trackIds: z.array(z.string()), noteCount: z.number().int() }),
    summary: 'Import a Standard MIDI File onto new instrument tracks (and its tempo map); answers the Yjs update to apply.',
  }),
  'studio.importAudio': defineCall({
    input: z.object({ projectId, source: importSource, startBeat: z.number().min(0).max(100_000).optional(), trackId: z.string().max(64).optional() }).strict(),
    output: z.object({ updateBase64: z.string(), trackId: z.string(), clipId: z.string(), sourceId: z.string(), durationSec: z.number() }),
    summary: 'Put an audio file (by path or library track) on an audio track as a clip; answers the Yjs update to apply.',
  }),
  'studio.appendTake': defineCall({
    input: z
      .object({
        projectId,
        takeId,
        offsetBytes: z.number().int().min(0).max(TAKE_MAX_BYTES),
        dataBase64: z.string().min(1).max(TAKE_CHUNK_BASE64_MAX).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'That is not base64'),
      })
      .strict(),
    output: z.object({ receivedBytes: z.number().int() }),
    summary: 'Keep the next piece of a take recorded in the page (16-bit WAV bytes, in order), in the project’s folder.',
  }),
  'studio.finishTake': defineCall({
    input: z
      .object({
        projectId,
        takeId,
        /** What the bytes are: a take recorded in the page is WAV; a file dropped on the arrangement keeps its own format. */
        format: z.enum(['wav', 'mp3', 'flac', 'ogg', 'opus', 'm4a', 'aiff']).default('wav'),
      })
      .strict(),
    output: z.object({ sourceId: z.string(), durationSec: z.number() }),
    summary: 'Close a recorded take (or a dropped audio file) once all its pieces arrived; answers the source id its audio clip refers to.',
  }),
  'studio.readSource': defineCall({
    input: z.object({ sourceId: z.string().min(1).max(4200), sampleRate: z.union([z.literal(44100), z.literal(48000)]).optional() }).strict(),
    output: z.object({ sampleRate: z.number(), channelsBase64: z.array(z.string()), durationSec: z.number() }),
    summary: 'An audio clip’s source decoded to float PCM (little-endian Float32 per channel, base64), at most 10 minutes.',
  }),
};

export const studioEvents = {
  'studio.exportProgress': defineEvent({ payload: StudioExportProgressSchema, summary: 'How far an export has come.' }),
};
