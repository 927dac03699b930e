import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import type { Dispatcher } from '../../src/main/host/dispatcher';
import { startRemoteHost, type RemoteHost } from '../../src/main/host/remote-host';
import { RemotePairing } from '../../src/main/services/remote/pairing';
import { CALL_NAMES, REMOTE_ALLOWED_CALLS, REMOTE_WS_PATH, REMOTE_WS_SUBPROTOCOL } from '../../src/shared/contract';
import { createFuzzer, FuzzTally, mutateText, type Fuzzer } from '../support/fuzz';
import { makeTempDir } from '../support/temp-dir';

// A paired phone that sends garbage and every call name of the contract: only the allow-list
// ever reaches the dispatcher, every refusal is in words, and the socket stays open.

const NOT_WORDS = /Cannot read properties|is not a function|TypeError|RangeError|SyntaxError|Unexpected token|at .*\.[jt]s:\d+|\[object /;
const SEED = 0x5e_40_7e;

const temp = makeTempDir('mixdeck-remote-fuzz-');
let core: AppCore;
let host: RemoteHost;
const dispatched: string[] = [];
const phonePairing = new RemotePairing();

beforeAll(async () => {
  core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error' });
  // Records what reaches the dispatcher; Go Live and End are answered here so garbage cannot start a set.
  const recording: Dispatcher = {
    dispatch: (name, input, context) => {
      dispatched.push(String(name));
      if (name === 'broadcast.goLive' || name === 'broadcast.end') return Promise.resolve({ ok: false, error: { code: 'conflict', message: 'Not in this test.' } });
      return core.dispatcher.dispatch(name, input, context);
    },
  };
  host = await startRemoteHost({ dispatcher: recording, events: core.events, logger: core.logger, pairing: phonePairing, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await host.close();
  await core.close();
  temp.remove();
});

function randomInput(fuzzer: Fuzzer): unknown {
  return fuzzer.pick<unknown>([
    {},
    null,
    fuzzer.text(30),
    { recordingFolder: '/etc' },
    { targetIds: ['x'] },
    { action: fuzzer.pick(['player.next', 'player.playPause', 'studio.record', 'broadcast.end', fuzzer.text(10)]), value: fuzzer.pick([0, 1, 2, -1, 'x']) },
    { [fuzzer.text(8)]: fuzzer.text(8) },
    [1, 2, 3],
  ]);
}

describe('fuzz: the remote socket', () => {
  it('lets only its allow-list through, answers every refusal in words, and stays open', async () => {
    const tally = new FuzzTally('remote socket');
    const fuzzer = createFuzzer(SEED);
    const origin = host.url.replace(/\/$/, '');
    const paired = await fetch(`${host.url}pair`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ code: phonePairing.newCode().code, name: 'Fuzz phone' }) });
    expect(paired.status).toBe(200);
    const cookie = paired.headers.get('set-cookie')!.split(';')[0]!;
    const socket = new WebSocket(`${origin.replace('http', 'ws')}${REMOTE_WS_PATH}`, [REMOTE_WS_SUBPROTOCOL], { origin, headers: { Cookie: cookie } });
    const replies: Array<{ id: number | null; reply: { ok: boolean; error?: { code: string; message: string } } }> = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { t: string; id: number | null; reply: { ok: boolean; error?: { code: string; message: string } } };
      if (message.t === 'reply') replies.push(message);
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });

    const names = [...CALL_NAMES, ...REMOTE_ALLOWED_CALLS, 'remote.player', '__proto__', 'constructor', '', 'broadcast.status ', 'BROADCAST.STATUS'];
    const inputs = 600;
    for (let index = 0; index < inputs; index += 1) {
      const valid = JSON.stringify({ t: 'call', id: index, name: fuzzer.pick(names), input: randomInput(fuzzer) });
      const roll = fuzzer.next();
      if (roll < 0.1) socket.send(Buffer.from(fuzzer.bytes(fuzzer.int(1, 64))), { binary: true });
      else socket.send(roll < 0.3 ? mutateText(fuzzer, valid) : valid);
    }
    const deadline = Date.now() + 30_000;
    while (replies.length < inputs && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(replies).toHaveLength(inputs);
    for (const { reply } of replies) {
      if (reply.ok) tally.count('answered');
      else {
        tally.count(`refused ${reply.error!.code}`);
        expect(reply.error!.message).not.toMatch(NOT_WORDS);
        expect(reply.error!.message.length).toBeGreaterThan(10);
      }
    }
    expect(new Set(dispatched).size).toBeGreaterThan(0);
    for (const name of dispatched) expect(REMOTE_ALLOWED_CALLS as readonly string[]).toContain(name);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    tally.print();
  }, 60_000);
});
