import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureChildEntry } from '../services/audio-io/capture-launcher';
import { DeviceSource, type PortAudioModule } from '../services/audio-io/sources';
import { utilityProcessCaptureLauncher, type UtilityProcessModule } from './capture-utility';
import { fakeElectronModule, recorder, type FakeUtilityProcess } from './testing/fake-electron';

/**
 * The desktop app's capture: DeviceSource with the utilityProcess launcher, against the recorder
 * (the Electron binary cannot run here). The recorder plays the child's side of the port.
 */
const mixer = { id: 7, name: 'DJM-900 USB', maxInputChannels: 4, maxOutputChannels: 4, defaultSampleRate: 48000 };
const portAudio = { getDevices: () => [mixer], AudioIO: () => { throw new Error('main never opens the input itself'); } } as unknown as PortAudioModule;
const utility = fakeElectronModule.utilityProcess as unknown as UtilityProcessModule;

afterEach(() => recorder.reset());

function startCapture(entry?: () => string): { source: DeviceSource; blocks: Int16Array[]; errors: string[]; child: FakeUtilityProcess } {
  const source = new DeviceSource(portAudio, 'DJM', 4, 48000, utilityProcessCaptureLauncher(utility, entry));
  const blocks: Int16Array[] = [];
  const errors: string[] = [];
  source.start((block) => blocks.push(block), (message) => errors.push(message));
  expect(recorder.utilityProcesses).toHaveLength(1);
  return { source, blocks, errors, child: recorder.utilityProcesses[0]! };
}

describe('the capture in a utilityProcess', () => {
  it('forks the capture entry with the device request, stderr piped, nothing on stdout', () => {
    const { child } = startCapture();
    expect(child.modulePath).toBe(captureChildEntry());
    expect(child.modulePath).toMatch(/audio-io[/\\]capture-child\.mjs$/);
    expect(JSON.parse(child.args.at(-1)!)).toEqual({ deviceId: 7, channelCount: 4, sampleRate: 48000, framesPerBuffer: 480 });
    expect(child.options.stdio).toEqual(['ignore', 'ignore', 'pipe']);
    expect(child.options.serviceName).toBe('Mixdeck audio capture');
  });

  it('hands the PCM posted as ArrayBuffers to DeviceSource as whole frames, in order', () => {
    const { blocks, errors, child } = startCapture();
    // 4 channels × 2 bytes: frames are 8 bytes; the child's blocks need not be aligned.
    const samples = Int16Array.from({ length: 4 * 100 }, (_, i) => (i * 37) % 32000 - 16000);
    const bytes = new Uint8Array(samples.buffer);
    const cuts = [0, 3, 8, 11, 400, 401, bytes.length];
    for (let i = 0; i + 1 < cuts.length; i++) child.fromChild({ type: 'pcm', data: bytes.slice(cuts[i], cuts[i + 1]).buffer });
    const received = Int16Array.from(blocks.flatMap((block) => Array.from(block)));
    expect(Array.from(received)).toEqual(Array.from(samples));
    expect(blocks.every((block) => block.length % 4 === 0)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reports the device’s error and an exit in words, with stderr’s last line', async () => {
    const { errors, child } = startCapture();
    child.fromChild({ type: 'error', message: 'Input overflowed' });
    expect(errors).toEqual(['"DJM-900 USB" failed: Input overflowed']);
    const second = startCaptureAgain();
    second.child.stderr!.write('PortAudio: device unavailable\n');
    await new Promise((resolve) => setImmediate(resolve));
    second.child.exitWith(1);
    expect(second.errors).toEqual(['"DJM-900 USB" stopped (exit 1: PortAudio: device unavailable).']);
  });

  it('stop() asks the child over its port, and kills it when it does not end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const { source, errors, child } = startCapture();
      const stopped = source.stop();
      expect(child.received).toEqual([{ type: 'stop' }]);
      expect(child.killed).toBe(false);
      await vi.advanceTimersByTimeAsync(3000);
      expect(child.killed).toBe(true);
      await vi.waitFor(() => expect(child.exited).toBe(true));
      await stopped;
      // A stop the user asked for is not a failure.
      expect(errors).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a child that cannot be found is a sentence, not a crash', () => {
    const source = new DeviceSource(portAudio, null, 2, 48000, utilityProcessCaptureLauncher(utility, () => captureChildEntry('file:///nowhere/index.js')));
    const errors: string[] = [];
    source.start(() => undefined, (message) => errors.push(message));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^"DJM-900 USB" could not be opened: The audio capture program is missing from this installation/);
    expect(recorder.utilityProcesses).toHaveLength(0);
  });
});

function startCaptureAgain(): { errors: string[]; child: FakeUtilityProcess } {
  const source = new DeviceSource(portAudio, 'DJM', 2, 48000, utilityProcessCaptureLauncher(utility));
  const errors: string[] = [];
  source.start(() => undefined, (message) => errors.push(message));
  return { errors, child: recorder.utilityProcesses.at(-1)! };
}
