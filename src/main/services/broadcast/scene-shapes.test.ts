import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRtmpServer, type RtmpServer } from '../../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createLogger } from '../log/logger';
import { DEFAULT_AUDIO_INPUT, LiveSet } from './live-set';

// One scene per shape, main's side: the page sends a 16:9 and a 9:16 WebM (here VP8 made by
// ffmpeg: a red landscape picture and a blue portrait one), and each encode takes its own shape's
// scene. YouTube must receive red at 1280×720 and TikTok blue at 720×1280, both edge to edge
// (no letterbox, no pillarbox), from a real nginx-rtmp on 127.0.0.1.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const FPS = 10;
const SECONDS = 8;
const CHUNKS = 32;

function vp8(path: string, colour: string, size: string): Buffer {
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=${size}:r=${FPS}:d=${SECONDS}`,
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-g', String(FPS), '-f', 'webm', path,
  ]);
  return readFileSync(path);
}

/** Mean RGB of one row or column of a frame scaled to 32×32. */
function edges(file: string, atSec: number): { top: number[]; bottom: number[]; left: number[]; right: number[] } {
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', 'scale=32:32', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  const mean = (pixels: number[]): number[] => [0, 1, 2].map((c) => pixels.reduce((sum, pixel) => sum + rgb[pixel * 3 + c]!, 0) / pixels.length);
  const range = Array.from({ length: 32 }, (_, index) => index);
  return {
    top: mean(range.map((x) => x)),
    bottom: mean(range.map((x) => 31 * 32 + x)),
    left: mean(range.map((y) => y * 32)),
    right: mean(range.map((y) => y * 32 + 31)),
  };
}

describe('each shape\'s encode reads its own scene', () => {
  const temp = makeTempDir('mixdeck-scene-shapes-');
  let server: RtmpServer;
  let set: LiveSet;
  let landscape: Buffer;
  let portrait: Buffer;

  beforeAll(async () => {
    landscape = vp8(join(temp.path, 'landscape.webm'), 'red', '1280x720');
    portrait = vp8(join(temp.path, 'portrait.webm'), 'blue', '720x1280');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startRtmpServer({ apps: ['youtube', 'tiktok'] });
    set = new LiveSet({ ffmpegPath: 'ffmpeg', logger: createLogger({ directory: join(temp.path, 'logs'), level: 'warn' }), listeners: {} });
  }, 120_000);

  afterAll(async () => {
    await set?.close();
    await server?.stop();
    temp.remove();
  });

  it('sends the landscape scene to YouTube and the portrait scene to TikTok, edge to edge', async () => {
    const small = { fps: FPS, videoBitrateKbps: 600, x264Preset: 'ultrafast' as const };
    set.setVideoSource({ kind: 'renderer', frameRate: FPS, shapes: ['landscape', 'portrait'] });
    await set.goLive({
      targets: [
        { id: 'youtube', platform: 'youtube', server: server.rtmpUrl('youtube'), streamKey: 'shape-yt-key', profile: { ...small, width: 1280, height: 720 } },
        { id: 'tiktok', platform: 'tiktok', server: server.rtmpUrl('tiktok'), streamKey: 'shape-tt-key', profile: { ...small, width: 720, height: 1280 } },
      ],
      audio: { ...DEFAULT_AUDIO_INPUT, source: 'tone' },
      video: set.videoSource,
      record: false,
      recordingFolder: temp.path,
    });

    // A chunk must say which scene it belongs to in a set of two.
    expect(set.videoChunk(0, landscape.subarray(0, 100))).toEqual({
      accepted: false,
      nextSequence: 0,
      reason: 'This set takes the landscape and portrait scenes, so a video chunk must say which one it belongs to.',
    });

    // Both WebM streams in real time, each in its own sequence.
    for (let index = 0; index < CHUNKS; index += 1) {
      for (const [shape, data] of [['landscape', landscape], ['portrait', portrait]] as const) {
        const size = Math.ceil(data.length / CHUNKS);
        expect(set.videoChunk(index, data.subarray(index * size, (index + 1) * size), shape).accepted).toBe(true);
      }
      await new Promise((done) => setTimeout(done, (SECONDS * 1000) / CHUNKS));
    }
    await vi.waitFor(() => expect(set.targetStatuses().map((target) => target.state)).toEqual(['live', 'live']), { timeout: 30_000, interval: 200 });
    await new Promise((done) => setTimeout(done, 1500));
    await set.end();

    for (const [app, width, height, colour] of [['youtube', 1280, 720, 'red'], ['tiktok', 720, 1280, 'blue']] as const) {
      const file = server.recordings(app).at(-1)!;
      const [probedWidth, probedHeight] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' })
        .trim()
        .split(',')
        .map(Number);
      expect([probedWidth, probedHeight], app).toEqual([width, height]);
      const duration = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }));
      const atSec = Math.max(0.5, duration / 2);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', String(atSec), '-i', file, '-frames:v', '1', join(SCREENSHOT_DIR, `scene-shape-${app}.png`)]);
      const seen = edges(file, atSec);
      for (const [edge, [red, green, blue]] of Object.entries(seen)) {
        const label = `${app} ${edge} edge ${red!.toFixed(0)},${green!.toFixed(0)},${blue!.toFixed(0)}`;
        // Its own scene's colour at every edge: the other scene would be the other colour, bars black.
        if (colour === 'red') expect(red, label).toBeGreaterThan(180);
        else expect(blue, label).toBeGreaterThan(180);
        expect(green, label).toBeLessThan(60);
        expect(colour === 'red' ? blue : red, label).toBeLessThan(60);
      }
    }
  }, 180_000);
});
