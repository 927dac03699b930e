import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtmpServer, type RtmpServer } from '../../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { MixdeckError } from '../../../shared/contract';
import type { Logger } from '../log/logger';
import { Redactor } from '../log/redact';
import { BroadcastEngine, type BroadcastStatus, type BroadcastSummary, type TargetState } from './engine';
import type { EncodeProfile, StreamTarget } from './presets';

// Small and fast: the real thing, at a size two cores encode twice over in real time.
const SMALL: Partial<EncodeProfile> = { width: 320, height: 180, fps: 30, videoBitrateKbps: 400, audioBitrateKbps: 128, x264Preset: 'ultrafast' };
const VERTICAL: Partial<EncodeProfile> = { ...SMALL, width: 180, height: 320 };
const TONE_HZ = 660;

const KEYS = {
  twitch: 'live_123456789_TwitchSecretKey',
  youtube: 'abcd-efgh-ijkl-mnop',
  facebook: 'FB-987654321-0-FacebookSecret',
  tiktok: 'tiktok-secret-stream-key',
  kick: 'sk_us-west-2_KickSecretKey',
  refused: 'bad_live_42_WrongKeyForTwitch',
} as const;

/** A logger that keeps exactly what the engine hands it, unredacted, to prove no key is ever handed over. */
function capturingLogger(lines: string[]): Logger {
  const redactor = new Redactor();
  const make = (scope: string): Logger => {
    const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      void lines.push(JSON.stringify({ level, scope, message, ...fields }, (_key, value: unknown) => (value instanceof Error ? value.message : value)));
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (child) => make(`${scope}.${child}`), redactor };
  };
  return make('test');
}

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; profile?: string }[];
  format: { duration?: string };
}
const probe = (file: string): Probe =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], { encoding: 'utf8' })) as Probe;

/** Decode timestamps of every packet of one kind, in seconds. */
function packetTimes(file: string, kind: 'v' | 'a'): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', kind, '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => Number.parseFloat(line))
    .filter((value) => Number.isFinite(value));
}

const largestGap = (times: number[]): number => times.slice(1).reduce((gap, time, index) => Math.max(gap, time - times[index]!), 0);

/** Decodes the whole file; ffmpeg says nothing when every packet decodes. */
const decodeErrors = (file: string): string =>
  spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' }).stderr.trim();

/** The pitch of the audio between `fromSec` and `fromSec + 1`, by counting zero crossings. */
function pitchHz(file: string, fromSec: number): number {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(fromSec), '-t', '1', '-i', file, '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', 'pipe:1'], {
    maxBuffer: 8 * 1024 * 1024,
  });
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
  return crossings / (samples.length / 48000);
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BroadcastEngine, live to a local RTMP ingest', () => {
  let server: RtmpServer;
  const temp = makeTempDir('mixdeck-broadcast-');
  const logLines: string[] = [];
  const statuses: BroadcastStatus[] = [];
  let engine: BroadcastEngine;
  let summary: BroadcastSummary;
  const figures = { firstLiveMs: 0, allLiveMs: 0, reconnectMs: 0, fifthLiveMs: 0 };
  const stateOf = (id: string): TargetState | undefined => engine.getStatus().targets.find((target) => target.id === id)?.state;
  let othersWhenRefused: (TargetState | undefined)[] = [];
  let reasonWhenRefused: string | null = null;
  let othersAfterFifth: { reconnects: number; droppedFrames: number; state: TargetState }[] = [];
  let invalidAddError: unknown = null;

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch', 'youtube', 'facebook', 'tiktok', 'kick'] });
    engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: capturingLogger(logLines), recordDir: temp.path });
    engine.onDidChangeStatus((status) => statuses.push(structuredClone(status)));
    const targets: StreamTarget[] = [
      { id: 'twitch', platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.twitch, profile: SMALL },
      { id: 'youtube', platform: 'youtube', server: server.rtmpsUrl('youtube'), streamKey: KEYS.youtube, profile: SMALL },
      { id: 'facebook', platform: 'facebook', server: server.rtmpsUrl('facebook'), streamKey: KEYS.facebook, profile: SMALL },
      { id: 'tiktok', platform: 'tiktok', server: server.rtmpUrl('tiktok'), streamKey: KEYS.tiktok, profile: VERTICAL },
      { id: 'refused', platform: 'custom', label: 'Second Twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.refused, profile: SMALL },
    ];
    const four = ['twitch', 'youtube', 'facebook', 'tiktok'];

    const startedAt = Date.now();
    await engine.start({ audio: { kind: 'sine', frequencyHz: TONE_HZ }, video: { kind: 'testsrc2' }, targets });
    figures.firstLiveMs = await until('a first target live', () => four.some((id) => stateOf(id) === 'live'));
    await until('all four live', () => four.every((id) => stateOf(id) === 'live'));
    figures.allLiveMs = Date.now() - startedAt;
    await until('the refused target to fail', () => stateOf('refused') === 'failed');
    othersWhenRefused = four.map(stateOf);
    reasonWhenRefused = engine.getStatus().targets.find((target) => target.id === 'refused')!.reason;
    await sleep(2500);

    // A flaky network: nginx cuts Twitch's connection.
    await server.dropPublisher('twitch', KEYS.twitch);
    const droppedAt = Date.now();
    await until('Twitch to notice', () => stateOf('twitch') !== 'live', 5000);
    await until('Twitch to come back', () => stateOf('twitch') === 'live', 10_000);
    figures.reconnectMs = Date.now() - droppedAt;
    await sleep(1000);

    try {
      engine.addTarget({ id: 'broken', platform: 'facebook', server: server.rtmpUrl('facebook'), streamKey: KEYS.facebook });
    } catch (error) {
      invalidAddError = error;
    }
    const addedAt = Date.now();
    engine.addTarget({ id: 'kick', platform: 'kick', server: server.rtmpUrl('kick'), streamKey: KEYS.kick, profile: SMALL });
    await until('Kick live', () => stateOf('kick') === 'live');
    figures.fifthLiveMs = Date.now() - addedAt;
    await sleep(2500);
    othersAfterFifth = engine
      .getStatus()
      .targets.filter((target) => four.includes(target.id))
      .map(({ reconnects, droppedFrames, state }) => ({ reconnects, droppedFrames, state }));
    summary = await engine.stop();
    console.info(`broadcast figures: ${JSON.stringify(figures)}`);
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await server?.stop();
    temp.remove();
  });

  const recordingOf = (app: keyof typeof KEYS): string => {
    const files = server.recordings(app, KEYS[app]);
    expect(files.length).toBeGreaterThan(0);
    return files[files.length - 1]!;
  };

  it('delivers playable H.264 + AAC to every platform, TikTok 9:16 and the others 16:9', () => {
    for (const app of ['twitch', 'youtube', 'facebook', 'tiktok', 'kick'] as const) {
      const file = recordingOf(app);
      const { streams } = probe(file);
      const video = streams.find((stream) => stream.codec_type === 'video')!;
      const audio = streams.find((stream) => stream.codec_type === 'audio')!;
      expect([video.codec_name, audio.codec_name, audio.sample_rate]).toEqual(['h264', 'aac', '48000']);
      expect(video.width! / video.height!).toBeCloseTo(app === 'tiktok' ? 9 / 16 : 16 / 9, 2);
      expect(decodeErrors(file)).toBe('');
    }
  });

  it('starts quickly: every target is live within 3 s of start', () => {
    expect(figures.allLiveMs).toBeLessThan(3000);
  });

  it('carries the input tone at its pitch', () => {
    expect(pitchHz(recordingOf('youtube'), 2)).toBeCloseTo(TONE_HZ, -1);
    expect(Math.abs(pitchHz(recordingOf('tiktok'), 2) - TONE_HZ)).toBeLessThan(3);
  });

  it('reconnects a cut target by itself within 5 s', () => {
    expect(figures.reconnectMs).toBeLessThan(5000);
    expect(server.recordings('twitch', KEYS.twitch)).toHaveLength(2);
    const twitch = statuses.flatMap((status) => status.targets.filter((target) => target.id === 'twitch'));
    expect(twitch.some((target) => target.state === 'reconnecting' && target.reason === 'The connection to Twitch dropped.')).toBe(true);
  });

  it('leaves the other targets untouched, without a gap, while one reconnects and a fifth joins', () => {
    for (const app of ['youtube', 'facebook', 'tiktok'] as const) {
      const files = server.recordings(app, KEYS[app]);
      expect(files).toHaveLength(1);
      const video = packetTimes(files[0]!, 'v');
      const audio = packetTimes(files[0]!, 'a');
      expect(largestGap(video)).toBeLessThan(0.1);
      expect(largestGap(audio)).toBeLessThan(0.1);
      expect(video[video.length - 1]! - video[0]!).toBeGreaterThan(summary.durationSec - 2.5);
    }
    expect(othersAfterFifth.map((target) => target.state)).toEqual(['live', 'live', 'live', 'live']);
    expect(othersAfterFifth.map((target) => target.droppedFrames)).toEqual([0, 0, 0, 0]);
    expect(othersAfterFifth.map((target) => target.reconnects)).toEqual([1, 0, 0, 0]);
    for (const id of ['youtube', 'facebook', 'tiktok']) {
      const history = statuses.map((status) => status.targets.find((target) => target.id === id)?.state).filter((state) => state !== undefined);
      const firstLive = history.indexOf('live');
      expect(history.slice(firstLive).every((state) => state === 'live' || state === 'idle')).toBe(true);
    }
  });

  it('adds a fifth target mid-set, live within 2 s', () => {
    expect(figures.fifthLiveMs).toBeLessThan(2000);
    expect(server.recordings('kick', KEYS.kick)).toHaveLength(1);
  });

  it('marks a refused key failed, with a reason, while the others stay live', () => {
    expect(reasonWhenRefused).toBe('Second Twitch refused the stream key. Check the key and the server, then restart this target.');
    expect(othersWhenRefused).toEqual(['live', 'live', 'live', 'live']);
    expect(server.publishAttempts.filter((attempt) => attempt.name === KEYS.refused)).toHaveLength(1);
    const refusedStates = statuses.map((status) => status.targets.find((target) => target.id === 'refused')?.state);
    expect(refusedStates).not.toContain('live');
  });

  it('refuses an invalid target added mid-set with a sentence, before touching anything', () => {
    expect(invalidAddError).toBeInstanceOf(MixdeckError);
    expect((invalidAddError as MixdeckError).message).toBe('Facebook only accepts rtmps:// URLs.');
  });

  it('shares one encode among the landscape targets and records it as MP4', () => {
    const running = statuses.find((status) => status.state === 'running' && status.targets.length === 6)!;
    expect(running.encodes.map((encode) => [encode.profile.width, encode.profile.height, encode.records, encode.targetIds.length])).toEqual([
      [320, 180, true, 5],
      [180, 320, false, 1],
    ]);
    const [recording] = summary.recordings;
    expect(recording?.mp4Path).toBeTruthy();
    expect(existsSync(recording!.matroskaPath)).toBe(false);
    const { streams, format } = probe(recording!.mp4Path!);
    expect(streams.map((stream) => stream.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(format.duration)).toBeGreaterThan(summary.durationSec - 1.5);
  });

  it('never hands a stream key to the logger, the status or an error', () => {
    const everything = [...logLines, JSON.stringify(statuses), String((invalidAddError as Error).message)].join('\n');
    expect(logLines.length).toBeGreaterThan(20);
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
    expect(everything).toContain('/twitch/••••');
    const redactor = (engine as unknown as { options: { logger: Logger } }).options.logger.redactor;
    for (const key of Object.values(KEYS)) expect(redactor.redact(`key=${key}`)).not.toContain(key);
  });
});

describe('BroadcastEngine, when its processes are killed mid-set', () => {
  it('leaves a readable .mkv up to within a few seconds of the kill, and carries on in a new part', async () => {
    const server = await startRtmpServer({ apps: ['twitch'], tls: false });
    const temp = makeTempDir('mixdeck-crash-');
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: capturingLogger([]), recordDir: temp.path, keepMatroska: true });
    // The mixer's PCM, paced in real time: a 440 Hz tone in s16le 48 kHz stereo.
    let framesWritten = 0;
    let pcmStartedAt = 0;
    const pcm = setInterval(() => {
      const due = Math.floor(((Date.now() - pcmStartedAt) / 1000) * 48000) - framesWritten;
      if (due <= 0) return;
      const chunk = Buffer.alloc(due * 4);
      for (let i = 0; i < due; i++) {
        const sample = Math.round(Math.sin((2 * Math.PI * 440 * (framesWritten + i)) / 48000) * 12000);
        chunk.writeInt16LE(sample, i * 4);
        chunk.writeInt16LE(sample, i * 4 + 2);
      }
      framesWritten += due;
      engine.writeAudio(chunk);
    }, 20);
    try {
      await engine.start({
        audio: { kind: 'pcm' },
        video: { kind: 'none', color: '#202040' },
        targets: [{ id: 'twitch', platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.twitch, profile: SMALL }],
      });
      pcmStartedAt = Date.now();
      const stateOfTwitch = (): TargetState | undefined => engine.getStatus().targets[0]?.state;
      await until('live', () => stateOfTwitch() === 'live');
      await sleep(4000);

      const [firstPart] = engine.getStatus().recordingParts;
      const { encoders, targets } = engine.processIds();
      const mediaSecondsAtKill = engine.getStatus().encodes[0]!.encodedSec;
      for (const pid of [...encoders, ...Object.values(targets)]) if (pid) process.kill(pid, 'SIGKILL');
      await sleep(300);

      const { streams } = probe(firstPart!);
      expect(streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
      const lastVideo = packetTimes(firstPart!, 'v').pop()!;
      console.info(`crash figures: ${JSON.stringify({ mediaSecondsAtKill, lastVideoPacketSec: lastVideo })}`);
      expect(mediaSecondsAtKill).toBeGreaterThan(3);
      expect(lastVideo).toBeGreaterThan(mediaSecondsAtKill - 3);
      expect(pitchHz(firstPart!, 1)).toBeCloseTo(440, -1);

      await until('the engine to carry on', () => engine.getStatus().recordingParts.length === 2 && stateOfTwitch() === 'live', 15_000);
      expect(engine.getStatus().encodes[0]!.restarts).toBe(1);
      const summary = await engine.stop();
      expect(summary.recordings.map((recording) => recording.mp4Path !== null)).toEqual([true, true]);
    } finally {
      clearInterval(pcm);
      await engine.stop();
      await server.stop();
      temp.remove();
    }
  }, 40_000);
});

describe('BroadcastEngine, with the renderer’s WebM as the picture', () => {
  it('encodes it, and a profile added mid-set joins the WebM stream at a cluster', async () => {
    // What MediaRecorder hands main: VP8 WebM without a frame rate, in chunks, in real time.
    const webm = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=10', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '30', '-f', 'webm', 'pipe:1'],
      { maxBuffer: 64 * 1024 * 1024 },
    ).stdout;
    const server = await startRtmpServer({ apps: ['twitch', 'tiktok'], tls: false });
    const temp = makeTempDir('mixdeck-webm-');
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: capturingLogger([]), recordDir: temp.path });
    const startedAt = Date.now();
    let audioFrames = 0;
    let videoBytes = 0;
    const feed = setInterval(() => {
      const elapsedSec = (Date.now() - startedAt) / 1000;
      const dueFrames = Math.floor(elapsedSec * 48000) - audioFrames;
      if (dueFrames > 0) engine.writeAudio(Buffer.alloc(dueFrames * 4));
      audioFrames += Math.max(0, dueFrames);
      const dueBytes = Math.min(webm.length, Math.floor((elapsedSec / 10) * webm.length));
      if (dueBytes > videoBytes) engine.writeVideo(webm.subarray(videoBytes, dueBytes));
      videoBytes = Math.max(videoBytes, dueBytes);
    }, 40);
    try {
      await engine.start({
        audio: { kind: 'pcm' },
        video: { kind: 'webm', frameRate: 30 },
        targets: [{ id: 'twitch', platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.twitch, profile: SMALL }],
        recording: { enabled: false },
      });
      const stateOf = (id: string): TargetState | undefined => engine.getStatus().targets.find((target) => target.id === id)?.state;
      await until('Twitch live', () => stateOf('twitch') === 'live');
      await sleep(2000);
      engine.addTarget({ id: 'tiktok', platform: 'tiktok', server: server.rtmpUrl('tiktok'), streamKey: KEYS.tiktok, profile: VERTICAL });
      await until('TikTok live', () => stateOf('tiktok') === 'live');
      await sleep(2500);
      expect(stateOf('twitch')).toBe('live');
      await engine.stop();
      for (const [app, width, height] of [['twitch', 320, 180], ['tiktok', 180, 320]] as const) {
        const [file] = server.recordings(app);
        const video = probe(file!).streams.find((stream) => stream.codec_type === 'video')!;
        expect([video.codec_name, video.width, video.height]).toEqual(['h264', width, height]);
        expect(packetTimes(file!, 'v').length).toBeGreaterThan(45);
        expect(decodeErrors(file!)).toBe('');
      }
    } finally {
      clearInterval(feed);
      await engine.stop();
      await server.stop();
      temp.remove();
    }
  }, 40_000);
});

describe('BroadcastEngine, refusing what cannot work', () => {
  const temp = makeTempDir('mixdeck-refuse-');
  afterAll(() => temp.remove());
  const target: StreamTarget = { id: 'tw', platform: 'twitch', server: 'rtmp://127.0.0.1:1/app', streamKey: KEYS.twitch, profile: SMALL };

  it('says what is wrong, in a sentence, before starting anything', async () => {
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: capturingLogger([]), recordDir: temp.path });
    const attempt = (config: Parameters<BroadcastEngine['start']>[0]): Promise<string> =>
      engine.start(config).then(
        () => 'started',
        (error: MixdeckError) => `${error.code}: ${error.message}`,
      );
    const tone = { kind: 'sine', frequencyHz: 440 } as const;
    const card = { kind: 'none' } as const;
    expect(await attempt({ audio: tone, video: card, targets: [{ ...target, streamKey: '' }] })).toBe('invalid-input: Twitch: The stream key looks empty.');
    expect(await attempt({ audio: tone, video: card, targets: [target, target] })).toBe('invalid-input: Two targets share the id "tw".');
    expect(await attempt({ audio: tone, video: card, targets: [], recording: { enabled: false } })).toMatch(/^invalid-input: Add a target or turn the recording on/);
    expect(await attempt({ audio: tone, video: { kind: 'card', imagePath: '/nowhere/logo.png' }, targets: [target] })).toBe(
      'invalid-input: The card image "/nowhere/logo.png" does not exist.',
    );
    const missing = new BroadcastEngine({ ffmpegPath: '/nowhere/ffmpeg', logger: capturingLogger([]), recordDir: temp.path });
    expect(await missing.start({ audio: tone, video: card, targets: [target] }).catch((error: MixdeckError) => error.code)).toBe('unavailable');
    expect(engine.getStatus()).toMatchObject({ state: 'idle', targets: [], encodes: [] });
  });

  it('gives up on an encode that keeps failing at once, and says why on its targets', async () => {
    const notAudio = `${temp.path}/not-audio.mp3`;
    writeFileSync(notAudio, 'this is not audio');
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: capturingLogger([]), recordDir: temp.path });
    try {
      await engine.start({ audio: { kind: 'file', path: notAudio }, video: { kind: 'none' }, targets: [target], recording: { enabled: false } });
      await until('the target to fail', () => engine.getStatus().targets[0]?.state === 'failed', 15_000);
      const status = engine.getStatus();
      expect(status.targets[0]!.reason).toMatch(/^The encoder for 320×180 keeps stopping: ffmpeg exited with code \d+: .*not-audio\.mp3: Invalid/);
      expect(status.encodes[0]!.failed).toBe(status.targets[0]!.reason);
    } finally {
      await engine.stop();
    }
  }, 20_000);
});
