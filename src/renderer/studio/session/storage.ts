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
  create(name: string): Promise<ProjectSummary>;
  load(id: string): Promise<Uint8Array | null>;
  save(id: string, state: Uint8Array, name: string): Promise<void>;
  rename?(id: string, name: string): Promise<void>;
}

/** Projects kept for the life of the page only: used when main has no studio storage. */
export class MemoryProjectStorage implements ProjectStorage {
  readonly persistent = false;
  private readonly projects = new Map<string, { summary: ProjectSummary; state: Uint8Array | null }>();
  private counter = 0;

  async list(): Promise<ProjectSummary[]> {
    return [...this.projects.values()].map((entry) => entry.summary).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async create(name: string): Promise<ProjectSummary> {
    this.counter += 1;
    const summary = { id: `local-${Date.now().toString(36)}-${this.counter}`, name, updatedAt: new Date().toISOString() };
    this.projects.set(summary.id, { summary, state: null });
    return summary;
  }

  async load(id: string): Promise<Uint8Array | null> {
    return this.projects.get(id)?.state ?? null;
  }

  async save(id: string, state: Uint8Array, name: string): Promise<void> {
    const entry = this.projects.get(id);
    const summary = { id, name, updatedAt: new Date().toISOString(), room: entry?.summary.room ?? null };
    this.projects.set(id, { summary, state });
  }
}
