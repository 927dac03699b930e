import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import {
  shapeOf,
  SINGLE_VIDEO_STREAM,
  videoStreamFor,
  buildEncoderArgs,
  buildInputs,
  buildPusherArgs,
  buildRemuxArgs,
  buildSingleProcessArgs,
  buildSplitEncoderArgs,
  LATE_FRAME_GOVERNOR,
  escapeTeeOptionValue,
  fifoTargetSlave,
  formatCommand,
  planEncodes,
  profileKey,
  recordingSlave,
  redactArgs,
  teeOutput,
  teeSlave,
} from './plan';
import { resolveTarget, type StreamTarget } from './presets';

const targets: StreamTarget[] = [
  { id: 'tw', platform: 'twitch', streamKey: 'live_111_twitchSecret' },
  { id: 'yt', platform: 'youtube', streamKey: 'aaaa-bbbb-cccc-dddd' },
  { id: 'fb', platform: 'facebook', streamKey: 'FB-222-0-Secret?s_bl=1&s_sw=0' },
  { id: 'tt', platform: 'tiktok', server: 'rtmp://push.tiktokcdn.example/game', streamKey: 'tiktok|secret:with[odd]chars' },
];
const resolved = targets.map(resolveTarget);
const argAfter = (args: readonly string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('planEncodes', () => {
  it('groups targets that share a profile into one encode, and gives TikTok’s 9:16 its own', () => {
    const groups = planEncodes(resolved);
    expect(groups.map((group) => group.targets.map((target) => target.id))).toEqual([['tw', 'yt', 'fb'], ['tt']]);
    expect(groups[0]!.id).toBe('1280x720p30-v3500k-g2s-a160k48000-veryfast');
    expect(groups[1]!.profile).toMatchObject({ width: 720, height: 1280 });
  });

  it('splits a target whose override changes the profile', () => {
    const louder = resolveTarget({ ...targets[0]!, profile: { audioBitrateKbps: 320 } });
    expect(planEncodes([louder, resolved[1]!]).length).toBe(2);
  });

  it('adds an encode for a recording profile no target uses, and reuses one that matches', () => {
    expect(planEncodes(resolved, resolved[0]!.profile).length).toBe(2);
    const recordOnly = planEncodes([], { ...resolved[0]!.profile, width: 1920, height: 1080 });
    expect(recordOnly.map((group) => [group.id, group.targets.length])).toEqual([[profileKey({ ...resolved[0]!.profile, width: 1920, height: 1080 }), 0]]);
  });
});

describe('encoder arguments', () => {
  const profile = resolved[0]!.profile;
  const { args, usesStdin } = buildEncoderArgs({ profile, audio: { kind: 'pcm' }, video: { kind: 'none' }, recordingPath: '/sets/set.mkv' });

  it('reads raw PCM s16le 48 kHz stereo from stdin', () => {
    expect(usesStdin).toBe(true);
    const input = args.indexOf('pipe:0');
    expect(args.slice(input - 7, input + 1)).toEqual(['-f', 's16le', '-ar', '48000', '-ch_layout', 'stereo', '-i', 'pipe:0']);
  });

  it('encodes H.264 CBR with a fixed 2 s GOP and AAC-LC', () => {
    expect(argAfter(args, '-c:v')).toBe('libx264');
    expect(argAfter(args, '-preset')).toBe('veryfast');
    expect([argAfter(args, '-b:v'), argAfter(args, '-maxrate'), argAfter(args, '-bufsize')]).toEqual(['3500k', '3500k', '3500k']);
    expect([argAfter(args, '-g'), argAfter(args, '-keyint_min'), argAfter(args, '-sc_threshold')]).toEqual(['60', '60', '0']);
    expect(argAfter(args, '-pix_fmt')).toBe('yuv420p');
    expect([argAfter(args, '-c:a'), argAfter(args, '-b:a'), argAfter(args, '-ar')]).toEqual(['aac', '160k', '48000']);
    expect(argAfter(args, '-flags')).toBe('+global_header');
  });

  it('writes FLV to stdout for the pushers and the Matroska recording beside it, through one tee', () => {
    expect(args[args.length - 2]).toBe('tee');
    expect(args[args.length - 1]).toBe(
      '[f=flv:flvflags=no_duration_filesize:flush_packets=1]pipe:1|[f=matroska:onfail=ignore:cluster_time_limit=1000:flush_packets=1]/sets/set.mkv',
    );
  });

  it('draws each video source at the profile’s size', () => {
    const vertical = resolved[3]!.profile;
    expect(buildInputs({ kind: 'sine', frequencyHz: 440 }, { kind: 'none', color: '#102030' }, vertical).args).toContain('color=c=#102030:s=720x1280:r=30');
    expect(buildInputs({ kind: 'sine', frequencyHz: 440 }, { kind: 'testsrc2' }, vertical).args).toContain('testsrc2=s=720x1280:r=30');
    expect(buildInputs({ kind: 'pcm' }, { kind: 'visualizer' }, vertical).filter).toContain('showwaves=s=720x1280:rate=30');
    expect(buildInputs({ kind: 'pcm' }, { kind: 'visualizer', style: 'spectrum' }, vertical).filter).toContain('showspectrum=s=720x1280');
    const webm = buildInputs({ kind: 'pcm' }, { kind: 'webm', frameRate: 30 }, vertical);
    expect(webm.usesVideoPipe).toBe(true);
    // The page's own timestamps: no forced input rate (a page drawing fewer frames must not stretch time).
    expect(webm.args.slice(-4)).toEqual(['-f', 'webm', '-i', 'pipe:3']);
    expect(webm.filter).toContain('scale=720x1280:force_original_aspect_ratio=decrease,pad=720:1280');
    // A colour is a name or a hex value, never filter syntax.
    expect(buildInputs({ kind: 'pcm' }, { kind: 'none', color: 'red,drawtext=x' }, vertical).args).toContain('color=c=black:s=720x1280:r=30');
  });

  it('copies an already-encoded FLV stream from stdin to one ingest, and remuxes the set to MP4 with the index first', () => {
    const pusher = buildPusherArgs('rtmp://live.twitch.tv/app/KEY');
    const input = pusher.indexOf('pipe:0');
    expect(pusher.slice(input - 3, input + 5)).toEqual(['-f', 'flv', '-i', 'pipe:0', '-map', '0', '-c', 'copy']);
    expect(pusher.slice(-3)).toEqual(['-f', 'flv', 'rtmp://live.twitch.tv/app/KEY']);
    expect(buildRemuxArgs('/s/set.mkv', '/s/set.mp4')).toEqual(
      expect.arrayContaining(['-i', '/s/set.mkv', '-c', 'copy', '-movflags', '+faststart', '/s/set.mp4']),
    );
  });
});

describe('tee escaping', () => {
  it('escapes option values twice and file names once, as tee’s two parsing rounds need', () => {
    expect(escapeTeeOptionValue("a:b]c\\d'e")).toBe("a\\:b\\]c\\\\d\\'e");
    expect(teeSlave({ f: 'flv' }, 'rtmp://h/app/k|ey')).toBe('[f=flv]rtmp://h/app/k\\|ey');
    expect(teeSlave({ f: 'matroska', title: 'DJ:set' }, 'C:\\sets\\a.mkv')).toBe('[f=matroska:title=DJ\\\\:set]C:\\\\sets\\\\a.mkv');
    expect(teeOutput(['[f=flv]a', '[f=flv]b'])).toBe('[f=flv]a|[f=flv]b');
  });

  it('builds the fifo slave that reconnects a target by itself', () => {
    expect(fifoTargetSlave('rtmp://live.twitch.tv/app/live_1_x')).toBe(
      '[f=fifo:fifo_format=flv:drop_pkts_on_overflow=1:attempt_recovery=1:recovery_wait_time=1:recover_any_error=1:onfail=ignore]rtmp://live.twitch.tv/app/live_1_x',
    );
  });

  const temp = makeTempDir('mixdeck-tee-');
  afterAll(() => temp.remove());

  it('gets file names with | \' : [ ] and \\ through a real ffmpeg tee intact', () => {
    const names = ["set|one 'b':c[1].mkv", 'back\\slash [x].mkv'];
    const slaves = names.map((name) => recordingSlave(join(temp.path, name)));
    const result = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=64x36:r=10:d=0.5', '-map', '0:v', '-c:v', 'libx264', '-preset', 'ultrafast', '-flags', '+global_header', '-f', 'tee', teeOutput(slaves)],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.stderr).toBe('');
    for (const name of names) expect(existsSync(join(temp.path, name))).toBe(true);
  });
});

describe('the single-process plan', () => {
  it('encodes each profile once and puts a fifo per target behind its tee', () => {
    const { args } = buildSingleProcessArgs({
      groups: planEncodes(resolved),
      audio: { kind: 'sine', frequencyHz: 440 },
      video: { kind: 'testsrc2' },
      recordingPath: '/sets/set.mkv',
    });
    const tees = args.filter((_, index) => args[index - 1] === 'tee');
    expect(tees).toHaveLength(2);
    expect(tees[0]!.split('|[').length).toBe(4);
    expect(tees[0]).toContain('[f=matroska');
    expect(tees[1]).toContain('tiktok\\|secret:with[odd]chars');
    expect(argAfter(args, '-filter_complex')).toContain('split=2');
  });
});

describe('printing a command', () => {
  it('masks every stream key, also in its tee-escaped and URL-encoded forms', () => {
    const keys = targets.map((target) => target.streamKey);
    const { args } = buildSingleProcessArgs({ groups: planEncodes(resolved), audio: { kind: 'pcm' }, video: { kind: 'none' } });
    const printed = formatCommand('ffmpeg', redactArgs([...args, encodeURIComponent(keys[2]!)], keys));
    for (const key of keys) {
      expect(printed).not.toContain(key);
      expect(printed).not.toContain(encodeURIComponent(key));
      expect(printed).not.toContain('tiktok\\|secret');
    }
    expect(printed).toContain('rtmp://live.twitch.tv/app/••••');
  });

  it('quotes for a POSIX shell', () => {
    expect(formatCommand('ffmpeg', ['-i', 'a b', "it's", 'plain-1.0'])).toBe(`ffmpeg -i 'a b' 'it'\\''s' plain-1.0`);
  });
});

describe('which page scene each encode reads', () => {
  const landscape = { width: 1280, height: 720 };
  const portrait = { width: 720, height: 1280 };

  it('gives each shape its own scene when the page sends both', () => {
    const video = { kind: 'webm', shapes: ['landscape', 'portrait'] } as const;
    expect(videoStreamFor(video, landscape)).toBe('landscape');
    expect(videoStreamFor(video, portrait)).toBe('portrait');
    expect(videoStreamFor(video, { width: 640, height: 360 })).toBe('landscape');
  });

  it('fits the one scene sent into an encode of the other shape, and keeps the single stream of older pages', () => {
    expect(videoStreamFor({ kind: 'webm', shapes: ['portrait'] }, landscape)).toBe('portrait');
    expect(videoStreamFor({ kind: 'webm' }, portrait)).toBe(SINGLE_VIDEO_STREAM);
    expect(videoStreamFor({ kind: 'testsrc2' }, portrait)).toBe(SINGLE_VIDEO_STREAM);
  });

  it('takes a square frame as landscape', () => {
    expect(shapeOf({ width: 720, height: 720 })).toBe('landscape');
    expect(shapeOf(portrait)).toBe('portrait');
  });
});

describe('the split encode (sound never waits for picture)', () => {
  const profile = resolved[0]!.profile;
  const split = buildSplitEncoderArgs({ profile, audio: { kind: 'pcm' }, video: { kind: 'testsrc2' }, recordingPath: '/sets/set.mkv' });

  it('encodes the picture alone, dropping frames that fell behind the wall clock, as variable-rate H.264 in FLV', () => {
    const { args } = split.video;
    expect(split.video.usesStdin).toBe(false);
    expect(args).not.toContain('pipe:0');
    expect(argAfter(args, '-filter_complex')).toContain(LATE_FRAME_GOVERNOR);
    expect(argAfter(args, '-c:v')).toBe('libx264');
    expect(args).not.toContain('-c:a');
    expect(argAfter(args, '-x264-params')).toBe('nal-hrd=cbr');
    expect(argAfter(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(argAfter(args, '-fps_mode:v')).toBe('vfr');
    expect(args.slice(-3)).toEqual(['-f', 'flv', 'pipe:1']);
  });

  it('muxes the sound from stdin with the picture copied from pipe:3, into the FLV and the recording', () => {
    const { args } = split.mux;
    expect(split.mux.usesStdin).toBe(true);
    expect(args).toContain('pipe:0');
    expect(args.slice(args.indexOf('pipe:3') - 3, args.indexOf('pipe:3') + 1)).toEqual(['-f', 'flv', '-i', 'pipe:3']);
    expect(argAfter(args, '-c:v')).toBe('copy');
    expect(args).not.toContain('libx264');
    expect(argAfter(args, '-c:a')).toBe('aac');
    expect(args[args.length - 1]).toContain('/sets/set.mkv');
  });

  it("gives the visualizer's video process its own copy of the sound, and the renderer's WebM to the video process", () => {
    const visualizer = buildSplitEncoderArgs({ profile, audio: { kind: 'pcm' }, video: { kind: 'visualizer' } });
    expect(visualizer.video.usesStdin).toBe(true);
    expect(argAfter(visualizer.video.args, '-filter_complex')).toMatch(/^\[0:a\]aresample=.*showwaves=.*\[v\]$/);
    const webm = buildSplitEncoderArgs({ profile, audio: { kind: 'pcm' }, video: { kind: 'webm', frameRate: 30 } });
    expect(webm.video.usesVideoPipe).toBe(true);
    expect(argAfter(webm.video.args, '-filter_complex')).toMatch(/^\[0:v\]scale=/);
  });
});
