import type { EncodeProfile, ResolvedTarget } from './presets';

/**
 * Turns targets into ffmpeg argument arrays (never a shell string). Two shapes are built here:
 *
 * - `buildEncoderArgs` + `buildPusherArgs`: what the engine runs. One encoder per profile writes
 *   FLV to stdout (fanned out by the engine to one copy-pusher per target) and the Matroska
 *   recording beside it.
 * - `buildSingleProcessArgs`: one ffmpeg for everything, `-f tee` with a fifo per target. Kept
 *   for the design comparison in README.md and for a headless "simple mode".
 */

export type AudioSource =
  /** Raw PCM, s16le 48 kHz stereo, written by main (the DJ mixer through audio-io) on stdin. */
  | { kind: 'pcm' }
  | { kind: 'file'; path: string; loop?: boolean }
  /** A test tone. */
  | { kind: 'sine'; frequencyHz: number };

export type VideoSource =
  /** A static colour card. */
  | { kind: 'none'; color?: string }
  | { kind: 'testsrc2' }
  /** A still image (logo, artwork) fitted onto a colour card. */
  | { kind: 'card'; imagePath: string; color?: string }
  /** Drawn from the audio by ffmpeg itself. */
  | { kind: 'visualizer'; style?: 'waves' | 'spectrum'; color?: string }
  /**
   * MediaRecorder WebM chunks from the renderer's canvas, on pipe:3. With `shapes`, the page sends
   * one scene per shape and each encode reads the one of its own shape (see `videoStreamFor`).
   */
  | { kind: 'webm'; frameRate?: number; shapes?: readonly SceneShape[] };

/** 16:9-ish (landscape, square included) or 9:16-ish (portrait). */
export type SceneShape = 'landscape' | 'portrait';
/** The name of the renderer's WebM stream when the page sends one scene for every encode. */
export const SINGLE_VIDEO_STREAM = 'single';

export function shapeOf(profile: { width: number; height: number }): SceneShape {
  return profile.height > profile.width ? 'portrait' : 'landscape';
}

/**
 * Which of the page's WebM streams an encode of `profile` reads: its own shape's scene when the
 * page sends it, else the first scene sent (fitted with bars), else the single stream.
 */
export function videoStreamFor(video: VideoSource, profile: { width: number; height: number }): string {
  if (video.kind !== 'webm' || !video.shapes || video.shapes.length === 0) return SINGLE_VIDEO_STREAM;
  const own = shapeOf(profile);
  return video.shapes.includes(own) ? own : video.shapes[0]!;
}

export const PCM_SAMPLE_RATE = 48000;
export const PCM_BYTES_PER_FRAME = 4;
/** The extra pipe a WebM video input arrives on. */
export const VIDEO_PIPE_FD = 3;
/** The extra pipe ffmpeg writes `-progress` key=value blocks to. */
export const PROGRESS_PIPE_FD = 4;

export interface EncodeGroup {
  /** Stable and readable: the same profile always gets the same id. */
  id: string;
  profile: EncodeProfile;
  targets: ResolvedTarget[];
}

export function profileKey(profile: EncodeProfile): string {
  return [
    `${profile.width}x${profile.height}p${profile.fps}`,
    `v${profile.videoBitrateKbps}k`,
    `g${profile.keyframeSec}s`,
    `a${profile.audioBitrateKbps}k${profile.audioSampleRate}`,
    profile.x264Preset,
  ].join('-');
}

/**
 * Targets that share a profile share one encode; any difference (TikTok's 9:16, a higher bitrate
 * for one platform) gets its own. A recording profile with no target still gets an encode.
 * Groups come out in the order their first target appears, the recording's last.
 */
export function planEncodes(targets: readonly ResolvedTarget[], recordingProfile?: EncodeProfile): EncodeGroup[] {
  const groups = new Map<string, EncodeGroup>();
  for (const target of targets) {
    const id = profileKey(target.profile);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { id, profile: target.profile, targets: [] }));
    group.targets.push(target);
  }
  if (recordingProfile) {
    const id = profileKey(recordingProfile);
    if (!groups.has(id)) groups.set(id, { id, profile: recordingProfile, targets: [] });
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// Escaping for the tee muxer (libavformat/tee.c). The output string is split into slaves with
// av_get_token(…, "|"), which unescapes `\x` and strips '…' quotes; then each slave's
// `[key=value:…]` options are read with av_get_token(…, ":]"), a second round of unescaping.
// The file name after `]` only goes through the first round.

const escapeChars = (value: string, specials: string): string =>
  [...value].map((char) => (specials.includes(char) ? `\\${char}` : char)).join('');

/** An option value inside `[…]`: `:` and `]` end it, `\` and `'` are special. */
export function escapeTeeOptionValue(value: string): string {
  return escapeChars(value, "\\':]");
}

/** One tee slave: `[f=fifo:…]rtmp://…`, escaped so that `|`, `\` and `'` in it survive. */
export function teeSlave(options: Readonly<Record<string, string | number>>, output: string): string {
  const optionText = Object.entries(options)
    .map(([key, value]) => `${key}=${escapeTeeOptionValue(String(value))}`)
    .join(':');
  return escapeChars(`[${optionText}]${output}`, "\\'|");
}

export function teeOutput(slaves: readonly string[]): string {
  return slaves.join('|');
}

/** The recording: Matroska survives a crash (only the last cluster, about a second, is lost). */
export function recordingSlave(path: string): string {
  return teeSlave({ f: 'matroska', onfail: 'ignore', cluster_time_limit: 1000, flush_packets: 1 }, path);
}

/** A network target inside a single-process tee: the fifo reconnects it on its own. */
export function fifoTargetSlave(url: string): string {
  return teeSlave(
    {
      f: 'fifo',
      fifo_format: 'flv',
      drop_pkts_on_overflow: 1,
      attempt_recovery: 1,
      recovery_wait_time: 1,
      recover_any_error: 1,
      onfail: 'ignore',
    },
    url,
  );
}

// ---------------------------------------------------------------------------------------------
// Inputs and filters

function colourOf(value: string | undefined, fallback: string): string {
  // Names (black, 0x1a1a2e, #1a1a2e) only: anything else could smuggle filter syntax in.
  return value && /^(#|0x)?[\w]+(@[\d.]+)?$/.test(value) ? value : fallback;
}

export interface InputPlan {
  args: string[];
  /** A -filter_complex graph ending in [v] and [a]. */
  filter: string;
  usesStdin: boolean;
  usesVideoPipe: boolean;
  /** How many of `args` open the audio input (input 0); the video input, when there is one, follows. */
  audioArgCount: number;
  /** The audio chain alone, `aresample…` (without labels). */
  audioChain: string;
}

/**
 * Input arguments and the filter graph that turns them into the profile's picture and sound.
 * Generated and file inputs are read at their native rate (-re); live pipes are paced by whoever
 * writes them.
 */
export function buildInputs(audio: AudioSource, video: VideoSource, profile: EncodeProfile, pacing: VideoPacing = 'wall-clock'): InputPlan {
  const { width, height, fps } = profile;
  const size = `${width}x${height}`;
  const args: string[] = [];
  let usesStdin = false;
  let usesVideoPipe = false;

  switch (audio.kind) {
    case 'pcm':
      args.push('-thread_queue_size', '1024', '-f', 's16le', '-ar', String(PCM_SAMPLE_RATE), '-ch_layout', 'stereo', '-i', 'pipe:0');
      usesStdin = true;
      break;
    case 'file':
      args.push('-re', ...(audio.loop ? ['-stream_loop', '-1'] : []), '-i', audio.path);
      break;
    case 'sine':
      args.push('-re', '-f', 'lavfi', '-i', `sine=frequency=${Number(audio.frequencyHz)}:sample_rate=${PCM_SAMPLE_RATE}`);
      break;
  }

  const audioArgCount = args.length;
  const audioChain = `aresample=${profile.audioSampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const fit = `scale=${size}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`;
  const finish = `setsar=1,fps=${fps},${pacing === 'wall-clock' ? `${LATE_FRAME_GOVERNOR},` : ''}format=yuv420p`;
  let filter: string;

  switch (video.kind) {
    case 'none':
      args.push('-re', '-f', 'lavfi', '-i', `color=c=${colourOf(video.color, 'black')}:s=${size}:r=${fps}`);
      filter = `[1:v]${finish}[v];[0:a]${audioChain}[a]`;
      break;
    case 'testsrc2':
      args.push('-re', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`);
      filter = `[1:v]${finish}[v];[0:a]${audioChain}[a]`;
      break;
    case 'card':
      args.push('-re', '-loop', '1', '-framerate', String(fps), '-i', video.imagePath);
      filter = `[1:v]${fit}:color=${colourOf(video.color, 'black')},${finish}[v];[0:a]${audioChain}[a]`;
      break;
    case 'webm':
      // The page's own timestamps (its capture clock), not a forced rate: a page that draws fewer
      // frames than asked (a busy machine) must not stretch or squeeze time; `fps=` makes it constant.
      args.push('-thread_queue_size', '512', '-f', 'webm', '-i', `pipe:${VIDEO_PIPE_FD}`);
      filter = `[1:v]${fit},${finish}[v];[0:a]${audioChain}[a]`;
      usesVideoPipe = true;
      break;
    case 'visualizer': {
      const colour = colourOf(video.color, 'white');
      // ffmpeg 5.1's showfreqs stamps its frames wrongly and avectorscope floods its sink, so the
      // spectrum is showspectrum's scrolling view.
      const draw =
        video.style === 'spectrum'
          ? `showspectrum=s=${size}:slide=scroll:mode=combined:color=intensity:scale=log:fps=${fps}`
          : `showwaves=s=${size}:rate=${fps}:mode=cline:colors=${colour}`;
      filter = `[0:a]${audioChain},asplit[a][vis];[vis]${draw},${finish}[v]`;
      break;
    }
  }
  return { args, filter, usesStdin, usesVideoPipe, audioArgCount, audioChain };
}

/**
 * `wall-clock`: late frames are dropped so the output keeps real time (LATE_FRAME_GOVERNOR, variable
 * frame rate). `every-frame`: the route before it, every frame encoded at a constant rate however
 * long it takes; kept for `npm run bench` to compare against.
 */
export type VideoPacing = 'wall-clock' | 'every-frame';

/** A video frame this far behind the wall clock is dropped before the encoder (see LATE_FRAME_GOVERNOR). */
export const MAX_VIDEO_LATENESS_SEC = 0.7;

/**
 * Sound over picture. A frame whose media time has fallen more than MAX_VIDEO_LATENESS_SEC behind
 * the wall clock (time since the graph started) is dropped here, before scaling costs anything and
 * before x264 sees it. An encoder that cannot keep up therefore encodes fewer frames instead of
 * falling behind: the audio and the kept frames keep their own timestamps, the output stays in
 * real time and the recording lasts as long as the set (a dropped frame is held on screen until
 * the next, as the output is variable frame rate). `setpts` can read the wall clock, `select`
 * cannot: a late frame is marked with no timestamp, then left out.
 */
export const LATE_FRAME_GOVERNOR =
  `setpts='if(gt((RTCTIME-RTCSTART)/1000000-T\\,${MAX_VIDEO_LATENESS_SEC})\\,NAN\\,PTS)',select='not(isnan(pts))'`;

/**
 * x264 held to a constant bitrate with keyframes every keyframeSec of media time: what every
 * ingest asks for. The timestamps (not a fixed frame count) drive the rate control and the GOP, so
 * frames dropped under overload neither starve the bitrate nor stretch the keyframe interval.
 */
export function encodeArgs(profile: EncodeProfile, pacing: VideoPacing = 'wall-clock'): string[] {
  return [...videoEncodeArgs(profile, pacing), ...audioEncodeArgs(profile)];
}

function videoEncodeArgs(profile: EncodeProfile, pacing: VideoPacing): string[] {
  const gop = Math.max(1, Math.round(profile.fps * profile.keyframeSec));
  const videoK = `${profile.videoBitrateKbps}k`;
  return [
    '-c:v', 'libx264',
    '-preset', profile.x264Preset,
    '-profile:v', 'high',
    '-b:v', videoK,
    '-maxrate', videoK,
    '-bufsize', videoK,
    // No lookahead, no B-frames, no frame threads: x264 hands each frame back as soon as it is
    // encoded. With frames dropped under overload, a lookahead of 40 frames would hold the picture
    // (and the muxer, which interleaves the sound with it) back by tens of seconds.
    ...(pacing === 'wall-clock' ? ['-tune', 'zerolatency'] : []),
    '-x264-params', pacing === 'wall-clock' ? 'nal-hrd=cbr' : 'nal-hrd=cbr:force-cfr=1',
    '-g', String(gop),
    '-keyint_min', String(gop),
    ...(pacing === 'wall-clock' ? ['-force_key_frames', `expr:gte(t,n_forced*${profile.keyframeSec})`] : []),
    '-sc_threshold', '0',
    '-pix_fmt', 'yuv420p',
  ];
}

function audioEncodeArgs(profile: EncodeProfile): string[] {
  return [
    '-c:a', 'aac',
    '-b:a', `${profile.audioBitrateKbps}k`,
    '-ar', String(profile.audioSampleRate),
    '-ac', '2',
  ];
}

const commonArgs = (logLevel: string): string[] => [
  '-hide_banner',
  '-nostdin',
  '-loglevel', `repeat+level+${logLevel}`,
  '-nostats',
  '-stats_period', '1',
  '-progress', `pipe:${PROGRESS_PIPE_FD}`,
];

export interface EncoderCommand {
  args: string[];
  usesStdin: boolean;
  usesVideoPipe: boolean;
}

/**
 * One encode for one profile: FLV on stdout for the engine to fan out, and (for the recording's
 * profile) the Matroska file beside it. `-flags +global_header` puts the codec configuration in
 * the container headers, which both FLV and Matroska need.
 */
export function buildEncoderArgs(options: {
  profile: EncodeProfile;
  audio: AudioSource;
  video: VideoSource;
  recordingPath?: string;
  pacing?: VideoPacing;
}): EncoderCommand {
  const pacing = options.pacing ?? 'wall-clock';
  const inputs = buildInputs(options.audio, options.video, options.profile, pacing);
  const slaves = [teeSlave({ f: 'flv', flvflags: 'no_duration_filesize', flush_packets: 1 }, 'pipe:1')];
  if (options.recordingPath) slaves.push(recordingSlave(options.recordingPath));
  return {
    args: [
      ...commonArgs('info'),
      ...inputs.args,
      '-filter_complex', inputs.filter,
      '-map', '[v]',
      '-map', '[a]',
      ...encodeArgs(options.profile, pacing),
      // Frames dropped by the governor stay dropped (the tee muxer would otherwise mean CFR, and
      // every gap would be filled with copies that cost x264 as much as the frames it could not encode).
      ...(pacing === 'wall-clock' ? ['-fps_mode:v', 'vfr'] : []),
      '-flags', '+global_header',
      '-f', 'tee',
      teeOutput(slaves),
    ],
    usesStdin: inputs.usesStdin,
    usesVideoPipe: inputs.usesVideoPipe,
  };
}

export interface SplitEncoderCommand {
  /** The picture: inputs → governor → x264 → FLV (video only) on stdout, straight into the muxer's pipe:3. */
  video: { args: string[]; usesStdin: boolean; usesVideoPipe: boolean };
  /** The sound and the outputs: audio → AAC, the video copied in, FLV on stdout + the recording. */
  mux: { args: string[]; usesStdin: boolean };
}

/**
 * The encode as two processes, so that sound never waits for picture. x264 runs in the video
 * process; the muxer only encodes AAC and copies the H.264 in, a few percent of a core. However
 * far behind x264 falls, the muxer takes the sound in as it comes (it never backs up into main,
 * so not one sample is dropped) and the recording follows the sound's clock: it lasts as long as
 * the set. The video process drops late frames (LATE_FRAME_GOVERNOR) so its lag stays bounded.
 * At the end the muxer reads every last sample (stdin and the video pipe end, it drains and exits).
 */
export function buildSplitEncoderArgs(options: {
  profile: EncodeProfile;
  audio: AudioSource;
  video: VideoSource;
  recordingPath?: string;
}): SplitEncoderCommand {
  const { profile } = options;
  const inputs = buildInputs(options.audio, options.video, profile, 'wall-clock');
  const audioArgs = inputs.args.slice(0, inputs.audioArgCount);
  const videoInputArgs = inputs.args.slice(inputs.audioArgCount);
  const videoChain = inputs.filter.split(';').find((chain) => chain.endsWith('[v]'))!;
  // The visualizer draws the sound: its video process reads the sound too (and may fall behind on it).
  const visualizer = options.video.kind === 'visualizer';
  const videoFilter = visualizer
    ? inputs.filter.replace(/,asplit\[a\]\[vis\];\[vis\]/, ',').replace(/;?\[0:a\][^;]*\[a\]$/, '')
    : videoChain.replace(/^\[1:v\]/, '[0:v]');
  const video = {
    args: [
      ...commonArgs('info'),
      ...(visualizer ? audioArgs : videoInputArgs),
      '-filter_complex', videoFilter,
      '-map', '[v]',
      ...videoEncodeArgs(profile, 'wall-clock'),
      '-fps_mode:v', 'vfr',
      '-flags', '+global_header',
      '-flvflags', 'no_duration_filesize',
      '-f', 'flv',
      'pipe:1',
    ],
    usesStdin: visualizer && inputs.usesStdin,
    usesVideoPipe: inputs.usesVideoPipe,
  };
  const slaves = [teeSlave({ f: 'flv', flvflags: 'no_duration_filesize', flush_packets: 1 }, 'pipe:1')];
  if (options.recordingPath) slaves.push(recordingSlave(options.recordingPath));
  const mux = {
    args: [
      ...commonArgs('info'),
      ...audioArgs,
      '-thread_queue_size', '1024', '-probesize', '32', '-analyzeduration', '0', '-f', 'flv', '-i', `pipe:${VIDEO_PIPE_FD}`,
      '-filter_complex', `[0:a]${inputs.audioChain}[a]`,
      '-map', '1:v',
      '-map', '[a]',
      '-c:v', 'copy',
      ...audioEncodeArgs(profile),
      '-flags', '+global_header',
      '-f', 'tee',
      teeOutput(slaves),
    ],
    usesStdin: inputs.usesStdin,
  };
  return { video, mux };
}

/**
 * One target: FLV in on stdin (already encoded), copied to the ingest. Probing is cut to nothing
 * because the engine always starts the stream with the codec configuration and a keyframe.
 * `verbose` is needed for "Successfully connected", which tells a refused key from an
 * unreachable server.
 */
export function buildPusherArgs(url: string): string[] {
  return [
    ...commonArgs('verbose'),
    '-probesize', '32',
    '-analyzeduration', '0',
    '-f', 'flv',
    '-i', 'pipe:0',
    '-map', '0',
    '-c', 'copy',
    '-flvflags', 'no_duration_filesize',
    '-f', 'flv',
    url,
  ];
}

/** The finished set as MP4 with the index up front, straight copy of the Matroska's streams. */
export function buildRemuxArgs(matroskaPath: string, mp4Path: string): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', matroskaPath, '-map', '0', '-c', 'copy', '-movflags', '+faststart', mp4Path];
}

/**
 * The single-process alternative (design A in README.md): every profile encoded in one ffmpeg,
 * each profile's targets behind one tee with a fifo per target.
 */
export function buildSingleProcessArgs(options: {
  groups: readonly EncodeGroup[];
  audio: AudioSource;
  video: VideoSource;
  /** The recording is taken from the first group. */
  recordingPath?: string;
}): EncoderCommand {
  const first = options.groups[0];
  if (!first) throw new Error('Nothing to encode');
  const inputs = buildInputs(options.audio, options.video, first.profile);
  const count = options.groups.length;
  // One source, split per profile, each scaled to its own size.
  const parts: string[] = [];
  const [videoPart, audioPart] = splitFilter(inputs.filter);
  parts.push(`${videoPart.replace(/\[v\]$/, '')},split=${count}${options.groups.map((_, i) => `[vs${i}]`).join('')}`);
  parts.push(`${audioPart.replace(/\[a\]$/, '')},asplit=${count}${options.groups.map((_, i) => `[a${i}]`).join('')}`);
  const outputs: string[] = [];
  options.groups.forEach((group, index) => {
    const { width, height } = group.profile;
    parts.push(
      `[vs${index}]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1[v${index}]`,
    );
    const slaves = group.targets.map((target) => fifoTargetSlave(target.url));
    if (index === 0 && options.recordingPath) slaves.push(recordingSlave(options.recordingPath));
    outputs.push(
      '-map', `[v${index}]`,
      '-map', `[a${index}]`,
      ...encodeArgs(group.profile),
      '-flags', '+global_header',
      '-f', 'tee',
      teeOutput(slaves),
    );
  });
  return {
    args: [...commonArgs('info'), ...inputs.args, '-filter_complex', parts.join(';'), ...outputs],
    usesStdin: inputs.usesStdin,
    usesVideoPipe: inputs.usesVideoPipe,
  };
}

/** Splits a graph built by buildInputs into its video and audio chains. */
function splitFilter(filter: string): [string, string] {
  const chains = filter.split(';');
  const video = chains.find((chain) => chain.endsWith('[v]'));
  const audio = chains.find((chain) => chain.endsWith('[a]'));
  if (!video || !audio || chains.length !== 2) {
    throw new Error('The single-process plan supports generated, file and pipe video, not the visualizer');
  }
  return [video, audio];
}

// ---------------------------------------------------------------------------------------------
// Printing

export const SECRET_MASK = '••••';

/** The arguments with every stream key (and any URL-escaped form of it) replaced by a mask. */
export function redactArgs(args: readonly string[], secrets: readonly string[]): string[] {
  const needles = secrets
    .filter((secret) => secret.length > 0)
    .flatMap((secret) => [secret, encodeURIComponent(secret), escapeTeeOptionValue(secret), teeSlaveEscaped(secret)])
    .filter((needle, index, all) => all.indexOf(needle) === index)
    .sort((a, b) => b.length - a.length);
  return args.map((arg) => needles.reduce((text, needle) => text.split(needle).join(SECRET_MASK), arg));
}

function teeSlaveEscaped(secret: string): string {
  return escapeChars(secret, "\\'|");
}

/** A copy-pasteable command line for logs and bug reports (POSIX shell quoting). */
export function formatCommand(command: string, args: readonly string[]): string {
  const quote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  return [command, ...args].map(quote).join(' ');
}
