import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtmpServer, type RtmpServer } from '../../../tests/support/rtmp-server';
import { call, failure } from '../../../tests/support/core-calls';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { CallOutput, EventName } from '../../shared/contract';
import { createAppCore, type AppCore } from '../app-core';
import { computeBandwidth } from './broadcast';

const TWITCH_KEY = 'live_987654321_CapabilitySecretKey';
const YOUTUBE_KEY = 'mnop-qrst-uvwx-yzab';
const EXTRA_KEYS = ['extra-first-secret-key', 'extra-second-secret-key'] as const;
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 400, audioBitrateKbps: 128, x264Preset: 'ultrafast' } as const;

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('broadcast capability: saved targets', () => {
  const temp = makeTempDir('mixdeck-broadcast-cap-');
  let core: AppCore;

  beforeAll(async () => {
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
  });
  afterAll(async () => {
    await core?.close();
    temp.remove();
  });

  it('lists every platform preset with its ingest servers and limits', async () => {
    const { platforms } = await call(core, 'broadcast.listPresets', {});
    expect(platforms.map((platform) => platform.id)).toEqual(['twitch', 'youtube', 'facebook', 'tiktok', 'kick', 'custom']);
    const twitch = platforms.find((platform) => platform.id === 'twitch')!;
    expect(twitch.servers.some((server) => server.url === 'rtmp://live-fra.twitch.tv/app')).toBe(true);
    expect(platforms.find((platform) => platform.id === 'tiktok')!.profile).toMatchObject({ width: 720, height: 1280 });
    expect(platforms.find((platform) => platform.id === 'facebook')!.limits.maxDurationSec).toBe(8 * 3600);
  });

  it('saves a target with its key sealed, and only ever answers keySet and a masked hint', async () => {
    const events: unknown[] = [];
    const off = core.events.subscribe((name, payload) => events.push({ name, payload }));
    const added = await call(core, 'broadcast.addTarget', { platform: 'twitch', streamKey: TWITCH_KEY, server: 'rtmp://live-fra.twitch.tv/app' });
    off();
    expect(added).toMatchObject({ platform: 'twitch', name: 'Twitch', server: 'rtmp://live-fra.twitch.tv/app', serverIsCustom: true, enabled: true, keySet: true });
    expect(added.keyHint).toBe('••••••••ey');
    expect(added.problems).toEqual([]);
    expect(added.profile).toMatchObject({ width: 1280, height: 720, keyframeSec: 2 });
    const listed = await call(core, 'broadcast.listTargets', {});
    const everything = JSON.stringify([added, listed, events, await call(core, 'broadcast.status', {})]);
    expect(everything).not.toContain(TWITCH_KEY);
    expect(everything).not.toContain('CapabilitySecret');
    // At rest: the database holds it sealed, never in the clear.
    core.logger.info('flush');
    const database = readFileSync(join(temp.path, 'mixdeck.db'));
    const wal = readdirSync(temp.path).filter((name) => name.endsWith('-wal')).map((name) => readFileSync(join(temp.path, name)));
    for (const bytes of [database, ...wal]) expect(bytes.includes(Buffer.from('CapabilitySecret'))).toBe(false);
  });

  it('updates the name, region, overrides and key, and can clear the key', async () => {
    const [target] = (await call(core, 'broadcast.listTargets', {})).targets;
    const updated = await call(core, 'broadcast.updateTarget', { id: target!.id, name: 'Twitch main', server: null, overrides: { videoBitrateKbps: 6000 } });
    expect(updated).toMatchObject({ name: 'Twitch main', server: 'rtmp://live.twitch.tv/app', serverIsCustom: false, keySet: true });
    expect(updated.profile.videoBitrateKbps).toBe(6000);
    const tooHigh = await call(core, 'broadcast.updateTarget', { id: target!.id, overrides: { videoBitrateKbps: 8000 } });
    expect(tooHigh.problems.find((problem) => problem.severity === 'error')?.message).toMatch(/6000/);
    const cleared = await call(core, 'broadcast.updateTarget', { id: target!.id, streamKey: null, overrides: {} });
    expect(cleared).toMatchObject({ keySet: false, keyHint: null });
    expect(cleared.problems.map((problem) => problem.message)).toContain('The stream key looks empty.');
  });

  it('refuses bad input with a sentence', async () => {
    expect(await failure(core, 'broadcast.addTarget', { platform: 'myspace' })).toMatchObject({ code: 'invalid-input' });
    expect((await failure(core, 'broadcast.addTarget', { platform: 'custom', server: 'http://example.com/live' })).message).toMatch(/rtmp:\/\/ or rtmps:\/\//);
    expect(await failure(core, 'broadcast.updateTarget', { id: 'nope', name: 'x' })).toMatchObject({ code: 'not-found' });
    expect((await failure(core, 'broadcast.setTargetLive', { id: 'nope', live: true })).message).toMatch(/Go live first/);
    expect(await failure(core, 'broadcast.videoChunk', { sequence: -1, dataBase64: '' })).toMatchObject({ code: 'invalid-input' });
    // A remedy for an overloaded encode needs a set on air, and an encode to name.
    expect(await failure(core, 'broadcast.applyRemedy', { encodeId: 'x' })).toMatchObject({ code: 'conflict', message: 'There is no set on air to make lighter.' });
    expect(await failure(core, 'broadcast.applyRemedy', {} as never)).toMatchObject({ code: 'invalid-input' });
  });

  it('says what is wrong in words, naming the field, never the call or zod\'s wording', async () => {
    const refusals = [
      await failure(core, 'broadcast.addTarget', { platform: 'custom', server: 'http://example.com/live' }),
      await failure(core, 'broadcast.addTarget', { platform: 'myspace' }),
      await failure(core, 'broadcast.addTarget', { platform: 'twitch', overrides: { videoBitrateKbps: 50 } }),
      await failure(core, 'broadcast.addTarget', { platform: 'twitch', overrides: { fps: 'thirty' } }),
      await failure(core, 'broadcast.addTarget', { platform: 'twitch', colour: 'red' }),
      await failure(core, 'broadcast.updateTarget', { name: 'No id' }),
      await failure(core, 'broadcast.setUploadBandwidth', { uploadKbps: 10 }),
      await failure(core, 'broadcast.setAudioInput', { channels: [1, 99] }),
    ];
    expect(refusals.map((refusal) => refusal.message)).toEqual([
      'The server must be an rtmp:// or rtmps:// address.',
      'The platform must be one of: twitch, youtube, facebook, tiktok, kick, custom.',
      'The video bitrate (kbps) must be at least 200.',
      'The frame rate must be a number.',
      '"colour" is not a setting Mixdeck knows here.',
      'The id is missing.',
      'The upload speed (kbps) must be at least 64.',
      'The channels (item 2) must be at most 64.',
    ]);
    for (const refusal of refusals) {
      expect(refusal.code).toBe('invalid-input');
      expect(refusal.message).not.toMatch(/broadcast\.|Invalid input|Too small|Too big|expected|received/);
    }
  });

  it('keeps targets, keys and the setup across a restart', async () => {
    const [target] = (await call(core, 'broadcast.listTargets', {})).targets;
    await call(core, 'broadcast.updateTarget', { id: target!.id, streamKey: TWITCH_KEY });
    await call(core, 'broadcast.setAudioInput', { source: 'tone', channels: [3, 4], monitor: false });
    await call(core, 'broadcast.setUploadBandwidth', { uploadKbps: 20_000 });
    await core.close();
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
    const [again] = (await call(core, 'broadcast.listTargets', {})).targets;
    expect(again).toMatchObject({ id: target!.id, name: 'Twitch main', keySet: true });
    expect(await call(core, 'broadcast.getAudioInput', {})).toMatchObject({ source: 'tone', channels: [3, 4] });
    expect((await call(core, 'broadcast.status', {})).bandwidth.uploadKbps).toBe(20_000);
    expect(await call(core, 'broadcast.removeTarget', { id: target!.id })).toEqual({ removed: true });
    expect((await call(core, 'broadcast.listTargets', {})).targets).toEqual([]);
  });
});

describe('broadcast capability: metering the input before Go Live', () => {
  const temp = makeTempDir('mixdeck-broadcast-preview-');
  let core: AppCore;
  beforeAll(async () => {
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
  });
  afterAll(async () => {
    await core?.close();
    temp.remove();
  });

  it('sends levels and tempo while previewing, and stops when asked', async () => {
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
    const levels: { channels: { peakDb: number }[] }[] = [];
    const off = core.events.subscribe((name, payload) => {
      if (name === 'broadcast.levels') levels.push(payload as { channels: { peakDb: number }[] });
    });
    const on = await call(core, 'broadcast.previewInput', { enabled: true });
    expect(on).toEqual({ enabled: true, audioInput: { state: 'ok', message: null, deviceName: null } });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(levels.length).toBeGreaterThan(6);
    // The test tone is a 440 Hz sine at a quarter of full scale: −12 dBFS.
    expect(levels.at(-1)!.channels[0]!.peakDb).toBeCloseTo(-12, 0);
    expect((await call(core, 'broadcast.status', {})).set.state).toBe('idle');
    await call(core, 'broadcast.previewInput', { enabled: false });
    const count = levels.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(levels.length).toBeLessThanOrEqual(count + 1);
    off();
  });
});

describe('the bandwidth check', () => {
  const target = (videoBitrateKbps: number, enabled = true) =>
    ({ enabled, profile: { videoBitrateKbps, audioBitrateKbps: 160 } }) as Parameters<typeof computeBandwidth>[0][number];

  it('adds every enabled target with 10 % overhead and warns past 80 % of the upload', () => {
    expect(computeBandwidth([target(3500), target(3500), target(9000, false)], null)).toEqual({ uploadKbps: null, requiredKbps: 8052, warning: null });
    expect(computeBandwidth([target(3500), target(3500)], 20_000).warning).toBeNull();
    expect(computeBandwidth([target(3500), target(3500)], 9000).warning).toMatch(/about 8\.1 Mbps of your 9\.0 Mbps upload; keep some headroom/);
    expect(computeBandwidth([target(3500), target(3500)], 6000).warning).toMatch(/need about 8\.1 Mbps but your upload is 6\.0 Mbps: streams will stutter/);
  });
});

describe('broadcast capability: a set fed by the renderer\'s WebM', () => {
  const temp = makeTempDir('mixdeck-broadcast-set-');
  let core: AppCore;
  let server: RtmpServer;
  const seen = new Map<EventName, unknown[]>();
  let ended: CallOutput<'broadcast.end'>;
  let rejectedGap: CallOutput<'broadcast.videoChunk'>;
  const extraStates: string[] = [];
  let othersReconnects: number[] = [];
  let remedyForNoEncode: { code: string; message: string } | undefined;

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch', 'youtube'] });
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn' });
    core.events.subscribe((name, payload) => seen.set(name, [...(seen.get(name) ?? []), payload]));
    // What MediaRecorder makes: a WebM stream (VP8), here from ffmpeg, cut into chunks.
    const webm = join(temp.path, 'canvas.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=12', '-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '400k', '-g', '30', webm]);
    const bytes = readFileSync(webm);
    await call(core, 'broadcast.addTarget', { platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: TWITCH_KEY, overrides: SMALL });
    await call(core, 'broadcast.addTarget', { platform: 'youtube', server: server.rtmpsUrl('youtube'), streamKey: YOUTUBE_KEY, overrides: SMALL });
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
    await call(core, 'broadcast.setVideoSource', { kind: 'renderer', frameRate: 30 });
    await call(core, 'broadcast.setNowPlaying', { text: 'DJ Test - Opener' });
    mkdirSync(join(temp.path, 'sets'));
    core.grantPicked(join(temp.path, 'sets'), 'folder', 'recordings-folder');
    const live = await call(core, 'broadcast.goLive', { recordingFolder: join(temp.path, 'sets') });
    expect(live.set.state).toBe('live');
    // A third target, saved but off, put on air mid-set, then given a new key, then taken off.
    const extra = await call(core, 'broadcast.addTarget', { platform: 'custom', name: 'Backup', server: server.rtmpUrl('twitch'), streamKey: EXTRA_KEYS[0], overrides: SMALL, enabled: false });
    const stateOf = (id: string): string | undefined =>
      (seen.get('broadcast.targetStatus')?.at(-1) as { targets: { id: string; state: string }[] } | undefined)?.targets.find((target) => target.id === id)?.state;
    const midSet = (async () => {
      await until('the first two live', () => stateOf(live.targets[0]!.id) === 'live' && stateOf(live.targets[1]!.id) === 'live');
      extraStates.push((await call(core, 'broadcast.setTargetLive', { id: extra.id, live: true })).state);
      await until('the extra target live', () => stateOf(extra.id) === 'live');
      extraStates.push('live');
      await call(core, 'broadcast.updateTarget', { id: extra.id, streamKey: EXTRA_KEYS[1] });
      await call(core, 'broadcast.setTargetLive', { id: extra.id, live: true });
      await until('the extra target live with its new key', () =>
        server.publishAttempts.some((attempt) => attempt.name === EXTRA_KEYS[1] && attempt.accepted) && stateOf(extra.id) === 'live',
      );
      extraStates.push((await call(core, 'broadcast.setTargetLive', { id: extra.id, live: false })).state);
    })();
    // Feed the chunks at the pace a 250 ms timeslice would, the file's 12 s over ~12 s.
    const chunkCount = 48;
    const chunkBytes = Math.ceil(bytes.length / chunkCount);
    for (let sequence = 0; sequence < chunkCount; sequence++) {
      const data = bytes.subarray(sequence * chunkBytes, (sequence + 1) * chunkBytes);
      const answer = await call(core, 'broadcast.videoChunk', { sequence, dataBase64: data.toString('base64') });
      expect(answer).toEqual({ accepted: true, nextSequence: sequence + 1, reason: null });
      if (sequence === 8) rejectedGap = await call(core, 'broadcast.videoChunk', { sequence: 12, dataBase64: 'AAAA' });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await midSet;
    remedyForNoEncode = await failure(core, 'broadcast.applyRemedy', { encodeId: 'no-such-encode' });
    const statuses = (): { id: string; state: string }[] => (seen.get('broadcast.targetStatus')?.at(-1) as { targets: { id: string; state: string }[] }).targets;
    await until('both live', () => statuses().filter((target) => target.state === 'live').length === 2);
    othersReconnects = (await call(core, 'broadcast.status', {})).targets.filter((target) => target.id !== extra.id).map((target) => target.reconnects);
    await call(core, 'broadcast.setNowPlaying', { artist: 'DJ Test', title: 'Closer' });
    ended = await call(core, 'broadcast.end', {});
  }, 90_000);

  afterAll(async () => {
    await core?.close();
    await server?.stop();
    temp.remove();
  });

  it('streams the renderer\'s video and the tone to every target', () => {
    for (const app of ['twitch', 'youtube']) {
      const file = server.recordings(app)[0]!;
      const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
      expect(streams).toContain('h264,320,180');
      expect(streams).toContain('aac');
    }
  });

  it('puts a saved target on air mid-set, replaces it when its key changes, and takes it off, the others untouched', () => {
    expect(extraStates).toEqual(['connecting', 'live', 'idle']);
    const extraPublishes = server.publishAttempts.filter((attempt) => (EXTRA_KEYS as readonly string[]).includes(attempt.name));
    expect(extraPublishes.map((attempt) => [attempt.name, attempt.accepted])).toEqual([
      [EXTRA_KEYS[0], true],
      [EXTRA_KEYS[1], true],
    ]);
    expect(othersReconnects).toEqual([0, 0]);
  });

  it('refuses a remedy for an encode the set does not have, in words', () => {
    expect(remedyForNoEncode).toMatchObject({ code: 'not-found', message: 'There is no encode "no-such-encode" in this set.' });
  });

  it('refuses a chunk out of order and says which one it expects', () => {
    expect(rejectedGap).toEqual({ accepted: false, nextSequence: 9, reason: expect.stringMatching(/chunk 12 arrived where 9 was expected/) });
  });

  it('sends every event of the contract during a set', () => {
    for (const name of ['broadcast.targetStatus', 'broadcast.setState', 'broadcast.levels', 'broadcast.tempo', 'broadcast.nowPlaying', 'broadcast.targetsChanged'] as const) {
      expect(seen.get(name)?.length ?? 0, name).toBeGreaterThan(0);
    }
    expect((seen.get('broadcast.levels')?.length ?? 0)).toBeGreaterThan(30);
    const live = (seen.get('broadcast.setState') as { state: string; recording: { active: boolean; bytes: number } }[]).filter((state) => state.state === 'live');
    expect(live.some((state) => state.recording.active && state.recording.bytes > 0)).toBe(true);
  });

  it('ends with the MP4 and the tracklist, and no key anywhere it wrote or sent', () => {
    expect(ended.recordings).toHaveLength(1);
    expect(ended.recordings[0]!.path).toMatch(/sets\/mixdeck-set-.*\.mp4$/);
    expect(readFileSync(ended.tracklistTextPath!, 'utf8')).toMatch(/01\. \[00:00\] DJ Test - Opener\n02\. \[00:\d\d\] DJ Test - Closer\n/);
    const logs = readdirSync(join(temp.path, 'logs'))
      .map((name) => readFileSync(join(temp.path, 'logs', name), 'utf8'))
      .join('\n');
    const sent = JSON.stringify([...seen.values()]);
    for (const key of [TWITCH_KEY, YOUTUBE_KEY, ...EXTRA_KEYS]) {
      expect(logs).not.toContain(key);
      expect(sent).not.toContain(key);
    }
  });
});
