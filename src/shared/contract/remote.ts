import { z } from 'zod';
import { defineCall } from './define';

/**
 * The phone remote: the desktop page switches it on and off, shows a pairing code (and its QR
 * code) and lists or revokes paired phones. The remote's own listener speaks a reduced protocol:
 * only REMOTE_ALLOWED_CALLS, and only REMOTE_FORWARDED_EVENTS reach it.
 */

export const RemoteDeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  pairedAtMs: z.number(),
  expiresAtMs: z.number(),
  lastSeenAtMs: z.number(),
});
export type RemoteDevice = z.infer<typeof RemoteDeviceSchema>;

export const RemoteStatusSchema = z.object({
  enabled: z.boolean(),
  /** The remote listens on the LAN (true) or on this computer only (false). */
  lanAccess: z.boolean(),
  /** Where a phone opens the remote; null while it is off. */
  url: z.string().nullable(),
  devices: z.array(RemoteDeviceSchema),
});
export type RemoteStatus = z.infer<typeof RemoteStatusSchema>;

const empty = z.object({}).strict();

export const remoteCalls = {
  'remote.status': defineCall({
    input: empty,
    output: RemoteStatusSchema,
    summary: 'Whether the phone remote is on, where it listens and which phones are paired.',
  }),
  'remote.enable': defineCall({
    input: z.object({ lanAccess: z.boolean().default(false) }).strict(),
    output: RemoteStatusSchema,
    summary: 'Switch the phone remote on: on this computer only, or on the LAN (its first private IPv4 address).',
  }),
  'remote.disable': defineCall({
    input: empty,
    output: RemoteStatusSchema,
    summary: 'Switch the phone remote off: its listener closes and every paired phone is forgotten.',
  }),
  'remote.newCode': defineCall({
    input: empty,
    output: z.object({
      code: z.string(),
      expiresAtMs: z.number(),
      url: z.string(),
      /** The remote's address as a QR code (an SVG data URL); the code is not in it. */
      qrSvgDataUrl: z.string(),
    }),
    summary: 'A one-time six-digit pairing code, valid for two minutes, and the remote address as a QR code.',
  }),
  'remote.revoke': defineCall({
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    output: z.object({ revoked: z.boolean(), devices: z.array(RemoteDeviceSchema) }),
    summary: 'Forget a paired phone at once (its open connection is closed).',
  }),
};

/** The only calls a paired phone may make; every other name is refused and logged. */
export const REMOTE_ALLOWED_CALLS = ['broadcast.status', 'broadcast.goLive', 'broadcast.end', 'broadcast.tracklist', 'remote.player'] as const;
export type RemoteAllowedCall = (typeof REMOTE_ALLOWED_CALLS)[number];

/** The player transport a phone can drive (delivered to the desktop page as midi.action events). */
export const REMOTE_PLAYER_ACTIONS = ['player.playPause', 'player.next', 'player.previous'] as const;
export const RemotePlayerInputSchema = z
  .object({ action: z.enum(REMOTE_PLAYER_ACTIONS), value: z.number().min(0).max(1).default(1) })
  .strict();

/** The only events a paired phone receives. */
export const REMOTE_FORWARDED_EVENTS = ['broadcast.targetStatus', 'broadcast.setState', 'broadcast.nowPlaying'] as const;

export const REMOTE_WS_PATH = '/remote-ws';
export const REMOTE_WS_SUBPROTOCOL = 'mixdeck-remote';
/** A WebSocket closed because its phone was revoked or its pairing expired. */
export const REMOTE_REVOKED_CLOSE_CODE = 4401;
