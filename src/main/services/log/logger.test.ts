import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createLogger } from './logger';
import { Redactor } from './redact';

describe('Redactor', () => {
  const redactor = new Redactor();
  it.each([
    ['rtmp://live.twitch.tv/app/live_12345_abcdef', 'rtmp://live.twitch.tv/app/••••'],
    ['rtmps://a.rtmps.youtube.com:443/live2/abcd-efgh-ijkl-mnop', 'rtmps://a.rtmps.youtube.com:443/live2/••••'],
    ['https://api.example/v1?access_token=xyz123&x=1', 'https://api.example/v1?access_token=••••&x=1'],
    ['Authorization: Bearer eyJhbGciOi', 'Authorization: Bearer ••••'],
    ['{"streamKey":"s3cr3t-value"}', '{"streamKey":"••••"}'],
  ])('masks %s', (input, expected) => {
    expect(redactor.redact(input)).toBe(expected);
  });

  it('masks a registered secret wherever it appears, and leaves ordinary text alone', () => {
    const own = new Redactor();
    own.addSecret('FB-1234567890-0-Abc');
    expect(own.redact('failed: FB-1234567890-0-Abc refused; FB-1234567890-0-Abc')).toBe('failed: •••• refused; ••••');
    expect(own.redact('Twitch is live at 6000 kbps')).toBe('Twitch is live at 6000 kbps');
  });
});

describe('createLogger', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('writes one JSON line per entry with scope and fields, redacted, above the chosen level', () => {
    const logger = createLogger({ directory: temp.path, level: 'info', now: () => new Date('2026-11-23T00:00:00Z') });
    logger.debug('too quiet');
    logger.child('broadcast').warn('target failed', { url: 'rtmp://live.twitch.tv/app/live_999_secret', attempt: 2 });
    logger.error('boom', { error: new Error('it broke') });
    const lines = readFileSync(join(temp.path, 'mixdeck.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      time: '2026-11-23T00:00:00.000Z',
      level: 'warn',
      scope: 'main.broadcast',
      message: 'target failed',
      url: 'rtmp://live.twitch.tv/app/••••',
      attempt: 2,
    });
    expect(lines[1].error.message).toBe('it broke');
  });

  it('rotates the file when it grows past its limit', () => {
    const logger = createLogger({ directory: temp.path, maxBytes: 200 });
    for (let index = 0; index < 10; index += 1) logger.info(`line ${index}`, { padding: 'x'.repeat(50) });
    expect(readdirSync(temp.path).sort()).toEqual(['mixdeck.1.log', 'mixdeck.log']);
  });

  it('keeps logs private to the user: the folder 0700, the files 0600, older readable ones narrowed', () => {
    const folder = join(temp.path, 'logs');
    createLogger({ directory: folder }).info('first');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, 'mixdeck.log')).mode & 0o777).toBe(0o600);
    writeFileSync(join(folder, 'mixdeck.1.log'), 'old\n');
    chmodSync(join(folder, 'mixdeck.1.log'), 0o644);
    chmodSync(join(folder, 'mixdeck.log'), 0o644);
    createLogger({ directory: folder }).info('second');
    for (const name of ['mixdeck.log', 'mixdeck.1.log']) expect(statSync(join(folder, name)).mode & 0o777).toBe(0o600);
  });
});
