import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { MixdeckError } from '../../../shared/contract';
import { ffprobeBeside, resolveFfmpeg, unpackedFromAsar } from './ffmpeg-path';

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

describe('ffmpeg-static inside a packaged app', () => {
  /** The layout electron-builder leaves: the archive, and the unpacked copy beside it. */
  function packagedLayout(): { archived: string; unpacked: string } {
    const resources = join(temp.path, 'release', 'resources');
    const archived = join(resources, 'app.asar', 'node_modules', 'ffmpeg-static', 'ffmpeg');
    mkdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static'), { recursive: true });
    const unpacked = join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', 'ffmpeg');
    writeFileSync(unpacked, '#!/bin/sh\necho "ffmpeg version 9.9-unpacked"\n');
    chmodSync(unpacked, 0o755);
    return { archived, unpacked };
  }

  it('runs the unpacked copy when ffmpeg-static points inside app.asar', () => {
    const { archived, unpacked } = packagedLayout();
    expect(resolveFfmpeg({ env: {}, loadFfmpegStatic: () => archived })).toEqual({ path: unpacked, source: 'ffmpeg-static', version: 'ffmpeg version 9.9-unpacked' });
  });

  it('rewrites only the archive folder, and only when the unpacked file exists', () => {
    const { archived, unpacked } = packagedLayout();
    expect(unpackedFromAsar(archived)).toBe(unpacked);
    const missing = archived.replace('ffmpeg-static', 'ffmpeg-elsewhere');
    expect(unpackedFromAsar(missing)).toBe(missing);
    expect(unpackedFromAsar('/usr/lib/my.app.asar.d/ffmpeg')).toBe('/usr/lib/my.app.asar.d/ffmpeg');
    expect(unpackedFromAsar('/opt/ffmpeg/bin/ffmpeg')).toBe('/opt/ffmpeg/bin/ffmpeg');
  });

  it('says ffmpeg-static is broken when neither copy exists, and falls back to PATH', () => {
    const archived = join(temp.path, 'gone', 'app.asar', 'node_modules', 'ffmpeg-static', 'ffmpeg');
    const location = resolveFfmpeg({ env: {}, loadFfmpegStatic: () => archived, pathCommand: fakeFfmpeg('ffmpeg-on-path', true) });
    expect(location.source).toBe('PATH');
  });
});
