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
  }

  get(name: string): string | null {
    const row = this.select.get(name);
    if (!row) return null;
    const value = this.cipher.decrypt(row.sealed);
    this.redactor.addSecret(value);
    return value;
  }

  has(name: string): boolean {
    return this.select.get(name) !== undefined;
  }

  delete(name: string): void {
    this.remove.run(name);
  }
}
