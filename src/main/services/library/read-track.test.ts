import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { resolveFfmpeg } from '../media/ffmpeg-path';
import { readTrack } from './read-track';

const FFMPEG = resolveFfmpeg().path;

describe('readTrack loudness and peak', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it.each([
    ['mono', 1],
    ['stereo', 2],
  ])('reads the true peak of a %s file at or above its sample peak', async (_label, channelCount) => {
    const path = join(temp.path, `tone-${channelCount}.wav`);
    // A 440 Hz tone with a sample peak of exactly −12 dBFS (amplitude 0.2512).
    const tone = '0.2512*sin(2*PI*440*t)';
    const expression = Array.from({ length: channelCount }, () => tone).join('|');
    execFileSync(FFMPEG, ['-loglevel', 'error', '-f', 'lavfi', '-i', `aevalsrc=${expression}:s=48000:d=3`, '-c:a', 'pcm_f32le', path]);
    const track = await readTrack(path, { ffmpegPath: FFMPEG, coversDir: temp.path });
    expect(track.truePeakDbtp).toBeGreaterThanOrEqual(-12.05);
    expect(track.truePeakDbtp).toBeLessThan(-11.5);
  });
});
