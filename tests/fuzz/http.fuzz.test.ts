/**
 * The web host's HTTP surface (static files, /media/track|cover, /media/karaoke) on the real
 * host with a real database: the crafted requests that once killed it (a file used as a folder,
 * 256-character segments, a zero-byte karaoke file, a cover linked to a key file), every Range
 * shape, bad methods, Hosts and request lines, and a few hundred seeded random paths and
 * headers, sent as raw bytes so nothing normalises them. No request may crash or hang the
 * host, none may answer 5xx, and every refusal is a sentence.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sessionSubprotocols, WS_PATH } from '../../src/shared/contract';
import { createFuzzer, FuzzTally } from '../support/fuzz';
import { makeTempDir } from '../support/temp-dir';
import { startFuzzWebHost, type FuzzWebHost } from './fuzz-web-host';

/** What a refusal must never look like: an exception's own text, a stack, or a bare code. */
const NOT_WORDS = /Cannot read properties|is not a function|TypeError|RangeError|ENOENT|ENOTDIR|ENAMETOOLONG|EISDIR|statSync|at .*\.[jt]s:\d+|^internal$|\[object /;

interface RawAnswer {
  /** 0 when the host closed the connection without an HTTP answer (Node does so for CONNECT). */
  status: number;
  head: string;
  body: string;
}

let web: FuzzWebHost;
let port: number;
const temp = makeTempDir('mixdeck-http-fuzz-');
const tally = new FuzzTally('http');
const SECRET = 'PRIVATE KEY MATERIAL';
let songId = 0;

/** One request as raw bytes (nothing normalises the path), read until the host closes or falls quiet. */
function raw(request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in 10 s to ${JSON.stringify(String(request).slice(0, 200))}`));
    }, 10_000);
    // A kept-alive connection does not close: once an answer came, a pause ends it.
    let quiet: ReturnType<typeof setTimeout> | undefined;
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      clearTimeout(quiet);
      quiet = setTimeout(() => socket.destroy(), 400);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(quiet);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const body = split >= 0 ? text.slice(split + 4) : '';
      resolve({ status, head, body: /transfer-encoding: chunked/i.test(head) ? dechunk(body) : body });
    });
    socket.write(request);
  });
}

/** The payload of a chunked body: size line, data, CRLF, until the zero chunk. */
function dechunk(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = lineEnd < 0 ? 0 : parseInt(body.slice(at, lineEnd), 16);
    if (!size) return out;
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  // The session cookie the launch address gave the user's browser, so the fuzz reaches every route.
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', `Cookie: ${web.host.sessionCookie}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return raw(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
}

/** Checks one answer and counts it: no 5xx, no secret, and a refusal in words. */
function judge(what: string, answer: RawAnswer, method = 'GET'): RawAnswer {
  tally.count(answer.status === 0 ? 'closed' : answer.status < 400 ? 'served' : 'refused');
  expect(answer.status >= 500, `${what}: ${answer.head.split('\r\n')[0]} ${answer.body.slice(0, 200)}`).toBe(false);
  expect(answer.body, what).not.toContain(SECRET);
  if (answer.status >= 400 && method !== 'HEAD') {
    expect(answer.body, `${what} (${answer.status})`).toMatch(/[A-Za-z]+[ ’'][A-Za-z]+/);
    expect(answer.body, what).not.toMatch(NOT_WORDS);
  }
  return answer;
}

/** The host still serves the page and answers a call on a fresh WebSocket with the token. */
async function stillAlive(): Promise<void> {
  const page = await get('/');
  expect(page.status).toBe(200);
  expect(page.body).toContain(`content="${web.host.sessionToken}"`);
  const socket = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, sessionSubprotocols(web.host.sessionToken), { origin: `http://127.0.0.1:${port}` });
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const reply = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    socket.send(JSON.stringify({ t: 'call', id: 1, name: 'app.ping', input: { nonce: 'alive' } }));
    expect(await reply).toMatchObject({ id: 1, reply: { ok: true, value: { nonce: 'alive' } } });
  } finally {
    socket.terminate();
  }
}

beforeAll(async () => {
  web = await startFuzzWebHost();
  port = web.host.port;
  // A song with a 5000-byte audio file, a zero-byte video and a cover that links to a key file outside.
  const songs = join(temp.path, 'songs');
  const song = join(songs, 'Song');
  mkdirSync(song, { recursive: true });
  mkdirSync(join(temp.path, '.ssh'));
  writeFileSync(join(temp.path, '.ssh', 'id_rsa'), SECRET);
  writeFileSync(join(song, 'song.txt'), '#TITLE:Song\n#ARTIST:Me\n#AUDIO:song.ogg\n#VIDEO:empty.mp4\n#COVER:cover.jpg\n#BPM:200\n: 0 4 0 la\nE\n');
  writeFileSync(join(song, 'song.ogg'), Buffer.alloc(5000, 7));
  writeFileSync(join(song, 'empty.mp4'), '');
  symlinkSync(join(temp.path, '.ssh', 'id_rsa'), join(song, 'cover.jpg'));
  web.core.grantPicked(songs, 'folder', 'song-folder');
  const context = { transport: 'web' as const, origin: 'test' };
  const imported = await web.core.dispatcher.dispatch('karaoke.importFolder', { folderPath: songs }, context);
  expect(imported.ok).toBe(true);
  const listed = await web.core.dispatcher.dispatch('karaoke.listSongs', {}, context);
  songId = (listed as { ok: true; value: { songs: { id: number }[] } }).value.songs[0]!.id;
});

afterAll(async () => {
  tally.print();
  await web?.close();
  temp.remove();
});

describe('fuzz: the web host’s HTTP surface', () => {
  it('survives the crafted paths that once killed it, and never leaks a file outside its folders', async () => {
    const long = 'a'.repeat(256);
    const paths = [
      '/index.html/x',
      '/index.html/x/y/z',
      '/favicon.svg/..%2f..%2fx',
      `/${long}`,
      `/assets/${long}.js`,
      `/${'b'.repeat(255)}`,
      `/${'c/'.repeat(900)}`,
      `/${'%61'.repeat(600)}`,
      '/%00',
      '/index.html%00.js',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/../../../../etc/passwd',
      '/%252e%252e/etc/passwd',
      '//etc/passwd',
      '/\\..\\..\\etc\\passwd',
      '/%E0%A4%A',
      '/%ff%fe',
      '/%',
      '/?%',
      '/#',
      '*',
      'http://evil.example/',
      '/media',
      '/media/',
      '/media/track/',
      '/media/track/abc',
      '/media/track/-1',
      '/media/track/0',
      '/media/track/99999999999999999999999',
      '/media/cover/1.5',
      '/media/karaoke/',
      '/media/karaoke/x/audio',
      `/media/karaoke/${songId}/`,
      `/media/karaoke/${songId}/passwd`,
      `/media/karaoke/${songId}/audio/..%2f..%2fcover`,
      `/media/karaoke/${songId}/cover`,
      `/media/karaoke/${songId}/background`,
      `/media/karaoke/${'9'.repeat(40)}/audio`,
      `/${'x'.repeat(3000)}`,
    ];
    for (const path of paths) judge(path, await get(path));
    // The cover is a symlink to a key file: refused, in words.
    const cover = judge('cover', await get(`/media/karaoke/${songId}/cover`));
    expect(cover.status).toBe(404);
    expect(cover.body).toBe('This song has no such file.');
    expect((await get('/index.html/x')).status).toBe(404);
    expect((await get(`/${long}`)).status).toBe(404);
    // Node's own limit on the request line and headers: refused before routing.
    judge('an 80 kB URL', await get(`/${'d'.repeat(80_000)}`));
    await stillAlive();
  });

  it('answers every Range shape by HTTP’s rules, a zero-byte file included', async () => {
    const audio = `/media/karaoke/${songId}/audio`;
    const empty = `/media/karaoke/${songId}/video`;
    const ranges = [
      'bytes=0-0', 'bytes=0-', 'bytes=-1', 'bytes=-0', 'bytes=4999-', 'bytes=5000-', 'bytes=-5000', 'bytes=-9999',
      'bytes=10-5', 'bytes=0-1,2-3', 'bytes=0-1, 4-9', 'bytes=', 'bytes=-', 'bytes=a-b', 'bytes=1.5-2', 'bytes=-1-2',
      'bytes=0x10-', `bytes=${'9'.repeat(400)}-`, `bytes=0-${'9'.repeat(400)}`, 'items=0-1', 'bytes 0-1', '', ' ', 'bytes=0-1\u00ff',
    ];
    for (const path of [audio, empty]) {
      for (const range of ranges) {
        for (const method of ['GET', 'HEAD']) {
          const answer = judge(`${method} ${path} Range ${range}`, await get(path, { Range: range }, method), method);
          expect([200, 206, 416], `${path} ${range}`).toContain(answer.status);
          if (path === empty) expect(answer.status, `zero-byte file, Range ${JSON.stringify(range)}`).not.toBe(206);
          if (answer.status === 416) expect(answer.head).toMatch(new RegExp(`content-range: bytes \\*/${path === empty ? 0 : 5000}`, 'i'));
        }
      }
    }
    expect((await get(empty, { Range: 'bytes=0-' })).status).toBe(416);
    expect((await get(empty)).status).toBe(200);
    const part = await get(audio, { Range: 'bytes=4990-' });
    expect(part.status).toBe(206);
    expect(part.body.length).toBe(10);
    await stillAlive();
  });

  it('refuses bad methods, Hosts and request lines in words', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'G\u00c9T', 'FOO', 'CONNECT']) {
      judge(method, await get('/', {}, method));
    }
    expect((await get('/', {}, 'POST')).status).toBe(405);
    const hosts = ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `localhost:${port}.evil.example`, 'h'.repeat(5000), '', `127.0.0.1:${port}, evil.example`];
    for (const host of hosts) {
      const lines = [`GET / HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
      const answer = judge(`Host ${host.slice(0, 40)}`, await raw(`${lines.join('\r\n')}\r\n\r\n`));
      expect(answer.status, host.slice(0, 40)).not.toBe(200);
    }
    const requests = [
      'GET / HTTP/1.1\r\nConnection: close\r\n\r\n',
      'GET / HTTP/1.0\r\n\r\n',
      'GET /\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'y'.repeat(70_000)}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX: a\u0000b\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: -1\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n`,
      `GET /media/karaoke/${songId}/audio HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${web.host.sessionCookie}\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\nConnection: close\r\n\r\n`,
      `\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
      `${'A'.repeat(100_000)}\r\n\r\n`,
    ];
    for (const request of requests) judge(JSON.stringify(request.slice(0, 60)), await raw(Buffer.from(request, 'latin1')));
    await stillAlive();
  });

  it('survives seeded random paths and headers', async () => {
    const fuzzer = createFuzzer(0x5eed_4711);
    const prefixes = ['/', '/assets/', '/media/', '/media/track/', '/media/cover/', '/media/karaoke/', `/media/karaoke/${songId}/`, '/index.html/'];
    /** Header values cannot hold CR, LF or NUL on the wire; the rest of the noise stays. */
    const headerText = (length: number): string => [...fuzzer.text(length)].filter((char) => !['\r', '\n', '\u0000'].includes(char)).join('');
    const encode = (text: string): string => (fuzzer.next() < 0.5 ? encodeURIComponent(text.replace(/[\ud800-\udfff]/g, 'x')) : [...text].map((char) => (char <= ' ' || char >= '\u007f' ? `%${(char.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')}` : char)).join(''));
    for (let round = 0; round < 4; round += 1) {
      for (let index = 0; index < 80; index += 1) {
        const path = fuzzer.pick(prefixes) + encode(fuzzer.text(fuzzer.pick([8, 40, 300])));
        const headers: Record<string, string> = {};
        if (fuzzer.next() < 0.5) headers.Range = fuzzer.pick([`bytes=${fuzzer.int(-5, 6000)}-${fuzzer.int(-5, 6000)}`, `bytes=-${fuzzer.int(0, 9000)}`, headerText(30)]);
        if (fuzzer.next() < 0.2) headers['Accept-Encoding'] = headerText(20);
        if (fuzzer.next() < 0.2) headers['If-None-Match'] = headerText(20);
        const method = fuzzer.next() < 0.85 ? 'GET' : fuzzer.pick(['HEAD', 'POST', 'OPTIONS', 'DELETE']);
        judge(`seed ${fuzzer.seed} ${method} ${path.slice(0, 120)}`, await get(path, headers, method), method);
      }
      await stillAlive();
    }
  });
});
