import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCommandLines, type CommandLineSampler } from '../../../tests/support/command-lines';
import { call } from '../../../tests/support/core-calls';
import { startRtmpServer, type RtmpServer } from '../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { createAppCore, type AppCore } from '../app-core';

const KEYS = { twitch: 'live_31337_WebHostPsSecret', youtube: 'webhost-ps-yt-secret-1', refused: 'bad_WebHost+Ps&Refused' } as const;
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 400, audioBitrateKbps: 128, x264Preset: 'ultrafast' } as const;

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 45_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a web-host set through the contract: no stream key on any command line', () => {
  const temp = makeTempDir('mixdeck-broadcast-keys-');
  let core: AppCore;
  let server: RtmpServer;
  let sampler: CommandLineSampler;

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch', 'youtube'] });
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
    await call(core, 'broadcast.addTarget', { platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.twitch, overrides: SMALL });
    await call(core, 'broadcast.addTarget', { platform: 'youtube', server: server.rtmpsUrl('youtube'), streamKey: KEYS.youtube, overrides: SMALL });
    await call(core, 'broadcast.addTarget', { platform: 'custom', name: 'Refused', server: server.rtmpUrl('twitch'), streamKey: KEYS.refused, overrides: SMALL });
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
    await call(core, 'broadcast.setVideoSource', { kind: 'testsrc' });
    sampler = sampleCommandLines(Object.values(KEYS), 20);
    await call(core, 'broadcast.goLive', { record: false });
    const states = async (): Promise<string[]> => (await call(core, 'broadcast.status', {})).targets.map((target) => target.state);
    await until('two targets live and one refused', async () => {
      const now = (await states()).sort();
      return now.join() === 'failed,live,live';
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    sampler.stop();
    await call(core, 'broadcast.end', {});
  }, 90_000);

  afterAll(async () => {
    sampler?.stop();
    await core?.close();
    await server?.stop();
    temp.remove();
  });

  it('shows no key, nor any URL-encoded form of one, while every target connects, publishes and is refused', () => {
    const commandLines = [...sampler.seen.keys()];
    const pushers = commandLines.filter((args) => /ffmpeg .*-c copy .*rtmp:\/\/127\.0\.0\.1:\d+\/relay\//.test(args));
    console.log(`web host: ${sampler.samples} samples every 20 ms, ${commandLines.length} distinct command lines, ${pushers.length} pusher ffmpegs seen`);
    expect(pushers.length).toBeGreaterThanOrEqual(3);
    expect(sampler.samples).toBeGreaterThan(50);
    expect(sampler.leaks).toEqual([]);
    const accepted = server.publishAttempts.filter((attempt) => attempt.accepted).map((attempt) => attempt.name);
    expect(accepted).toEqual(expect.arrayContaining([KEYS.twitch, KEYS.youtube]));
    expect(server.publishAttempts.find((attempt) => attempt.name === KEYS.refused)?.accepted).toBe(false);
  });
});
