import { describe, expect, it } from 'vitest';
import { isSystemOutputInput, listAudioDevices, systemOutputNote } from './devices';

describe('listAudioDevices', () => {
  it('lists the ALSA devices PortAudio can open, with their channel counts', () => {
    // tests/support/alsa/asound.conf (ALSA_CONFIG_PATH, set by vitest.config.ts) defines them.
    const { devices, error } = listAudioDevices();
    expect(error).toBeNull();
    const input = devices.find((device) => device.name === 'mixdeck_in');
    expect(input).toBeDefined();
    expect(input!.maxInputChannels).toBeGreaterThanOrEqual(2);
    expect(input!.hostApi).toMatch(/ALSA/i);
    expect(input!.systemOutput).toBe(false);
    expect(new Set(devices.map((device) => device.id)).size).toBe(devices.length);
  });

  it('says in words how to capture the system output where no input offers it', () => {
    // The test card has no monitor input: the answer names the way on this OS.
    expect(listAudioDevices('linux').systemOutputNote).toMatch(/No "Monitor of …" input is offered here/);
    expect(listAudioDevices('darwin').systemOutputNote).toMatch(/virtual audio device such as BlackHole/);
    expect(listAudioDevices('win32').systemOutputNote).toMatch(/Stereo Mix/);
  });
});

describe('system output inputs', () => {
  it('recognises PulseAudio/PipeWire monitors, WASAPI loopbacks and Stereo Mix by name, and nothing else', () => {
    for (const name of ['Monitor of Built-in Audio Analog Stereo', 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor', 'Speakers (Realtek High Definition Audio) [Loopback]', 'Stereo Mix (Realtek(R) Audio)', 'What U Hear (Sound Blaster)']) {
      expect(isSystemOutputInput(name), name).toBe(true);
    }
    for (const name of ['mixdeck_in', 'DJM-900NXS2', 'default', 'pulse', 'Headset Microphone', 'mixdeck_monitor', 'Monitor speakers input']) {
      expect(isSystemOutputInput(name), name).toBe(false);
    }
  });

  it('needs no note once an input carries the system output', () => {
    const monitor = { id: 3, name: 'Monitor of Built-in Audio', hostApi: 'PulseAudio', maxInputChannels: 2, maxOutputChannels: 0, defaultSampleRate: 48000, systemOutput: true };
    expect(systemOutputNote('linux', [monitor])).toBeNull();
    expect(systemOutputNote('darwin', [])).toMatch(/BlackHole/);
  });
});
