import type Database from 'better-sqlite3';
import type { Redactor } from '../log/redact';
import type { SecretCipher } from './secret-cipher';

/**
 * Stream keys and tokens, sealed by a SecretCipher before they reach SQLite. Every value
 * read or written is registered with the log redactor, so it can never be printed.
 * Values stay in main: the contract only ever exposes whether a secret is set.
 */
export class SecretStore {
  private readonly select: Database.Statement<[string], { sealed: Buffer }>;
  private readonly upsert: Database.Statement<[string, Buffer, number]>;
  private readonly remove: Database.Statement<[string]>;
  /** Secrets on disk that this cipher cannot open (sealed with another key file or keychain). */
  private readonly unreadableNames = new Set<string>();

  constructor(
    db: Database.Database,
    private readonly cipher: SecretCipher,
    private readonly redactor: Redactor,
  ) {
    this.select = db.prepare('SELECT sealed FROM secrets WHERE name = ?');
    this.upsert = db.prepare(
      'INSERT INTO secrets (name, sealed, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at',
    );
    this.remove = db.prepare('DELETE FROM secrets WHERE name = ?');
  }

  get protection(): string {
    return this.cipher.description;
  }

  set(name: string, value: string): void {
    this.redactor.addSecret(value);
    this.upsert.run(name, this.cipher.encrypt(value), Date.now());
    this.unreadableNames.delete(name);
  }

  /**
   * The secret, or null when none is stored, or when the stored one cannot be opened (the key
   * file was replaced, the keychain changed): then `unreadable(name)` is true until it is set again.
   */
  get(name: string): string | null {
    const row = this.select.get(name);
    if (!row) return null;
    let value: string;
    try {
      value = this.cipher.decrypt(row.sealed);
    } catch {
      this.unreadableNames.add(name);
      return null;
    }
    this.unreadableNames.delete(name);
    this.redactor.addSecret(value);
    return value;
  }

  /** True when a secret is stored under this name but could not be opened by the last get(). */
  unreadable(name: string): boolean {
    return this.unreadableNames.has(name);
  }

  has(name: string): boolean {
    return this.select.get(name) !== undefined;
  }

  delete(name: string): void {
    this.remove.run(name);
    this.unreadableNames.delete(name);
  }
}
