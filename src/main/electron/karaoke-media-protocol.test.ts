import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { withKaraokeMedia } from './karaoke-media-protocol';

const temp = makeTempDir();
const audio = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 256));
writeFileSync(join(temp.path, 'song.ogg'), audio);

afterAll(() => temp.remove());

describe('karaoke media over app://mixdeck/media/karaoke/…', () => {
  const passedOn: string[] = [];
  const handle = withKaraokeMedia(
    () => async (urlPath) => (urlPath === '/media/karaoke/7/audio' ? join(temp.path, 'song.ogg') : urlPath.startsWith('/media/karaoke/') ? null : undefined),
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

  it('answers 404 for a file the song does not have, and leaves other media to the library', async () => {
    expect((await handle(new Request('app://mixdeck/media/karaoke/7/video'))).status).toBe(404);
    expect(await (await handle(new Request('app://mixdeck/media/track/3'))).text()).toBe('library');
    expect(passedOn).toEqual(['app://mixdeck/media/track/3']);
  });
});
