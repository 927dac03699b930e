import { describe, expect, it } from 'vitest';
import { RemotePairing } from './pairing';

function clock(startMs = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

describe('remote pairing codes', () => {
  it('pairs with the right code once; the same code is refused the second time', () => {
    const pairing = new RemotePairing();
    const { code } = pairing.newCode();
    expect(code).toMatch(/^\d{6}$/);
    const first = pairing.pair(code, 'My phone');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(pairing.verify(first.token)?.name).toBe('My phone');
    const again = pairing.pair(code, 'Another phone');
    expect(again).toEqual({ ok: false, reason: expect.stringContaining('not valid') });
    expect(pairing.list()).toHaveLength(1);
  });

  it('refuses a wrong code, an expired code, and a code replaced by a newer one', () => {
    const time = clock();
    const pairing = new RemotePairing({ now: time.now });
    const { code } = pairing.newCode();
    const wrong = code === '000000' ? '000001' : '000000';
    expect(pairing.pair(wrong, 'x').ok).toBe(false);
    expect(pairing.pair('12345', 'x').ok).toBe(false);
    time.advance(2 * 60_000 + 1);
    expect(pairing.pair(code, 'x')).toEqual({ ok: false, reason: expect.stringContaining('two minutes') });
    const older = pairing.newCode().code;
    const newer = pairing.newCode().code;
    if (older !== newer) expect(pairing.pair(older, 'x').ok).toBe(false);
    expect(pairing.pair(newer, 'x').ok).toBe(true);
  });

  it('stops accepting any code after five wrong ones in a minute, even the right one', () => {
    const time = clock();
    const pairing = new RemotePairing({ now: time.now });
    const { code } = pairing.newCode();
    const wrong = code === '999999' ? '999998' : '999999';
    for (let attempt = 0; attempt < 5; attempt += 1) expect(pairing.pair(wrong, 'x').ok).toBe(false);
    expect(pairing.pair(code, 'x')).toEqual({ ok: false, reason: expect.stringContaining('Too many wrong codes') });
    time.advance(60_001);
    expect(pairing.pair(code, 'x').ok).toBe(true);
  });
});

describe('paired device tokens', () => {
  it('expire after their lifetime and are dropped from the list', () => {
    const time = clock();
    const pairing = new RemotePairing({ now: time.now, tokenLifetimeMs: 12 * 3600_000 });
    const result = pairing.pair(pairing.newCode().code, 'Phone');
    if (!result.ok) throw new Error(result.reason);
    time.advance(12 * 3600_000 - 1);
    expect(pairing.verify(result.token)).not.toBeNull();
    time.advance(2);
    expect(pairing.verify(result.token)).toBeNull();
    expect(pairing.list()).toEqual([]);
  });

  it('are refused at once when revoked, and the revocation is announced', () => {
    const pairing = new RemotePairing();
    const result = pairing.pair(pairing.newCode().code, 'Phone');
    if (!result.ok) throw new Error(result.reason);
    const announced: string[] = [];
    pairing.onRevoke((id) => announced.push(id));
    expect(pairing.revoke(result.device.id)).toBe(true);
    expect(pairing.verify(result.token)).toBeNull();
    expect(announced).toEqual([result.device.id]);
    expect(pairing.revoke(result.device.id)).toBe(false);
  });

  it('are kept only as hashes: the list holds no token, and a made-up token is refused', () => {
    const pairing = new RemotePairing();
    const result = pairing.pair(pairing.newCode().code, '<b>Phone</b>');
    if (!result.ok) throw new Error(result.reason);
    expect(JSON.stringify(pairing.list())).not.toContain(result.token);
    expect(pairing.list()[0]!.name).toBe('bPhoneb');
    expect(pairing.verify('f'.repeat(64))).toBeNull();
    expect(pairing.verify('not a token')).toBeNull();
    expect(pairing.verify(null)).toBeNull();
  });
});
