import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { withKaraokeMedia } from './karaoke-media-protocol';

const temp = makeTempDir();
const audio = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 256));
writeFileSync(join(temp.path, 'song.ogg'), audio);
// A cover that is a symlink to a private file outside the song's folder.
const outside = makeTempDir();
mkdirSync(join(outside.path, '.ssh'));
writeFileSync(join(outside.path, '.ssh', 'id_rsa'), 'PRIVATE KEY');
symlinkSync(join(outside.path, '.ssh', 'id_rsa'), join(temp.path, 'cover.jpg'));

afterAll(() => {
  temp.remove();
  outside.remove();
});

describe('karaoke media over app://mixdeck/media/karaoke/…', () => {
  const passedOn: string[] = [];
  const handle = withKaraokeMedia(
    () => async (urlPath) =>
      urlPath === '/media/karaoke/7/audio'
        ? { path: join(temp.path, 'song.ogg'), songFolder: temp.path }
        : urlPath === '/media/karaoke/7/cover'
          ? { path: join(temp.path, 'cover.jpg'), songFolder: temp.path }
          : urlPath.startsWith('/media/karaoke/')
            ? null
            : undefined,
    async (request) => {
      passedOn.push(request.url);
      return new Response('library', { status: 200 });
    },
    { 'X-Content-Type-Options': 'nosniff' },
  );

  it('serves a song’s file by id, whole and by Range, with the security headers', async () => {
    const whole = await handle(new Request('app://mixdeck/media/karaoke/7/audio'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(audio);
    const part = await handle(new Request('app://mixdeck/media/karaoke/7/audio', { headers: { range: 'bytes=10-19' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(audio.subarray(10, 20));
  });

  it('refuses a song file that is a symlink out of the song’s folder', async () => {
    const cover = await handle(new Request('app://mixdeck/media/karaoke/7/cover'));
    expect(cover.status).toBe(404);
    expect(await cover.text()).toBe('This song has no such file.');
  });

  it('answers 404 for a file the song does not have, and leaves other media to the library', async () => {
    expect((await handle(new Request('app://mixdeck/media/karaoke/7/video'))).status).toBe(404);
    expect(await (await handle(new Request('app://mixdeck/media/track/3'))).text()).toBe('library');
    expect(passedOn).toEqual(['app://mixdeck/media/track/3']);
  });
});
