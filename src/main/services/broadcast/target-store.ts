import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  MixdeckError,
  type BroadcastPlatform,
  type BroadcastProfileOverrides,
  type BroadcastTarget,
} from '../../../shared/contract';
import type { SecretStore } from '../secrets/secret-store';
import { PLATFORM_PRESETS, resolveProfile, validateTarget, type StreamTarget } from './presets';

interface TargetRow {
  id: string;
  platform: BroadcastPlatform;
  name: string;
  server: string | null;
  overrides: string;
  enabled: number;
  position: number;
}

export interface NewTarget {
  platform: BroadcastPlatform;
  name?: string;
  server?: string;
  streamKey?: string;
  overrides?: BroadcastProfileOverrides;
  enabled?: boolean;
}

export interface TargetPatch {
  id: string;
  name?: string;
  server?: string | null;
  streamKey?: string | null;
  overrides?: BroadcastProfileOverrides;
  enabled?: boolean;
}

/** The secret's name for one target's key. */
export const streamKeySecretName = (id: string): string => `broadcast.target.${id}.streamKey`;

/** "••••••••x7": enough to tell two keys apart, never enough to use one. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.length >= 12 ? `••••••••${trimmed.slice(-2)}` : '••••••••';
}

/**
 * Saved targets in SQLite (migration 0005); keys sealed in the SecretStore. Whatever this
 * returns to the contract (`BroadcastTarget`) carries `keySet` and a masked hint, never the key.
 */
export class TargetStore {
  private readonly selectAll: Database.Statement<[], TargetRow>;
  private readonly selectOne: Database.Statement<[string], TargetRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretStore,
  ) {
    this.selectAll = db.prepare('SELECT id, platform, name, server, overrides, enabled, position FROM broadcast_targets ORDER BY position, created_at');
    this.selectOne = db.prepare('SELECT id, platform, name, server, overrides, enabled, position FROM broadcast_targets WHERE id = ?');
  }

  list(): BroadcastTarget[] {
    return this.selectAll.all().map((row) => this.toPublic(row));
  }

  get(id: string): BroadcastTarget {
    return this.toPublic(this.row(id));
  }

  /** The target as the engine needs it: with its key. Stays in main. */
  forEngine(id: string): StreamTarget & { enabled: boolean; name: string } {
    const row = this.row(id);
    return {
      id: row.id,
      platform: row.platform,
      label: row.name,
      name: row.name,
      server: row.server ?? undefined,
      streamKey: this.secrets.get(streamKeySecretName(row.id)) ?? '',
      profile: parseOverrides(row.overrides),
      enabled: row.enabled === 1,
    };
  }

  add(input: NewTarget): BroadcastTarget {
    const preset = PLATFORM_PRESETS[input.platform];
    const id = `${input.platform}-${randomBytes(4).toString('hex')}`;
    const now = Date.now();
    const position = (this.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM broadcast_targets').get() as { next: number }).next;
    const write = this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO broadcast_targets (id, platform, name, server, overrides, enabled, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, input.platform, input.name?.trim() || this.uniqueName(preset.name), input.server ?? null, JSON.stringify(input.overrides ?? {}), input.enabled === false ? 0 : 1, position, now, now);
      if (input.streamKey?.trim()) this.secrets.set(streamKeySecretName(id), input.streamKey.trim());
    });
    write();
    return this.get(id);
  }

  update(patch: TargetPatch): BroadcastTarget {
    const row = this.row(patch.id);
    const write = this.db.transaction(() => {
      this.db
        .prepare('UPDATE broadcast_targets SET name = ?, server = ?, overrides = ?, enabled = ?, updated_at = ? WHERE id = ?')
        .run(
          patch.name !== undefined ? patch.name.trim() || PLATFORM_PRESETS[row.platform].name : row.name,
          patch.server !== undefined ? patch.server : row.server,
          patch.overrides !== undefined ? JSON.stringify(patch.overrides) : row.overrides,
          patch.enabled !== undefined ? (patch.enabled ? 1 : 0) : row.enabled,
          Date.now(),
          row.id,
        );
      if (patch.streamKey === null || (patch.streamKey !== undefined && !patch.streamKey.trim())) this.secrets.delete(streamKeySecretName(row.id));
      else if (patch.streamKey !== undefined) this.secrets.set(streamKeySecretName(row.id), patch.streamKey.trim());
    });
    write();
    return this.get(row.id);
  }

  remove(id: string): boolean {
    const result = this.db.prepare('DELETE FROM broadcast_targets WHERE id = ?').run(id);
    this.secrets.delete(streamKeySecretName(id));
    return result.changes > 0;
  }

  private row(id: string): TargetRow {
    const row = this.selectOne.get(id);
    if (!row) throw new MixdeckError('not-found', `There is no saved target "${id}".`);
    return row;
  }

  private uniqueName(base: string): string {
    const names = new Set(this.selectAll.all().map((row) => row.name));
    if (!names.has(base)) return base;
    for (let n = 2; ; n++) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
  }

  private toPublic(row: TargetRow): BroadcastTarget {
    const preset = PLATFORM_PRESETS[row.platform];
    const overrides = parseOverrides(row.overrides);
    const key = this.secrets.get(streamKeySecretName(row.id));
    const problems = validateTarget({ id: row.id, platform: row.platform, label: row.name, server: row.server ?? undefined, streamKey: key ?? '', profile: overrides }).map(
      (problem) => ({ field: problem.field, severity: problem.severity, message: problem.message }),
    );
    if (this.secrets.unreadable(streamKeySecretName(row.id))) {
      // Sealed with a key file (or keychain) this install no longer has: ask for the key again.
      const others = problems.filter((problem) => problem.field !== 'streamKey');
      problems.length = 0;
      problems.push(
        { field: 'streamKey', severity: 'error', message: 'The stream key saved for this target can no longer be read (the secret key file was replaced); enter the key again.' },
        ...others,
      );
    }
    return {
      id: row.id,
      platform: row.platform,
      name: row.name,
      server: row.server ?? preset.servers[0]?.url ?? '',
      serverIsCustom: row.server !== null,
      overrides,
      profile: { ...resolveProfile(row.platform, overrides) },
      enabled: row.enabled === 1,
      keySet: key !== null && key.length > 0,
      keyHint: key ? maskKey(key) : null,
      problems,
    };
  }
}

function parseOverrides(text: string): BroadcastProfileOverrides {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as BroadcastProfileOverrides) : {};
  } catch {
    return {};
  }
}

/** Small JSON values of the broadcast setup (audio input, video source, upload speed). */
export class SetupStore {
  constructor(private readonly db: Database.Database) {}

  get<T>(name: string): T | null {
    const row = this.db.prepare('SELECT value FROM broadcast_setup WHERE name = ?').get(name) as { value: string } | undefined;
    if (!row) return null;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return null;
    }
  }

  set(name: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO broadcast_setup (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(name, JSON.stringify(value), Date.now());
  }
}
