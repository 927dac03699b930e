import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MixdeckError, type Settings } from '../../../shared/contract';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { SettingsService } from './settings-service';

const logger = createLogger({ level: 'error' });

describe('SettingsService', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.path, 'mixdeck.db');
  });
  afterEach(() => temp.remove());

  const open = (onDidChange?: (settings: Settings) => void) => {
    const { db } = openDatabase(file, logger);
    return { db, service: new SettingsService({ db, logger, onDidChange }) };
  };

  it('merges a partial update into the stored settings and reports the change once', () => {
    const changes: Settings[] = [];
    const { db, service } = open((settings) => changes.push(settings));
    const music = join(temp.path, 'Music');
    mkdirSync(music);
    service.update({ audio: { inputDevice: 'Pioneer DJM-900NXS2' } });
    const after = service.update({ folders: { music: [music] }, appearance: { theme: 'light' } });
    expect(after.audio.inputDevice).toBe('Pioneer DJM-900NXS2');
    expect(after.folders.music).toEqual([music]);
    expect(after.appearance).toEqual({ ...DEFAULT_SETTINGS.appearance, theme: 'light' });
    expect(changes).toHaveLength(2);
    db.close();
    const reopened = open();
    expect(reopened.service.get()).toEqual(after);
    reopened.db.close();
  });

  it('refuses a duplicate music folder', () => {
    const { db, service } = open();
    expect(() => service.update({ folders: { music: [temp.path, temp.path] } })).toThrow(MixdeckError);
    expect(service.get().folders.music).toEqual([]);
    db.close();
  });

  it('keeps the valid fields of a section written by another version and defaults the rest', () => {
    const { db, service } = open();
    db.prepare('INSERT INTO settings (section, value, updated_at) VALUES (?, ?, 0)').run(
      'audio',
      JSON.stringify({ sampleRate: 96000, futureKnob: true }),
    );
    db.prepare('INSERT INTO settings (section, value, updated_at) VALUES (?, ?, 0)').run('appearance', JSON.stringify({ theme: 'neon' }));
    const settings = service.get();
    expect(settings.audio.sampleRate).toBe(96000);
    expect(settings.appearance).toEqual(DEFAULT_SETTINGS.appearance);
    db.close();
  });
});
