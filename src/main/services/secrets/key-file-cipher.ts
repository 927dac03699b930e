import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
 */
export class KeyFileCipher implements SecretCipher {
  readonly description: string;
  private readonly key: Buffer;

  constructor(keyFile: string) {
    this.description = `key file ${keyFile}`;
    if (existsSync(keyFile)) {
      this.key = readFileSync(keyFile);
      if (this.key.length !== KEY_BYTES) throw new Error(`The secret key file ${keyFile} is damaged (wrong length); stored stream keys cannot be read.`);
    } else {
      mkdirSync(dirname(keyFile), { recursive: true });
      this.key = randomBytes(KEY_BYTES);
      writeFileSync(keyFile, this.key, { mode: 0o600, flag: 'wx' });
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
