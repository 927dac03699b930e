import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { MixdeckError } from '../../../shared/contract';
import { ffprobeBeside, resolveFfmpeg } from './ffmpeg-path';

const temp = makeTempDir('mixdeck-ffmpeg-path-');
afterAll(() => temp.remove());

/** A stand-in ffmpeg: answers -version like the real one. */
function fakeFfmpeg(name: string, works: boolean): string {
  const path = join(temp.path, name);
  writeFileSync(path, works ? '#!/bin/sh\necho "ffmpeg version 9.9-fake"\n' : '#!/bin/sh\nexit 1\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH', () => {
    const path = fakeFfmpeg('ffmpeg-env', true);
    expect(resolveFfmpeg({ env: { FFMPEG_PATH: path }, loadFfmpegStatic: () => '/nowhere' })).toEqual({
      path,
      source: 'FFMPEG_PATH',
      version: 'ffmpeg version 9.9-fake',
    });
  });

  it('refuses an FFMPEG_PATH that does not work rather than silently using another ffmpeg', () => {
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: fakeFfmpeg('ffmpeg-broken', false) } })).toThrow(/FFMPEG_PATH points to/);
  });

  it('uses ffmpeg-static’s binary when the package is there and its file exists', () => {
    const path = fakeFfmpeg('ffmpeg-static-bin', true);
    expect(resolveFfmpeg({ env: {}, loadFfmpegStatic: () => path }).source).toBe('ffmpeg-static');
  });

  it('falls back to ffmpeg on PATH when ffmpeg-static is missing or its download failed', () => {
    const notInstalled = (): never => {
      throw new Error("Cannot find module 'ffmpeg-static'");
    };
    expect(resolveFfmpeg({ env: {}, loadFfmpegStatic: notInstalled })).toMatchObject({ path: 'ffmpeg', source: 'PATH' });
    expect(resolveFfmpeg({ env: {}, loadFfmpegStatic: () => join(temp.path, 'never-downloaded') }).source).toBe('PATH');
  });

  it('finds the real ffmpeg here without any help (ffmpeg-static is not installed)', () => {
    expect(resolveFfmpeg({ env: {} }).version).toMatch(/^ffmpeg version/);
  });

  it('says what it tried when there is no ffmpeg at all', () => {
    try {
      resolveFfmpeg({ env: {}, loadFfmpegStatic: () => null, pathCommand: 'mixdeck-no-such-ffmpeg' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MixdeckError);
      expect((error as MixdeckError).code).toBe('unavailable');
      expect((error as MixdeckError).message).toMatch(/could not find it .*ffmpeg-static \(not installed\).*"mixdeck-no-such-ffmpeg" on PATH.*FFMPEG_PATH/);
    }
  });
});

describe('ffprobeBeside', () => {
  it('names the ffprobe next to an ffmpeg', () => {
    expect(ffprobeBeside('/usr/bin/ffmpeg')).toBe('/usr/bin/ffprobe');
    expect(ffprobeBeside('C:\\ffmpeg\\bin\\ffmpeg.exe')).toBe('C:\\ffmpeg\\bin\\ffprobe.exe');
    expect(ffprobeBeside('ffmpeg')).toBe('ffprobe');
  });
});
