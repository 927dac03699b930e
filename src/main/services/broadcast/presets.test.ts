import { describe, expect, it } from 'vitest';
import { MixdeckError } from '../../../shared/contract';
import { assertValidTarget, buildIngestUrl, PLATFORM_PRESETS, resolveTarget, validateTarget, type PlatformId, type StreamTarget } from './presets';

const errorsOf = (target: StreamTarget): string[] =>
  validateTarget(target)
    .filter((problem) => problem.severity === 'error')
    .map((problem) => problem.message);

const REALISTIC: Record<PlatformId, StreamTarget> = {
  twitch: { id: 'tw', platform: 'twitch', streamKey: 'live_123456789_AbCdEfGhIjKlMnOp' },
  youtube: { id: 'yt', platform: 'youtube', streamKey: 'abcd-efgh-ijkl-mnop-qrst' },
  facebook: { id: 'fb', platform: 'facebook', streamKey: 'FB-1234567890-0-AbCdEfGh?s_bl=1&s_sw=0' },
  tiktok: { id: 'tt', platform: 'tiktok', server: 'rtmp://push-rtmp-l11-va01.tiktokcdn.com/game', streamKey: 'stream-123456789?expire=1&sign=abc' },
  kick: { id: 'ki', platform: 'kick', streamKey: 'sk_us-west-2_AbCdEfGh' },
  custom: { id: 'cu', platform: 'custom', server: 'rtmp://stream.example.org/live', streamKey: 'my-secret-key' },
};

describe('platform presets', () => {
  it.each(Object.keys(REALISTIC) as PlatformId[])('%s defaults go live without an error or a warning', (platform) => {
    expect(validateTarget(REALISTIC[platform])).toEqual([]);
  });

  it('follows the published ingest rules', () => {
    expect(PLATFORM_PRESETS.twitch.limits).toMatchObject({ maxVideoBitrateKbps: 6000, maxAudioBitrateKbps: 320, recommendedKeyframeSec: 2 });
    expect(PLATFORM_PRESETS.youtube.limits).toMatchObject({ recommendedKeyframeSec: 2, maxKeyframeSec: 4 });
    expect(PLATFORM_PRESETS.facebook).toMatchObject({ protocols: ['rtmps'], limits: { audioSampleRates: [48000], maxDurationSec: 8 * 3600 } });
    expect(PLATFORM_PRESETS.tiktok.profile).toMatchObject({ width: 720, height: 1280 });
    for (const preset of Object.values(PLATFORM_PRESETS)) expect(preset.profile.keyframeSec).toBe(2);
  });

  it('shares one landscape profile across Twitch, YouTube, Facebook and Kick so they share an encode', () => {
    const profiles = (['twitch', 'youtube', 'facebook', 'kick'] as const).map((platform) => resolveTarget(REALISTIC[platform]).profile);
    for (const profile of profiles) expect(profile).toEqual(profiles[0]);
  });
});

describe('ingest URLs', () => {
  it('appends the key to the server, keeping YouTube’s backup query in the application part', () => {
    expect(resolveTarget(REALISTIC.twitch).url).toBe('rtmp://live.twitch.tv/app/live_123456789_AbCdEfGhIjKlMnOp');
    expect(resolveTarget({ ...REALISTIC.youtube, server: PLATFORM_PRESETS.youtube.servers[1]!.url }).url).toBe(
      'rtmps://b.rtmps.youtube.com:443/live2?backup=1/abcd-efgh-ijkl-mnop-qrst',
    );
    expect(resolveTarget(REALISTIC.facebook).url).toBe('rtmps://rtmp-api.facebook.com:443/rtmp/FB-1234567890-0-AbCdEfGh?s_bl=1&s_sw=0');
    expect(buildIngestUrl('rtmps://fa723fc1b171.global-contribute.live-video.net/app/', ' sk_1 ')).toBe(
      'rtmps://fa723fc1b171.global-contribute.live-video.net/app/sk_1',
    );
  });

  it('lets a regional server override the default, and names only the host', () => {
    const target = resolveTarget({ ...REALISTIC.twitch, server: 'rtmps://fra05.contribute.live-video.net/app' });
    expect(target.url.startsWith('rtmps://fra05.contribute.live-video.net/app/')).toBe(true);
    expect(target.host).toBe('fra05.contribute.live-video.net');
  });

  it('merges profile overrides over the platform defaults', () => {
    const target = resolveTarget({ ...REALISTIC.twitch, profile: { videoBitrateKbps: 6000, fps: 60 } });
    expect(target.profile).toMatchObject({ width: 1280, height: 720, fps: 60, videoBitrateKbps: 6000, keyframeSec: 2 });
  });
});

describe('validateTarget', () => {
  it('says Facebook only accepts rtmps://', () => {
    expect(errorsOf({ ...REALISTIC.facebook, server: 'rtmp://rtmp-api.facebook.com/rtmp' })).toContain('Facebook only accepts rtmps:// URLs.');
  });

  it('says when the key is empty, pasted as a URL, or has spaces', () => {
    expect(errorsOf({ ...REALISTIC.twitch, streamKey: '   ' })).toContain('The stream key looks empty.');
    expect(errorsOf({ ...REALISTIC.twitch, streamKey: 'rtmp://live.twitch.tv/app/live_1_a' })[0]).toMatch(/looks like a URL/);
    expect(errorsOf({ ...REALISTIC.twitch, streamKey: 'live_1 abc' })[0]).toMatch(/contains spaces/);
  });

  it('refuses a bitrate over the platform maximum, in kbps', () => {
    expect(errorsOf({ ...REALISTIC.twitch, profile: { videoBitrateKbps: 8000 } })).toContain(
      'Twitch accepts at most 6000 kbps of video; this target asks for 8000 kbps.',
    );
    expect(errorsOf({ ...REALISTIC.kick, profile: { audioBitrateKbps: 320 } })).toContain(
      'Kick accepts at most 160 kbps of audio; this target asks for 320 kbps.',
    );
  });

  it('holds YouTube to a keyframe every 4 s at most and Facebook to 48 kHz audio', () => {
    expect(errorsOf({ ...REALISTIC.youtube, profile: { keyframeSec: 5 } })[0]).toMatch(/keyframe at least every 4 s/);
    expect(errorsOf({ ...REALISTIC.facebook, profile: { audioSampleRate: 44100 } })[0]).toMatch(/48 kHz/);
  });

  it('asks TikTok targets for their own server and a vertical picture', () => {
    expect(errorsOf({ ...REALISTIC.tiktok, server: undefined })[0]).toMatch(/TikTok gives every account its own server URL/);
    expect(errorsOf({ ...REALISTIC.tiktok, profile: { width: 1280, height: 720 } })[0]).toMatch(/vertical \(9:16\)/);
    const warnings = validateTarget({ ...REALISTIC.tiktok, profile: { width: 360, height: 640 } }).filter((p) => p.severity === 'warning');
    expect(warnings.map((p) => p.message).join(' ')).toMatch(/documents 720×1280 or 1080×1920/);
  });

  it('refuses odd picture sizes and servers without an application', () => {
    expect(errorsOf({ ...REALISTIC.custom, profile: { width: 641, height: 360 } })[0]).toMatch(/even numbers/);
    expect(errorsOf({ ...REALISTIC.custom, server: 'rtmp://stream.example.org' })[0]).toMatch(/application path/);
    expect(errorsOf({ ...REALISTIC.custom, server: 'http://stream.example.org/live' })[0]).toMatch(/rtmp:\/\/ or rtmps:\/\//);
  });

  it('warns (without refusing) when a key does not look like the platform’s', () => {
    const problems = validateTarget({ ...REALISTIC.twitch, streamKey: 'something-else-entirely' });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems.find((p) => p.field === 'streamKey')?.message).toMatch(/live_123456789/);
  });

  it('throws the first problem as a MixdeckError that never repeats the key', () => {
    const key = 'live_123456789_SuperSecretValue';
    try {
      assertValidTarget({ ...REALISTIC.twitch, streamKey: key, server: `rtmp://live.twitch.tv/app/${key}` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MixdeckError);
      expect((error as MixdeckError).code).toBe('invalid-input');
      expect(JSON.stringify((error as MixdeckError).toContractError())).not.toContain(key);
    }
  });
});
