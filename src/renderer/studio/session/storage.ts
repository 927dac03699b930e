import * as Y from 'yjs';
import type { MixdeckClient } from '../../../shared/contract';
import type { StudioProjectInfo } from '../../../shared/contract/studio';

/** A project as the list shows it. */
export interface ProjectSummary {
  readonly id: string;
  readonly name: string;
  readonly updatedAt: string;
  readonly room?: { readonly serverUrl: string; readonly room: string } | null;
}

/**
 * Where projects are kept. In the app this is main's studio service (the data folder); the
 * session saves the Y.Doc's update through it at most once a second, so a crash loses at most
 * the last second.
 */
export interface ProjectStorage {
  readonly persistent: boolean;
  list(): Promise<ProjectSummary[]>;
  /** A new project whose first state is `initialState` (so no second, competing first state is made). */
  create(name: string, initialState: Uint8Array): Promise<ProjectSummary>;
  load(id: string): Promise<Uint8Array | null>;
  /** Appends a Yjs update (changes since the last save) to the project. */
  save(id: string, update: Uint8Array): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  /** Remembers the room a project is shared in (null: not shared), so reopening reconnects. */
  setShare(id: string, share: { serverUrl: string; room: string } | null): Promise<void>;
}

/** Projects kept for the life of the page only: used when main has no studio storage. */
export class MemoryProjectStorage implements ProjectStorage {
  readonly persistent = false;
  private readonly projects = new Map<string, { summary: ProjectSummary; state: Uint8Array | null }>();
  private counter = 0;

  async list(): Promise<ProjectSummary[]> {
    return [...this.projects.values()].map((entry) => entry.summary).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async create(name: string, initialState: Uint8Array): Promise<ProjectSummary> {
    this.counter += 1;
    const summary = { id: `local-${Date.now().toString(36)}-${this.counter}`, name, updatedAt: new Date().toISOString() };
    this.projects.set(summary.id, { summary, state: initialState });
    return summary;
  }

  async load(id: string): Promise<Uint8Array | null> {
    return this.projects.get(id)?.state ?? null;
  }

  async save(id: string, update: Uint8Array): Promise<void> {
    const entry = this.projects.get(id);
    if (!entry) return;
    const state = entry.state ? Y.mergeUpdates([entry.state, update]) : update;
    this.projects.set(id, { summary: { ...entry.summary, updatedAt: new Date().toISOString() }, state });
  }

  async rename(id: string, name: string): Promise<void> {
    const entry = this.projects.get(id);
    if (entry) this.projects.set(id, { ...entry, summary: { ...entry.summary, name } });
  }

  async setShare(id: string, share: { serverUrl: string; room: string } | null): Promise<void> {
    const entry = this.projects.get(id);
    if (entry) this.projects.set(id, { ...entry, summary: { ...entry.summary, room: share } });
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(text);
}

export function base64ToBytes(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index);
  return bytes;
}

/**
 * Projects in the app's data folder, through main's studio service (`studio.*` calls): an
 * append-only log of Yjs updates per project, on disk within a second.
 */
export class MainProjectStorage implements ProjectStorage {
  readonly persistent = true;

  constructor(private readonly client: MixdeckClient) {}

  async list(): Promise<ProjectSummary[]> {
    return (await this.client.call('studio.list', {})).map(toSummary);
  }

  async create(name: string, initialState: Uint8Array): Promise<ProjectSummary> {
    return toSummary(await this.client.call('studio.create', { name, initialStateBase64: bytesToBase64(initialState) }));
  }

  async load(id: string): Promise<Uint8Array | null> {
    const { stateBase64 } = await this.client.call('studio.open', { projectId: id });
    return stateBase64 ? base64ToBytes(stateBase64) : null;
  }

  async save(id: string, update: Uint8Array): Promise<void> {
    await this.client.call('studio.saveUpdate', { projectId: id, updateBase64: bytesToBase64(update) });
  }

  async rename(id: string, name: string): Promise<void> {
    await this.client.call('studio.rename', { projectId: id, name });
  }

  async setShare(id: string, share: { serverUrl: string; room: string } | null): Promise<void> {
    await this.client.call('studio.setShare', { projectId: id, share });
  }
}

function toSummary(info: StudioProjectInfo): ProjectSummary {
  return { id: info.id, name: info.name, updatedAt: info.updatedAt, room: info.share };
}
