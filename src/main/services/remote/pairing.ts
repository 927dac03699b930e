import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** One phone paired with this Mixdeck: what the desktop lists, never its token. */
export interface PairedDevice {
  readonly id: string;
  readonly name: string;
  readonly pairedAtMs: number;
  readonly expiresAtMs: number;
  readonly lastSeenAtMs: number;
}

export interface PairingCode {
  /** Six digits, shown on the laptop only. */
  readonly code: string;
  readonly expiresAtMs: number;
}

export type PairResult =
  | { ok: true; token: string; device: PairedDevice }
  | { ok: false; reason: string };

export interface PairingOptions {
  /** A code is good this long after it is shown (default 2 min). */
  codeLifetimeMs?: number;
  /** A paired device's token is good this long (default 12 h). */
  tokenLifetimeMs?: number;
  /** Wrong codes allowed per window before every attempt is refused until the window ends. */
  maxAttemptsPerWindow?: number;
  attemptWindowMs?: number;
  now?: () => number;
}

const hashOf = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/**
 * Pairing codes and device tokens for the phone remote. A code is six random digits, valid for
 * a short time and used at most once; a wrong guess counts against a small budget, so the million
 * codes cannot be walked through. Tokens are 32 random bytes; only their SHA-256 is kept, so the
 * list of devices can be shown and the tokens cannot be read back from it.
 */
export class RemotePairing {
  private code: { hash: Buffer; expiresAtMs: number } | null = null;
  private readonly devices = new Map<string, { -readonly [K in keyof PairedDevice]: PairedDevice[K] } & { tokenHash: Buffer }>();
  private attempts: number[] = [];
  private readonly revokeListeners = new Set<(deviceId: string) => void>();
  private readonly codeLifetimeMs: number;
  private readonly tokenLifetimeMs: number;
  private readonly maxAttempts: number;
  private readonly attemptWindowMs: number;
  private readonly now: () => number;

  constructor(options: PairingOptions = {}) {
    this.codeLifetimeMs = options.codeLifetimeMs ?? 2 * 60_000;
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 12 * 3600_000;
    this.maxAttempts = options.maxAttemptsPerWindow ?? 5;
    this.attemptWindowMs = options.attemptWindowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A new code; the previous one stops working. */
  newCode(): PairingCode {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAtMs = this.now() + this.codeLifetimeMs;
    this.code = { hash: hashOf(code), expiresAtMs };
    this.attempts = [];
    return { code, expiresAtMs };
  }

  /** Trades the code shown on the laptop for a device token (once). */
  pair(offeredCode: string, deviceName: string): PairResult {
    const now = this.now();
    this.attempts = this.attempts.filter((at) => now - at < this.attemptWindowMs);
    if (this.attempts.length >= this.maxAttempts) {
      return { ok: false, reason: 'Too many wrong codes. Wait a minute, then show a new code on the laptop.' };
    }
    const current = this.code;
    if (!current || now > current.expiresAtMs) {
      this.attempts.push(now);
      return { ok: false, reason: 'That code is not valid (codes work once, for two minutes). Show a new code on the laptop.' };
    }
    if (!/^\d{6}$/.test(offeredCode) || !timingSafeEqual(hashOf(offeredCode), current.hash)) {
      this.attempts.push(now);
      return { ok: false, reason: 'That code is not valid (codes work once, for two minutes). Show a new code on the laptop.' };
    }
    this.code = null;
    const token = randomBytes(32).toString('hex');
    const device = {
      id: randomBytes(8).toString('hex'),
      name: deviceName.replace(/[^\p{L}\p{N} ._'-]/gu, '').trim().slice(0, 60) || 'Phone',
      pairedAtMs: now,
      expiresAtMs: now + this.tokenLifetimeMs,
      lastSeenAtMs: now,
      tokenHash: hashOf(token),
    };
    this.devices.set(device.id, device);
    return { ok: true, token, device: this.publicDevice(device) };
  }

  /** The device this token belongs to, when it is paired and not expired; null otherwise. */
  verify(token: string | null | undefined): PairedDevice | null {
    if (!token || !/^[0-9a-f]{64}$/.test(token)) return null;
    const hash = hashOf(token);
    const now = this.now();
    for (const device of this.devices.values()) {
      if (!timingSafeEqual(device.tokenHash, hash)) continue;
      if (now > device.expiresAtMs) {
        this.devices.delete(device.id);
        for (const listener of this.revokeListeners) listener(device.id);
        return null;
      }
      device.lastSeenAtMs = now;
      return this.publicDevice(device);
    }
    return null;
  }

  list(): PairedDevice[] {
    const now = this.now();
    return [...this.devices.values()].filter((device) => device.expiresAtMs >= now).map((device) => this.publicDevice(device));
  }

  /** Forgets a device at once; its open connections are closed by whoever listens. */
  revoke(deviceId: string): boolean {
    const removed = this.devices.delete(deviceId);
    if (removed) for (const listener of this.revokeListeners) listener(deviceId);
    return removed;
  }

  revokeAll(): void {
    for (const id of [...this.devices.keys()]) this.revoke(id);
    this.code = null;
  }

  onRevoke(listener: (deviceId: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  private publicDevice(device: PairedDevice): PairedDevice {
    return { id: device.id, name: device.name, pairedAtMs: device.pairedAtMs, expiresAtMs: device.expiresAtMs, lastSeenAtMs: device.lastSeenAtMs };
  }
}
