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

/**
 * Inputs that carry what this computer plays, by the names the OS gives them: PulseAudio and
 * PipeWire call a sink's monitor "Monitor of …" (source names end in ".monitor"), Windows'
 * WASAPI loopback devices carry "[Loopback]", and some Windows drivers offer "Stereo Mix" or
 * "What U Hear".
 */
const SYSTEM_OUTPUT_NAMES = [/^monitor of /i, /\.monitor$/i, /\[loopback\]/i, /^stereo mix\b/i, /^what u hear\b/i];

export function isSystemOutputInput(name: string): boolean {
  return SYSTEM_OUTPUT_NAMES.some((pattern) => pattern.test(name.trim()));
}

/** What to do for "System output" when no input offers it, in words for the DJ (null when one does). */
export function systemOutputNote(platform: NodeJS.Platform, devices: readonly AudioDevice[]): string | null {
  if (devices.some((device) => device.systemOutput && device.maxInputChannels > 0)) return null;
  switch (platform) {
    case 'darwin':
      return 'macOS does not offer its own output as an input. Install a virtual audio device such as BlackHole, send the output to it (a Multi-Output Device keeps your speakers), and choose it as the audio device.';
    case 'win32':
      return 'No loopback input is offered here. Turn on "Stereo Mix" in the Sound control panel (Recording tab), or install a virtual cable, and choose it as the audio device.';
    default:
      return 'No "Monitor of …" input is offered here. With PulseAudio or PipeWire, the monitor of your output appears as an input when PortAudio can see it; otherwise route the output to an ALSA loopback (snd-aloop) and choose that device.';
  }
}

/** The devices PortAudio can open, or the reason it cannot list them, in words. */
export function listAudioDevices(platform: NodeJS.Platform = process.platform): { devices: AudioDevice[]; error: string | null; systemOutputNote: string | null } {
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
        systemOutput: device.maxInputChannels > 0 && isSystemOutputInput(device.name),
      }));
    return { devices, error: null, systemOutputNote: systemOutputNote(platform, devices) };
  } catch (error) {
    return { devices: [], error: `Audio devices cannot be listed: ${(error as Error).message}`, systemOutputNote: systemOutputNote(platform, []) };
  }
}
