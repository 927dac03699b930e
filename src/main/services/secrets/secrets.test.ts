import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
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
    writeFileSync(join(temp.path, 'short.key'), 'abc');
    expect(() => new KeyFileCipher(join(temp.path, 'short.key'))).toThrow(/damaged/);
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
