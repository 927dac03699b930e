import { z } from 'zod';
import { ReplySchema } from './errors';

/** Messages of the web host's WebSocket. The same calls and events as IPC, framed as JSON. */
export const ClientMessageSchema = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(128),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('reply'), id: z.number().int().nonnegative().nullable(), reply: ReplySchema }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export const WS_PATH = '/mixdeck-ws';
/** Larger frames are refused before they are parsed. */
export const WS_MAX_MESSAGE_BYTES = 1024 * 1024;
