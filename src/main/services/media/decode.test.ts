import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixdeckError } from '../../../shared/contract';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { DECODE_LIMITS, decodeAudioFile, decodeLoad } from './decode';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** Frequency of the strongest zero-crossing rate: good enough for a pure tone. */
function zeroCrossingHz(samples: Float32Array, sampleRate: number): number {
  let crossings = 0;
  for (let index = 1; index < samples.length; index += 1) if (samples[index - 1]! < 0 && samples[index]! >= 0) crossings += 1;
  return crossings / (samples.length / sampleRate);
}

describe('decodeAudioFile', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    temp = makeTempDir();
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2', '-ac', '2', '-c:a', 'flac', join(temp.path, 'tone.flac')]);
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=3', '-c:a', 'libmp3lame', '-b:a', '128k', join(temp.path, 'tone.mp3')]);
    writeFileSync(join(temp.path, 'garbage.mp3'), Buffer.from('ID3 this is not really audio at all '.repeat(50)));
  });
  afterAll(() => temp.remove());

  it('decodes to the asked rate and channels, keeping pitch and length', async () => {
    const audio = await decodeAudioFile(join(temp.path, 'tone.flac'), { ffmpegPath: FFMPEG, sampleRate: 22050, channels: 1 });
    expect(audio.channels).toHaveLength(1);
    expect(audio.durationSec).toBeCloseTo(2, 2);
    expect(zeroCrossingHz(audio.channels[0]!, 22050)).toBeCloseTo(440, -1);
    const stereo = await decodeAudioFile(join(temp.path, 'tone.mp3'), { ffmpegPath: FFMPEG, sampleRate: 48000, channels: 2, maxDurationSec: 1 });
    expect(stereo.channels).toHaveLength(2);
    expect(stereo.durationSec).toBeCloseTo(1, 2);
    expect(zeroCrossingHz(stereo.channels[1]!, 48000)).toBeCloseTo(1000, -1);
  });

  it('refuses a corrupt file with ffmpeg’s reason in words', async () => {
    const error = await decodeAudioFile(join(temp.path, 'garbage.mp3'), { ffmpegPath: FFMPEG, sampleRate: 22050, channels: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MixdeckError);
    expect((error as MixdeckError).code).toBe('invalid-input');
    expect((error as MixdeckError).message).toMatch(/^Mixdeck cannot read ".*garbage\.mp3": .+|contains no audio/);
  });

  it('says when the file or ffmpeg is missing', async () => {
    await expect(decodeAudioFile(join(temp.path, 'nope.wav'), { ffmpegPath: FFMPEG, sampleRate: 22050, channels: 1 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(decodeAudioFile(join(temp.path, 'tone.flac'), { ffmpegPath: join(temp.path, 'no-ffmpeg'), sampleRate: 22050, channels: 1 })).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('runs at most a few ffmpegs at once however many decodes are asked for, and refuses past the queue in words', async () => {
    const saved = { ...DECODE_LIMITS };
    DECODE_LIMITS.running = 3;
    DECODE_LIMITS.waiting = 20;
    try {
      let mostRunning = 0;
      const sampler = setInterval(() => (mostRunning = Math.max(mostRunning, decodeLoad().running)), 2);
      const asked = Array.from({ length: 25 }, () => decodeAudioFile(join(temp.path, 'tone.flac'), { ffmpegPath: FFMPEG, sampleRate: 8000, channels: 1 }).then(
        (audio) => audio.durationSec,
        (error: unknown) => error,
      ));
      const answers = await Promise.all(asked);
      clearInterval(sampler);
      const decoded = answers.filter((answer) => typeof answer === 'number');
      const refused = answers.filter((answer) => answer instanceof MixdeckError);
      // 3 run, 20 wait: the last 2 are refused at once, in words; everyone else is decoded whole.
      expect(decoded).toHaveLength(23);
      for (const durationSec of decoded) expect(durationSec).toBeCloseTo(2, 2);
      expect(refused).toHaveLength(2);
      expect((refused[0] as MixdeckError).message).toMatch(/already decoding 3 files with 20 more waiting/);
      expect(mostRunning).toBe(3);
      expect(decodeLoad()).toEqual({ running: 0, waiting: 0 });
    } finally {
      Object.assign(DECODE_LIMITS, saved);
    }
  });
});
