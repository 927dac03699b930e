import { z } from 'zod';
import { defineCall, defineEvent } from './define';

export const TransportKindSchema = z.enum(['ipc', 'web']);
export type TransportKind = z.infer<typeof TransportKindSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  transport: TransportKindSchema,
  platform: z.string(),
  /** Whether this host can show native dialogs (Electron) or not (web host). */
  nativeDialogs: z.boolean(),
  /** Things that went wrong at start-up that the user should read (e.g. a damaged database moved aside). */
  startupNotices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appCalls = {
  'app.info': defineCall({
    input: z.object({}).strict(),
    output: AppInfoSchema,
    summary: 'Name, version and transport of the running app.',
  }),
  'app.ping': defineCall({
    input: z.object({ nonce: z.string().max(64) }).strict(),
    output: z.object({ nonce: z.string(), serverTimeMs: z.number() }),
    summary: 'Round trip used by the status bar to show the connection to main.',
  }),
  'system.pickFolder': defineCall({
    input: z.object({ title: z.string().max(200).optional() }).strict(),
    output: z.object({ path: z.string().nullable() }),
    summary: 'Native folder picker (Electron only; the web host answers not-supported).',
  }),
};

export const appEvents = {
  'app.notice': defineEvent({
    payload: z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
    summary: 'A message main wants the user to see.',
  }),
};
