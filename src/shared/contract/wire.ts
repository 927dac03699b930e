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

/**
 * The web host's per-session secret. Main puts it in the index.html it serves, as
 * `<meta name="mixdeck-session" content="…">`; the page offers it as a WebSocket subprotocol
 * `mixdeck-session.<token>` beside `mixdeck`, which the host selects. Another local program can
 * copy the Origin header, but not the token of a page it did not load.
 */
export const WS_SUBPROTOCOL = 'mixdeck';
export const WS_SESSION_PROTOCOL_PREFIX = 'mixdeck-session.';
export const SESSION_META_NAME = 'mixdeck-session';

/** The subprotocols a client offers to the web host with its session token. */
export function sessionSubprotocols(sessionToken: string): string[] {
  return [WS_SUBPROTOCOL, `${WS_SESSION_PROTOCOL_PREFIX}${sessionToken}`];
}
