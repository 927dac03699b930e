import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createLogger } from '../log/logger';
import { DEFAULT_AUDIO_INPUT } from '../broadcast/live-set';
import { BroadcastAudio } from './broadcast-audio';
import { libraryPlayerFeed, PlayerFeed, PLAYER_SAMPLE_RATE } from './player-source';

/** `durationSec` of a stereo sine as the page sends it: s16le interleaved at 48 kHz. */
function sineChunk(frequencyHz: number, startFrame: number, frames: number): Buffer {
  const pcm = Buffer.alloc(frames * 4);
  for (let frame = 0; frame < frames; frame++) {
    const value = Math.round(Math.sin((2 * Math.PI * frequencyHz * (startFrame + frame)) / PLAYER_SAMPLE_RATE) * 0.5 * 32767);
    pcm.writeInt16LE(value, frame * 4);
    pcm.writeInt16LE(value, frame * 4 + 2);
  }
  return pcm;
}

/** Zero crossings per second of the left channel: a sine's frequency, near enough. */
function crossingsHz(pcm: Buffer): number {
  let crossings = 0;
  const frames = pcm.length / 4;
  for (let frame = 1; frame < frames; frame++) if (pcm.readInt16LE(frame * 4 - 4) < 0 !== pcm.readInt16LE(frame * 4) < 0) crossings++;
  return crossings / 2 / (frames / 48000);
}

describe('the library player as a broadcast source', () => {
  const temp = makeTempDir('mixdeck-player-source-');
  afterAll(() => temp.remove());

  it('takes the page\'s chunks in order into the broadcast, and fills with silence when they stop', async () => {
    const out: Buffer[] = [];
    const audio = new BroadcastAudio({
      config: { ...DEFAULT_AUDIO_INPUT, source: 'player' },
      ffmpegPath: 'ffmpeg',
      logger: createLogger({ directory: join(temp.path, 'logs'), level: 'warn' }),
      onPcm: (pcm) => out.push(Buffer.from(pcm)),
    });
    audio.start();
    expect(libraryPlayerFeed.listening).toBe(true);
    // 1.5 s of a 1 kHz tone in 100 ms chunks, at the pace a page would send them.
    const chunkFrames = 4800;
    for (let sequence = 0; sequence < 15; sequence++) {
      expect(libraryPlayerFeed.push(sequence, sineChunk(1000, sequence * chunkFrames, chunkFrames))).toEqual({ accepted: true, reason: null });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const whileSending = Buffer.concat(out);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await audio.stop();
    expect(libraryPlayerFeed.listening).toBe(false);
    const all = Buffer.concat(out);
    // The tone arrived (its last second), and once the page stopped sending, the stream carried silence.
    expect(Math.abs(crossingsHz(whileSending.subarray(whileSending.length - 48000 * 4)) - 1000)).toBeLessThan(20);
    const after = all.subarray(whileSending.length + 0.4 * 48000 * 4);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((byte) => byte === 0)).toBe(true);
  });

  it('drops a chunk that comes late or twice, and refuses half a frame', () => {
    const feed = new PlayerFeed();
    const received: number[] = [];
    feed.subscribe((block) => received.push(block.length));
    expect(feed.push(0, Buffer.alloc(16)).accepted).toBe(true);
    expect(feed.push(1, Buffer.alloc(16)).accepted).toBe(true);
    expect(feed.push(1, Buffer.alloc(16))).toEqual({ accepted: false, reason: 'Chunk 1 came late or twice (the last was 1); it was dropped.' });
    expect(feed.push(5, Buffer.alloc(8)).accepted).toBe(true);
    expect(feed.push(6, Buffer.alloc(6)).accepted).toBe(false);
    // A reloaded page starts again at 0.
    expect(feed.push(0, Buffer.alloc(4)).accepted).toBe(true);
    expect(received).toEqual([8, 8, 4, 2]);
  });
});
