import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startToneSoundCard, type ToneSoundCard } from '../../../tests/support/alsa-tone';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { DeviceSource, loadPortAudio } from '../services/audio-io/sources';
import { utilityProcessCaptureLauncher, type UtilityProcessModule } from './capture-utility';

/**
 * The real capture child in its utilityProcess mode, reading a real PortAudio device (the ALSA
 * tone card). Electron's binary cannot run here, so Node plays the utilityProcess: the child
 * gets a `process.parentPort` (messages wrapped as `{ data }`, as Electron's port delivers them)
 * over Node's structured-clone IPC, which carries ArrayBuffers as Electron's port does.
 */
const temp = makeTempDir('mixdeck-capture-utility-');
let card: ToneSoundCard;
let shimUrl: string;
const savedAlsaConfig = process.env.ALSA_CONFIG_PATH;

beforeAll(() => {
  card = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [1000, 1000], amplitude: 0.5 });
  process.env.ALSA_CONFIG_PATH = card.configPath;
  const shim = join(temp.path, 'parent-port.mjs');
  writeFileSync(
    shim,
    [
      "import { EventEmitter } from 'node:events';",
      'const port = new EventEmitter();',
      'port.postMessage = (message) => process.send(message);',
      "process.on('message', (data) => port.emit('message', { data }));",
      'process.parentPort = port;',
    ].join('\n'),
  );
  shimUrl = pathToFileURL(shim).href;
});

afterAll(() => {
  if (savedAlsaConfig === undefined) delete process.env.ALSA_CONFIG_PATH;
  else process.env.ALSA_CONFIG_PATH = savedAlsaConfig;
  card?.stop();
  temp.remove();
});

/** utilityProcess.fork, played by Node: the same events, stderr and postMessage/kill. */
function nodeAsUtilityProcess(forked: { pids: number[] }): UtilityProcessModule {
  return {
    fork: (modulePath: string, args?: string[]) => {
      const child = fork(modulePath, args ?? [], { execArgv: ['--import', shimUrl], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      forked.pids.push(child.pid!);
      const utility = Object.assign(new EventEmitter(), {
        stderr: child.stderr,
        stdout: null,
        get pid() {
          return child.pid;
        },
        postMessage: (message: unknown) => child.send(message as object),
        kill: () => child.kill('SIGTERM'),
      });
      child.on('message', (message) => utility.emit('message', message));
      child.once('exit', (code) => utility.emit('exit', code ?? 1));
      return utility as unknown as ReturnType<UtilityProcessModule['fork']>;
    },
  };
}

describe('the capture child as a utilityProcess', () => {
  it('reads the device and hands its PCM to DeviceSource over the port, then stops when asked', async () => {
    const forked = { pids: [] as number[] };
    const source = new DeviceSource(loadPortAudio(), card.deviceName, 2, 48000, utilityProcessCaptureLauncher(nodeAsUtilityProcess(forked)));
    const blocks: Int16Array[] = [];
    const errors: string[] = [];
    source.start((block) => blocks.push(block), (message) => errors.push(message));
    try {
      await vi.waitFor(() => expect(blocks.reduce((sum, block) => sum + block.length, 0)).toBeGreaterThan(48000), { timeout: 20_000, interval: 100 });
      const samples = blocks.flatMap((block) => Array.from(block));
      const peak = Math.max(...samples.slice(-48000).map(Math.abs));
      // A 1 kHz tone at half scale, not silence and not noise.
      expect(peak).toBeGreaterThan(0.4 * 32767);
      expect(peak).toBeLessThan(0.6 * 32767);
      expect(blocks.every((block) => block.length % 2 === 0)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await source.stop();
    }
    expect(forked.pids).toHaveLength(1);
    await vi.waitFor(() => expect(() => process.kill(forked.pids[0]!, 0)).toThrow(), { timeout: 10_000 });
    expect(errors).toEqual([]);
  }, 40_000);
});
