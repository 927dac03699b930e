import type { z } from 'zod';
import { appCalls, appEvents } from './app';
import { audioCalls } from './audio';
import { broadcastCalls, broadcastEvents } from './broadcast';
import { filesCalls } from './files';
import { karaokeCalls, karaokeEvents } from './karaoke';
import { libraryCalls, libraryEvents } from './library';
import { studioCalls, studioEvents } from './studio';
import { settingsCalls, settingsEvents } from './settings';
import { midiCalls, midiEvents } from './midi';
import { remoteCalls } from './remote';

export * from './define';
export * from './errors';
export * from './app';
export * from './audio';
export * from './broadcast';
export * from './files';
export * from './karaoke';
export * from './library';
export * from './studio';
export * from './settings';
export * from './midi';
export * from './remote';
export * from './wire';

/** Every renderer-to-main call, declared once. Both transports implement exactly this. */
export const calls = {
  ...appCalls,
  ...settingsCalls,
  ...audioCalls,
  ...filesCalls,
  ...broadcastCalls,
  ...libraryCalls,
  ...karaokeCalls,
  ...studioCalls,
  ...midiCalls,
  ...remoteCalls,
};

/** Every main-to-renderer event, declared once. */
export const events = {
  ...appEvents,
  ...settingsEvents,
  ...broadcastEvents,
  ...libraryEvents,
  ...karaokeEvents,
  ...studioEvents,
  ...midiEvents,
};

export type Calls = typeof calls;
export type Events = typeof events;
export type CallName = keyof Calls;
export type EventName = keyof Events;
/** What a caller may pass (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives, after validation. */
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/** The prefix every IPC channel carries, so main can refuse anything else. */
export const IPC_PREFIX = 'mixdeck:';
export const ipcCallChannel = (name: CallName): string => `${IPC_PREFIX}call:${name}`;
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;

/** The typed API a renderer sees, whichever transport carries it. */
export interface MixdeckClient {
  readonly transport: 'ipc' | 'web';
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Connection to main: the web host can drop and come back; IPC is always connected. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connectionState: ConnectionState;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * What the preload exposes as `window.mixdeck`: one function per call channel, an event
 * subscription, and nothing else. Replies are envelopes; the renderer client unwraps them.
 */
export interface MixdeckBridge {
  readonly transport: 'ipc';
  readonly calls: { readonly [N in CallName]: (input: unknown) => Promise<unknown> };
  on(listener: (name: string, payload: unknown) => void): () => void;
}
