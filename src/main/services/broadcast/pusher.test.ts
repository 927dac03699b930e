import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import type { Clock } from './clock';
import type { Encoder, TagSubscriber } from './encoder';
import { FlvJoinCache, FlvTagReader } from './flv';
import { resolveTarget } from './presets';
import { TargetPusher, type TargetState } from './pusher';

/** A clock whose timers run only when the test says so. */
class ManualClock implements Clock {
  time = 1_000_000;
  timers: { callback: () => void; delayMs: number; cancelled: boolean }[] = [];
  now = (): number => this.time;
  setTimeout = (callback: () => void, delayMs: number): unknown => {
    const timer = { callback, delayMs, cancelled: false };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (handle: unknown): void => {
    (handle as { cancelled: boolean }).cancelled = true;
  };
  pending(): { callback: () => void; delayMs: number; cancelled: boolean }[] {
    return this.timers.filter((timer) => !timer.cancelled);
  }
  fire(timer: { callback: () => void; delayMs: number; cancelled: boolean }): void {
    timer.cancelled = true;
    this.time += timer.delayMs;
    timer.callback();
  }
}

/** An encoder that has already produced a second of real FLV, enough for a pusher to join. */
function readyEncoder(): Encoder {
  const flv = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=64x36:r=10:d=1', '-f', 'lavfi', '-i', 'sine=d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-c:a', 'aac', '-f', 'flv', 'pipe:1'],
    { maxBuffer: 16 * 1024 * 1024 },
  ).stdout;
  const reader = new FlvTagReader();
  const cache = new FlvJoinCache();
  const tags = reader.push(flv);
  cache.fileHeader = reader.fileHeader;
  for (const tag of tags) cache.remember(tag);
  const stub = {
    id: 'test-encode',
    ready: true,
    cache,
    lastTagAt: 0,
    subscribe: (subscriber: TagSubscriber) => subscriber.onEncoderReady(),
    unsubscribe: () => undefined,
  };
  return stub as unknown as Encoder;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('TargetPusher', () => {
  let encoder: Encoder;
  let closedPort: number;
  // Completes the RTMP handshake, then hangs up on the publish: what an ingest refusing a key does.
  const refusing = createServer((socket) => {
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!answered && received.length >= 1537) {
        answered = true;
        // S0 (version 3), S1 (time, zero, random), S2 (echo of C1).
        socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(1536), received.subarray(1, 1537)]));
      } else if (answered && received.length > 1537 + 1536) socket.destroy();
    });
    socket.on('error', () => undefined);
  });
  let refusingPort: number;

  beforeAll(async () => {
    encoder = readyEncoder();
    const probe = createServer();
    closedPort = await listenOn(probe);
    await new Promise((resolve) => probe.close(resolve));
    refusingPort = await listenOn(refusing);
  });
  afterAll(() => new Promise((resolve) => refusing.close(resolve)));

  function makePusher(server: string, streamKey: string, clock: Clock, logs: string[]): TargetPusher {
    const logger = createLogger({ level: 'debug' });
    const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push(JSON.stringify({ level, message, ...fields }));
    const rawLogger = { ...logger, debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error'), child: () => rawLogger };
    const pusher = new TargetPusher({
      target: resolveTarget({ id: 'tw', platform: 'custom', label: 'Twitch', server, streamKey }),
      ffmpegPath: 'ffmpeg',
      logger: rawLogger,
      clock,
      mask: (text) => text.split(streamKey).join('••••'),
      onChange: () => undefined,
    });
    pusher.attach(encoder);
    return pusher;
  }

  it('reconnects by itself after 1, 2, 4, 8, then every 10 seconds, saying why', async () => {
    const clock = new ManualClock();
    const logs: string[] = [];
    const pusher = makePusher(`rtmp://127.0.0.1:${closedPort}/app`, 'live_1_backoffKey', clock, logs);
    const states: TargetState[] = [];
    pusher.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      await until(() => pusher.state === 'reconnecting' && clock.pending().length === 1 && pusher.pid === undefined);
      states.push(pusher.state);
      const [timer] = clock.pending();
      delays.push(timer!.delayMs);
      clock.fire(timer!);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(pusher.reason).toBe('The server 127.0.0.1 refused the connection.');
    await pusher.stop();
    expect(pusher.state).toBe('idle');
    expect(logs.join('\n')).not.toContain('live_1_backoffKey');
  });

  it('marks a refused key failed at once, without retrying, and leaves the key out of the reason', async () => {
    const clock = new ManualClock();
    const logs: string[] = [];
    const pusher = makePusher(`rtmp://127.0.0.1:${refusingPort}/app`, 'live_2_refusedKey', clock, logs);
    pusher.start();
    await until(() => pusher.state === 'failed');
    expect(pusher.reason).toBe('Twitch refused the stream key. Check the key and the server, then restart this target.');
    expect(clock.pending()).toEqual([]);
    expect(logs.join('\n')).not.toContain('live_2_refusedKey');
  });
});
