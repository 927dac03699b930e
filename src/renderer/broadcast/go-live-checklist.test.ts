import { describe, expect, it } from 'vitest';
import type { BroadcastAudioInputConfig, BroadcastTarget } from '../../shared/contract';
import { goLiveChecklist, type ChecklistInput } from './go-live-checklist';

const AUDIO: BroadcastAudioInputConfig = {
  source: 'device',
  deviceName: null,
  channels: [3, 4],
  sampleRate: 48000,
  monitor: false,
  monitorDeviceName: null,
  filePath: null,
  limiterCeilingDb: -1,
};

function target(name: string, keySet: boolean, enabled = true): BroadcastTarget {
  const profile = { width: 1280, height: 720, fps: 30, videoBitrateKbps: 3000, keyframeSec: 2, audioBitrateKbps: 160, audioSampleRate: 48000 as const, x264Preset: 'veryfast' as const };
  return { id: name, platform: 'twitch', name, server: 'rtmp://live.twitch.tv/app', serverIsCustom: false, overrides: {}, profile, enabled, keySet, keyHint: keySet ? '••••••••ab' : null, problems: [] };
}

const READY: ChecklistInput = {
  audioInput: AUDIO,
  inputDeviceCount: 2,
  probe: { maxPeakDb: -9, state: 'ok', message: null },
  scene: { cameraOn: true, visualizerOn: false, logoName: null },
  targets: [target('Twitch', true)],
  bandwidth: { uploadKbps: 20_000, requiredKbps: 3476, warning: null },
};

const ids = (input: ChecklistInput): string[] => goLiveChecklist(input).map((item) => item.id);

describe('the Go Live checklist', () => {
  it('is empty when sound, picture, keys and upload are all there', () => {
    expect(goLiveChecklist(READY)).toEqual([]);
  });

  it('names each condition on its own, in words', () => {
    expect(ids({ ...READY, audioInput: { ...AUDIO, source: 'none' } })).toEqual(['no-audio-input']);
    expect(ids({ ...READY, inputDeviceCount: 0 })).toEqual(['no-audio-input']);
    expect(ids({ ...READY, audioInput: { ...AUDIO, source: 'file', filePath: null } })).toEqual(['no-audio-input']);
    expect(ids({ ...READY, probe: { maxPeakDb: -120, state: 'ok', message: null } })).toEqual(['silent-input']);
    expect(ids({ ...READY, probe: { maxPeakDb: -120, state: 'error', message: 'The mixer was unplugged.' } })).toEqual(['audio-input-failed']);
    expect(ids({ ...READY, scene: { cameraOn: false, visualizerOn: false, logoName: null } })).toEqual(['no-video']);
    expect(ids({ ...READY, scene: { cameraOn: false, visualizerOn: false, logoName: 'logo.png' } })).toEqual([]);
    expect(ids({ ...READY, targets: [target('Twitch', true), target('TikTok', false)] })).toEqual(['no-key']);
    expect(ids({ ...READY, targets: [target('Twitch', true), target('TikTok', false, false)] })).toEqual([]);
    expect(ids({ ...READY, bandwidth: { uploadKbps: 3000, requiredKbps: 3476, warning: 'x' } })).toEqual(['upload']);
    expect(ids({ ...READY, bandwidth: { uploadKbps: null, requiredKbps: 3476, warning: null } })).toEqual([]);
  });

  it('says where to look when the mixer is silent, and which targets lack a key', () => {
    const [silent] = goLiveChecklist({ ...READY, probe: { maxPeakDb: -90, state: 'ok', message: null } });
    expect(silent!.message).toBe("The input is silent: nothing louder than -60 dBFS in the last 1.5 seconds. Check the mixer's output, the channels (3 + 4) and the gain.");
    const [keyless] = goLiveChecklist({ ...READY, targets: [target('YouTube', false), target('TikTok', false)] });
    expect(keyless!.message).toBe('YouTube, TikTok have no stream key and will fail. Add it with Edit.');
  });

  it('does not call the input silent before it has listened', () => {
    expect(ids({ ...READY, probe: null })).toEqual([]);
  });
});
