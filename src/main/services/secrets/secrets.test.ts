import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../../tests/support/core-calls';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createAppCore } from '../../app-core';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { Redactor } from '../log/redact';
import { KeyFileCipher } from './key-file-cipher';
import { SecretStore } from './secret-store';

const STREAM_KEY = 'live_123456789_AbCdEfGhIjKlMnOpQrStUvWxYz';

describe('secrets at rest', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('never writes a stream key to the database file in the clear, and reads it back', () => {
    const dbFile = join(temp.path, 'mixdeck.db');
    const { db } = openDatabase(dbFile, createLogger({ level: 'error' }));
    const store = new SecretStore(db, new KeyFileCipher(join(temp.path, 'secret.key')), new Redactor());
    store.set('target:twitch', STREAM_KEY);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(readFileSync(dbFile).includes(Buffer.from(STREAM_KEY))).toBe(false);

    const { db: again } = openDatabase(dbFile, createLogger({ level: 'error' }));
    const reopened = new SecretStore(again, new KeyFileCipher(join(temp.path, 'secret.key')), new Redactor());
    expect(reopened.get('target:twitch')).toBe(STREAM_KEY);
    expect(reopened.has('target:youtube')).toBe(false);
    expect(reopened.get('target:youtube')).toBeNull();
    again.close();
  });

  it('keeps the key file private to the user', () => {
    new KeyFileCipher(join(temp.path, 'secret.key'));
    expect(statSync(join(temp.path, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('detects tampering and a damaged key file with a clear error', () => {
    const cipher = new KeyFileCipher(join(temp.path, 'secret.key'));
    const sealed = cipher.encrypt(STREAM_KEY);
    sealed[sealed.length - 1]! ^= 0xff;
    expect(() => cipher.decrypt(sealed)).toThrow();
  });

  it('moves a key file it cannot use aside (kept, renamed with the time) and starts with a new one', () => {
    const keyFile = join(temp.path, 'secret.key');
    writeFileSync(keyFile, 'abc');
    const cipher = new KeyFileCipher(keyFile, { now: () => new Date('2026-12-04T10:00:00Z') });
    expect(cipher.movedAsideTo).toBe(`${keyFile}.unusable-2026-12-04T10-00-00-000Z`);
    expect(readFileSync(cipher.movedAsideTo!, 'utf8')).toBe('abc');
    expect(readFileSync(keyFile).length).toBe(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(cipher.decrypt(cipher.encrypt(STREAM_KEY))).toBe(STREAM_KEY);
  });

  it('registers every stored key with the redactor so logs cannot print it', () => {
    const { db } = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' }));
    const logger = createLogger({ directory: join(temp.path, 'logs') });
    const store = new SecretStore(db, new KeyFileCipher(join(temp.path, 'secret.key')), logger.redactor);
    store.set('target:custom', 'opaque-custom-key-42');
    logger.error('ffmpeg said', { stderr: 'Error opening output opaque-custom-key-42: Connection refused' });
    const log = readFileSync(join(temp.path, 'logs', 'mixdeck.log'), 'utf8');
    expect(log).not.toContain('opaque-custom-key-42');
    expect(log).toContain('Connection refused');
    db.close();
  });
});

describe('secrets through the app (real services and dispatcher)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('starts with a key file of the wrong length, keeps the old file aside and says so in words', async () => {
    writeFileSync(join(temp.path, 'secret.key'), 'not a key, just text someone typed\n');
    const core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'error' });
    try {
      const info = await call(core, 'app.info', {});
      expect(info.startupNotices.join(' ')).toMatch(/secret key file could not be used.*Enter your stream keys again/);
      const aside = readdirSync(temp.path).filter((name) => name.startsWith('secret.key.unusable-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(temp.path, aside[0]!), 'utf8')).toBe('not a key, just text someone typed\n');
      const added = await call(core, 'broadcast.addTarget', { platform: 'twitch', streamKey: STREAM_KEY });
      expect(added.keySet).toBe(true);
    } finally {
      await core.close();
    }
  });

  it('answers listTargets with the targets asking for their key again when the key file is a different valid key', async () => {
    const first = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'error' });
    const target = await call(first, 'broadcast.addTarget', { platform: 'twitch', name: 'Main channel', streamKey: STREAM_KEY });
    expect(target.keySet).toBe(true);
    await first.close();
    writeFileSync(join(temp.path, 'secret.key'), randomBytes(32));

    const second = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'error' });
    try {
      const { targets } = await call(second, 'broadcast.listTargets', {});
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatchObject({ name: 'Main channel', keySet: false, keyHint: null });
      expect(targets[0]!.problems).toContainEqual(expect.objectContaining({ field: 'streamKey', severity: 'error', message: expect.stringMatching(/can no longer be read.*enter the key again/) }));
      expect(JSON.stringify(targets)).not.toMatch(/internal/i);
      // Entering the key again clears the problem.
      const fixed = await call(second, 'broadcast.updateTarget', { id: target.id, streamKey: STREAM_KEY });
      expect(fixed.keySet).toBe(true);
      expect(fixed.problems.map((problem) => problem.message).join(' ')).not.toMatch(/can no longer be read/);
    } finally {
      await second.close();
    }
  });
});
