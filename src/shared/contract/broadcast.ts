import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/**
 * The broadcast capability's calls and events (renderer/broadcast ↔ main/services/broadcast).
 *
 * Stream keys are write-only: a call may carry a key into main, but nothing main sends back ever
 * contains one, only `keySet` and a masked `keyHint`.
 */

export const PLATFORM_IDS = ['twitch', 'youtube', 'facebook', 'tiktok', 'kick', 'custom'] as const;
export type BroadcastPlatform = (typeof PLATFORM_IDS)[number];
export const TARGET_STATES = ['idle', 'connecting', 'live', 'reconnecting', 'failed'] as const;
export type BroadcastTargetState = (typeof TARGET_STATES)[number];
export const SET_STATES = ['idle', 'starting', 'live', 'ending'] as const;
export type BroadcastSetState = (typeof SET_STATES)[number];
export const VIDEO_SOURCE_KINDS = ['renderer', 'card', 'visualizer', 'testsrc', 'none'] as const;
export type BroadcastVideoSourceKind = (typeof VIDEO_SOURCE_KINDS)[number];
/** The two shapes platforms take: 16:9 (Twitch, YouTube, Facebook, Kick) and 9:16 (TikTok). */
export const SCENE_SHAPES = ['landscape', 'portrait'] as const;
export type BroadcastSceneShape = (typeof SCENE_SHAPES)[number];
export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'] as const;

const targetId = z.string().min(1, 'A target id cannot be empty').max(64, 'That target id is too long');
const folderPath = z
  .string()
  .min(1, 'A folder path cannot be empty')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');
const streamKey = z
  .string()
  .max(512, 'That stream key is too long')
  .refine((value) => !/[\s\0]/.test(value.trim()), 'A stream key cannot contain spaces or control characters');
const serverUrl = z
  .string()
  .trim()
  .max(2048, 'That server address is too long')
  .regex(/^rtmps?:\/\/[^\s]+$/i, 'The server must be an rtmp:// or rtmps:// address');

/** What one encode looks like; every field is a preset default a target may override. */
export const EncodeProfileSchema = z.object({
  width: z.number().int().min(160).max(3840),
  height: z.number().int().min(160).max(3840),
  fps: z.number().int().min(10).max(60),
  videoBitrateKbps: z.number().int().min(200).max(51_000),
  keyframeSec: z.number().min(0.5).max(10),
  audioBitrateKbps: z.number().int().min(32).max(512),
  audioSampleRate: z.union([z.literal(44100), z.literal(48000)]),
  x264Preset: z.enum(X264_PRESETS),
});
export type BroadcastEncodeProfile = z.infer<typeof EncodeProfileSchema>;
export const ProfileOverridesSchema = EncodeProfileSchema.partial().strict();
export type BroadcastProfileOverrides = z.infer<typeof ProfileOverridesSchema>;

export const PlatformPresetSchema = z.object({
  id: z.enum(PLATFORM_IDS),
  name: z.string(),
  protocols: z.array(z.enum(['rtmp', 'rtmps'])),
  /** Ingest servers to choose from (regions, backup); empty when every account has its own (TikTok, custom). */
  servers: z.array(z.object({ name: z.string(), url: z.string() })),
  serverRequired: z.boolean(),
  profile: EncodeProfileSchema,
  limits: z.object({
    maxVideoBitrateKbps: z.number(),
    maxAudioBitrateKbps: z.number(),
    recommendedKeyframeSec: z.number(),
    maxKeyframeSec: z.number(),
    maxFps: z.number(),
    orientation: z.enum(['landscape', 'portrait', 'any']),
    maxDurationSec: z.number().nullable(),
  }),
  keyHelpUrl: z.string().nullable(),
  keyPatternHint: z.string().nullable(),
});
export type BroadcastPlatformPreset = z.infer<typeof PlatformPresetSchema>;

export const TargetProblemSchema = z.object({
  field: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

/** A saved destination. Never carries its key. */
export const BroadcastTargetSchema = z.object({
  id: z.string(),
  platform: z.enum(PLATFORM_IDS),
  name: z.string(),
  /** The ingest server in use: the user's choice, or the preset's default. Never contains the key. */
  server: z.string(),
  /** True when the user chose the server (a region, backup, TikTok's per-account URL). */
  serverIsCustom: z.boolean(),
  overrides: ProfileOverridesSchema,
  /** The preset's profile with the overrides applied: what this target will be encoded with. */
  profile: EncodeProfileSchema,
  enabled: z.boolean(),
  keySet: z.boolean(),
  /** e.g. "••••••••x7": never more than the last two characters. Null when no key is set. */
  keyHint: z.string().nullable(),
  /** What is wrong or risky with this target, in words (errors block going live). */
  problems: z.array(TargetProblemSchema),
});
export type BroadcastTarget = z.infer<typeof BroadcastTargetSchema>;

export const TargetStatusSchema = z.object({
  id: z.string(),
  platform: z.enum(PLATFORM_IDS),
  name: z.string(),
  /** The ingest host only. */
  host: z.string(),
  state: z.enum(TARGET_STATES),
  /** Why it is not live, in words ("YouTube refused the stream key…"); null when all is well. */
  reason: z.string().nullable(),
  /** Bytes that reached the server over the last 5 s, as kbps. */
  bitrateKbps: z.number(),
  /** Video frames skipped because this connection could not keep up. */
  droppedFrames: z.number().int(),
  /** Seconds since it last went live; 0 when not live. */
  uptimeSec: z.number(),
  reconnects: z.number().int(),
  nextRetryInSec: z.number().nullable(),
  /** The platform ends a broadcast after this long (Facebook: 8 h). */
  maxDurationSec: z.number().nullable(),
  /** Which encode feeds it ("1280x720p30-…"); targets with the same id share one encode. */
  encodeId: z.string().nullable(),
  /** What `bitrateKbps` should be near: its encode's video + audio bitrate. */
  targetBitrateKbps: z.number().optional(),
  /** Live but sending far below `targetBitrateKbps`, in words (not plain "live"); null when fine. */
  degraded: z.string().nullable().optional(),
});
export type BroadcastTargetStatus = z.infer<typeof TargetStatusSchema>;

export const AudioInputConfigSchema = z.object({
  /**
   * `device`: a PortAudio input (the DJ mixer, or the system's output where the OS offers it as
   * an input); `file`: an audio file looped (rehearsal); `player`: Mixdeck's own library player
   * (the page sends its output with broadcast.playerAudio); `tone`: a 440 Hz test tone; `none`: silence.
   */
  source: z.enum(['device', 'file', 'player', 'tone', 'none']),
  /** PortAudio device name (as `audio.listDevices` gives it); null for the system default input. */
  deviceName: z.string().max(512).nullable(),
  /** The two input channels to broadcast, 1-based as printed on the mixer (e.g. 3 and 4 for the record out). */
  channels: z.tuple([z.number().int().min(1).max(64), z.number().int().min(1).max(64)]),
  sampleRate: z.union([z.literal(44100), z.literal(48000), z.literal(96000)]),
  /** Play what is broadcast on the monitor output too. */
  monitor: z.boolean(),
  /** PortAudio output device for the monitor; null for the system default. */
  monitorDeviceName: z.string().max(512).nullable(),
  filePath: z.string().max(4096).nullable(),
  /** The limiter's ceiling, dBFS (true-peak-ish, 4× oversampled): a hot mixer never clips the stream. */
  limiterCeilingDb: z.number().min(-12).max(0),
});
export type BroadcastAudioInputConfig = z.infer<typeof AudioInputConfigSchema>;

export const AudioInputStatusSchema = z.object({
  /** `ok`: audio flows; `silent`: no source; `error`: the device failed (the set goes on with silence). */
  state: z.enum(['off', 'ok', 'error']),
  message: z.string().nullable(),
  deviceName: z.string().nullable(),
});

export const VideoSourceSchema = z.object({
  kind: z.enum(VIDEO_SOURCE_KINDS),
  /** For `renderer`: the MediaRecorder's frame rate (the canvas capture rate). */
  frameRate: z.number().int().min(1).max(60).optional(),
  /** For `card`: an image file on this machine (logo/artwork); without it a plain colour card. */
  imagePath: z.string().max(4096).optional(),
  /** For `visualizer`. */
  style: z.enum(['waves', 'spectrum']).optional(),
  /**
   * For `renderer`: the scenes the page will send, one WebM stream per shape (`videoChunk.shape`).
   * Each encode takes the stream of its own shape, or the first one when its shape is not sent.
   * Omitted: one stream for every encode (chunks without a shape).
   */
  shapes: z.array(z.enum(SCENE_SHAPES)).min(1).max(2).optional(),
});
export type BroadcastVideoSource = z.infer<typeof VideoSourceSchema>;

export const BandwidthSchema = z.object({
  /** What the user entered, or null. */
  uploadKbps: z.number().nullable(),
  /** Sum of every enabled target's video + audio bitrate, plus 10 % for RTMP overhead. */
  requiredKbps: z.number(),
  /** A sentence when the targets need more than 80 % of the upload; null when fine or unknown. */
  warning: z.string().nullable(),
});
export type BroadcastBandwidth = z.infer<typeof BandwidthSchema>;

export const NowPlayingSchema = z.object({
  text: z.string(),
  artist: z.string().nullable(),
  title: z.string().nullable(),
  source: z.enum(['typed', 'library', 'tracklist']),
  /** The set's elapsed time when it changed; null outside a set. */
  setElapsedSec: z.number().nullable(),
  changedAtMs: z.number(),
});
export type BroadcastNowPlaying = z.infer<typeof NowPlayingSchema>;

export const RecordingSchema = z.object({
  active: z.boolean(),
  /** The file being written (a .mkv during the set), or the last set's MP4. */
  path: z.string().nullable(),
  bytes: z.number(),
  folder: z.string().nullable(),
});

export const SetStateSchema = z.object({
  state: z.enum(SET_STATES),
  elapsedSec: z.number(),
  startedAtMs: z.number().nullable(),
  recording: RecordingSchema,
  audioInput: AudioInputStatusSchema,
  videoSource: z.enum(VIDEO_SOURCE_KINDS),
  /** Encodes running now (one per distinct profile). */
  encodes: z.array(
    z.object({
      id: z.string(),
      width: z.number(),
      height: z.number(),
      fps: z.number(),
      speed: z.number(),
      droppedFrames: z.number(),
      targetIds: z.array(z.string()),
      failed: z.string().nullable(),
      /** Frames a second actually encoded over the last few seconds (against `fps`, the nominal rate). */
      encodedFps: z.number().optional(),
      /** Behind real time for a few seconds: video frames are dropped (never audio) and the picture stutters. */
      overloaded: z.boolean().optional(),
      /** "Encoding overloaded: the computer cannot encode 1280×720 at 30 fps fast enough…"; null when it keeps up. */
      overloadReason: z.string().nullable().optional(),
      /** The suggested step while overloaded (`broadcast.applyRemedy` applies it without ending the set). */
      remedy: z
        .object({
          step: z.enum(['preset', 'resolution', 'frame-rate']),
          description: z.string(),
        })
        .nullable()
        .optional(),
      /** Video frames that did not reach viewers, by cause: the encoder behind, the renderer's WebM missing, a target's connection. */
      droppedFramesByCause: z.object({ encoder: z.number(), renderer: z.number(), network: z.number() }).optional(),
    }),
  ),
});
export type BroadcastSetStateInfo = z.infer<typeof SetStateSchema>;

export const LevelsSchema = z.object({
  /** One per broadcast channel (left, right), in dBFS after the limiter; -120 for silence. */
  channels: z.array(z.object({ peakDb: z.number(), peakHoldDb: z.number(), rmsDb: z.number() })),
  /** How much the limiter is pulling down right now, dB (0 = not limiting). */
  limiterReductionDb: z.number(),
  /** Input peaks that would have clipped without the limiter, this set. */
  clipsPrevented: z.number().int(),
});
export type BroadcastLevels = z.infer<typeof LevelsSchema>;

export const SpectrumSchema = z.object({
  /** Log-spaced bands from `minHz` to `maxHz` of the broadcast sound (after the channel pick and the limiter), dBFS; -120 for silence. */
  bandsDb: z.array(z.number()).max(128),
  minHz: z.number(),
  maxHz: z.number(),
});
export type BroadcastSpectrumReading = z.infer<typeof SpectrumSchema>;

export const TempoSchema = z.object({
  tempoBpm: z.number().nullable(),
  /** 0…1. */
  confidence: z.number(),
});
export type BroadcastTempo = z.infer<typeof TempoSchema>;

export const TracklistEntrySchema = z.object({
  setElapsedSec: z.number(),
  text: z.string(),
  artist: z.string().nullable(),
  title: z.string().nullable(),
});

export const StatusSnapshotSchema = z.object({
  set: SetStateSchema,
  /** Every saved target; those not in the set are `idle`. */
  targets: z.array(TargetStatusSchema),
  nowPlaying: NowPlayingSchema.nullable(),
  tracklist: z.array(TracklistEntrySchema),
  tempo: TempoSchema,
  bandwidth: BandwidthSchema,
});
export type BroadcastStatusSnapshot = z.infer<typeof StatusSnapshotSchema>;

const empty = z.object({}).strict();

export const broadcastCalls = {
  'broadcast.listPresets': defineCall({
    input: empty,
    output: z.object({ platforms: z.array(PlatformPresetSchema) }),
    summary: 'Every platform preset: ingest servers (regions), default profile, limits.',
  }),
  'broadcast.listTargets': defineCall({
    input: empty,
    output: z.object({ targets: z.array(BroadcastTargetSchema) }),
    summary: 'The saved targets (never their keys).',
  }),
  'broadcast.addTarget': defineCall({
    input: z
      .object({
        platform: z.enum(PLATFORM_IDS),
        name: z.string().trim().max(80).optional(),
        /** Omit for the preset's default server. */
        server: serverUrl.optional(),
        streamKey: streamKey.optional(),
        overrides: ProfileOverridesSchema.optional(),
        enabled: z.boolean().default(true),
      })
      .strict(),
    output: BroadcastTargetSchema,
    summary: 'Save a new target; its key is sealed by the SecretStore.',
  }),
  'broadcast.updateTarget': defineCall({
    input: z
      .object({
        id: targetId,
        name: z.string().trim().max(80).optional(),
        /** null: back to the preset's default server. */
        server: serverUrl.nullable().optional(),
        /** A string replaces the key; null removes it; omitted keeps it. */
        streamKey: streamKey.nullable().optional(),
        /** Replaces all overrides ({} = the preset as is). */
        overrides: ProfileOverridesSchema.optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
    output: BroadcastTargetSchema,
    summary: 'Change a saved target.',
  }),
  'broadcast.removeTarget': defineCall({
    input: z.object({ id: targetId }).strict(),
    output: z.object({ removed: z.boolean() }),
    summary: 'Forget a target and its key (taken off air first if it is live).',
  }),
  'broadcast.setTargetLive': defineCall({
    input: z.object({ id: targetId, live: z.boolean() }).strict(),
    output: TargetStatusSchema,
    summary: 'During a set: put one target on air (add it, reconnect it now, or replace it if its server, key or profile changed) or take it off air; the others are untouched.',
  }),
  'broadcast.applyRemedy': defineCall({
    input: z.object({ encodeId: z.string().min(1).max(200) }).strict(),
    output: z.object({ step: z.string(), description: z.string() }),
    summary: 'During a set, with the DJ’s consent: make an overloaded encode lighter (faster preset, then a smaller picture, then fewer frames) without ending the set.',
  }),
  'broadcast.goLive': defineCall({
    input: z
      .object({
        /** Where the set's recording goes; omit for settings.folders.recordings or <dataDir>/recordings. */
        recordingFolder: folderPath.optional(),
        record: z.boolean().default(true),
        /** Omit for every enabled target. */
        targetIds: z.array(targetId).max(32).optional(),
      })
      .strict(),
    output: StatusSnapshotSchema,
    summary: 'Start the set: audio input, video source, every chosen target, the recording.',
  }),
  'broadcast.end': defineCall({
    input: empty,
    output: z.object({
      durationSec: z.number(),
      recordingFolder: z.string().nullable(),
      /** The MP4s (or the kept .mkv when the remux failed). */
      recordings: z.array(z.object({ path: z.string(), error: z.string().nullable() })),
      /** The tracklist saved beside the recording. */
      tracklistTextPath: z.string().nullable(),
      tracklistCuePath: z.string().nullable(),
    }),
    summary: 'End the set: every target off air, the recording finished (MP4) and the tracklist saved.',
  }),
  'broadcast.status': defineCall({
    input: empty,
    output: StatusSnapshotSchema,
    summary: 'Everything the dashboard shows, now.',
  }),
  'broadcast.getAudioInput': defineCall({
    input: empty,
    output: AudioInputConfigSchema,
    summary: 'The audio input the set will use.',
  }),
  'broadcast.setAudioInput': defineCall({
    input: AudioInputConfigSchema.partial().strict(),
    output: AudioInputConfigSchema,
    summary: 'Choose the input device, channel pair, sample rate, monitor and limiter; applied at once during a set.',
  }),
  'broadcast.previewInput': defineCall({
    input: z.object({ enabled: z.boolean() }).strict(),
    output: z.object({ enabled: z.boolean(), audioInput: AudioInputStatusSchema }),
    summary: 'Meter the audio input before Go Live (broadcast.levels and broadcast.tempo flow, nothing is sent); resumes after End.',
  }),
  'broadcast.setUploadBandwidth': defineCall({
    input: z.object({ uploadKbps: z.number().int().min(64).max(10_000_000).nullable() }).strict(),
    output: BandwidthSchema,
    summary: 'The upload speed the user measured; answers with the bandwidth check.',
  }),
  'broadcast.setVideoSource': defineCall({
    input: VideoSourceSchema.strict(),
    output: VideoSourceSchema,
    summary: 'Where the video comes from: the renderer compositor (broadcast.videoChunk), a card, ffmpeg\'s visualizer or a test pattern. Before Go Live.',
  }),
  'broadcast.videoChunk': defineCall({
    input: z
      .object({
        /** 0 for the first chunk (with the WebM header) of this set, then +1 per chunk (counted per shape). */
        sequence: z.number().int().min(0),
        /** Which scene this chunk belongs to, when the set's video source named `shapes`. */
        shape: z.enum(SCENE_SHAPES).optional(),
        /** One MediaRecorder dataavailable blob (video/webm, H.264 or VP8/VP9), base64. Use a 250–500 ms timeslice. */
        dataBase64: z.string().max(700_000, 'A video chunk is at most ~512 KB; use a shorter MediaRecorder timeslice'),
      })
      .strict(),
    output: z.object({
      accepted: z.boolean(),
      /** The sequence main expects next; on a gap, restart the MediaRecorder at 0… only before the set. */
      nextSequence: z.number().int(),
      reason: z.string().nullable(),
    }),
    summary: 'Feed the renderer compositor\'s WebM into the encoders (video source `renderer`, during a set).',
  }),
  'broadcast.playerAudio': defineCall({
    input: z
      .object({
        /** +1 per chunk; a gap is filled with silence (sound, unlike WebM, can skip). */
        sequence: z.number().int().min(0),
        /**
         * About 100 ms of the library player's output: s16le, 48 kHz, stereo, interleaved, base64.
         * The web host's WebSocket carries JSON text only, so the bytes travel as base64 (+33 %,
         * about 256 KB/s); a binary frame would spare that.
         */
        dataBase64: z
          .string()
          .min(1, 'A chunk of the player\'s sound cannot be empty')
          .max(262_144, 'A chunk of the player\'s sound is at most about half a second')
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The player\'s sound must be base64'),
      })
      .strict(),
    output: z.object({ accepted: z.boolean(), reason: z.string().nullable() }),
    summary: 'The library player\'s output, in order, for the audio source `player` (ignored when no set or preview uses it).',
  }),
  'broadcast.setNowPlaying': defineCall({
    input: z
      .object({
        text: z.string().trim().max(300).optional(),
        artist: z.string().trim().max(200).optional(),
        title: z.string().trim().max(200).optional(),
        source: z.enum(['typed', 'library', 'tracklist']).default('typed'),
      })
      .strict()
      .refine((value) => Boolean(value.text || value.title || value.artist), 'Give the text, or an artist and title'),
    output: NowPlayingSchema,
    summary: 'What is playing now; stamped with the set\'s elapsed time and added to the tracklist.',
  }),
  'broadcast.tracklist': defineCall({
    input: empty,
    output: z.object({ entries: z.array(TracklistEntrySchema) }),
    summary: 'This set\'s tracklist so far (or the last set\'s).',
  }),
};

export const broadcastEvents = {
  'broadcast.targetStatus': defineEvent({
    payload: z.object({ targets: z.array(TargetStatusSchema) }),
    summary: 'Every target\'s state, reason, bitrate, dropped frames and uptime: on each change and once a second during a set.',
  }),
  'broadcast.setState': defineEvent({
    payload: SetStateSchema,
    summary: 'The set: state, elapsed time, recording path and size, audio input health, encodes (on change and once a second).',
  }),
  'broadcast.levels': defineEvent({
    payload: LevelsSchema,
    summary: 'Broadcast level meters after the limiter: peak, peak hold, RMS per channel, about 10 a second.',
  }),
  'broadcast.spectrum': defineEvent({
    payload: SpectrumSchema,
    summary: 'The spectrum of the sound being broadcast (the chosen device and channels, after the limiter), about 20 a second, for the scene\'s visualizer.',
  }),
  'broadcast.tempo': defineEvent({
    payload: TempoSchema,
    summary: 'Live tempo of the input, about once a second.',
  }),
  'broadcast.nowPlaying': defineEvent({
    payload: z.object({ nowPlaying: NowPlayingSchema.nullable(), tracklist: z.array(TracklistEntrySchema) }),
    summary: 'Now playing changed (with the tracklist so far).',
  }),
  'broadcast.targetsChanged': defineEvent({
    payload: z.object({ targets: z.array(BroadcastTargetSchema) }),
    summary: 'The saved targets changed (from any window or device).',
  }),
};
