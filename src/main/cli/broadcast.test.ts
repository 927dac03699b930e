import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToneSoundCard, type ToneSoundCard } from '../../../tests/support/alsa-tone';
import { startRtmpServer, type RtmpServer } from '../../../tests/support/rtmp-server';
import { descendantsOf, listProcesses, sampleCommandLines, type CommandLineSampler, type ProcessInfo } from '../../../tests/support/command-lines';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { analyseTone } from '../../../tests/support/tone-analysis';
import { parseTargetSpec } from './broadcast';

const BIN = resolve('bin/mixdeck.mjs');
const SMALL = ['--video-size', '320x180', '--fps', '30', '--video-kbps', '400', '--audio-kbps', '128', '--x264-preset', 'ultrafast'];
const KEYS = {
  twitch: 'live_555000111_CliTwitchSecret',
  youtube: 'qrst-uvwx-yzab-cdef',
  tiktok: 'tiktok-cli-secret-key-9',
  refused: 'bad_key_CliRefusedSecret',
};

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  events: Record<string, unknown>[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [BIN, 'broadcast', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    events: [],
    exit: new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal }))),
  };
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  let partial = '';
  child.stdout!.on('data', (text: string) => {
    run.stdout += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim()) run.events.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on('data', (text: string) => (run.stderr += text));
  return run;
}

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

const latestState = (run: Run, target: string): string | undefined =>
  run.events.filter((event) => event.event === 'target' && event.target === target).pop()?.state as string | undefined;

/** Every file under a folder: its path relative to the folder, and its text. */
function everythingIn(folder: string): { names: string[]; text: string } {
  const names: string[] = [];
  let text = '';
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      names.push(path.slice(folder.length));
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.(mp4|mkv)$/.test(name)) text += readFileSync(path, 'latin1');
    }
  };
  walk(folder);
  return { names, text };
}

describe('parseTargetSpec', () => {
  it('splits the key off the URL and never shows it', () => {
    const parsed = parseTargetSpec('youtube=rtmps://b.rtmps.youtube.com:443/live2?backup=1/abcd-efgh-ijkl-mnop', 0);
    expect(parsed.target).toMatchObject({ platform: 'youtube', server: 'rtmps://b.rtmps.youtube.com:443/live2?backup=1', streamKey: 'abcd-efgh-ijkl-mnop' });
    expect(parsed.shown).not.toContain('abcd');
  });

  it('refuses an unknown platform or a URL without a key, without echoing the URL', () => {
    expect(() => parseTargetSpec('myspace=rtmp://host/app/secretkey1', 0)).toThrow(/NAME is one of twitch, youtube/);
    const error = (() => {
      try {
        parseTargetSpec('twitch=live_42_secret', 1);
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/--target 2 \(twitch\): the URL must be rtmp:\/\/host\/app\/KEY/);
    expect(error?.message).not.toContain('live_42_secret');
  });
});

describe('mixdeck broadcast, as a child process against a local nginx-rtmp', () => {
  const temp = makeTempDir('mixdeck-cli-broadcast-');
  let server: RtmpServer;
  let card: ToneSoundCard;
  let run: Run;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let ended: Record<string, unknown>;
  const recordDir = join(temp.path, 'set');
  const dataDir = join(temp.path, 'data');

  beforeAll(async () => {
    card = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [0, 0, 880, 880] });
    server = await startRtmpServer({ apps: ['twitch', 'youtube', 'tiktok'] });
    run = runCli(
      [
        '--target',
        `twitch=${server.rtmpUrl('twitch')}/${KEYS.twitch}`,
        '--target',
        `youtube=${server.rtmpsUrl('youtube')}/${KEYS.youtube}`,
        '--target',
        `tiktok=${server.rtmpUrl('tiktok')}/${KEYS.tiktok}`,
        '--target',
        `custom=${server.rtmpUrl('twitch')}/${KEYS.refused}`,
        '--audio-device',
        card.deviceName,
        '--audio-channels',
        '3,4',
        '--video',
        'testsrc',
        ...SMALL,
        '--record',
        recordDir,
        '--data-dir',
        dataDir,
        '--now-playing',
        'Opening Act - Hello',
        '--json',
      ],
      // Mixdeck checks the ingest's certificate; the test server's is self-signed.
      { ALSA_CONFIG_PATH: card.configPath, NODE_EXTRA_CA_CERTS: server.tlsCertPath! },
    );
    await until('three targets live', () => ['twitch', 'youtube', 'tiktok'].every((id) => latestState(run, id) === 'live'), 45_000);
    await until('the refused target failed', () => latestState(run, 'custom') === 'failed');
    run.child.stdin!.write('First Artist - Track A\n');
    await sleep(2000);
    run.child.stdin!.write('Second Artist - Track B\n');
    await sleep(1000);
    run.child.kill('SIGTERM');
    exit = await run.exit;
    ended = run.events.find((event) => event.event === 'ended')!;
  }, 90_000);

  afterAll(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    card?.stop();
    await server?.stop();
    if (!process.env.KEEP) temp.remove();
  });

  it('prints one JSON object per line: each target going live, the refusal in words, the end', () => {
    expect(run.stdout.trim().split('\n').length).toBe(run.events.length);
    expect(run.events[0]).toMatchObject({ event: 'starting', video: 'testsrc', audio: 'device' });
    const live = run.events.find((event) => event.event === 'target' && event.target === 'twitch' && event.state === 'live')!;
    expect(live).toEqual(expect.objectContaining({ platform: 'twitch', host: '127.0.0.1', bitrateKbps: expect.any(Number), droppedFrames: 0 }));
    const refused = run.events.find((event) => event.event === 'target' && event.target === 'custom' && event.state === 'failed')!;
    expect(refused.message).toMatch(/refused the stream key/);
    expect(run.events.filter((event) => event.event === 'nowPlaying').map((event) => event.text)).toEqual([
      'Opening Act - Hello',
      'First Artist - Track A',
      'Second Artist - Track B',
    ]);
  });

  it('ends cleanly on SIGTERM and finishes the recording and the tracklist', () => {
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.events.find((event) => event.event === 'ending')).toMatchObject({ reason: 'SIGTERM' });
    const recordings = ended.recordings as { path: string; error: string | null }[];
    expect(recordings).toHaveLength(1);
    expect(recordings[0]!.error).toBeNull();
    const codecs = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', recordings[0]!.path], { encoding: 'utf8' });
    expect(codecs.trim().split('\n').sort()).toEqual(['aac', 'h264']);
    const tracklist = ended.tracklist as { text: string; cue: string };
    expect(readFileSync(tracklist.text, 'utf8')).toMatch(/01\. \[00:00\] Opening Act - Hello\n02\. \[00:\d\d\] First Artist - Track A\n03\. \[00:\d\d\] Second Artist - Track B\n$/);
    expect(readFileSync(tracklist.cue, 'utf8')).toContain('TRACK 03 AUDIO\r\n    TITLE "Track B"\r\n    PERFORMER "Second Artist"\r\n');
  });

  it('sent the mixer\'s channels 3/4 to every platform, TikTok 9:16', () => {
    for (const app of ['twitch', 'youtube', 'tiktok']) {
      const file = server.recordings(app).find((path) => !path.includes('bad_'))!;
      const size = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
      expect(size).toBe(app === 'tiktok' ? '180,320' : '320,180');
      // The last full seconds before SIGTERM: the input is certainly running by then, however slowly
      // a loaded machine started the capture process.
      const durationSec = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }));
      const { frequencyHz } = analyseTone(file, Math.max(0.5, durationSec - 2));
      expect(Math.abs(frequencyHz - 880), `${app}: ${frequencyHz} Hz`).toBeLessThan(3);
    }
  });

  it('never prints or writes a stream key: stdout, stderr, logs, file names, tracklists', () => {
    const data = everythingIn(dataDir);
    const recorded = everythingIn(recordDir);
    expect(data.names.some((name) => name.startsWith('/logs/'))).toBe(true);
    expect(data.text.length).toBeGreaterThan(200);
    const haystack = [run.stdout, run.stderr, data.text, data.names.join('\n'), recorded.text, recorded.names.join('\n')].join('\n');
    for (const key of Object.values(KEYS)) expect(haystack).not.toContain(key);
  });
});

describe('mixdeck broadcast, bad arguments', () => {
  it('names the line of a targets file that is wrong, without its key', async () => {
    const temp = makeTempDir('mixdeck-cli-targets-');
    const file = join(temp.path, 'targets.txt');
    writeFileSync(file, '# my platforms\ntwitch=rtmp://127.0.0.1:9/app/live_1_FileSecretOne\n\nyoutube=FileSecretTwo\n');
    const run = runCli(['--targets-file', file, '--no-audio']);
    const exit = await run.exit;
    temp.remove();
    expect(exit.code).toBe(2);
    expect(run.stderr).toContain(`${file} line 4 (youtube): the URL must be`);
    expect(run.stderr + run.stdout).not.toMatch(/FileSecret/);
  }, 30_000);

  it('exits 2 with a sentence and no key', async () => {
    const run = runCli(['--target', 'twitch=rtmp://127.0.0.1:9/app', '--target', 'twitch=live_1_TopSecretKey', '--no-audio']);
    const exit = await run.exit;
    expect(exit.code).toBe(2);
    expect(run.stderr).toMatch(/--target 2 \(twitch\): the URL must be/);
    expect(run.stderr + run.stdout).not.toContain('TopSecretKey');
  }, 30_000);
});

describe('mixdeck broadcast --targets-file: no key on any command line, and nothing left behind by SIGKILL', () => {
  const temp = makeTempDir('mixdeck-cli-sigkill-');
  const FILE_KEYS = { twitch: 'live_424242_PsSampledSecret', youtube: 'ps-sampled-yt-secret', refused: 'bad_PsSampled+Refused' };
  let server: RtmpServer;
  let card: ToneSoundCard;
  let run: Run;
  let sampler: CommandLineSampler;
  let children: ProcessInfo[] = [];
  let leftAfterKill: ProcessInfo[] = [];
  let killedAfterMs = 0;
  const recordDir = join(temp.path, 'set');

  beforeAll(async () => {
    card = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [440, 440] });
    server = await startRtmpServer({ apps: ['twitch', 'youtube'] });
    const file = join(temp.path, 'targets.txt');
    writeFileSync(
      file,
      [
        `twitch=${server.rtmpUrl('twitch')}/${FILE_KEYS.twitch}`,
        `youtube=${server.rtmpsUrl('youtube')}/${FILE_KEYS.youtube}`,
        `custom=${server.rtmpUrl('twitch')}/${FILE_KEYS.refused}`,
      ].join('\n'),
    );
    sampler = sampleCommandLines(Object.values(FILE_KEYS), 20);
    run = runCli(
      ['--targets-file', file, '--audio-device', card.deviceName, '--video', 'testsrc', ...SMALL, '--record', recordDir, '--data-dir', join(temp.path, 'data'), '--json'],
      { ALSA_CONFIG_PATH: card.configPath, NODE_EXTRA_CA_CERTS: server.tlsCertPath! },
    );
    try {
      await until('both targets live', () => ['twitch', 'youtube'].every((id) => latestState(run, id) === 'live'), 45_000);
      await until('the refused target failed', () => latestState(run, 'custom') === 'failed');
    } catch (error) {
      console.log(`the CLI said:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
      throw error;
    }
    // A few seconds of the set as it runs, then the most brutal end: no handler runs, no pipe is flushed.
    await sleep(3000);
    children = descendantsOf(run.child.pid!, listProcesses()).filter((info) => /ffmpeg|capture-child/.test(info.args));
    sampler.stop();
    const killedAt = Date.now();
    run.child.kill('SIGKILL');
    await run.exit;
    const stillThere = (): ProcessInfo[] => {
      const now = new Map(listProcesses().map((info) => [info.pid, info.args]));
      return children.filter((child) => now.get(child.pid) === child.args);
    };
    try {
      await until('every child of the killed CLI to end', () => stillThere().length === 0, 10_000);
    } catch {
      // Reported by the test below, with the command lines that stayed.
    }
    killedAfterMs = Date.now() - killedAt;
    leftAfterKill = stillThere();
    for (const child of leftAfterKill) {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').filter((line) => /^(State|PPid|SigCgt|SigPnd|ShdPnd)/.test(line));
      console.log(`still running after SIGKILL of the CLI: ${child.args}\n${status.join('\n')}\nwchan ${readFileSync(`/proc/${child.pid}/wchan`, 'utf8')}`);
    }
  }, 120_000);

  afterAll(async () => {
    sampler?.stop();
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    for (const child of leftAfterKill) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    card?.stop();
    await server?.stop();
    if (!process.env.KEEP) temp.remove();
  });

  it('shows no stream key, nor any URL-encoded form of one, in any process\'s command line during the set', () => {
    const commandLines = [...sampler.seen.keys()];
    const pushers = commandLines.filter((args) => /ffmpeg .*-c copy .*rtmp:\/\/127\.0\.0\.1:\d+\/relay\//.test(args));
    console.log(`command lines: ${sampler.samples} samples every 20 ms, ${commandLines.length} distinct, ${pushers.length} pusher ffmpegs seen`);
    // The sampler did see the set's processes, so it could have seen a key.
    expect(pushers.length).toBeGreaterThanOrEqual(3);
    expect(commandLines.some((args) => args.includes('-f tee'))).toBe(true);
    expect(sampler.samples).toBeGreaterThan(100);
    expect(sampler.leaks).toEqual([]);
    // The keys did reach the platforms, under their real names.
    expect(server.publishAttempts.filter((attempt) => attempt.accepted).map((attempt) => attempt.name)).toEqual(
      expect.arrayContaining([FILE_KEYS.twitch, FILE_KEYS.youtube]),
    );
    expect(server.publishAttempts.find((attempt) => attempt.name === FILE_KEYS.refused)?.accepted).toBe(false);
  });

  it('leaves no ffmpeg and no capture process behind after SIGKILL', () => {
    expect(children.filter((child) => child.args.includes('-f tee'))).toHaveLength(1);
    expect(children.filter((child) => child.args.includes('capture-child'))).toHaveLength(1);
    expect(children.filter((child) => child.args.includes('-c copy')).length).toBeGreaterThanOrEqual(2);
    console.log(`after SIGKILL: ${children.length} children, all gone within ${killedAfterMs} ms`);
    expect(leftAfterKill.map((child) => child.args).join('\n')).toBe('');
  });

  it('leaves a recording that remuxes to a playable MP4', () => {
    const mkv = readdirSync(recordDir).filter((name) => name.endsWith('.mkv'));
    expect(mkv).toHaveLength(1);
    const mp4 = join(temp.path, 'remuxed.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(recordDir, mkv[0]!), '-map', '0', '-c', 'copy', mp4]);
    const durationSec = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', mp4], { encoding: 'utf8' }));
    console.log(`recording after SIGKILL: ${durationSec} s`);
    expect(durationSec).toBeGreaterThan(2);
    // Playable: every packet decodes.
    execFileSync('ffmpeg', ['-v', 'error', '-xerror', '-i', mp4, '-f', 'null', '-']);
    const codecs = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', mp4], { encoding: 'utf8' });
    expect(codecs.trim().split('\n').sort()).toEqual(['aac', 'h264']);
  });
});
