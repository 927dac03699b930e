import { MixdeckError } from '../../../shared/contract';

/**
 * What each platform accepts, from its published ingest rules (and OBS's rtmp-services list,
 * which the platforms maintain for their own ingests), checked 2026-11. Every value is a default
 * the user may override per target; `validateTarget` says in words when an override breaks a rule.
 */

export type PlatformId = 'twitch' | 'youtube' | 'facebook' | 'tiktok' | 'kick' | 'custom';
export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
export type Orientation = 'landscape' | 'portrait' | 'any';

/** One encode: every target that shares all of these shares one x264 + AAC encoder. */
export interface EncodeProfile {
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  keyframeSec: number;
  audioBitrateKbps: number;
  audioSampleRate: 44100 | 48000;
  x264Preset: X264Preset;
}

export interface IngestServer {
  name: string;
  /** The ingest address without the key; the key is appended as the last path segment. */
  url: string;
}

export interface PlatformLimits {
  maxVideoBitrateKbps: number;
  /** Below this the platform warns about quality (not a refusal). */
  minVideoBitrateKbps?: number;
  maxAudioBitrateKbps: number;
  minAudioBitrateKbps?: number;
  audioSampleRates: readonly number[];
  recommendedKeyframeSec: number;
  maxKeyframeSec: number;
  maxFps: number;
  orientation: Orientation;
  /** Sizes the platform documents; others are warned about, not refused. */
  documentedSizes?: readonly { width: number; height: number }[];
  /** The platform ends a broadcast after this long. */
  maxDurationSec?: number;
}

export interface PlatformPreset {
  id: PlatformId;
  name: string;
  protocols: readonly ('rtmp' | 'rtmps')[];
  /** Empty when every account has its own server (TikTok) or for custom targets. */
  servers: readonly IngestServer[];
  serverRequired: boolean;
  profile: EncodeProfile;
  limits: PlatformLimits;
  /** Where the user finds the key, for the UI. */
  keyHelpUrl?: string;
  /** A pattern real keys follow; a mismatch is a warning only, since formats change. */
  keyPattern?: RegExp;
  keyPatternHint?: string;
}

/** 720p30 at 3.5 Mbps, AAC-LC 160 kbps 48 kHz fits every landscape platform, so they share one encode. */
export const LANDSCAPE_PROFILE: EncodeProfile = Object.freeze({
  width: 1280,
  height: 720,
  fps: 30,
  videoBitrateKbps: 3500,
  keyframeSec: 2,
  audioBitrateKbps: 160,
  audioSampleRate: 48000,
  x264Preset: 'veryfast',
});

export const PORTRAIT_PROFILE: EncodeProfile = Object.freeze({
  width: 720,
  height: 1280,
  fps: 30,
  videoBitrateKbps: 3000,
  keyframeSec: 2,
  audioBitrateKbps: 160,
  audioSampleRate: 48000,
  x264Preset: 'veryfast',
});

const ANY_RATE = [44100, 48000] as const;

export const PLATFORM_PRESETS: Readonly<Record<PlatformId, PlatformPreset>> = {
  twitch: {
    id: 'twitch',
    name: 'Twitch',
    protocols: ['rtmp', 'rtmps'],
    servers: [
      { name: 'Automatic (closest)', url: 'rtmp://live.twitch.tv/app' },
      { name: 'US East: Ashburn, VA', url: 'rtmp://live-iad.twitch.tv/app' },
      { name: 'US West: San Jose, CA', url: 'rtmp://live-sjc.twitch.tv/app' },
      { name: 'EU: Frankfurt, DE', url: 'rtmp://live-fra.twitch.tv/app' },
      { name: 'EU: London, UK', url: 'rtmp://live-lhr.twitch.tv/app' },
      { name: 'South America: Sao Paulo, BR', url: 'rtmp://live-sao.twitch.tv/app' },
      { name: 'Asia: Tokyo, JP', url: 'rtmp://live-tyo.twitch.tv/app' },
      { name: 'Australia: Sydney', url: 'rtmp://live-syd.twitch.tv/app' },
      // Twitch's ingest API also hands out RTMPS servers of the form rtmps://<pop>.contribute.live-video.net/app.
    ],
    serverRequired: false,
    profile: LANDSCAPE_PROFILE,
    limits: {
      maxVideoBitrateKbps: 6000,
      maxAudioBitrateKbps: 320,
      audioSampleRates: ANY_RATE,
      recommendedKeyframeSec: 2,
      maxKeyframeSec: 2,
      maxFps: 60,
      orientation: 'landscape',
    },
    keyHelpUrl: 'https://dashboard.twitch.tv/settings/stream',
    keyPattern: /^live_\d+_\w+$/,
    keyPatternHint: 'Twitch keys look like live_123456789_AbCdEf…',
  },
  youtube: {
    id: 'youtube',
    name: 'YouTube',
    protocols: ['rtmps', 'rtmp'],
    servers: [
      { name: 'Primary (RTMPS)', url: 'rtmps://a.rtmps.youtube.com:443/live2' },
      // YouTube's backup ingest keeps the query in the application part: …/live2?backup=1/KEY.
      { name: 'Backup (RTMPS)', url: 'rtmps://b.rtmps.youtube.com:443/live2?backup=1' },
      { name: 'Primary (legacy RTMP)', url: 'rtmp://a.rtmp.youtube.com/live2' },
      { name: 'Backup (legacy RTMP)', url: 'rtmp://b.rtmp.youtube.com/live2?backup=1' },
    ],
    serverRequired: false,
    profile: LANDSCAPE_PROFILE,
    limits: {
      maxVideoBitrateKbps: 51000,
      maxAudioBitrateKbps: 384,
      audioSampleRates: ANY_RATE,
      recommendedKeyframeSec: 2,
      // "Please use a keyframe frequency of four seconds or less."
      maxKeyframeSec: 4,
      maxFps: 60,
      orientation: 'any',
    },
    keyHelpUrl: 'https://studio.youtube.com/channel/UC/livestreaming',
    keyPattern: /^[a-z0-9]{4}(-[a-z0-9]{4}){3,4}$/i,
    keyPatternHint: 'YouTube keys look like abcd-efgh-ijkl-mnop',
  },
  facebook: {
    id: 'facebook',
    name: 'Facebook',
    protocols: ['rtmps'],
    servers: [{ name: 'Default (RTMPS)', url: 'rtmps://rtmp-api.facebook.com:443/rtmp' }],
    serverRequired: false,
    profile: LANDSCAPE_PROFILE,
    limits: {
      // 1080p30: 3–6 Mbps; Meta's matrix allows 9 Mbps only for 1080p60.
      maxVideoBitrateKbps: 9000,
      minVideoBitrateKbps: 1000,
      maxAudioBitrateKbps: 256,
      minAudioBitrateKbps: 128,
      audioSampleRates: [48000],
      recommendedKeyframeSec: 2,
      maxKeyframeSec: 4,
      maxFps: 60,
      orientation: 'landscape',
      maxDurationSec: 8 * 3600,
    },
    keyHelpUrl: 'https://www.facebook.com/live/producer',
  },
  tiktok: {
    id: 'tiktok',
    name: 'TikTok',
    protocols: ['rtmp', 'rtmps'],
    // Each account gets its own server URL and key from TikTok LIVE Producer.
    servers: [],
    serverRequired: true,
    profile: PORTRAIT_PROFILE,
    limits: {
      maxVideoBitrateKbps: 6000,
      maxAudioBitrateKbps: 320,
      audioSampleRates: ANY_RATE,
      recommendedKeyframeSec: 2,
      maxKeyframeSec: 4,
      maxFps: 60,
      orientation: 'portrait',
      documentedSizes: [
        { width: 720, height: 1280 },
        { width: 1080, height: 1920 },
      ],
    },
    keyHelpUrl: 'https://livecenter.tiktok.com/producer',
  },
  kick: {
    id: 'kick',
    name: 'Kick',
    protocols: ['rtmps', 'rtmp'],
    servers: [{ name: 'Global (RTMPS)', url: 'rtmps://fa723fc1b171.global-contribute.live-video.net/app' }],
    serverRequired: false,
    profile: LANDSCAPE_PROFILE,
    limits: {
      // Kick ingests through Amazon IVS: 8.5 Mbps, keyframes every 2 s at most.
      maxVideoBitrateKbps: 8500,
      maxAudioBitrateKbps: 160,
      audioSampleRates: ANY_RATE,
      recommendedKeyframeSec: 2,
      maxKeyframeSec: 2,
      maxFps: 60,
      orientation: 'landscape',
    },
    keyHelpUrl: 'https://kick.com/dashboard/settings/stream',
    keyPattern: /^sk_[\w-]+$/,
    keyPatternHint: 'Kick keys look like sk_us-west-2_…',
  },
  custom: {
    id: 'custom',
    name: 'Custom RTMP',
    protocols: ['rtmp', 'rtmps'],
    servers: [],
    serverRequired: true,
    profile: LANDSCAPE_PROFILE,
    limits: {
      maxVideoBitrateKbps: 100_000,
      maxAudioBitrateKbps: 512,
      audioSampleRates: ANY_RATE,
      recommendedKeyframeSec: 2,
      maxKeyframeSec: 10,
      maxFps: 60,
      orientation: 'any',
    },
  },
};

/** A destination as the user configured it. */
export interface StreamTarget {
  id: string;
  platform: PlatformId;
  /** Shown in the UI and in status reasons; defaults to the platform's name. */
  label?: string;
  /** Overrides the preset's ingest server (a region, YouTube's backup, TikTok's per-account URL). */
  server?: string;
  streamKey: string;
  /** Overrides of the platform's default profile. */
  profile?: Partial<EncodeProfile>;
}

/** A target with everything filled in, ready to plan. `url` contains the key: never log it. */
export interface ResolvedTarget {
  id: string;
  platform: PlatformId;
  label: string;
  server: string;
  /** Host name only, for messages like "Could not reach live.twitch.tv". */
  host: string;
  streamKey: string;
  url: string;
  profile: EncodeProfile;
  limits: PlatformLimits;
}

export type ProblemSeverity = 'error' | 'warning';

export interface TargetProblem {
  field: 'server' | 'streamKey' | 'profile' | 'platform' | 'id';
  severity: ProblemSeverity;
  message: string;
}

export function presetFor(platform: PlatformId): PlatformPreset {
  const preset = PLATFORM_PRESETS[platform];
  if (!preset) throw new MixdeckError('invalid-input', `"${String(platform)}" is not a platform Mixdeck knows.`);
  return preset;
}

/** The key goes after the server's application path, whatever the server's trailing slashes or query. */
export function buildIngestUrl(server: string, streamKey: string): string {
  return `${server.trim().replace(/\/+$/, '')}/${streamKey.trim()}`;
}

export function hostOf(server: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(server.trim());
  return match?.[1] ?? server;
}

export function resolveProfile(platform: PlatformId, overrides?: Partial<EncodeProfile>): EncodeProfile {
  const base = presetFor(platform).profile;
  const profile = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value !== undefined) (profile as Record<string, unknown>)[key] = value;
  }
  return profile;
}

export function resolveTarget(target: StreamTarget): ResolvedTarget {
  const preset = presetFor(target.platform);
  const server = (target.server ?? preset.servers[0]?.url ?? '').trim();
  return {
    id: target.id,
    platform: target.platform,
    label: target.label?.trim() || preset.name,
    server,
    host: hostOf(server),
    streamKey: target.streamKey.trim(),
    url: buildIngestUrl(server, target.streamKey),
    profile: resolveProfile(target.platform, target.profile),
    limits: preset.limits,
  };
}

function checkProfile(name: string, profile: EncodeProfile, limits: PlatformLimits, problems: TargetProblem[]): void {
  const error = (message: string): void => void problems.push({ field: 'profile', severity: 'error', message });
  const warning = (message: string): void => void problems.push({ field: 'profile', severity: 'warning', message });

  const { width, height, fps } = profile;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 7680 || height > 4320) {
    error(`The picture size ${width}×${height} is not usable; pick something like 1280×720.`);
  } else if (width % 2 !== 0 || height % 2 !== 0) {
    error(`The picture size ${width}×${height} must use even numbers for H.264.`);
  } else {
    if (limits.orientation === 'portrait' && width >= height) {
      error(`${name} expects a vertical (9:16) picture such as 720×1280, not ${width}×${height}.`);
    } else if (limits.orientation === 'portrait' && Math.abs(width / height - 9 / 16) > 0.01) {
      warning(`${name} shows a 9:16 picture; ${width}×${height} will be letterboxed.`);
    }
    if (limits.orientation === 'landscape' && height > width) {
      warning(`${name} shows a landscape picture; ${width}×${height} will be pillarboxed.`);
    }
    if (limits.documentedSizes && !limits.documentedSizes.some((size) => size.width === width && size.height === height)) {
      const sizes = limits.documentedSizes.map((size) => `${size.width}×${size.height}`).join(' or ');
      warning(`${name} documents ${sizes}; ${width}×${height} may be rescaled.`);
    }
  }
  if (!(fps > 0) || fps > limits.maxFps) error(`${name} accepts up to ${limits.maxFps} frames per second, not ${fps}.`);

  const video = profile.videoBitrateKbps;
  if (!(video > 0)) error('The video bitrate must be more than 0 kbps.');
  else if (video > limits.maxVideoBitrateKbps) {
    error(`${name} accepts at most ${limits.maxVideoBitrateKbps} kbps of video; this target asks for ${video} kbps.`);
  } else if (limits.minVideoBitrateKbps && video < limits.minVideoBitrateKbps) {
    warning(`${name} recommends at least ${limits.minVideoBitrateKbps} kbps of video; ${video} kbps will look soft.`);
  }

  const audio = profile.audioBitrateKbps;
  if (!(audio > 0)) error('The audio bitrate must be more than 0 kbps.');
  else if (audio > limits.maxAudioBitrateKbps) {
    error(`${name} accepts at most ${limits.maxAudioBitrateKbps} kbps of audio; this target asks for ${audio} kbps.`);
  } else if (limits.minAudioBitrateKbps && audio < limits.minAudioBitrateKbps) {
    warning(`${name} recommends at least ${limits.minAudioBitrateKbps} kbps of audio.`);
  }
  if (!limits.audioSampleRates.includes(profile.audioSampleRate)) {
    const rates = limits.audioSampleRates.map((rate) => `${rate / 1000} kHz`).join(' or ');
    error(`${name} needs audio at ${rates}, not ${profile.audioSampleRate / 1000} kHz.`);
  }

  const keyframe = profile.keyframeSec;
  if (!(keyframe > 0)) error('The keyframe interval must be more than 0 seconds.');
  else if (keyframe > limits.maxKeyframeSec) {
    error(`${name} needs a keyframe at least every ${limits.maxKeyframeSec} s; this target asks for every ${keyframe} s.`);
  } else if (keyframe !== limits.recommendedKeyframeSec) {
    warning(`${name} recommends a keyframe every ${limits.recommendedKeyframeSec} s.`);
  } else if (!Number.isInteger(keyframe * fps)) {
    warning(`A keyframe every ${keyframe} s is not a whole number of frames at ${fps} fps.`);
  }
}

/**
 * Everything wrong with a target, in words a DJ can act on. Errors stop it going live; warnings
 * are shown but let it start. Messages never contain the stream key.
 */
export function validateTarget(target: StreamTarget): TargetProblem[] {
  const problems: TargetProblem[] = [];
  const preset = PLATFORM_PRESETS[target.platform];
  if (!preset) return [{ field: 'platform', severity: 'error', message: `"${String(target.platform)}" is not a platform Mixdeck knows.` }];
  const name = target.label?.trim() || preset.name;
  const error = (field: TargetProblem['field'], message: string): void => void problems.push({ field, severity: 'error', message });
  const warning = (field: TargetProblem['field'], message: string): void => void problems.push({ field, severity: 'warning', message });

  if (!target.id || !/^[\w.-]{1,64}$/.test(target.id)) error('id', 'Each target needs a short id made of letters, digits, "-", "_" or ".".');

  const server = (target.server ?? preset.servers[0]?.url ?? '').trim();
  if (!server) {
    error(
      'server',
      preset.id === 'tiktok'
        ? 'TikTok gives every account its own server URL: copy it from TikTok LIVE Producer.'
        : `${name} needs a server URL (rtmp://… or rtmps://…).`,
    );
  } else {
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]+)(\/[^\s]*)?$/i.exec(server);
    const scheme = match?.[1]?.toLowerCase();
    const trimmedKey = (target.streamKey ?? '').trim();
    const shown = trimmedKey.length > 0 ? server.split(trimmedKey).join('••••') : server;
    if (!match) error('server', `"${shown}" is not a server URL; it should look like rtmp://host/app.`);
    else if (scheme !== 'rtmp' && scheme !== 'rtmps') error('server', `${name} needs an rtmp:// or rtmps:// URL, not ${scheme}://.`);
    else if (!preset.protocols.includes(scheme)) {
      error('server', `${name} only accepts ${preset.protocols.map((protocol) => `${protocol}://`).join(' or ')} URLs.`);
    } else if (!match[3] || match[3] === '/') {
      error('server', `The server URL needs the application path after the host, like ${scheme}://${match[2]}/app.`);
    }
    if (scheme === 'rtmp' && preset.servers[0]?.url.startsWith('rtmps://')) {
      warning('server', `${name} also accepts rtmps://, which keeps the stream key private on the way.`);
    }
  }

  const key = target.streamKey ?? '';
  if (key.trim().length === 0) error('streamKey', 'The stream key looks empty.');
  else if (/^[a-z]+:\/\//i.test(key.trim())) {
    error('streamKey', 'The stream key looks like a URL: put the server in "Server" and only the key here.');
  } else if (/\s/.test(key.trim())) error('streamKey', 'The stream key contains spaces; paste it again without them.');
  else if (key.trim().length < 6) error('streamKey', 'The stream key looks too short to be real.');
  else if (server && server.includes(key.trim())) {
    error('server', 'The server URL already contains the stream key: keep the key only in "Stream key".');
  } else if (preset.keyPattern && !preset.keyPattern.test(key.trim()) && preset.keyPatternHint) {
    warning('streamKey', `This does not look like a ${preset.name} key (${preset.keyPatternHint}).`);
  }

  checkProfile(name, resolveProfile(target.platform, target.profile), preset.limits, problems);
  return problems;
}

/** Throws the first error as a MixdeckError a user can read, with every problem in `issues`. */
export function assertValidTarget(target: StreamTarget): ResolvedTarget {
  const errors = validateTarget(target).filter((problem) => problem.severity === 'error');
  const first = errors[0];
  if (first) {
    throw new MixdeckError(
      'invalid-input',
      first.message,
      errors.map((problem) => ({ path: `targets.${target.id}.${problem.field}`, message: problem.message })),
    );
  }
  return resolveTarget(target);
}
