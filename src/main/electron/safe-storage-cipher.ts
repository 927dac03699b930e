import type { SafeStorage } from 'electron';
import { MixdeckError } from '../../shared/contract';
import type { SecretCipher } from '../services/secrets/secret-cipher';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export interface SafeStorageCipher extends SecretCipher {
  /** True when the "keychain" is Chromium's built-in fallback: the key sits in the app itself. */
  readonly weak: boolean;
}

type LinuxBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

const LINUX_BACKENDS: Record<LinuxBackend, string> = {
  gnome_libsecret: 'the GNOME keyring (libsecret)',
  kwallet: 'KDE Wallet',
  kwallet5: 'KDE Wallet 5',
  kwallet6: 'KDE Wallet 6',
  basic_text:
    'a fixed built-in key (weak): no system keyring was found, so anyone who can read your files can read your stream keys. Install and unlock GNOME Keyring or KWallet to fix this',
  unknown: 'the system keyring',
};

function describe(safeStorage: SafeStorageLike, platform: NodeJS.Platform): { description: string; weak: boolean } {
  if (platform === 'darwin') return { description: 'the macOS Keychain', weak: false };
  if (platform === 'win32') return { description: 'Windows data protection (your Windows account)', weak: false };
  if (platform !== 'linux') return { description: 'the system keychain', weak: false };
  // Chromium picks the Linux backend when encryption is first needed; asking first makes it choose.
  safeStorage.isEncryptionAvailable();
  const backend = safeStorage.getSelectedStorageBackend();
  return { description: LINUX_BACKENDS[backend] ?? LINUX_BACKENDS.unknown, weak: backend === 'basic_text' };
}

/**
 * Secrets sealed by Electron's safeStorage, i.e. by the OS keychain. Create it after `app` is
 * ready (before that, Linux cannot tell which keyring it has). Availability is checked on every
 * use, so a keyring that goes away is reported as such instead of as a garbled secret.
 */
export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SafeStorageCipher {
  const { description, weak } = describe(safeStorage, platform);
  const requireAvailable = (): void => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new MixdeckError(
        'unavailable',
        'Mixdeck cannot protect stream keys: the system keychain is not available. Unlock or install your keychain, then restart Mixdeck.',
      );
    }
  };
  return {
    description,
    weak,
    encrypt(plain) {
      requireAvailable();
      return safeStorage.encryptString(plain);
    },
    decrypt(sealed) {
      requireAvailable();
      try {
        return safeStorage.decryptString(sealed);
      } catch {
        throw new MixdeckError(
          'unavailable',
          'A saved stream key could not be unlocked with this computer’s keychain (it may have been saved by the web host, or the keychain changed). Enter it again.',
        );
      }
    },
  };
}
