import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startToneSoundCard, type ToneSoundCard } from '../../../../tests/support/alsa-tone';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { BroadcastSpectrum } from '../../../audio-engine/broadcast/spectrum';
import type { BroadcastSpectrumReading } from '../../../shared/contract';
import { DEFAULT_AUDIO_INPUT, LiveSet } from '../broadcast/live-set';
import { createLogger } from '../log/logger';
import { BROADCAST_RATE } from './broadcast-audio';

// The scene's visualizer is drawn from main's `spectrum` event. It must show the sound that is
// streamed: the chosen device and channel pair, after the limiter, not whatever else the card
// carries. Two 4-channel ALSA cards (tests/support/alsa-tone.ts) through PortAudio: one with a
// 1 kHz tone only on channels 3/4, one with it only on 1/2. The set streams 3/4.

const TONE_HZ = 1000;
const toneBand = new BroadcastSpectrum({ sampleRate: BROADCAST_RATE }).bandOf(TONE_HZ);

describe('the broadcast spectrum follows the streamed channels', () => {
  const temp = makeTempDir('mixdeck-broadcast-spectrum-');
  let onThreeFour: ToneSoundCard;
  let onOneTwo: ToneSoundCard;
  const readings: BroadcastSpectrumReading[] = [];
  let set: LiveSet;

  beforeAll(() => {
    onThreeFour = startToneSoundCard({ dir: temp.path, channelFrequenciesHz: [0, 0, TONE_HZ, TONE_HZ], deviceName: 'mixdeck_tone34' });
    const otherDir = join(temp.path, 'other');
    // Each card keeps its tone and FIFO in its own folder.
    mkdirSync(otherDir);
    onOneTwo = startToneSoundCard({ dir: otherDir, channelFrequenciesHz: [TONE_HZ, TONE_HZ, 0, 0], deviceName: 'mixdeck_tone12' });
    // One ALSA configuration with both cards: the first file, plus the second card's two PCMs.
    const second = readFileSync(onOneTwo.configPath, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('pcm.mixdeck_tone12'));
    const merged = join(temp.path, 'both.conf');
    writeFileSync(merged, `${readFileSync(onThreeFour.configPath, 'utf8')}\n${second.join('\n')}\n`);
    // PortAudio reads ALSA's configuration when it first starts in this process.
    process.env.ALSA_CONFIG_PATH = merged;
    set = new LiveSet({
      ffmpegPath: 'ffmpeg',
      logger: createLogger({ directory: join(temp.path, 'logs'), level: 'warn' }),
      listeners: { spectrum: (reading) => readings.push(reading) },
    });
  });

  afterAll(async () => {
    await set?.close();
    onThreeFour?.stop();
    onOneTwo?.stop();
    temp.remove();
  });

  /** Meters `deviceName` through the set's input (channels 3/4 unless told) and returns the tone band's loudest reading of the last second. */
  async function toneBandDb(deviceName: string, channels: [number, number] = [3, 4]): Promise<{ toneDb: number; loudestOtherDb: number }> {
    readings.length = 0;
    await set.setPreview({ ...DEFAULT_AUDIO_INPUT, source: 'device', deviceName, channels });
    // About 20 readings a second; the first ones cover the device opening.
    await vi.waitFor(() => expect(readings.length).toBeGreaterThanOrEqual(40), { timeout: 20_000, interval: 100 });
    await set.setPreview(null);
    const last = readings.slice(-20);
    for (const reading of last) expect(reading.bandsDb).toHaveLength(32);
    const toneDb = Math.max(...last.map((reading) => reading.bandsDb[toneBand]!));
    const loudestOtherDb = Math.max(...last.flatMap((reading) => reading.bandsDb.filter((_, band) => Math.abs(band - toneBand) > 2)));
    return { toneDb, loudestOtherDb };
  }

  it('rises in the tone\'s band when the tone is on the streamed channels 3/4', async () => {
    const { toneDb, loudestOtherDb } = await toneBandDb('mixdeck_tone34');
    console.log(`tone on 3/4, streaming 3/4: ${TONE_HZ} Hz band ${toneDb.toFixed(1)} dB, other bands ≤ ${loudestOtherDb.toFixed(1)} dB`);
    // −6 dBFS in; the limiter (−1 dBFS ceiling) leaves it alone.
    expect(toneDb).toBeGreaterThan(-10);
    expect(loudestOtherDb).toBeLessThan(toneDb - 30);
  });

  it('stays at the floor when the tone is only on channels 1/2, which are not streamed', async () => {
    const { toneDb } = await toneBandDb('mixdeck_tone12');
    console.log(`tone on 1/2, streaming 3/4: ${TONE_HZ} Hz band ${toneDb.toFixed(1)} dB`);
    expect(toneDb).toBeLessThan(-90);
  });

  it('(the second card does carry the tone: streaming its 1/2 shows it)', async () => {
    const { toneDb } = await toneBandDb('mixdeck_tone12', [1, 2]);
    expect(toneDb).toBeGreaterThan(-10);
  });
});
