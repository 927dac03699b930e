import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { PeerPresence } from '../ui/presence';

export type LinkStatus = 'connecting' | 'connected' | 'offline' | 'reconnecting';

export interface LocalPresence {
  readonly playheadBeat: number | null;
  readonly selectedClipIds: readonly string[];
  readonly editingClipId: string | null;
  readonly selectedNoteIds: readonly string[];
}

export interface CollabUser {
  readonly name: string;
  readonly color: string;
}

export interface CollabSnapshot {
  readonly status: LinkStatus;
  readonly synced: boolean;
  readonly peers: readonly PeerPresence[];
}

/** Colours for people in a room: distinct on a dark background, none of them the record red. */
export const PEER_COLORS = ['#f59e0b', '#22d3ee', '#a78bfa', '#34d399', '#f472b6', '#60a5fa', '#facc15', '#fb923c'] as const;

export interface ShareProblem {
  readonly code: 'invalid-url' | 'insecure-url' | 'invalid-room';
  readonly message: string;
}

/**
 * Checks a collaboration server address and room name, answering in words. Plain `ws://` is
 * allowed only to this machine (127.0.0.1, localhost, ::1): a project sent over the network
 * travels encrypted (`wss://`), and the page's CSP allows nothing else.
 */
export function checkShareTarget(serverUrl: string, room: string): ShareProblem | null {
  let url: URL;
  try {
    url = new URL(serverUrl.trim());
  } catch {
    return { code: 'invalid-url', message: 'The server address must look like wss://collab.example.com or ws://127.0.0.1:1234.' };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { code: 'invalid-url', message: `The server address must start with wss:// (or ws:// on this machine), not ${url.protocol}//.` };
  }
  if (url.protocol === 'ws:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    return { code: 'insecure-url', message: 'Over the network the server must use wss:// (encrypted); ws:// works only for a server on this machine.' };
  }
  if (url.username || url.password) return { code: 'invalid-url', message: 'Put no user name or password in the server address.' };
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(room)) {
    return { code: 'invalid-room', message: 'A room name is 1–128 letters, digits, dots, dashes or underscores, starting with a letter or digit.' };
  }
  return null;
}

/**
 * The project's live link to a y-websocket room: the provider syncing the Y.Doc, presence
 * through awareness, and whether we are online. Going offline keeps editing local; the edits
 * merge when the link comes back (Yjs exchanges state vectors on connect).
 */
export class CollabLink {
  readonly serverUrl: string;
  readonly room: string;
  private readonly provider: WebsocketProvider;
  private readonly listeners = new Set<(snapshot: CollabSnapshot) => void>();
  private snapshot: CollabSnapshot = { status: 'connecting', synced: false, peers: [] };
  private wantOnline = true;
  private lastPresenceAt = 0;
  private pendingPresence: ReturnType<typeof setTimeout> | null = null;

  constructor(doc: Y.Doc, serverUrl: string, room: string, user: CollabUser) {
    this.serverUrl = serverUrl.trim().replace(/\/+$/, '');
    this.room = room;
    // BroadcastChannel would sync tabs of one browser behind the server's back; the room is the one truth.
    this.provider = new WebsocketProvider(this.serverUrl, room, doc, { disableBc: true, maxBackoffTime: 2000 });
    this.provider.awareness.setLocalState({ user, playheadBeat: null, selectedClipIds: [], editingClipId: null, selectedNoteIds: [] });
    this.provider.on('status', ({ status }) => {
      const next: LinkStatus = !this.wantOnline ? 'offline' : status === 'connected' ? 'connected' : this.snapshot.synced ? 'reconnecting' : 'connecting';
      this.update({ status: next });
    });
    this.provider.on('sync', (synced: boolean) => this.update({ synced: synced || this.snapshot.synced }));
    this.provider.awareness.on('change', this.readPeers);
  }

  get status(): LinkStatus {
    return this.snapshot.status;
  }

  get clientId(): number {
    return this.provider.awareness.clientID;
  }

  read(): CollabSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (snapshot: CollabSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Work offline: edits stay local until `goOnline`. */
  goOffline(): void {
    this.wantOnline = false;
    this.provider.disconnect();
    this.update({ status: 'offline', peers: [] });
  }

  goOnline(): void {
    this.wantOnline = true;
    this.update({ status: 'connecting' });
    this.provider.connect();
  }

  setUser(user: CollabUser): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  /** Shares where my playhead is and what I selected; the playhead at most ~8 times a second. */
  setPresence(presence: Partial<LocalPresence>): void {
    const state = this.provider.awareness.getLocalState() ?? {};
    const onlyPlayhead = Object.keys(presence).length === 1 && 'playheadBeat' in presence;
    const apply = (): void => {
      this.pendingPresence = null;
      this.lastPresenceAt = Date.now();
      this.provider.awareness.setLocalState({ ...(this.provider.awareness.getLocalState() ?? state), ...presence });
    };
    if (!onlyPlayhead) {
      apply();
      return;
    }
    const wait = 125 - (Date.now() - this.lastPresenceAt);
    if (wait <= 0) apply();
    else if (!this.pendingPresence) this.pendingPresence = setTimeout(apply, wait);
    else {
      clearTimeout(this.pendingPresence);
      this.pendingPresence = setTimeout(apply, wait);
    }
  }

  destroy(): void {
    if (this.pendingPresence) clearTimeout(this.pendingPresence);
    this.provider.awareness.off('change', this.readPeers);
    this.provider.destroy();
    this.listeners.clear();
  }

  private readonly readPeers = (): void => {
    const peers: PeerPresence[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      if (clientId === this.provider.awareness.clientID || !state || typeof state !== 'object') continue;
      const user = (state as { user?: Partial<CollabUser> }).user;
      const value = state as Partial<LocalPresence>;
      peers.push({
        clientId,
        name: typeof user?.name === 'string' ? user.name.slice(0, 40) : 'Someone',
        color: typeof user?.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : PEER_COLORS[clientId % PEER_COLORS.length]!,
        playheadBeat: typeof value.playheadBeat === 'number' && Number.isFinite(value.playheadBeat) ? value.playheadBeat : null,
        selectedClipIds: Array.isArray(value.selectedClipIds) ? value.selectedClipIds.filter((id): id is string => typeof id === 'string') : [],
        editingClipId: typeof value.editingClipId === 'string' ? value.editingClipId : null,
        selectedNoteIds: Array.isArray(value.selectedNoteIds) ? value.selectedNoteIds.filter((id): id is string => typeof id === 'string') : [],
      });
    }
    peers.sort((a, b) => a.clientId - b.clientId);
    this.update({ peers });
  };

  private update(patch: Partial<CollabSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}
