import { createRequire } from 'node:module';
import type { AudioDevice } from '../../../shared/contract';

interface PortAudioDeviceInfo {
  id: number;
  name: string;
  hostAPIName?: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
}

interface PortAudioModule {
  getDevices(): PortAudioDeviceInfo[];
}

let portAudio: PortAudioModule | null = null;

/** naudiodon is loaded on first use, so a machine without working audio still starts. */
function loadPortAudio(): PortAudioModule {
  if (!portAudio) portAudio = createRequire(import.meta.url)('naudiodon') as PortAudioModule;
  return portAudio;
}

/** The devices PortAudio can open, or the reason it cannot list them, in words. */
export function listAudioDevices(): { devices: AudioDevice[]; error: string | null } {
  try {
    const devices = loadPortAudio()
      .getDevices()
      .map((device) => ({
        id: device.id,
        name: device.name,
        hostApi: device.hostAPIName ?? 'unknown',
        maxInputChannels: device.maxInputChannels,
        maxOutputChannels: device.maxOutputChannels,
        defaultSampleRate: device.defaultSampleRate,
      }));
    return { devices, error: null };
  } catch (error) {
    return { devices: [], error: `Audio devices cannot be listed: ${(error as Error).message}` };
  }
}
