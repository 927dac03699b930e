/**
 * The web host's WebSocket, connected as the page is (its Origin and the session token): random
 * JSON, wrong types, huge numbers, unknown call names, deep nesting, oversized and binary
 * frames, and garbage input for every call in the contract. No message may crash or hang the
 * host; every refusal is a reply in words (or, for an oversized frame, a close with its code);
 * and after each batch the host still serves the page and answers a valid call. Upgrades with a
 * wrong token, Origin or Host are refused in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CALL_NAMES, sessionSubprotocols, WS_MAX_MESSAGE_BYTES, WS_PATH } from '../../src/shared/contract';
import { createFuzzer, FuzzTally, mutateText, type Fuzzer } from '../support/fuzz';
import { startFuzzWebHost, type FuzzWebHost } from './fuzz-web-host';

/** What a refusal must never look like: an exception's own text, a stack, or a bare code. */
const NOT_WORDS = /Cannot read properties|is not a function|TypeError|RangeError|SyntaxError|Unexpected token|at .*\.[jt]s:\d+|\[object /;

/** Calls that would start long work or touch the machine if garbage happened to pass; they get garbage that cannot. */
const ONLY_INVALID_INPUT = /goLive|startPreview|scan|export|render|import|addTarget|setAudioInput|quit|pick|nativeDialog/i;

interface Reply {
  t: 'reply';
  id: number | null;
  reply: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
}

let web: FuzzWebHost;
const tally = new FuzzTally('websocket');

function origin(): string {
  return `http://127.0.0.1:${web.host.port}`;
}

/** A connection as the served page makes it, with replies queued in order. */
async function openPage(): Promise<{ socket: WebSocket; next(): Promise<Reply | { closed: number }>; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${web.host.port}${WS_PATH}`, sessionSubprotocols(web.host.sessionToken), { origin: origin(), maxPayload: 64 * 1024 * 1024 });
  const queue: (Reply | { closed: number })[] = [];
  const waiting: ((value: Reply | { closed: number }) => void)[] = [];
  const deliver = (value: Reply | { closed: number }): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  };
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Reply | { t: 'event' };
    if (message.t === 'reply') deliver(message);
  });
  socket.on('close', (code) => deliver({ closed: code }));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift()!)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no reply in 15 s')), 15_000);
            waiting.push((value) => {
              clearTimeout(timer);
              resolve(value);
            });
          }),
    close: () => socket.terminate(),
  };
}

/** Checks one answer and counts it: a reply in words, or a close with a code. */
function judge(what: string, answer: Reply | { closed: number }): void {
  if ('closed' in answer) {
    tally.count(`closed ${answer.closed}`);
    return;
  }
  if (answer.reply.ok) {
    tally.count('accepted');
    return;
  }
  const { code, message } = answer.reply.error;
  tally.count(`refused ${code}`);
  expect(code, `${what}: ${message}`).not.toBe('internal');
  expect(message, what).toMatch(/[A-Za-z]+[ ’'][A-Za-z]+/);
  expect(message, what).not.toMatch(NOT_WORDS);
}

/** The page still loads and a valid call still answers, on a fresh connection. */
async function stillAlive(): Promise<void> {
  const page = await fetch(web.url);
  expect(page.status).toBe(200);
  const fresh = await openPage();
  fresh.socket.send(JSON.stringify({ t: 'call', id: 1, name: 'app.ping', input: { nonce: 'alive' } }));
  expect(await fresh.next()).toMatchObject({ id: 1, reply: { ok: true, value: { nonce: 'alive' } } });
  fresh.close();
}

/** A random JSON value: the shapes a parser or schema must survive. */
function randomValue(fuzzer: Fuzzer, depth = 0): unknown {
  switch (fuzzer.int(0, depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return fuzzer.next() < 0.5;
    case 2:
      return fuzzer.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e-308, Number.MAX_SAFE_INTEGER]);
    case 3:
      return fuzzer.text(40);
    case 4:
      return fuzzer.pick(['', '/', '/etc/passwd', '~/.bashrc', 'file:///etc/shadow', '..', '\u0000', 'x'.repeat(5000), 'rtmp://evil.example/app/key']);
    case 5:
      return fuzzer.int(-1000, 1000);
    case 6:
      return Array.from({ length: fuzzer.int(0, 4) }, () => randomValue(fuzzer, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let index = fuzzer.int(0, 4); index > 0; index -= 1) object[fuzzer.pick(['id', 'path', 'name', 'input', 'folderPath', 'songId', 'kind', 'query', '__proto__', 'constructor', fuzzer.text(8)])] = randomValue(fuzzer, depth + 1);
      return object;
    }
  }
}

/** Input that no call's schema accepts: not an object, or an object with a wrong-typed everything. */
function invalidInput(fuzzer: Fuzzer): unknown {
  return fuzzer.pick<unknown>([null, 42, 'text', [], [1, 2], true, { id: 'x', path: 7, songId: -1, kind: 12, folderPath: null }]);
}

beforeAll(async () => {
  web = await startFuzzWebHost();
});

afterAll(async () => {
  tally.print();
  await web?.close();
});

describe('fuzz: the web host’s WebSocket', () => {
  it('refuses upgrades without the token, with a wrong one, or from another Origin or Host, in words', async () => {
    const url = `ws://127.0.0.1:${web.host.port}${WS_PATH}`;
    const attempts: { protocols: string[]; headers: Record<string, string> }[] = [
      { protocols: [], headers: { origin: origin() } },
      { protocols: ['mixdeck'], headers: { origin: origin() } },
      { protocols: sessionSubprotocols(''), headers: { origin: origin() } },
      { protocols: sessionSubprotocols('x'), headers: { origin: origin() } },
      { protocols: sessionSubprotocols(web.host.sessionToken.toUpperCase()), headers: { origin: origin() } },
      { protocols: sessionSubprotocols(`${web.host.sessionToken}0`), headers: { origin: origin() } },
      { protocols: [`mixdeck-session.${web.host.sessionToken}`], headers: { origin: origin() } },
      { protocols: sessionSubprotocols(web.host.sessionToken), headers: { origin: 'https://evil.example' } },
      { protocols: sessionSubprotocols(web.host.sessionToken), headers: {} },
      { protocols: sessionSubprotocols(web.host.sessionToken), headers: { origin: origin(), host: 'evil.example' } },
    ];
    for (const attempt of attempts) {
      const refusal = await new Promise<{ status: number; body: string }>((resolve) => {
        const socket = new WebSocket(url, attempt.protocols, attempt.headers.origin ? { origin: attempt.headers.origin, headers: attempt.headers } : { headers: attempt.headers });
        socket.once('open', () => {
          socket.terminate();
          resolve({ status: 101, body: '' });
        });
        socket.once('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        socket.once('error', () => resolve({ status: -1, body: '' }));
      });
      tally.count(`upgrade ${refusal.status}`);
      expect(refusal.status, JSON.stringify(attempt.headers)).toBe(403);
      expect(refusal.body).toMatch(/[A-Za-z]+ [A-Za-z]+/);
      expect(refusal.body).not.toContain(web.host.sessionToken);
    }
    await stillAlive();
  });

  it('answers crafted messages in words: bad JSON, wrong types, huge numbers, unknown calls, deep nesting, binary', async () => {
    const page = await openPage();
    const crafted: (string | Buffer)[] = [
      '',
      '{',
      'null',
      '[]',
      '"call"',
      '1e999999',
      '{"t":"call"}',
      '{"t":"call","id":-1,"name":"app.ping","input":{}}',
      '{"t":"call","id":1.5,"name":"app.ping","input":{}}',
      '{"t":"call","id":1e308,"name":"app.ping","input":{}}',
      '{"t":"call","id":9007199254740993,"name":"app.ping","input":{}}',
      '{"t":"call","id":"1","name":"app.ping","input":{}}',
      '{"t":"call","id":1,"name":["app.ping"],"input":{}}',
      `{"t":"call","id":1,"name":"${'x'.repeat(200)}","input":{}}`,
      '{"t":"call","id":2,"name":"no.such.call","input":{}}',
      '{"t":"call","id":3,"name":"__proto__","input":{}}',
      '{"t":"call","id":4,"name":"constructor","input":{}}',
      '{"t":"call","id":5,"name":"toString","input":{}}',
      '{"t":"event","id":6,"name":"settings.changed","payload":{}}',
      '{"t":"reply","id":7,"reply":{"ok":true,"value":1}}',
      '{"__proto__":{"t":"call"},"id":8}',
      '{"t":"call","id":9,"name":"app.ping","input":{"nonce":1e308}}',
      `{"t":"call","id":10,"name":"app.ping","input":{"nonce":"${'n'.repeat(100_000)}"}}`,
      `{"t":"call","id":11,"name":"app.ping","input":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      `{"t":"call","id":12,"name":"settings.update","input":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
      '{"t":"call","id":13,"name":"settings.update","input":{"folders":{"music":["/","/etc"]}}}',
      '{"t":"call","id":14,"name":"library.playlists.importM3u8","input":{"path":"/etc/passwd"}}',
      '{"t":"call","id":15,"name":"studio.export","input":{"outPath":"~/.bashrc"}}',
      Buffer.from([0, 1, 2, 255]),
      Buffer.from('{"t":"call","id":16,"name":"app.ping","input":{"nonce":"binary"}}'),
      '\ud800',
      '\u0000',
    ];
    for (const message of crafted) {
      page.socket.send(message, { binary: Buffer.isBuffer(message) });
      judge(String(message).slice(0, 80), await page.next());
    }
    page.close();
    await stillAlive();
  });

  it('closes a connection that sends an oversized frame, and serves the others', async () => {
    for (const size of [WS_MAX_MESSAGE_BYTES + 1, 4 * WS_MAX_MESSAGE_BYTES]) {
      const page = await openPage();
      page.socket.send('x'.repeat(size));
      const answer = await page.next();
      expect(answer).toEqual({ closed: 1009 });
      judge(`${size} bytes`, answer);
    }
    await stillAlive();
  });

  it('answers garbage input for every call in the contract in words', async () => {
    const fuzzer = createFuzzer(0xc0ffee);
    const page = await openPage();
    let id = 100;
    for (const name of CALL_NAMES) {
      for (let round = 0; round < 3; round += 1) {
        const input = ONLY_INVALID_INPUT.test(name) ? invalidInput(fuzzer) : fuzzer.next() < 0.5 ? invalidInput(fuzzer) : randomValue(fuzzer);
        id += 1;
        page.socket.send(JSON.stringify({ t: 'call', id, name, input }));
        const answer = await page.next();
        judge(`${name} ${JSON.stringify(input)?.slice(0, 120)}`, answer);
        expect(answer).toMatchObject({ id });
      }
    }
    page.close();
    await stillAlive();
  }, 60_000);

  it('survives seeded random messages and mutations of valid calls', async () => {
    const fuzzer = createFuzzer(0x5eed_0042);
    const valid = [
      JSON.stringify({ t: 'call', id: 1, name: 'app.ping', input: { nonce: 'x' } }),
      JSON.stringify({ t: 'call', id: 2, name: 'settings.get', input: {} }),
      JSON.stringify({ t: 'call', id: 3, name: 'karaoke.listSongs', input: { search: 'a' } }),
      JSON.stringify({ t: 'call', id: 4, name: 'library.search', input: { query: 'x', sort: 'title' } }),
    ];
    for (let batch = 0; batch < 3; batch += 1) {
      const page = await openPage();
      for (let index = 0; index < 100; index += 1) {
        const message = fuzzer.next() < 0.5 ? mutateText(fuzzer, fuzzer.pick(valid)) : fuzzer.next() < 0.5 ? JSON.stringify(randomValue(fuzzer)) : JSON.stringify({ t: 'call', id: index, name: fuzzer.pick(CALL_NAMES.filter((name) => !ONLY_INVALID_INPUT.test(name))), input: randomValue(fuzzer) });
        page.socket.send(message);
        judge(`seed ${fuzzer.seed}: ${message.slice(0, 120)}`, await page.next());
      }
      page.close();
      await stillAlive();
    }
  }, 60_000);
});
