import { describe, expect, it } from 'vitest';
import { listAudioDevices } from './devices';

describe('listAudioDevices', () => {
  it('lists the ALSA devices PortAudio can open, with their channel counts', () => {
    // tests/support/alsa/asound.conf (ALSA_CONFIG_PATH, set by vitest.config.ts) defines them.
    const { devices, error } = listAudioDevices();
    expect(error).toBeNull();
    const input = devices.find((device) => device.name === 'mixdeck_in');
    expect(input).toBeDefined();
    expect(input!.maxInputChannels).toBeGreaterThanOrEqual(2);
    expect(input!.hostApi).toMatch(/ALSA/i);
    expect(new Set(devices.map((device) => device.id)).size).toBe(devices.length);
  });
});
