/**
 * Encrypts secrets (stream keys, tokens) before they touch the disk.
 * Electron supplies one backed by the OS keychain (safeStorage); the web host and
 * the CLI use a key file in the data folder (see key-file-cipher.ts).
 */
export interface SecretCipher {
  /** Shown in settings so the user knows where their keys are protected. */
  readonly description: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}
