/**
 * The files capability's calls (renderer/files ↔ main/services/files): how the page gets a path
 * it may use. The page never names an arbitrary file; main grants a path only when the user
 * picked it, with the native dialog (Electron) or with main's own folder browser (web host),
 * and only for this run of the app.
 */
import { z } from 'zod';
import { defineCall } from './define';

const pathSchema = z
  .string()
  .min(1, 'A path cannot be empty')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');

/**
 * What a picked path is for. Each purpose decides whether the grant is for reading or writing:
 * only `export-folder` and `recordings-folder` can be written into.
 */
export const PICK_PURPOSES = ['music-folder', 'song-folder', 'playlist', 'studio-import', 'export-folder', 'rehearsal-audio', 'recordings-folder', 'image'] as const;
export type PickPurpose = (typeof PICK_PURPOSES)[number];
export const WRITE_PURPOSES: readonly PickPurpose[] = ['export-folder', 'recordings-folder'];

export const PickKindSchema = z.enum(['file', 'folder']);
export type PickKind = z.infer<typeof PickKindSchema>;

export const BrowseEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: PickKindSchema,
  sizeBytes: z.number().int().nullable(),
});
export type BrowseEntry = z.infer<typeof BrowseEntrySchema>;

export const BrowseRootSchema = z.object({ path: z.string(), label: z.string() });
export type BrowseRoot = z.infer<typeof BrowseRootSchema>;

export const filesCalls = {
  'files.roots': defineCall({
    input: z.object({}).strict(),
    output: z.object({ roots: z.array(BrowseRootSchema) }),
    summary: 'Where the folder browser may go: the home folder and mounted volumes.',
  }),
  'files.browse': defineCall({
    input: z.object({ path: pathSchema.optional() }).strict(),
    output: z.object({ path: z.string(), parent: z.string().nullable(), entries: z.array(BrowseEntrySchema), truncated: z.boolean() }),
    summary: 'One folder of the home folder or a mounted volume (default: home), hidden entries left out.',
  }),
  'files.pick': defineCall({
    input: z.object({ path: pathSchema, kind: PickKindSchema, purpose: z.enum(PICK_PURPOSES) }).strict(),
    output: z.object({ path: z.string(), kind: PickKindSchema }),
    summary: 'The user picked this file or folder in the browser: main checks it and lets the page use it for this run.',
  }),
  'files.nativeDialog': defineCall({
    input: z
      .object({
        kind: PickKindSchema,
        purpose: z.enum(PICK_PURPOSES),
        title: z.string().max(200).optional(),
        /** File types to offer, as extensions without the dot ("m3u8"). */
        extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/i)).max(20).optional(),
      })
      .strict(),
    output: z.object({ path: z.string().nullable() }),
    summary: 'The desktop app’s own open dialog; what the user picks is granted like files.pick (the web host answers not-supported).',
  }),
};
