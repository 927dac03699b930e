import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import {
  DEFAULT_SETTINGS,
  MixdeckError,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/contract';
import type { Logger } from '../log/logger';

type Section = keyof Settings;
const SECTIONS = Object.keys(DEFAULT_SETTINGS) as Section[];

export interface SettingsServiceOptions {
  db: Database.Database;
  logger: Logger;
  onDidChange?: (settings: Settings) => void;
  now?: () => number;
}

/** Checks a folder the way a user means it: an absolute path to a folder that exists now. */
function checkFolder(path: string, label: string): void {
  if (!isAbsolute(path)) throw new MixdeckError('invalid-input', `${label} must be a full path (like /home/me/Music), not "${path}".`);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) throw new MixdeckError('invalid-input', `${label} "${path}" does not exist.`);
  if (!stats.isDirectory()) throw new MixdeckError('invalid-input', `${label} "${path}" is a file, not a folder.`);
}

/** Settings live in SQLite, one JSON row per section, validated on the way in and on the way out. */
export class SettingsService {
  private readonly db: Database.Database;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly onDidChange: ((settings: Settings) => void) | undefined;
  private readonly selectAll: Database.Statement<[], { section: string; value: string }>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(options: SettingsServiceOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.onDidChange = options.onDidChange;
    this.selectAll = this.db.prepare('SELECT section, value FROM settings');
    this.upsert = this.db.prepare(
      'INSERT INTO settings (section, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(section) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.remove = this.db.prepare('DELETE FROM settings WHERE section = ?');
  }

  get(): Settings {
    const settings = structuredClone(DEFAULT_SETTINGS);
    for (const row of this.selectAll.all()) {
      const section = row.section as Section;
      if (!SECTIONS.includes(section)) continue;
      const schema = SettingsSchema.shape[section];
      // A section written by an older or newer version keeps what still fits and defaults the rest.
      const merged = { ...DEFAULT_SETTINGS[section], ...(JSON.parse(row.value) as object) };
      const parsed = schema.safeParse(merged);
      if (parsed.success) (settings as Record<Section, unknown>)[section] = parsed.data;
      else this.logger.warn('stored settings section is invalid; using defaults', { section });
    }
    return settings;
  }

  update(patch: SettingsPatch): Settings {
    const current = this.get();
    const next = structuredClone(current);
    for (const section of SECTIONS) {
      const change = patch[section];
      if (change) Object.assign(next[section], change);
    }
    const parsed = SettingsSchema.parse(next);
    if (patch.folders?.music) {
      const seen = new Set<string>();
      for (const folder of patch.folders.music) {
        checkFolder(folder, 'Music folder');
        if (seen.has(folder)) throw new MixdeckError('invalid-input', `Music folder "${folder}" is listed twice.`);
        seen.add(folder);
      }
    }
    if (patch.folders?.recordings) checkFolder(patch.folders.recordings, 'Recordings folder');
    this.write(parsed, SECTIONS.filter((section) => patch[section] !== undefined));
    return parsed;
  }

  reset(section?: Section): Settings {
    const sections = section ? [section] : SECTIONS;
    this.db.transaction(() => {
      for (const name of sections) this.remove.run(name);
    })();
    const settings = this.get();
    this.onDidChange?.(settings);
    return settings;
  }

  private write(settings: Settings, sections: Section[]): void {
    const at = this.now();
    this.db.transaction(() => {
      for (const section of sections) this.upsert.run(section, JSON.stringify(settings[section]), at);
    })();
    this.onDidChange?.(settings);
  }
}
