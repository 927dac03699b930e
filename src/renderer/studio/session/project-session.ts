import * as Y from 'yjs';
import { StudioProject, type Project } from '../../../shared/studio';
import type { StudioEditor } from '../view';
import { createProjectEditor } from './project-editor';
import { CollabLink, checkShareTarget, type CollabSnapshot, type CollabUser, type ShareProblem } from './collab';
import { FreeRunningTransport, type StudioTransport } from './clock';
import type { ProjectStorage, ProjectSummary } from './storage';

export interface SessionSnapshot {
  readonly project: Project;
  /** Bumped on every change, so views can tell a new state from the old one cheaply. */
  readonly version: number;
  readonly link: CollabSnapshot | null;
  readonly share: { readonly serverUrl: string; readonly room: string } | null;
  readonly saveState: 'saved' | 'pending' | 'error' | 'memory';
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The last fixes the model made after a remote change, in words. */
  readonly repairs: readonly string[];
}

const SAVE_DELAY_MS = 800;
/** After a failed save (a full disk), the kept edits are tried again this often, backing off to the max. */
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 15_000;

/**
 * One open project in this page: the model, the editor the views call, the transport, the
 * collaboration link and saving. Saves at most SAVE_DELAY_MS after a change (and when the page
 * hides), so a crash loses under a second of work.
 */
export class ProjectSession {
  readonly id: string;
  readonly project: StudioProject;
  readonly editor: StudioEditor;
  readonly transport: StudioTransport;
  private link: CollabLink | null = null;
  private unlink: (() => void) | null = null;
  private snapshot: SessionSnapshot;
  private readonly listeners = new Set<() => void>();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribeProject: () => void;
  /** Updates not yet saved: every change, local or from the room, goes to disk. */
  private unsaved: Uint8Array[] = [];
  private savedName: string;
  /** The last save's refusal, while the edits it carried are still waiting; null when saves go through. */
  private saveProblem: string | null = null;
  private retryDelayMs = RETRY_FIRST_MS;
  private destroyed = false;

  constructor(
    summary: ProjectSummary,
    state: Uint8Array | null,
    private readonly storage: ProjectStorage,
    private readonly notify: (level: 'info' | 'warning' | 'error', message: string) => void,
    transport: StudioTransport = new FreeRunningTransport(),
    /** A project joined from a room starts empty: writing a name here would race the room's. */
    options: { joining?: boolean } = {},
  ) {
    this.id = summary.id;
    const onInvalid = (problems: { path: string; message: string }[]): void =>
      notify('error', `The project has a problem the studio could not repair: ${problems[0]?.path ?? ''} ${problems[0]?.message ?? ''}`);
    this.project =
      state && state.length > 0
        ? StudioProject.fromUpdate(state, { onInvalid })
        : StudioProject.create(options.joining ? {} : { name: summary.name }, { onInvalid });
    this.editor = createProjectEditor(this.project, { onRefused: (message) => notify('warning', message) });
    this.transport = transport;
    this.snapshot = this.makeSnapshot(0, [], storage.persistent ? 'saved' : 'memory');
    this.savedName = summary.name;
    this.project.doc.on('update', this.collectUpdate);
    this.unsubscribeProject = this.project.onChange(({ repairs }) => {
      this.snapshot = this.makeSnapshot(this.snapshot.version + 1, repairs, this.storage.persistent ? 'pending' : 'memory');
      this.syncTransport();
      this.scheduleSave();
      this.emit();
    });
    this.syncTransport();
    window.addEventListener('pagehide', this.saveNowListener);
  }

  read(): SessionSnapshot {
    return this.snapshot;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  get collab(): CollabLink | null {
    return this.link;
  }

  /** Connects the project to a y-websocket room; answers a problem in words instead when the address is not allowed. */
  share(serverUrl: string, room: string, user: CollabUser): ShareProblem | null {
    const problem = checkShareTarget(serverUrl, room);
    if (problem) return problem;
    this.stopSharing();
    const link = new CollabLink(this.project.doc, serverUrl, room, user);
    this.link = link;
    this.unlink = link.subscribe((link) => {
      this.snapshot = { ...this.snapshot, link };
      this.emit();
    });
    this.snapshot = { ...this.snapshot, link: link.read(), share: { serverUrl: link.serverUrl, room } };
    this.emit();
    void this.storage.setShare(this.id, { serverUrl: link.serverUrl, room }).catch(() => undefined);
    return null;
  }

  /** Stops sharing for good (the project forgets its room); `destroy` only disconnects. */
  unshare(): void {
    this.stopSharing();
    void this.storage.setShare(this.id, null).catch(() => undefined);
  }

  stopSharing(): void {
    this.unlink?.();
    this.link?.destroy();
    this.link = null;
    this.unlink = null;
    if (this.snapshot.link || this.snapshot.share) {
      this.snapshot = { ...this.snapshot, link: null, share: null };
      this.emit();
    }
  }

  async saveNow(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.unsaved.length === 0) return;
    const pending = this.unsaved;
    this.unsaved = [];
    try {
      await this.storage.save(this.id, pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending));
      const name = this.project.read().name;
      if (name.trim() && name !== this.savedName) {
        this.savedName = name;
        await this.storage.rename(this.id, name.trim());
      }
      const saveState = !this.storage.persistent ? 'memory' : this.unsaved.length > 0 ? 'pending' : 'saved';
      if (this.snapshot.saveState !== saveState) {
        this.snapshot = { ...this.snapshot, saveState };
        this.emit();
      }
      if (this.saveProblem !== null) {
        this.saveProblem = null;
        this.retryDelayMs = RETRY_FIRST_MS;
        this.notify('info', 'The project is saved again: the edits kept in the page while saving failed are on disk now.');
      }
    } catch (error) {
      // Keep what failed, so the next save carries it again, and try again even if no edit comes.
      this.unsaved = [...pending, ...this.unsaved];
      this.snapshot = { ...this.snapshot, saveState: 'error' };
      this.emit();
      const message = `The project could not be saved: ${error instanceof Error ? error.message : String(error)}`;
      // One message per kind of failure, not one per retry.
      if (message !== this.saveProblem) this.notify('error', message);
      this.saveProblem = message;
      this.scheduleRetry();
    }
  }

  /** The last save's refusal in words while edits are waiting to be written, else null. */
  get unsavedProblem(): string | null {
    return this.saveProblem;
  }

  destroy(): void {
    this.destroyed = true;
    window.removeEventListener('pagehide', this.saveNowListener);
    this.project.doc.off('update', this.collectUpdate);
    void this.saveNow();
    this.transport.stop();
    this.stopSharing();
    this.unsubscribeProject();
    this.project.destroy();
    this.listeners.clear();
  }

  /** A canonical JSON of the Y.Doc (keys sorted), for comparing two peers' documents. */
  docJson(): string {
    return canonicalJson(docToJson(this.project.doc));
  }

  private readonly saveNowListener = (): void => void this.saveNow();

  private readonly collectUpdate = (update: Uint8Array): void => {
    this.unsaved.push(update);
    this.scheduleSave();
  };

  private scheduleSave(): void {
    if (this.saveTimer || this.destroyed) return;
    this.saveTimer = setTimeout(() => void this.saveNow(), SAVE_DELAY_MS);
  }

  private scheduleRetry(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.destroyed) return;
    this.saveTimer = setTimeout(() => void this.saveNow(), this.retryDelayMs);
    this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
  }

  private syncTransport(): void {
    this.transport.setProject(this.project.read());
  }

  private makeSnapshot(version: number, repairs: readonly string[], saveState: SessionSnapshot['saveState']): SessionSnapshot {
    return {
      project: this.project.read(),
      version,
      link: this.link?.read() ?? null,
      share: this.link ? { serverUrl: this.link.serverUrl, room: this.link.room } : null,
      saveState,
      canUndo: this.project.canUndo(),
      canRedo: this.project.canRedo(),
      repairs,
    };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function docToJson(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of [...doc.share.keys()].sort()) out[name] = doc.getMap(name).toJSON();
  return out;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) => {
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      return Object.fromEntries(Object.entries(entry as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return entry;
  });
}
