import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToneSoundCard, type ToneSoundCard } from '../../../../tests/support/alsa-tone';
import { startRtmpServer, type RtmpServer } from '../../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { analyseTone } from '../../../../tests/support/tone-analysis';
import type { BroadcastLevels, BroadcastSetStateInfo, BroadcastTargetStatus, BroadcastTempo } from '../../../shared/contract';
import { createLogger } from '../log/logger';
import { LiveSet, type SetSummary } from './live-set';
import type { EncodeProfile } from './presets';

// The real path, small: a 4-channel "mixer" whose channels 3/4 (the record out) carry 1 kHz and
// channels 1/2 (the booth) 330 Hz, read through PortAudio, limited, encoded, sent to four platforms.
const SMALL: Partial<EncodeProfile> = { width: 320, height: 180, fps: 30, videoBitrateKbps: 400, audioBitrateKbps: 128, x264Preset: 'ultrafast' };
const VERTICAL: Partial<EncodeProfile> = { ...SMALL, width: 180, height: 320 };
const RECORD_OUT_HZ = 1000;
const BOOTH_HZ = 330;
const KEYS = {
  twitch: 'live_123456789_LiveSetTwitchKey',
  youtube: 'wxyz-abcd-efgh-ijkl',
  facebook: 'FB-1234567-0-LiveSetFacebookKey',
  tiktok: 'tiktok-live-set-secret-key',
};

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
}
const probe = (file: string): Probe =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file], { encoding: 'utf8' })) as Probe;

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a live set from a PortAudio input to four platforms', () => {
  const temp = makeTempDir('mixdeck-live-set-');
  let server: RtmpServer;
  let card: ToneSoundCard;
  let set: LiveSet;
  let summary: SetSummary;
  const targetEvents: BroadcastTargetStatus[][] = [];
  const setEvents: BroadcastSetStateInfo[] = [];
  const levelEvents: { at: number; levels: BroadcastLevels }[] = [];
  const tempoEvents: { at: number; tempo: BroadcastTempo }[] = [];
  let liveAt = 0;
  let endAt = 0;
  let statesAfterUnplug: string[] = [];

  beforeAll(async () => {
    card = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [BOOTH_HZ, BOOTH_HZ, RECORD_OUT_HZ, RECORD_OUT_HZ], amplitude: 1 });
    // PortAudio reads ALSA's configuration when it first starts in this process.
    process.env.ALSA_CONFIG_PATH = card.configPath;
    server = await startRtmpServer({ apps: ['twitch', 'youtube', 'facebook', 'tiktok'] });
    const logger = createLogger({ directory: join(temp.path, 'logs'), level: 'debug' });
    set = new LiveSet({
      ffmpegPath: 'ffmpeg',
      logger,
      listeners: {
        targetStatus: (targets) => targetEvents.push(targets),
        setState: (state) => setEvents.push(state),
        levels: (levels) => levelEvents.push({ at: Date.now(), levels }),
        tempo: (tempo) => tempoEvents.push({ at: Date.now(), tempo }),
      },
    });
    const stateOf = (id: string): string | undefined => set.targetStatuses().find((target) => target.id === id)?.state;
    set.setNowPlaying({ text: 'Intro Artist - Warm Up', source: 'typed' });
    await set.goLive({
      targets: [
        { id: 'twitch', platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEYS.twitch, profile: SMALL },
        { id: 'youtube', platform: 'youtube', server: server.rtmpsUrl('youtube'), streamKey: KEYS.youtube, profile: SMALL },
        { id: 'facebook', platform: 'facebook', server: server.rtmpsUrl('facebook'), streamKey: KEYS.facebook, profile: SMALL },
        { id: 'tiktok', platform: 'tiktok', server: server.rtmpUrl('tiktok'), streamKey: KEYS.tiktok, profile: VERTICAL },
      ],
      audio: {
        source: 'device',
        deviceName: card.deviceName,
        channels: [3, 4],
        sampleRate: 48000,
        monitor: false,
        monitorDeviceName: null,
        filePath: null,
        limiterCeilingDb: -3,
      },
      video: { kind: 'testsrc' },
      record: true,
      recordingFolder: join(temp.path, 'recordings'),
    });
    await until('all four live', () => ['twitch', 'youtube', 'facebook', 'tiktok'].every((id) => stateOf(id) === 'live'));
    liveAt = Date.now();
    await sleep(1500);
    set.setNowPlaying({ artist: 'Second Artist', title: 'Peak "Time"', source: 'library' });
    await sleep(2500);
    set.setNowPlaying({ text: 'Closing tune', source: 'tracklist' });
    await sleep(1500);
    card.unplug();
    await until('the input reported lost', () => set.setState().audioInput.state === 'error', 5000);
    statesAfterUnplug = set.targetStatuses().map((target) => target.state);
    await sleep(1000);
    endAt = Date.now();
    summary = await set.end();
  }, 90_000);

  afterAll(async () => {
    await set?.end();
    card?.stop();
    await server?.stop();
    temp.remove();
  });

  it('delivers playable H.264 + AAC to every platform, 9:16 to TikTok and 16:9 to the others', () => {
    for (const app of ['twitch', 'youtube', 'facebook', 'tiktok']) {
      const [file] = server.recordings(app);
      expect(file, app).toBeDefined();
      const streams = probe(file!).streams;
      const video = streams.find((stream) => stream.codec_type === 'video')!;
      expect(video.codec_name).toBe('h264');
      expect(streams.find((stream) => stream.codec_type === 'audio')?.codec_name).toBe('aac');
      expect(video.width! / video.height!).toBeCloseTo(app === 'tiktok' ? 9 / 16 : 16 / 9, 2);
    }
  });

  it('carries the chosen channel pair of the input, at its pitch, to every platform', () => {
    for (const app of ['twitch', 'youtube', 'facebook', 'tiktok']) {
      const { frequencyHz } = analyseTone(server.recordings(app)[0]!, 1.5);
      // 1 kHz from channels 3/4, not the booth's 330 Hz on 1/2.
      expect(Math.abs(frequencyHz - RECORD_OUT_HZ), `${app}: ${frequencyHz} Hz`).toBeLessThan(3);
    }
  });

  it('limits a 0 dBFS input to the ceiling, on the meters and on air', () => {
    const loud = levelEvents.filter((event) => event.at > liveAt && event.at < liveAt + 3000);
    expect(loud.length).toBeGreaterThan(10);
    const highest = Math.max(...loud.map((event) => event.levels.channels[0]!.peakDb));
    expect(highest).toBeLessThanOrEqual(-3 + 0.05);
    expect(highest).toBeGreaterThan(-4);
    expect(loud.some((event) => event.levels.limiterReductionDb > 2)).toBe(true);
    // AAC adds a few tenths of a dB of overshoot; nothing near a clip.
    expect(analyseTone(server.recordings('twitch')[0]!, 1.5).peakDb).toBeLessThan(-2);
  });

  it('sends level meters about ten times a second and the tempo at least once a second', () => {
    const during = levelEvents.filter((event) => event.at > liveAt && event.at < endAt);
    const seconds = (endAt - liveAt) / 1000;
    expect(during.length / seconds).toBeGreaterThan(7);
    expect(during.length / seconds).toBeLessThan(13);
    const tempos = tempoEvents.filter((event) => event.at > liveAt && event.at < endAt);
    expect(tempos.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
    expect(during[0]!.levels.channels).toHaveLength(2);
    expect(during[0]!.levels.channels[0]).toEqual(expect.objectContaining({ peakHoldDb: expect.any(Number), rmsDb: expect.any(Number) }));
  });

  it('says in words when the input is unplugged, and keeps every platform live on silence', () => {
    const lost = setEvents.find((event) => event.audioInput.state === 'error')!;
    expect(lost.audioInput.message).toMatch(/mixdeck_tone.*stopped sending sound.*goes on with silence/);
    expect(statesAfterUnplug).toEqual(['live', 'live', 'live', 'live']);
    // The stream went on after the unplug: Twitch's recording is as long as the set.
    const duration = Number(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', server.recordings('twitch')[0]!], { encoding: 'utf8' }),
    );
    expect(duration).toBeGreaterThan((endAt - liveAt) / 1000 - 0.5);
  });

  it('finishes the recording and saves the stamped tracklist beside it as text and CUE', () => {
    expect(summary.recordings).toHaveLength(1);
    const mp4 = summary.recordings[0]!.path;
    expect(mp4).toMatch(/\.mp4$/);
    expect(existsSync(mp4)).toBe(true);
    expect(probe(mp4).streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    const text = readFileSync(summary.tracklistTextPath!, 'utf8');
    const lines = text.trim().split('\n').slice(2);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('01. [00:00] Intro Artist - Warm Up');
    expect(lines[1]).toMatch(/^02\. \[00:\d\d\] Second Artist - Peak "Time"$/);
    expect(lines[2]).toMatch(/^03\. \[00:\d\d\] Closing tune$/);
    // Stamped with the set's clock: the changes came 2.5 s apart, after the targets went live.
    const stamps = lines.map((line) => Number(/\[00:(\d\d)\]/.exec(line)![1]));
    expect(stamps[1]).toBeGreaterThanOrEqual(1);
    expect(stamps[2]! - stamps[1]!).toBeGreaterThanOrEqual(2);
    expect(stamps[2]! - stamps[1]!).toBeLessThanOrEqual(3);
    const cue = readFileSync(summary.tracklistCuePath!, 'utf8');
    expect(cue).toContain(`FILE "${mp4.split('/').pop()}" WAVE\r\n`);
    expect(cue).toMatch(new RegExp(`TRACK 02 AUDIO\r\n {4}TITLE "Peak 'Time'"\r\n {4}PERFORMER "Second Artist"\r\n {4}INDEX 01 00:${String(stamps[1]).padStart(2, '0')}:\\d\\d\r\n`));
    expect(readdirSync(join(temp.path, 'recordings')).sort()).toEqual(
      [mp4, summary.tracklistCuePath!, summary.tracklistTextPath!].map((path) => path.split('/').pop()).sort(),
    );
  });

  it('never lets a stream key into the log, a status event or a file name', () => {
    const logs = readdirSync(join(temp.path, 'logs'))
      .map((name) => readFileSync(join(temp.path, 'logs', name), 'utf8'))
      .join('\n');
    expect(logs.length).toBeGreaterThan(500);
    // The ingest URLs (masked) and the printed ffmpeg command lines are in there, so the check means
    // something; the pushers' command lines name only their one-time local relay.
    expect(logs).toMatch(/"destination":"rtmps?:\/\/127\.0\.0\.1:\d+\/twitch\/••••"/);
    expect(logs).toMatch(/"command":"ffmpeg [^"]*-f flv rtmp:\/\/127\.0\.0\.1:\d+\/relay\/[^"/]+"/);
    const everything = [logs, JSON.stringify(targetEvents), JSON.stringify(setEvents), readdirSync(join(temp.path, 'recordings')).join('\n')].join('\n');
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
  });
});
