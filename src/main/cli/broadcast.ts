import { accessSync, constants, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MixdeckError, type BroadcastAudioInputConfig, type BroadcastVideoSource } from '../../shared/contract';
import { DEFAULT_AUDIO_INPUT, LiveSet } from '../services/broadcast/live-set';
import { redactArgs } from '../services/broadcast/plan';
import { PLATFORM_PRESETS, type EncodeProfile, type PlatformId, type StreamTarget, type X264Preset } from '../services/broadcast/presets';
import { createLogger } from '../services/log/logger';
import { describeFatalError, installFatalErrorGuard } from '../host/process-guard';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { defaultDataDir } from '../paths';
import type { CliIo } from './io';

export const BROADCAST_HELP = `mixdeck broadcast --target NAME=URL [--target NAME=URL …] [options]

Goes live to every target at once (one encode per output shape), records the set, and keeps
each target alive on its own (reconnects with backoff). Ends cleanly on Ctrl+C / SIGTERM and
finishes the recording. Each line typed on stdin ("Artist - Title") sets now playing; the
tracklist is saved beside the recording (.txt and .cue).

Targets:
  --target NAME=URL     NAME is a platform (twitch, youtube, facebook, tiktok, kick, custom), so
                        its preset applies (TikTok is 9:16); URL is the server with the stream
                        key as its last segment, e.g. twitch=rtmp://live.twitch.tv/app/live_123_abc
  --targets-file FILE   the same NAME=URL lines in a file (keeps keys out of "ps" output)

Sound and picture:
  --audio-device NAME   a PortAudio input (default: the system's default input)
  --audio-channels L,R  the input channels to broadcast, 1-based (default 1,2)
  --sample-rate HZ      44100, 48000 or 96000 (default 48000)
  --audio-file PATH     play a file instead (looped), e.g. for a rehearsal
  --no-audio            silence
  --video KIND          none (colour card), card (--image), visualizer, testsrc (default: visualizer)
  --image PATH          the picture for --video card (logo, artwork)
  --video-size WxH      landscape size (portrait targets get it turned), e.g. 1280x720
  --fps N  --video-kbps N  --audio-kbps N  --x264-preset NAME
  --limiter-db DB       the limiter's ceiling in dBFS (default -1)
  --auto-remedy         when the computer cannot encode fast enough, make the encode lighter by
                        itself (faster preset, then smaller picture, then fewer frames)

The set:
  --record FOLDER       record the set there (.mkv while live, .mp4 at the end)
  --duration SEC        end after this long
  --now-playing TEXT    what is playing at Go Live
  --data-dir DIR        where logs go (default: ${defaultDataDir()}/logs)
  --json                one JSON object per line: target status, set status, now playing, end
`;

const PLATFORMS = Object.keys(PLATFORM_PRESETS) as PlatformId[];
const VIDEO_KINDS = ['none', 'card', 'visualizer', 'testsrc'] as const;
const X264_PRESETS: readonly X264Preset[] = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'];
const STATUS_EVERY_MS = 1000;
const SET_STATUS_EVERY_MS = 5000;

export interface ParsedTarget {
  target: StreamTarget;
  /** What the user wrote, minus the key. */
  shown: string;
}

/** "twitch=rtmp://host/app/KEY" → the platform, the server and the key (the URL's last segment). */
export function parseTargetSpec(spec: string, where: number | string): ParsedTarget {
  const label = typeof where === 'number' ? `--target ${where + 1}` : where;
  const at = spec.indexOf('=');
  const name = (at > 0 ? spec.slice(0, at) : '').trim().toLowerCase();
  const url = at > 0 ? spec.slice(at + 1).trim() : '';
  if (!PLATFORMS.includes(name as PlatformId)) {
    throw new MixdeckError('invalid-input', `${label}: write NAME=URL where NAME is one of ${PLATFORMS.join(', ')}.`);
  }
  const slash = url.lastIndexOf('/');
  const server = slash > 0 ? url.slice(0, slash) : '';
  const streamKey = slash > 0 ? url.slice(slash + 1) : '';
  const shown = `${name}=${server || '(no server)'}/••••`;
  if (!/^rtmps?:\/\/[^/]+\/.+/i.test(url) || !streamKey) {
    throw new MixdeckError(
      'invalid-input',
      `${label} (${name}): the URL must be rtmp://host/app/KEY or rtmps://…, with the stream key as its last part.`,
    );
  }
  return { target: { id: name, platform: name as PlatformId, server, streamKey }, shown };
}

function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || number > max) throw new MixdeckError('invalid-input', `--${name} must be a number from ${min} to ${max}, not "${value}".`);
  return number;
}

export async function runBroadcast(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string', multiple: true },
      'targets-file': { type: 'string' },
      'audio-device': { type: 'string' },
      'audio-channels': { type: 'string' },
      'sample-rate': { type: 'string' },
      'audio-file': { type: 'string' },
      'no-audio': { type: 'boolean' },
      video: { type: 'string' },
      image: { type: 'string' },
      'video-size': { type: 'string' },
      fps: { type: 'string' },
      'video-kbps': { type: 'string' },
      'audio-kbps': { type: 'string' },
      'x264-preset': { type: 'string' },
      'limiter-db': { type: 'string' },
      'auto-remedy': { type: 'boolean' },
      record: { type: 'string' },
      duration: { type: 'string' },
      'now-playing': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.out(BROADCAST_HELP);
    return 0;
  }

  // -- what to send where ----------------------------------------------------------------------
  const parsed = (values.target ?? []).map((spec, index) => parseTargetSpec(spec, index));
  if (values['targets-file']) {
    const file = values['targets-file'];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new MixdeckError('invalid-input', `The targets file "${file}" cannot be read.`);
    }
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() && !line.trim().startsWith('#')) parsed.push(parseTargetSpec(line.trim(), `${file} line ${index + 1}`));
    });
  }
  if (parsed.length === 0 && !values.record) {
    io.err(`mixdeck broadcast: give at least one --target NAME=URL (or --record FOLDER).\n\n${BROADCAST_HELP}`);
    return 2;
  }
  // Two targets on one platform get ids twitch, twitch-2, …
  const seen = new Map<string, number>();
  for (const { target } of parsed) {
    const count = (seen.get(target.platform) ?? 0) + 1;
    seen.set(target.platform, count);
    if (count > 1) target.id = `${target.platform}-${count}`;
  }

  const sizeMatch = values['video-size'] ? /^(\d{3,4})x(\d{3,4})$/.exec(values['video-size']) : null;
  if (values['video-size'] && !sizeMatch) throw new MixdeckError('invalid-input', `--video-size must look like 1280x720, not "${values['video-size']}".`);
  const preset = values['x264-preset'] as X264Preset | undefined;
  if (preset && !X264_PRESETS.includes(preset)) throw new MixdeckError('invalid-input', `--x264-preset must be one of ${X264_PRESETS.join(', ')}.`);
  const common: Partial<EncodeProfile> = {
    fps: numberOption('fps', values.fps, 10, 60),
    videoBitrateKbps: numberOption('video-kbps', values['video-kbps'], 200, 51_000),
    audioBitrateKbps: numberOption('audio-kbps', values['audio-kbps'], 32, 512),
    x264Preset: preset,
  };
  for (const { target } of parsed) {
    const portrait = PLATFORM_PRESETS[target.platform].limits.orientation === 'portrait';
    const [long, short] = sizeMatch ? [Number(sizeMatch[1]), Number(sizeMatch[2])].sort((a, b) => b - a) : [undefined, undefined];
    target.profile = definedOnly({ ...common, width: portrait ? short : long, height: portrait ? long : short });
  }

  const audio = audioConfig(values);
  const videoKind = (values.video ?? 'visualizer') as (typeof VIDEO_KINDS)[number];
  if (!VIDEO_KINDS.includes(videoKind)) throw new MixdeckError('invalid-input', `--video must be one of ${VIDEO_KINDS.join(', ')}, not "${values.video}".`);
  if (videoKind === 'card' && !values.image) throw new MixdeckError('invalid-input', '--video card needs --image PATH (a logo or artwork).');
  const video: BroadcastVideoSource = { kind: videoKind, ...(values.image ? { imagePath: resolve(values.image) } : {}) };
  const durationSec = numberOption('duration', values.duration, 1, 7 * 24 * 3600);

  // -- the set ---------------------------------------------------------------------------------
  const keys = parsed.map(({ target }) => target.streamKey);
  const mask = (text: string): string => redactArgs([text], keys)[0]!;
  const print = (event: Record<string, unknown>, human: string): void => {
    if (values.json) io.out(mask(JSON.stringify({ time: new Date().toISOString(), ...event })));
    else io.out(mask(human));
  };
  const logDir = join(values['data-dir'] ?? process.env.MIXDECK_DATA_DIR ?? defaultDataDir(), 'logs');
  const logger = createLogger({ directory: logDir });
  for (const key of keys) logger.redactor.addSecret(key);
  const { path: ffmpegPath } = resolveFfmpeg();

  const lastPrinted = new Map<string, { state: string; reason: string | null; at: number }>();
  let lastSetPrint = 0;
  let lastAudioState = '';
  const overloaded = new Set<string>();
  const set = new LiveSet({
    ffmpegPath,
    logger,
    engine: { autoRemedy: Boolean(values['auto-remedy']) },
    listeners: {
      targetStatus: (targets) => {
        const now = Date.now();
        for (const target of targets) {
          const last = lastPrinted.get(target.id);
          const message = target.reason ?? target.degraded ?? null;
          const changed = !last || last.state !== target.state || last.reason !== message;
          if (!changed && now - last.at < STATUS_EVERY_MS) continue;
          lastPrinted.set(target.id, { state: target.state, reason: message, at: now });
          print(
            {
              event: 'target',
              target: target.id,
              platform: target.platform,
              host: target.host,
              state: target.state,
              bitrateKbps: target.bitrateKbps,
              droppedFrames: target.droppedFrames,
              uptimeSec: target.uptimeSec,
              reconnects: target.reconnects,
              targetBitrateKbps: target.targetBitrateKbps,
              degraded: target.degraded ?? null,
              message,
            },
            `${target.name.padEnd(10)} ${target.state.padEnd(12)} ${String(target.bitrateKbps).padStart(5)} kbps  ${target.droppedFrames} dropped${message ? `  ${message}` : ''}`,
          );
        }
      },
      setState: (state) => {
        for (const encode of state.encodes) {
          if (Boolean(encode.overloaded) === overloaded.has(encode.id)) continue;
          if (encode.overloaded) {
            overloaded.add(encode.id);
            print(
              { event: 'overload', encode: encode.id, encodedFps: encode.encodedFps, fps: encode.fps, message: encode.overloadReason, remedy: encode.remedy?.description ?? null },
              `overload: ${encode.overloadReason ?? encode.id}`,
            );
          } else {
            overloaded.delete(encode.id);
            print(
              { event: 'overload-cleared', encode: encode.id, encodedFps: encode.encodedFps, width: encode.width, height: encode.height, message: 'The encoder keeps up with real time again.' },
              `overload cleared: ${encode.width}×${encode.height} keeps up with real time again`,
            );
          }
        }
        const now = Date.now();
        const audioChanged = state.audioInput.state + (state.audioInput.message ?? '') !== lastAudioState;
        if (!audioChanged && now - lastSetPrint < SET_STATUS_EVERY_MS) return;
        lastSetPrint = now;
        lastAudioState = state.audioInput.state + (state.audioInput.message ?? '');
        print(
          {
            event: 'set',
            state: state.state,
            elapsedSec: state.elapsedSec,
            recording: state.recording.path ? { path: state.recording.path, bytes: state.recording.bytes } : null,
            audioInput: state.audioInput,
            encodes: state.encodes.map((encode) => ({
              id: encode.id,
              fps: encode.fps,
              encodedFps: encode.encodedFps,
              speed: encode.speed,
              droppedFrames: encode.droppedFrames,
              droppedFramesByCause: encode.droppedFramesByCause,
              overloaded: encode.overloaded,
            })),
          },
          `set ${state.state}  ${state.elapsedSec.toFixed(0)} s${state.recording.path ? `  recording ${(state.recording.bytes / 1e6).toFixed(1)} MB` : ''}${
            state.audioInput.message ? `  audio: ${state.audioInput.message}` : ''
          }`,
        );
      },
      nowPlaying: (nowPlaying) => {
        // Only once the set runs: what is set before Go Live is printed when the set stamps it 0:00.
        if (nowPlaying && nowPlaying.setElapsedSec !== null) print({ event: 'nowPlaying', text: nowPlaying.text, setElapsedSec: nowPlaying.setElapsedSec }, `now playing: ${nowPlaying.text}`);
      },
    },
  });

  // An error nothing caught still ends the set properly: MKV remuxed, tracklist written, ffmpeg stopped.
  const guard = installFatalErrorGuard({
    report: (kind, error) => {
      logger.error(`ending the set after an ${kind}`, { error });
      io.err(`mixdeck broadcast: ending the set after an unexpected error (${logger.redactor.redact(describeFatalError(error))}).`);
    },
    reportCleanUpFailure: (error) => logger.error('the set did not end cleanly', { error }),
  });
  guard.onFatal(() => set.end());

  const recordingFolder = values.record ? resolve(values.record) : join(logDir, '..', 'recordings');
  print(
    { event: 'starting', targets: parsed.map(({ shown }) => shown), record: values.record ? recordingFolder : null, video: video.kind, audio: audio.source },
    `Going live to ${parsed.map(({ shown }) => shown).join(', ') || 'the recording only'}`,
  );
  if (values['now-playing']) set.setNowPlaying({ text: values['now-playing'], source: 'typed' });
  // With no target, the recording still follows --video-size and the other profile options.
  const recordingProfile =
    parsed.length === 0 ? definedOnly({ ...common, width: sizeMatch ? Number(sizeMatch[1]) : undefined, height: sizeMatch ? Number(sizeMatch[2]) : undefined }) : undefined;
  await set.goLive({ targets: parsed.map(({ target }) => target), audio, video, record: Boolean(values.record), recordingFolder, recordingProfile });

  // -- until the end ---------------------------------------------------------------------------
  const lines = process.stdin.isTTY || !process.stdin.readable ? null : createInterface({ input: process.stdin });
  lines?.on('line', (line) => {
    if (line.trim() && set.state === 'live') set.setNowPlaying({ text: line.trim().slice(0, 300), source: 'typed' });
  });
  const reason = await new Promise<string>((resolveEnd) => {
    const onSignal = (signal: NodeJS.Signals): void => resolveEnd(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (durationSec !== undefined) setTimeout(() => resolveEnd('duration'), durationSec * 1000);
  });
  lines?.close();
  // Let the process end once the set is over, whatever stdin is.
  process.stdin.destroy();
  print({ event: 'ending', reason }, `Ending the set (${reason})…`);
  const summary = await set.end();
  guard.dispose();
  print(
    {
      event: 'ended',
      durationSec: Math.round(summary.durationSec * 10) / 10,
      recordings: summary.recordings,
      tracklist: summary.tracklistTextPath ? { text: summary.tracklistTextPath, cue: summary.tracklistCuePath } : null,
    },
    `Set ended after ${summary.durationSec.toFixed(0)} s.${summary.recordings.map((recording) => ` Recording: ${recording.path}`).join('')}`,
  );
  return 0;
}

function audioConfig(values: { 'audio-device'?: string; 'audio-channels'?: string; 'sample-rate'?: string; 'audio-file'?: string; 'no-audio'?: boolean; 'limiter-db'?: string }): BroadcastAudioInputConfig {
  const chosen = [values['audio-device'] !== undefined, values['audio-file'] !== undefined, values['no-audio'] === true].filter(Boolean).length;
  if (chosen > 1) throw new MixdeckError('invalid-input', 'Choose one of --audio-device, --audio-file and --no-audio.');
  const channelsMatch = values['audio-channels'] ? /^(\d{1,2}),(\d{1,2})$/.exec(values['audio-channels']) : null;
  if (values['audio-channels'] && !channelsMatch) throw new MixdeckError('invalid-input', `--audio-channels must look like 3,4, not "${values['audio-channels']}".`);
  const channels: [number, number] = channelsMatch ? [Number(channelsMatch[1]), Number(channelsMatch[2])] : [1, 2];
  if (channels.some((channel) => channel < 1)) throw new MixdeckError('invalid-input', 'Input channels are counted from 1.');
  const sampleRate = numberOption('sample-rate', values['sample-rate'], 44100, 96000) ?? 48000;
  if (![44100, 48000, 96000].includes(sampleRate)) throw new MixdeckError('invalid-input', '--sample-rate must be 44100, 48000 or 96000.');
  if (values['audio-file'] !== undefined) {
    try {
      accessSync(values['audio-file'], constants.R_OK);
    } catch {
      throw new MixdeckError('invalid-input', `The audio file "${values['audio-file']}" cannot be read.`);
    }
  }
  return {
    ...DEFAULT_AUDIO_INPUT,
    source: values['no-audio'] ? 'none' : values['audio-file'] !== undefined ? 'file' : 'device',
    deviceName: values['audio-device'] ?? null,
    channels,
    sampleRate: sampleRate as 44100 | 48000 | 96000,
    filePath: values['audio-file'] ? resolve(values['audio-file']) : null,
    limiterCeilingDb: numberOption('limiter-db', values['limiter-db'], -12, 0) ?? -1,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
