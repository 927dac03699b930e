import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretCipher } from './secret-cipher';

const FORMAT_VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random key kept in `secret.key` (mode 0600) in the data folder.
 * Used by the web host and the CLI, where the OS keychain (Electron's safeStorage) is not
 * available. It keeps keys out of the database file and out of backups of it; it does not
 * protect against someone who can read the user's own files. docs/security.md says so.
 *
 * A key file that cannot be a key (wrong length, not a file) is never deleted: it is renamed to
 * `secret.key.unusable-<time>` and a new key is made, so the app starts; the secrets sealed with
 * the old key then read as unreadable (SecretStore) and the user is asked for them again.
 */
export class KeyFileCipher implements SecretCipher {
  readonly description: string;
  /** Where an unusable key file was moved on start, or null. */
  readonly movedAsideTo: string | null = null;
  private readonly key: Buffer;

  constructor(keyFile: string, options: { now?: () => Date } = {}) {
    this.description = `key file ${keyFile}`;
    const existing = lstatSync(keyFile, { throwIfNoEntry: false });
    if (existing?.isFile() && existing.size === KEY_BYTES) {
      this.key = readFileSync(keyFile);
    } else {
      if (existing) {
        const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
        this.movedAsideTo = `${keyFile}.unusable-${stamp}`;
        renameSync(keyFile, this.movedAsideTo);
      }
      mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
      this.key = randomBytes(KEY_BYTES);
      writeNewKey(keyFile, this.key);
    }
    chmodSync(keyFile, 0o600);
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Buffer): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) throw new Error('A stored secret is not in a format this version can read.');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Writes the new key to a file only the user can read, synced before anything is sealed with it. */
function writeNewKey(keyFile: string, key: Buffer): void {
  const fd = openSync(keyFile, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
