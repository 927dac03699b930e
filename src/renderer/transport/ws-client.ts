import {
  isEventName,
  MixdeckError,
  ServerMessageSchema,
  sessionSubprotocols,
  type ConnectionState,
  type MixdeckClient,
} from '../../shared/contract';
import { ListenerMap } from './listeners';
import { unwrapReply } from './reply';

/** The subset of the WebSocket API the client needs; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WebSocketClientOptions {
  url: string;
  /** The web host's per-session secret, from the page it served (see `SESSION_META_NAME`). */
  sessionToken?: string | null;
  /**
   * Asks the host again for its token (a restarted host has a new one). Called when a connection
   * is refused before it opened, before the next attempt.
   */
  refreshSessionToken?: () => Promise<string | null>;
  createSocket?: (url: string, protocols: string[]) => WebSocketLike;
  /** A call with no answer by then fails with `unavailable`. */
  callTimeoutMs?: number;
  /** Reconnect backoff: first wait, doubled up to the maximum. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/** The client over the web host's WebSocket. It reconnects by itself with backoff. */
export function createWebSocketClient(options: WebSocketClientOptions): MixdeckClient & { close(): void } {
  const createSocket = options.createSocket ?? ((url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as WebSocketLike);
  let sessionToken = options.sessionToken ?? null;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const initialDelay = options.reconnectInitialMs ?? 250;
  const maxDelay = options.reconnectMaxMs ?? 5_000;

  const pending = new Map<number, Pending>();
  const eventListeners = new ListenerMap<unknown>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const waitingForOpen: (() => void)[] = [];
  let state: ConnectionState = 'connecting';
  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let delay = initialDelay;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const failAllPending = (): void => {
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      entry.reject(new MixdeckError('disconnected', 'The connection to Mixdeck was lost before it answered.'));
      pending.delete(id);
    }
  };

  const connect = (): void => {
    const current = createSocket(options.url, sessionToken ? sessionSubprotocols(sessionToken) : []);
    socket = current;
    let opened = false;
    current.addEventListener('open', () => {
      opened = true;
      delay = initialDelay;
      setState('connected');
      for (const resume of waitingForOpen.splice(0)) resume();
    });
    current.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      const message = ServerMessageSchema.safeParse(json);
      if (!message.success) return;
      if (message.data.t === 'event') {
        if (isEventName(message.data.name)) eventListeners.emit(message.data.name, message.data.payload);
        return;
      }
      const id = message.data.id;
      const entry = id === null ? undefined : pending.get(id);
      if (!entry || id === null) return;
      pending.delete(id);
      clearTimeout(entry.timer);
      try {
        entry.resolve(unwrapReply(message.data.reply));
      } catch (error) {
        entry.reject(error);
      }
    });
    current.addEventListener('error', () => {
      // 'close' follows; reconnection is handled there.
    });
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = null;
      failAllPending();
      if (closed) {
        setState('disconnected');
        return;
      }
      setState('reconnecting');
      const refresh = !opened && options.refreshSessionToken;
      reconnectTimer = setTimeout(() => {
        if (!refresh) return connect();
        refresh()
          .then((token) => {
            sessionToken = token ?? sessionToken;
          })
          .catch(() => undefined)
          .finally(() => {
            if (!closed) connect();
          });
      }, delay);
      delay = Math.min(delay * 2, maxDelay);
    });
  };

  const whenOpen = (): Promise<void> =>
    socket?.readyState === OPEN
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          if (closed) reject(new MixdeckError('disconnected', 'The connection to Mixdeck is closed.'));
          else waitingForOpen.push(resolve);
        });

  connect();

  return {
    transport: 'web',
    get connectionState() {
      return state;
    },
    async call(name, input) {
      await whenOpen();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new MixdeckError('unavailable', `${name} got no answer in ${Math.round(callTimeoutMs / 1000)} s.`));
        }, callTimeoutMs);
        pending.set(id, { resolve, reject, timer });
        socket!.send(JSON.stringify({ t: 'call', id, name, input }));
      }) as never;
    },
    on(name, listener) {
      return eventListeners.add(name, listener as (value: unknown) => void);
    },
    onConnectionChange(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close(1000, 'client closed');
      setState('disconnected');
    },
  };
}
