import { join } from 'node:path';
import {
  MixdeckError,
  type BroadcastAudioInputConfig,
  type BroadcastBandwidth,
  type BroadcastPlatformPreset,
  type BroadcastStatusSnapshot,
  type BroadcastTarget,
  type BroadcastTargetStatus,
  type BroadcastTempo,
  type BroadcastVideoSource,
  type broadcastCalls,
} from '../../shared/contract';
import { DEFAULT_AUDIO_INPUT, DEFAULT_VIDEO_SOURCE, LiveSet } from '../services/broadcast/live-set';
import { PLATFORM_PRESETS } from '../services/broadcast/presets';
import { SetupStore, TargetStore } from '../services/broadcast/target-store';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { libraryPlayerFeed } from '../services/audio-io/player-source';
import type { Capability, CapabilityContext } from './capability';

/** RTMP and TCP framing on top of the media bitrates. */
const UPLOAD_OVERHEAD = 1.1;
/** Above this share of the upload, a set starts dropping frames when the line has a bad minute. */
const SAFE_UPLOAD_SHARE = 0.8;

export function computeBandwidth(targets: readonly BroadcastTarget[], uploadKbps: number | null): BroadcastBandwidth {
  const requiredKbps = Math.round(
    targets.filter((target) => target.enabled).reduce((sum, target) => sum + target.profile.videoBitrateKbps + target.profile.audioBitrateKbps, 0) * UPLOAD_OVERHEAD,
  );
  let warning: string | null = null;
  if (uploadKbps !== null && requiredKbps > uploadKbps * SAFE_UPLOAD_SHARE) {
    const mbps = (kbps: number): string => (kbps / 1000).toFixed(1);
    warning =
      requiredKbps > uploadKbps
        ? `Your targets need about ${mbps(requiredKbps)} Mbps but your upload is ${mbps(uploadKbps)} Mbps: streams will stutter. Turn a target off or lower its bitrate.`
        : `Your targets need about ${mbps(requiredKbps)} Mbps of your ${mbps(uploadKbps)} Mbps upload; keep some headroom (under ${Math.round(SAFE_UPLOAD_SHARE * 100)} %) or a busy minute will drop frames.`;
  }
  return { uploadKbps, requiredKbps, warning };
}

function presetForContract(id: keyof typeof PLATFORM_PRESETS): BroadcastPlatformPreset {
  const preset = PLATFORM_PRESETS[id];
  return {
    id: preset.id,
    name: preset.name,
    protocols: [...preset.protocols],
    servers: preset.servers.map((server) => ({ ...server })),
    serverRequired: preset.serverRequired,
    profile: { ...preset.profile },
    limits: {
      maxVideoBitrateKbps: preset.limits.maxVideoBitrateKbps,
      maxAudioBitrateKbps: preset.limits.maxAudioBitrateKbps,
      recommendedKeyframeSec: preset.limits.recommendedKeyframeSec,
      maxKeyframeSec: preset.limits.maxKeyframeSec,
      maxFps: preset.limits.maxFps,
      orientation: preset.limits.orientation,
      maxDurationSec: preset.limits.maxDurationSec ?? null,
    },
    keyHelpUrl: preset.keyHelpUrl ?? null,
    keyPatternHint: preset.keyPatternHint ?? null,
  };
}

/** Binds main/services/broadcast to the contract's broadcast calls. */
export function createBroadcastCapability(context: CapabilityContext): Capability<typeof broadcastCalls> {
  const { events, logger } = context;
  const targets = new TargetStore(context.db, context.secrets);
  const setup = new SetupStore(context.db);
  let tempo: BroadcastTempo = { tempoBpm: null, confidence: 0 };
  let ffmpegPath: string | null = null;

  const audioInput = (): BroadcastAudioInputConfig => ({ ...DEFAULT_AUDIO_INPUT, ...(setup.get<Partial<BroadcastAudioInputConfig>>('audioInput') ?? {}) });
  const videoSource = (): BroadcastVideoSource => setup.get<BroadcastVideoSource>('videoSource') ?? DEFAULT_VIDEO_SOURCE;
  const uploadKbps = (): number | null => setup.get<{ uploadKbps: number | null }>('upload')?.uploadKbps ?? null;
  const bandwidth = (): BroadcastBandwidth => computeBandwidth(targets.list(), uploadKbps());

  /** Saved targets not in the set show as idle beside the set's own. */
  const allTargetStatuses = (inSet: BroadcastTargetStatus[]): BroadcastTargetStatus[] => {
    const byId = new Map(inSet.map((status) => [status.id, status]));
    const saved = targets.list().map(
      (target): BroadcastTargetStatus =>
        byId.get(target.id) ?? {
          id: target.id,
          platform: target.platform,
          name: target.name,
          host: hostOf(target.server),
          state: 'idle',
          reason: null,
          bitrateKbps: 0,
          droppedFrames: 0,
          uptimeSec: 0,
          reconnects: 0,
          nextRetryInSec: null,
          maxDurationSec: PLATFORM_PRESETS[target.platform].limits.maxDurationSec ?? null,
          encodeId: null,
        },
    );
    const savedIds = new Set(saved.map((status) => status.id));
    return [...saved, ...inSet.filter((status) => !savedIds.has(status.id))];
  };

  const liveSet = new LiveSet({
    // ffmpeg is looked up on first use, so the app starts on a machine without it.
    ffmpegPath: () => {
      ffmpegPath ??= resolveFfmpeg().path;
      return ffmpegPath;
    },
    logger,
    listeners: {
      targetStatus: (inSet) => events.emit('broadcast.targetStatus', { targets: allTargetStatuses(inSet) }),
      setState: (state) => events.emit('broadcast.setState', state),
      levels: (levels) => events.emit('broadcast.levels', levels),
      spectrum: (spectrum) => events.emit('broadcast.spectrum', spectrum),
      tempo: (reading) => {
        tempo = reading;
        events.emit('broadcast.tempo', reading);
      },
      nowPlaying: (nowPlaying, tracklist) => events.emit('broadcast.nowPlaying', { nowPlaying, tracklist }),
    },
  });
  liveSet.setVideoSource(videoSource());

  const snapshot = (): BroadcastStatusSnapshot => ({
    set: liveSet.setState(),
    targets: allTargetStatuses(liveSet.targetStatuses()),
    nowPlaying: liveSet.nowPlaying,
    tracklist: liveSet.tracklistEntries,
    tempo,
    bandwidth: bandwidth(),
  });
  const targetsChanged = (): void => events.emit('broadcast.targetsChanged', { targets: targets.list() });

  return {
    handlers: {
      'broadcast.listPresets': () => ({ platforms: Object.keys(PLATFORM_PRESETS).map((id) => presetForContract(id as keyof typeof PLATFORM_PRESETS)) }),
      'broadcast.listTargets': () => ({ targets: targets.list() }),
      'broadcast.addTarget': (input) => {
        const added = targets.add(input);
        targetsChanged();
        return added;
      },
      'broadcast.updateTarget': (input) => {
        const updated = targets.update(input);
        targetsChanged();
        return updated;
      },
      'broadcast.removeTarget': async ({ id }) => {
        if (liveSet.hasTarget(id)) await liveSet.removeTarget(id);
        const removed = targets.remove(id);
        if (removed) targetsChanged();
        return { removed };
      },
      'broadcast.setTargetLive': async ({ id, live }) => {
        if (liveSet.state !== 'live') throw new MixdeckError('conflict', 'Go live first: a target is put on air during a set.');
        if (live) {
          await liveSet.putOnAir(targets.forEngine(id));
        } else if (liveSet.hasTarget(id)) {
          await liveSet.stopTarget(id);
        }
        const status = allTargetStatuses(liveSet.targetStatuses()).find((candidate) => candidate.id === id);
        if (!status) throw new MixdeckError('not-found', `There is no saved target "${id}".`);
        return status;
      },
      'broadcast.applyRemedy': async ({ encodeId }) => {
        if (liveSet.state !== 'live') throw new MixdeckError('conflict', 'There is no set on air to make lighter.');
        return liveSet.applyRemedy(encodeId);
      },
      'broadcast.goLive': async (input) => {
        const chosen = input.targetIds ?? targets.list().filter((target) => target.enabled).map((target) => target.id);
        const engineTargets = chosen.map((id) => targets.forEngine(id));
        const saved = context.settings.get().folders.recordings;
        if (input.recordingFolder && input.recordingFolder !== saved) context.paths.writableFolder(input.recordingFolder, 'Recording folder');
        const folder = input.recordingFolder ?? saved ?? join(context.dataDir, 'recordings');
        await liveSet.goLive({ targets: engineTargets, audio: audioInput(), video: videoSource(), record: input.record, recordingFolder: folder });
        return snapshot();
      },
      'broadcast.end': async () => liveSet.end(),
      'broadcast.status': () => snapshot(),
      'broadcast.getAudioInput': () => audioInput(),
      'broadcast.setAudioInput': async (input) => {
        const next: BroadcastAudioInputConfig = { ...audioInput(), ...input };
        if (next.source === 'file' && !next.filePath) throw new MixdeckError('invalid-input', 'Choose the audio file to play.');
        // A file kept from an earlier run was picked then; a new one must be picked now.
        if (next.filePath && next.filePath !== audioInput().filePath) context.paths.readableFile(next.filePath, 'Rehearsal file');
        if (next.channels[0] === next.channels[1]) {
          logger.info('broadcast audio: the same channel on both sides (mono to stereo)', { channel: next.channels[0] });
        }
        setup.set('audioInput', next);
        await liveSet.setAudioInput(next);
        return next;
      },
      'broadcast.previewInput': async ({ enabled }) => {
        await liveSet.setPreview(enabled ? audioInput() : null);
        // Give a device a moment to open, so the answer says whether it works.
        if (enabled) await new Promise((resolve) => setTimeout(resolve, 150));
        return { enabled, audioInput: liveSet.setState().audioInput };
      },
      'broadcast.setUploadBandwidth': ({ uploadKbps: value }) => {
        setup.set('upload', { uploadKbps: value });
        return bandwidth();
      },
      'broadcast.setVideoSource': (input) => {
        if (input.imagePath && input.imagePath !== videoSource().imagePath) context.paths.readableFile(input.imagePath, 'Card image');
        liveSet.setVideoSource(input);
        setup.set('videoSource', input);
        return input;
      },
      'broadcast.videoChunk': ({ sequence, dataBase64, shape }) => liveSet.videoChunk(sequence, Buffer.from(dataBase64, 'base64'), shape),
      'broadcast.playerAudio': ({ sequence, dataBase64 }) => libraryPlayerFeed.push(sequence, Buffer.from(dataBase64, 'base64')),
      'broadcast.setNowPlaying': (input) => liveSet.setNowPlaying(input),
      'broadcast.tracklist': () => ({ entries: liveSet.tracklistEntries }),
    },
    async close() {
      await liveSet.close();
    },
  };
}

function hostOf(server: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(server.trim())?.[1] ?? '';
}
