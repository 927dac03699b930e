import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtmpServer, type RtmpServer } from '../../../../tests/support/rtmp-server';
import { amfString, decodeAmf0, encodeAmf0, type AmfValue } from './rtmp-amf';
import { ChunkReader, ChunkWriter, type RtmpMessage } from './rtmp-chunks';
import { parseRtmpUrl, RtmpRelaySession, RtmpUrlError, type RelayEvent } from './rtmp-relay';

describe('parseRtmpUrl reads a URL the way ffmpeg does', () => {
  it.each([
    ['rtmp://live.twitch.tv/app/live_1_abc', { secure: false, host: 'live.twitch.tv', port: 1935, app: 'app', tcUrl: 'rtmp://live.twitch.tv:1935/app', streamName: 'live_1_abc' }],
    [
      'rtmps://b.rtmps.youtube.com:443/live2?backup=1/abcd-efgh',
      { secure: true, host: 'b.rtmps.youtube.com', port: 443, app: 'live2?backup=1', tcUrl: 'rtmps://b.rtmps.youtube.com:443/live2?backup=1', streamName: 'abcd-efgh' },
    ],
    [
      'rtmps://live-api-s.facebook.com:443/rtmp/FB-1-0-Ab?s_bl=1&s_sc=2',
      { secure: true, port: 443, app: 'rtmp', tcUrl: 'rtmps://live-api-s.facebook.com:443/rtmp', streamName: 'FB-1-0-Ab?s_bl=1&s_sc=2' },
    ],
    ['rtmps://host.example/app', { port: 443, app: 'app', streamName: '' }],
    ['rtmp://host.example:1940/app/instance/key123', { port: 1940, app: 'app/instance', tcUrl: 'rtmp://host.example:1940/app/instance', streamName: 'key123' }],
    ['rtmp://host.example/app/key:with/slash', { app: 'app', streamName: 'key:with/slash' }],
    ['rtmp://[::1]:1936/app/key', { host: '::1', port: 1936, tcUrl: 'rtmp://[::1]:1936/app', streamName: 'key' }],
    ['rtmp://h/app/stream.flv', { streamName: 'stream' }],
    ['rtmp://h/app/movie.mp4', { streamName: 'mp4:movie.mp4' }],
  ])('%s', (url, expected) => {
    expect(parseRtmpUrl(url)).toMatchObject(expected);
  });

  it('refuses what it cannot send, without repeating the URL', () => {
    for (const url of ['http://h/app/secretKey1', 'rtmp://user:pw@h/app/secretKey1', 'rtmp://h:99999/app/secretKey1', 'rtmp:///app/secretKey1']) {
      let caught: unknown;
      try {
        parseRtmpUrl(url);
      } catch (error) {
        caught = error;
      }
      expect(caught, url).toBeInstanceOf(RtmpUrlError);
      expect((caught as Error).message).not.toContain('secretKey1');
    }
  });
});

describe('AMF0 and the chunk stream', () => {
  it('writes back exactly what it read, markers included', () => {
    const values: AmfValue[] = [
      amfString('connect'),
      { type: 'number', value: 1 },
      {
        type: 'object',
        entries: [
          ['app', amfString('relay')],
          ['flashVer', amfString('FMLE/3.0')],
          ['fpad', { type: 'boolean', value: false }],
          ['nested', { type: 'ecma-array', declaredCount: 1, entries: [['x', { type: 'null' }]] }],
          ['list', { type: 'strict-array', items: [{ type: 'undefined' }, { type: 'date', value: 5, timezone: 0 }] }],
          ['long', { type: 'string', value: 'é'.repeat(10), long: true }],
        ],
      },
    ];
    const bytes = encodeAmf0(values);
    expect(decodeAmf0(bytes)).toEqual(values);
    expect(encodeAmf0(decodeAmf0(bytes)).equals(bytes)).toBe(true);
  });

  it('refuses truncated or absurd input in words instead of looping', () => {
    const bytes = encodeAmf0([amfString('publish'), { type: 'strict-array', items: [] }]);
    bytes.writeUInt32BE(0xffffffff, bytes.length - 4);
    expect(() => decodeAmf0(bytes)).toThrow(/ends in the middle/);
    expect(() => decodeAmf0(Buffer.from([0x42]))).toThrow(/marker 66/);
    const deep = Buffer.concat([...Array.from({ length: 40 }, () => Buffer.from([0x0a, 0, 0, 0, 1])), Buffer.from([0x05])]);
    expect(() => decodeAmf0(deep)).toThrow(/nests too deeply/);
  });

  it('reassembles messages sent with every header type and a chunk size changed midway', () => {
    // Built by hand the way ffmpeg writes: type 0 first, then 1, 2 and 3 headers relying on it.
    const payload = (length: number, seed: number): Buffer => Buffer.from(Array.from({ length }, (_, index) => (index * 7 + seed) & 0xff));
    const parts: Buffer[] = [];
    const a = payload(300, 1);
    // csid 4, type 0: ts 1000, length 300, type 9, stream 1; split in 128-byte chunks.
    parts.push(Buffer.from([0x04, 0x00, 0x03, 0xe8, 0x00, 0x01, 0x2c, 0x09, 1, 0, 0, 0]), a.subarray(0, 128));
    parts.push(Buffer.from([0xc4]), a.subarray(128, 256), Buffer.from([0xc4]), a.subarray(256));
    // type 1: delta 40, length 10, type 8.
    const b = payload(10, 2);
    parts.push(Buffer.from([0x44, 0x00, 0x00, 0x28, 0x00, 0x00, 0x0a, 0x08]), b);
    // type 2: delta 20; type 3 (new message, same delta again).
    const c = payload(10, 3);
    const d = payload(10, 4);
    parts.push(Buffer.from([0x84, 0x00, 0x00, 0x14]), c, Buffer.from([0xc4]), d);
    // Set Chunk Size 4096 on csid 2, then a 1000-byte message in one chunk.
    parts.push(Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0x10, 0x00]));
    const e = payload(1000, 5);
    parts.push(Buffer.from([0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x09, 1, 0, 0, 0]), e);
    const wire = Buffer.concat(parts);

    const reader = new ChunkReader();
    const messages: RtmpMessage[] = [];
    // Byte by byte: every partial header and chunk waits for the rest.
    for (let index = 0; index < wire.length; index += 7) messages.push(...reader.push(wire.subarray(index, index + 7)));
    expect(messages.map(({ timestamp, typeId, payload: bytes }) => ({ timestamp, typeId, length: bytes.length }))).toEqual([
      { timestamp: 1000, typeId: 9, length: 300 },
      { timestamp: 1040, typeId: 8, length: 10 },
      { timestamp: 1060, typeId: 8, length: 10 },
      { timestamp: 1080, typeId: 8, length: 10 },
      { timestamp: 0, typeId: 1, length: 4 },
      { timestamp: 0, typeId: 9, length: 1000 },
    ]);
    expect(messages[0]!.payload.equals(a) && messages[3]!.payload.equals(d) && messages[5]!.payload.equals(e)).toBe(true);

    // What the relay writes reads back the same, extended timestamps included.
    const writer = new ChunkWriter();
    const late = { ...messages[0]!, timestamp: 0x1234567 };
    const rewritten = Buffer.concat([...messages, late].map((message) => writer.write(message)));
    const again = new ChunkReader().push(rewritten);
    expect(again.map((message) => [message.timestamp, message.payload.length])).toEqual([...messages, late].map((message) => [message.timestamp, message.payload.length]));
  });
});

// ---------------------------------------------------------------------------------------------

const KEY = 'live_777_RelaySecretKey';
const REFUSED_KEY = 'bad_RelayRefusedSecret';

function publish(url: string, seconds = 30): ChildProcess & { log: string } {
  const child = spawn(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-loglevel', 'verbose', '-re', '-f', 'lavfi', '-i', `testsrc2=s=160x90:r=15:d=${seconds}`, '-f', 'lavfi', '-i', `sine=d=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-c:a', 'aac', '-f', 'flv', url],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  ) as ChildProcess & { log: string };
  child.log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (child.log += text));
  return child;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RtmpRelaySession against a real nginx-rtmp', () => {
  let server: RtmpServer;
  const children: ChildProcess[] = [];
  const sessions: RtmpRelaySession[] = [];

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch', 'facebook'] });
  }, 30_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const session of sessions) session.close();
    await server?.stop();
  });

  async function open(url: string, events: RelayEvent[]): Promise<RtmpRelaySession> {
    const session = await RtmpRelaySession.open({ url, onEvent: (event) => events.push(event) });
    sessions.push(session);
    return session;
  }

  it.each([
    ['rtmp', () => `${server.rtmpUrl('twitch')}/${KEY}`, 'twitch'],
    ['rtmps (TLS, certificate checked)', () => `${server.rtmpsUrl('facebook')}/${KEY}`, 'facebook'],
  ])('publishes over %s under the real name while ffmpeg only knows a one-time local name', async (_kind, url, app) => {
    const events: RelayEvent[] = [];
    const session = await open(url(), events);
    expect(session.localUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/relay\/[\w-]{24}$/);
    expect(session.localUrl).not.toContain(KEY);
    const started = Date.now();
    const child = publish(session.localUrl, 4);
    children.push(child);
    session.expectProcess(child.pid);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain(session.localUrl);
    expect(cmdline).not.toContain(KEY);
    await until('the publish', () => server.publishAttempts.some((attempt) => attempt.app === app && attempt.name === KEY));
    console.log(`relay ${app}: publish accepted ${Date.now() - started} ms after spawn`);
    expect(await exited(child)).toBe(0);
    expect(events[0]).toEqual({ kind: 'connected' });
    const file = server.recordings(app, KEY)[0]!;
    const durationSec = Number(spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).stdout);
    expect(durationSec).toBeGreaterThan(3);
  }, 60_000);

  it('passes a refusal through untouched, so ffmpeg reads it as before', async () => {
    const events: RelayEvent[] = [];
    const session = await open(`${server.rtmpUrl('twitch')}/${REFUSED_KEY}`, events);
    const child = publish(session.localUrl);
    children.push(child);
    session.expectProcess(child.pid);
    expect(await exited(child)).not.toBe(0);
    expect(server.publishAttempts.find((attempt) => attempt.name === REFUSED_KEY)).toMatchObject({ accepted: false });
    expect(events.map((event) => event.kind)).toContain('connected');
    expect(child.log).not.toContain(REFUSED_KEY);
  }, 60_000);

  it('turns away a name it did not issue, before anything reaches the ingest', async () => {
    const events: RelayEvent[] = [];
    const session = await open(`${server.rtmpUrl('twitch')}/live_778_NeverPublished`, events);
    const child = publish(session.localUrl.replace(/\/relay\/.*$/, '/relay/guessedName'));
    children.push(child);
    session.expectProcess(child.pid);
    expect(await exited(child)).not.toBe(0);
    expect(events).toContainEqual({ kind: 'protocol', detail: '"releaseStream" names a stream this relay did not issue.' });
    expect(server.publishAttempts.some((attempt) => attempt.name === 'live_778_NeverPublished')).toBe(false);
  }, 60_000);

  it('turns away a process other than the one it expects, even with the right name, and still serves the right one', async () => {
    const events: RelayEvent[] = [];
    const session = await open(`${server.rtmpUrl('twitch')}/live_779_OnlyForThePusher`, events);
    const intruder = publish(session.localUrl, 2);
    children.push(intruder);
    session.expectProcess(process.pid);
    expect(await exited(intruder)).not.toBe(0);
    expect(events).toEqual([{ kind: 'refused-peer' }]);
    expect(server.publishAttempts.some((attempt) => attempt.name === 'live_779_OnlyForThePusher')).toBe(false);

    const pusher = publish(session.localUrl, 2);
    children.push(pusher);
    session.expectProcess(pusher.pid);
    expect(await exited(pusher)).toBe(0);
    expect(server.publishAttempts.some((attempt) => attempt.name === 'live_779_OnlyForThePusher' && attempt.accepted)).toBe(true);
  }, 60_000);

  it('says when the ingest cannot be reached', async () => {
    const events: RelayEvent[] = [];
    const session = await open('rtmp://127.0.0.1:9/app/live_780_Nowhere', events);
    const child = publish(session.localUrl);
    children.push(child);
    session.expectProcess(child.pid);
    expect(await exited(child)).not.toBe(0);
    expect(events).toEqual([{ kind: 'connect-failed', code: 'ECONNREFUSED' }]);
  }, 30_000);
});
