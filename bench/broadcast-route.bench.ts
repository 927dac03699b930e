/**
 * Which route draws the broadcast scene for less CPU, measured in one run at 1280×720p30 with the
 * scene, a camera and the visualizer, both ending in the same x264 + AAC encode (the product's
 * `encodeArgs`, veryfast 3500 kbps) written as FLV to /dev/null:
 *
 * - **page**: today's route. Chromium draws the product's `SceneCompositor` (camera from
 *   Chromium's fake device, spectrum bars and meters, now playing, tempo, logo, banner) on a
 *   canvas, MediaRecorder encodes it as VP8 (the product's `startVideoSender`, 333 ms chunks,
 *   the bitrate live-scene.ts asks for), each chunk goes to Node as base64 (as over the WebSocket)
 *   and into ffmpeg, which decodes the VP8 and encodes x264.
 * - **native**: ffmpeg draws the scene itself from main: a camera-sized test picture (the stand-in
 *   for a decoded camera), `showwaves` for the visualizer, `drawbox` + `drawtext` for now playing
 *   (re-read from a file, as main would rewrite it), tempo, logo and banner, `overlay`, then x264.
 *
 * CPU is every process's user + system time from /proc over the same window: Chromium's
 * processes, ffmpeg, and this process's share (the chunks' base64). The audio is ffmpeg's own
 * 440 Hz tone in both, so only the picture's route differs.
 *
 * MIXDECK_BENCH_ROUTE_SEC sets each route's length (default 60 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { encodeArgs } from '../src/main/services/broadcast/plan';
import type { EncodeProfile } from '../src/main/services/broadcast/presets';
import { launchChromium, MEDIA_FLAGS } from '../tests/support/chromium';
import type { BenchResult } from './report';

const DURATION_SEC = Number(process.env.MIXDECK_BENCH_ROUTE_SEC ?? 60);
const WARM_UP_SEC = 4;
const CLOCK_TICKS = 100;
const PROFILE: EncodeProfile = {
  width: 1280,
  height: 720,
  fps: 30,
  videoBitrateKbps: 3500,
  keyframeSec: 2,
  audioBitrateKbps: 160,
  audioSampleRate: 48000,
  x264Preset: 'veryfast',
};
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Every descendant of `root` with its command name and CPU seconds so far. */
function processTree(root: number): Map<number, { name: string; cpuSec: number }> {
  const parents = new Map<number, number>();
  const info = new Map<number, { name: string; cpuSec: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      info.set(Number(entry), { name, cpuSec: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // Gone while we looked.
    }
  }
  const tree = new Map<number, { name: string; cpuSec: number }>();
  for (const [pid, value] of info) {
    for (let parent = parents.get(pid); parent !== undefined && parent > 1; parent = parents.get(parent)) {
      if (parent === root) {
        tree.set(pid, value);
        break;
      }
    }
  }
  return tree;
}

/** CPU seconds spent between two snapshots, per kind of process. */
function cpuBetween(before: Map<number, { name: string; cpuSec: number }>, after: Map<number, { name: string; cpuSec: number }>): { ffmpeg: number; browser: number } {
  let ffmpeg = 0;
  let browser = 0;
  for (const [pid, now] of after) {
    const spent = now.cpuSec - (before.get(pid)?.cpuSec ?? 0);
    if (now.name === 'ffmpeg') ffmpeg += spent;
    else browser += spent;
  }
  return { ffmpeg, browser };
}

/** ffmpeg encoding what it is given to FLV in /dev/null; counts the frames it encoded. */
function startFfmpeg(args: string[], withStdin: boolean): { child: ChildProcess; frames: () => number; errors: () => string } {
  const child = spawn(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-nostats', '-progress', 'pipe:1', ...args], {
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let frames = 0;
  let errors = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (text: string) => {
    for (const match of text.matchAll(/^frame=(\d+)$/gm)) frames = Number(match[1]);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (errors = (errors + text).slice(-2000)));
  child.stdin?.on('error', () => undefined);
  return { child, frames: () => frames, errors: () => errors };
}

async function stopFfmpeg(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('close', done));
  child.stdin?.end();
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const output = (): string[] => [...encodeArgs(PROFILE), '-f', 'flv', '-y', '/dev/null'];
const tone = ['-re', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000`];

interface RouteResult {
  elapsedSec: number;
  /** Scene frames the page drew per second (the page route only). */
  drawnFps?: number;
  /** The VP8 that reached main (the page route only). */
  sceneKbps?: number;
  ffmpegCpuSec: number;
  browserCpuSec: number;
  mainCpuSec: number;
  encodedFps: number;
}

/** The product's compositor and sender, bundled for a bare page (the app itself is not needed to draw). */
function pageBundle(): string {
  const entry = `
    import { SceneCompositor } from './src/renderer/broadcast/compositor/scene-compositor';
    import { startVideoSender } from './src/renderer/broadcast/compositor/video-sender';
    window.startScene = async (size) => {
      const compositor = new SceneCompositor('landscape');
      compositor.setFrameRate(30);
      compositor.setLayout('landscape', size);
      compositor.setText({ nowPlaying: 'Kerri Chandler — Rain', banner: 'Live from the Mixdeck bench', tempoBpm: 124 });
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: false });
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      await video.play();
      compositor.setCamera(video);
      // What main's broadcast.spectrum / broadcast.levels events carry, 20 and 10 a second.
      let tick = 0;
      setInterval(() => {
        tick += 1;
        compositor.pushSpectrum(Array.from({ length: 32 }, (_, band) => -60 + 40 * Math.abs(Math.sin(tick / 7 + band / 3))));
      }, 50);
      setInterval(() => compositor.pushMeters(-12 + 6 * Math.sin(tick / 5), -12 + 6 * Math.cos(tick / 5)), 100);
      compositor.start();
      window.scene = compositor;
      const canvas = compositor.canvas;
      document.body.appendChild(canvas);
      startVideoSender(canvas, {
        frameRate: 30,
        videoBitsPerSecond: Math.round(Math.min(8e6, Math.max(5e5, canvas.width * canvas.height * 30 * 0.09))),
        timesliceMs: 333,
        onChunk: async (chunk) => {
          let binary = '';
          for (let offset = 0; offset < chunk.length; offset += 0x8000) binary += String.fromCharCode(...chunk.subarray(offset, offset + 0x8000));
          await window.sendChunk(btoa(binary));
        },
        onError: (message) => console.error(message),
      });
    };`;
  const result = buildSync({ stdin: { contents: entry, resolveDir: resolve('.'), loader: 'ts' }, bundle: true, format: 'iife', write: false, target: 'chrome120', logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

async function pageRoute(): Promise<RouteResult> {
  // A page on 127.0.0.1 is a secure context, so it may open the (fake) camera.
  const server = createServer((_request, response) => response.end('<!doctype html><title>Mixdeck bench scene</title><body style="margin:0"></body>'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const browser = await launchChromium([...MEDIA_FLAGS]);
  const ffmpeg = startFfmpeg(
    [
      '-thread_queue_size', '512', '-f', 'webm', '-r', '30', '-i', 'pipe:0',
      ...tone,
      '-filter_complex', `[0:v]scale=1280x720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v];[1:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a]`,
      '-map', '[v]', '-map', '[a]',
      ...output(),
    ],
    true,
  );
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 760 } });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    let mainCpu = { user: 0, system: 0 };
    let measuring = false;
    let chunkBytes = 0;
    await page.exposeFunction('sendChunk', (base64: string) => {
      const started = measuring ? process.cpuUsage() : null;
      const bytes = Buffer.from(base64, 'base64');
      if (measuring) chunkBytes += bytes.length;
      ffmpeg.child.stdin!.write(bytes);
      if (started) {
        const spent = process.cpuUsage(started);
        mainCpu = { user: mainCpu.user + spent.user, system: mainCpu.system + spent.system };
      }
    });
    await page.addScriptTag({ content: pageBundle() });
    await page.evaluate(() => (window as unknown as { startScene(size: { width: number; height: number }): Promise<void> }).startScene({ width: 1280, height: 720 }));
    await sleep(WARM_UP_SEC * 1000);
const framesDrawn = (): Promise<number> => page.evaluate(() => (window as unknown as { scene: { frameCount: number } }).scene.frameCount);
    const drawnBefore = await framesDrawn();
    const result = await measure(ffmpeg, () => (measuring = true), () => (mainCpu.user + mainCpu.system) / 1e6);
    const drawnAfter = await framesDrawn();
    return { ...result, drawnFps: (drawnAfter - drawnBefore) / result.elapsedSec, sceneKbps: (chunkBytes * 8) / 1000 / result.elapsedSec };
  } finally {
    await browser.close();
    await stopFfmpeg(ffmpeg.child);
    server.close();
  }
}

async function nativeRoute(scratch: string): Promise<RouteResult> {
  const nowPlayingFile = join(scratch, 'now-playing.txt');
  writeFileSync(nowPlayingFile, 'Kerri Chandler — Rain');
  const text = (value: string, x: number | string, y: number, size: number, colour = 'white'): string =>
    `drawtext=fontfile=${FONT}:text='${value}':x=${x}:y=${y}:fontsize=${size}:fontcolor=${colour}`;
  const scene = [
    // The camera picture fills the frame; the overlays are drawn on it.
    `[1:v]setsar=1[camera]`,
    `[0:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,asplit[a][vis]`,
    `[vis]showwaves=s=1280x173:mode=cline:rate=30:colors=0x3cb4f0[waves]`,
    `[camera][waves]overlay=0:504:format=auto[withwaves]`,
    [
      `[withwaves]drawbox=x=38:y=518:w=704:h=101:color=0x080a0d@0.72:t=fill`,
      text('NOW PLAYING', 52, 530, 17, 'white@0.66'),
      `drawtext=fontfile=${FONT}:textfile=${nowPlayingFile}:reload=1:x=52:y=556:fontsize=32:fontcolor=white`,
      `drawbox=x=1062:y=36:w=179:h=72:color=0x080a0d@0.72:t=fill`,
      text('124.0 BPM', 1075, 55, 36),
      text('MIXDECK', 38, 55, 36),
      `drawbox=x=0:y=677:w=1280:h=43:color=0x3cb4f0:t=fill`,
      text('Live from the Mixdeck bench', '(w-text_w)/2', 686, 22, '0x03131c'),
      `fps=30,format=yuv420p[v]`,
    ].join(','),
  ].join(';');
  const ffmpeg = startFfmpeg(
    [...tone, '-re', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30', '-filter_complex', scene, '-map', '[v]', '-map', '[a]', ...output()],
    false,
  );
  try {
    await sleep(WARM_UP_SEC * 1000);
    return await measure(ffmpeg, () => undefined, () => 0);
  } finally {
    await stopFfmpeg(ffmpeg.child);
  }
}

async function measure(ffmpeg: ReturnType<typeof startFfmpeg>, begin: () => void, mainCpuSec: () => number): Promise<RouteResult> {
  if (ffmpeg.child.exitCode !== null) throw new Error(`ffmpeg stopped before the measurement: ${ffmpeg.errors()}`);
  const before = processTree(process.pid);
  const framesBefore = ffmpeg.frames();
  const startedAt = performance.now();
  begin();
  await sleep(DURATION_SEC * 1000);
  const after = processTree(process.pid);
  const elapsedSec = (performance.now() - startedAt) / 1000;
  const spent = cpuBetween(before, after);
  if (ffmpeg.child.exitCode !== null) throw new Error(`ffmpeg stopped during the measurement: ${ffmpeg.errors()}`);
  const perMinute = 60 / elapsedSec;
  return {
    elapsedSec,
    ffmpegCpuSec: spent.ffmpeg * perMinute,
    browserCpuSec: spent.browser * perMinute,
    mainCpuSec: mainCpuSec() * perMinute,
    encodedFps: (ffmpeg.frames() - framesBefore) / elapsedSec,
  };
}

export async function benchBroadcastRoute(): Promise<BenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'mixdeck-bench-route-'));
  try {
    const page = await pageRoute();
    const native = await nativeRoute(scratch);
    const pageTotal = page.ffmpegCpuSec + page.browserCpuSec + page.mainCpuSec;
    const nativeTotal = native.ffmpegCpuSec;
    const msPerFrame = (cpuSecPerMinute: number, fps: number): number => (fps > 0 ? (cpuSecPerMinute * 1000) / (fps * 60) : Number.NaN);
    const pageMsPerFrame = msPerFrame(pageTotal, page.encodedFps);
    const nativeMsPerFrame = msPerFrame(nativeTotal, native.encodedFps);
    return {
      name: 'broadcast-route',
      baseline: 'one minute of today\'s route: the scene drawn in the page, VP8 through MediaRecorder, base64 to main, decoded and x264-encoded by ffmpeg (1280×720p30 with camera and visualizer)',
      rows: [
        { label: 'CPU per minute, page-drawn VP8 → ffmpeg (all processes)', value: pageTotal, unit: 's', ratio: 1 },
        { label: '  of which Chromium (drawing, camera, VP8 encode)', value: page.browserCpuSec, unit: 's', ratio: page.browserCpuSec / pageTotal },
        { label: '  of which ffmpeg (VP8 decode, x264 + AAC)', value: page.ffmpegCpuSec, unit: 's', ratio: page.ffmpegCpuSec / pageTotal },
        { label: '  of which main (base64 chunks into ffmpeg)', value: page.mainCpuSec, unit: 's', ratio: page.mainCpuSec / pageTotal },
        { label: '  scene frames drawn per second in the page', value: page.drawnFps ?? Number.NaN, unit: 'fps' },
        { label: '  VP8 from the page to main', value: page.sceneKbps ?? Number.NaN, unit: 'kbps' },
        { label: '  frames encoded per second', value: page.encodedFps, unit: 'fps' },
        { label: 'CPU per minute, native: ffmpeg draws the scene (one process)', value: nativeTotal, unit: 's', ratio: nativeTotal / pageTotal },
        { label: '  frames encoded per second', value: native.encodedFps, unit: 'fps' },
        // On a starved machine the routes deliver different frame rates; the cost of a frame that reached x264 compares them fairly.
        { label: 'CPU per encoded frame, page-drawn route', value: pageMsPerFrame, unit: 'ms', ratio: 1 },
        { label: 'CPU per encoded frame, native route', value: nativeMsPerFrame, unit: 'ms', ratio: nativeMsPerFrame / pageMsPerFrame },
      ],
      notes: [
        `Each route runs MIXDECK_BENCH_ROUTE_SEC (${DURATION_SEC} s here) after ${WARM_UP_SEC} s of warm-up; figures are scaled to one minute. One core fully busy for a minute is 60 s.`,
        'A route that draws or encodes fewer than 30 frames a second was starved by the machine: its CPU figure is then a floor, not what 30 fps would cost.',
        `Machine load at the end (1-minute load average): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores.`,
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
