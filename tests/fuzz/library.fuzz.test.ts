/**
 * The library's hostile inputs through the real dispatcher: M3U8 playlists (seeded random text,
 * mutations of a valid playlist, relative and escaping paths, #EXTINF/#PLAYLIST garbage, raw
 * paths the page was never given), and a scan of a folder of random and truncated files,
 * symlink loops and names that are not UTF-8. Nothing may crash or hang; every refusal is a
 * sentence; every file is listed once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScanProgress } from '../../src/shared/contract';
import { encodeWav } from '../../src/audio-engine/studio/wav';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { WEB_CALL_CONTEXT } from '../support/core-calls';
import { createFuzzer, FuzzTally, mutateText } from '../support/fuzz';
import { makeTempDir } from '../support/temp-dir';

/** What a refusal must never look like: an exception's own text. */
const NOT_WORDS = /Cannot read properties|undefined|is not a function|is not iterable|RangeError|TypeError|Maximum call stack|\[object |ENOENT|EACCES|^internal$/;

const VALID_PLAYLIST = `#EXTM3U
#PLAYLIST:Friday set
#EXTINF:215,Artist - Opener
Album/01 opener.wav
#EXTINF:-1,
/music/absolute.flac
#EXTINF:180,Second
..\\Other\\second.mp3
file:///music/third.wav
`;

const CRAFTED_PLAYLISTS = [
  '',
  '#EXTM3U',
  '#EXTM3U\n#PLAYLIST:\n#PLAYLIST:' + 'x'.repeat(10_000),
  '#EXTINF:99999999999999999999,\n#EXTINF:-2000000000,\n#EXTINF:NaN,' + '\u202e'.repeat(50),
  '#EXTINF\n#EXTINF:\n#EXTINF:,\n#EXTINF:1e308,x\n',
  '../../../../etc/passwd\n../../.ssh/id_rsa\n~/.bashrc\n/proc/self/environ\n',
  'a\u0000b.wav\n\u0000\n',
  Array.from({ length: 20_000 }, (_, index) => `track-${index}.wav`).join('\n'),
  '\ufeff#EXTM3U\r\n#EXTINF:1,BOM\r\nsong.wav\r\n',
  'http://example.invalid/stream.mp3\nrtmp://x/y\n\\\\server\\share\\a.wav\nC:\\Music\\a.wav\n',
  '#'.repeat(100_000),
  '\n'.repeat(50_000),
];

function sineWav(seconds: number, frequencyHz: number): Uint8Array {
  const sampleRate = 8000;
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  for (let index = 0; index < samples.length; index += 1) samples[index] = 0.4 * Math.sin((2 * Math.PI * frequencyHz * index) / sampleRate);
  return encodeWav([samples], sampleRate, 16);
}

describe('library fuzz', () => {
  const temp = makeTempDir('mixdeck-library-fuzz-');
  const music = join(temp.path, 'music');
  let core: AppCore;

  beforeAll(async () => {
    mkdirSync(music);
    core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  });
  afterAll(async () => {
    await core?.close();
    temp.remove();
  });

  const dispatch = (name: 'library.playlists.importM3u8', input: unknown) => core.dispatcher.dispatch(name, input, WEB_CALL_CONTEXT);

  it('imports or refuses in words every M3U8 playlist and every raw path, and never reads a file it was not given', async () => {
    const tally = new FuzzTally('library m3u8');
    const fuzzer = createFuzzer(0x3338);
    const texts: string[] = [...CRAFTED_PLAYLISTS];
    for (let index = 0; index < 250; index += 1) texts.push(mutateText(fuzzer, index % 5 === 0 ? mutateText(fuzzer, VALID_PLAYLIST) : VALID_PLAYLIST));
    for (let index = 0; index < 100; index += 1) texts.push(fuzzer.text(400));
    const started = Date.now();
    for (const text of texts) {
      const input = fuzzer.next() < 0.3 ? { text, basePath: fuzzer.pick([music, '/', 'relative/base', '~', '/etc/..//etc', `${music}/../..`]) } : { text };
      const reply = await dispatch('library.playlists.importM3u8', fuzzer.next() < 0.5 ? { ...input, name: fuzzer.text(30) || 'x' } : input);
      if (reply.ok) {
        const value = reply.value as { matched: number; missing: string[] };
        // Nothing is in the library, so nothing can match, whatever the entries say.
        expect(value.matched).toBe(0);
        tally.count('imported');
      } else {
        expect(reply.error.message).not.toMatch(NOT_WORDS);
        expect(reply.error.code).not.toBe('internal');
        tally.count(`refused ${reply.error.code}`);
      }
    }
    // Raw paths the user never picked: refused before the file is opened, whatever their shape.
    const secret = join(temp.path, 'secret.m3u8');
    writeFileSync(secret, '#EXTM3U\n/only/for/the/owner\n');
    const rawPaths = ['/etc/passwd', secret, `${music}/../secret.m3u8`, '~/.bashrc', 'relative.m3u8', '/proc/self/environ', '/dev/zero', music, '/'.repeat(300), `/${'a'.repeat(255)}/b.m3u8`];
    for (let index = 0; index < 60; index += 1) rawPaths.push('/' + fuzzer.text(120).split('\u0000').join(''));
    for (const path of rawPaths) {
      const reply = await dispatch('library.playlists.importM3u8', { path });
      expect(reply.ok, `${path} should be refused`).toBe(false);
      if (!reply.ok) {
        expect(reply.error.message).not.toMatch(NOT_WORDS);
        expect(reply.error.message).not.toContain('/only/for/the/owner');
        expect(['forbidden', 'invalid-input']).toContain(reply.error.code);
        tally.count(`raw path ${reply.error.code}`);
      }
    }
    tally.print();
    expect(tally.total).toBe(texts.length + rawPaths.length);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('scans random and truncated files, symlink loops and non-UTF-8 names: each file once, each refusal in words', async () => {
    const tally = new FuzzTally('library scan');
    const fuzzer = createFuzzer(20261204);
    const album = join(music, 'Album');
    mkdirSync(join(album, 'Deeper', 'Deepest'), { recursive: true });
    const good = sineWav(1.5, 440);
    writeFileSync(join(album, 'whole.wav'), good);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=1', '-b:a', '64k', join(album, 'whole.mp3')]);
    const mp3 = readFileSync(join(album, 'whole.mp3'));
    const extensions = ['.mp3', '.flac', '.wav', '.ogg', '.m4a', '.opus'];
    let planted = 2;
    for (let index = 0; index < 8; index += 1) {
      writeFileSync(join(album, 'Deeper', `random-${index}${fuzzer.pick(extensions)}`), fuzzer.bytes(fuzzer.int(0, 3000)));
      planted += 1;
    }
    for (let index = 0; index < 6; index += 1) {
      const source = index % 2 === 0 ? good : mp3;
      writeFileSync(join(album, 'Deeper', 'Deepest', `cut-${index}${index % 2 === 0 ? '.wav' : '.mp3'}`), source.subarray(0, fuzzer.int(0, source.length - 1)));
      planted += 1;
    }
    writeFileSync(join(music, 'empty.flac'), new Uint8Array(0));
    planted += 1;
    // Loops and links: back to the root, to itself, up two levels, nowhere, and out of the library.
    symlinkSync(music, join(music, 'loop-to-root'));
    symlinkSync('.', join(album, 'self'));
    symlinkSync('../..', join(album, 'Deeper', 'Deepest', 'up'));
    symlinkSync(join(temp.path, 'nowhere'), join(music, 'dangling.mp3'));
    symlinkSync('/etc', join(music, 'etc-link'));
    symlinkSync(join(album, 'whole.wav'), join(music, 'alias.wav'));
    // Names that are not UTF-8: a file, and a folder with a file inside.
    const latin1File = Buffer.concat([Buffer.from(music + '/caf'), Buffer.from([0xe9]), Buffer.from('.wav')]);
    writeFileSync(latin1File, good);
    const latin1Folder = Buffer.concat([Buffer.from(music + '/Bj'), Buffer.from([0xf6]), Buffer.from('rk')]);
    mkdirSync(latin1Folder);
    writeFileSync(Buffer.concat([latin1Folder, Buffer.from('/inside.wav')]), good);

    const finished: ScanProgress[] = [];
    const off = core.events.subscribe((name, payload) => {
      if (name === 'library.scanProgress' && (payload as ScanProgress).phase === 'finished') finished.push(payload as ScanProgress);
    });
    core.grantPicked(music, 'folder', 'music-folder');
    const added = await core.dispatcher.dispatch('library.folders.add', { path: music, scan: true }, WEB_CALL_CONTEXT);
    expect(added.ok).toBe(true);
    await vi.waitFor(() => expect(finished.length).toBeGreaterThan(0), { timeout: 60_000, interval: 100 });
    off();
    const result = finished[0]!;
    expect(result.state).toBe('done');
    expect(result.failure).toBeNull();

    // Each planted audio file once: no copy through the loops or the alias, nothing from /etc.
    const listed = await core.dispatcher.dispatch('library.search', { query: '', limit: 1000 }, WEB_CALL_CONTEXT);
    const unreadable = await core.dispatcher.dispatch('library.unreadable', { offset: 0, limit: 1000 }, WEB_CALL_CONTEXT);
    expect(listed.ok && unreadable.ok).toBe(true);
    const rows = (listed as { ok: true; value: { rows: { path: string }[] } }).value.rows;
    const broken = (unreadable as { ok: true; value: { files: { path: string; reason: string }[] } }).value.files;
    // Unreadable tracks may be listed by the search too; a path counts once either way.
    const searchPaths = rows.map((row) => row.path);
    expect(new Set(searchPaths).size).toBe(searchPaths.length);
    const paths = [...new Set([...searchPaths, ...broken.map((row) => row.path)])];
    expect(paths.some((path) => /loop-to-root|self|\/up\/|etc-link|alias|dangling/.test(path))).toBe(false);
    expect(paths.length).toBe(planted);
    for (const row of broken) {
      expect(row.reason).not.toMatch(NOT_WORDS);
      expect(row.reason).toMatch(/\w+ \w+/);
      tally.count('unreadable, with reason');
    }
    for (let count = paths.length - broken.length; count > 0; count -= 1) tally.count('read');
    // The names that cannot be kept are listed with the reason, not skipped silently.
    const skipped = result.errors.filter((error) => /not valid UTF-8/.test(error.reason));
    expect(skipped.map((error) => error.path.split('/').pop())).toEqual(expect.arrayContaining(['caf\ufffd.wav', 'Bj\ufffdrk']));
    for (let count = skipped.length; count > 0; count -= 1) tally.count('skipped, name not UTF-8');
    tally.print();
    expect(rows.map((row) => row.path)).toEqual(expect.arrayContaining([join(album, 'whole.wav'), join(album, 'whole.mp3')]));
  }, 90_000);
});
