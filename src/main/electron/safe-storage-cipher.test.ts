import { describe, expect, it, vi } from 'vitest';
import { MixdeckError } from '../../shared/contract';
import { createSafeStorageCipher, type SafeStorageLike } from './safe-storage-cipher';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** Stands in for safeStorage: a reversible transform, so a test can tell sealed from plain. */
function fakeSafeStorage(options: { available?: boolean; backend?: Backend } = {}): SafeStorageLike & { backendAsked: number } {
  const fake = {
    backendAsked: 0,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (plain: string) => Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').reverse()]),
    decryptString: (sealed: Buffer) => {
      if (sealed.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(sealed.subarray(3)).reverse().toString('utf8');
    },
    getSelectedStorageBackend: (): Backend => {
      fake.backendAsked += 1;
      return options.backend ?? 'gnome_libsecret';
    },
  };
  return fake;
}

describe('the safeStorage secret cipher', () => {
  it('seals a stream key so the plain text is not in what gets stored, and opens it again', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage(), 'linux');
    const sealed = cipher.encrypt('live_123456789_abcdefghijkl');
    expect(sealed.toString('utf8')).not.toContain('live_123456789_abcdefghijkl');
    expect(cipher.decrypt(sealed)).toBe('live_123456789_abcdefghijkl');
  });

  it('says which keychain protects the keys', () => {
    expect(createSafeStorageCipher(fakeSafeStorage(), 'darwin').description).toMatch(/macOS Keychain/);
    expect(createSafeStorageCipher(fakeSafeStorage(), 'win32').description).toMatch(/Windows/);
    expect(createSafeStorageCipher(fakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux').description).toMatch(/GNOME keyring/);
    expect(createSafeStorageCipher(fakeSafeStorage({ backend: 'kwallet6' }), 'linux').description).toMatch(/KDE Wallet/);
  });

  it('calls Linux’s fallback plain-text backend weak, in words', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage({ backend: 'basic_text' }), 'linux');
    expect(cipher.weak).toBe(true);
    expect(cipher.description).toMatch(/weak/);
    expect(createSafeStorageCipher(fakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux').weak).toBe(false);
  });

  it('asks for the storage backend only on Linux, the one platform that has it', () => {
    const storage = fakeSafeStorage();
    createSafeStorageCipher(storage, 'darwin');
    createSafeStorageCipher(storage, 'win32');
    expect(storage.backendAsked).toBe(0);
  });

  it('refuses with a clear, user-facing error when no keychain is available', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage({ available: false }), 'linux');
    const attempt = (): Buffer => cipher.encrypt('live_123456789_abcdefghijkl');
    expect(attempt).toThrow(MixdeckError);
    expect(attempt).toThrow(/keychain is not available/);
    try {
      attempt();
    } catch (error) {
      expect((error as MixdeckError).code).toBe('unavailable');
      expect((error as Error).message).not.toContain('live_123456789');
    }
  });

  it('explains a secret it cannot open instead of passing on Chromium’s message', () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage(), 'linux');
    const fromTheKeyFile = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(() => cipher.decrypt(fromTheKeyFile)).toThrow(/Enter it again/);
  });
});
