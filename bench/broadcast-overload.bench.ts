/**
 * The encode's two routes at 1280×720p30 (x264 veryfast 3500 kbps + AAC 160 kbps, ffmpeg's test
 * pattern, a tone written by main as PCM, as the sound card's is), to a real nginx-rtmp on
 * 127.0.0.1, no recording:
 *
 * - `every-frame` (the route before issue #16): one ffmpeg encodes every frame, sound and picture
 *   in one loop, so a slow x264 holds the sound back;
 * - `wall-clock` + split (`splitEncoder`): a video process drops late frames and pipes H.264 into
 *   a muxer that takes the sound as it comes.
 *
 * CPU seconds per minute of set (every ffmpeg child from /proc, plus main's own share) with 1 and
 * 4 targets; and the library search's p95 on a 100,000-track library while a set is live, against
 * the same searches with nothing live. MIXDECK_BENCH_OVERLOAD_SEC sets each set's length (default 30).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRtmpServer, type RtmpServer } from '../tests/support/rtmp-server';
import { openDatabase } from '../src/main/services/database/database';
import { BroadcastEngine } from '../src/main/services/broadcast/engine';
import type { VideoPacing } from '../src/main/services/broadcast/plan';
import { TrackSearch } from '../src/main/services/library/track-search';
import { createLogger } from '../src/main/services/log/logger';
import { buildBenchLibrary } from './library-search.bench';
import type { BenchResult } from './report';

const SET_SEC = Number(process.env.MIXDECK_BENCH_OVERLOAD_SEC ?? 30);
const APPS = ['twitch', 'youtube', 'facebook', 'kick'] as const;
const CLOCK_TICKS = 100;
const RATE = 48000;
const LIBRARY_TRACKS = 100_000;
const QUERIES = ['love', 'deep night', 'genre:house bpm:120-128', 'key:~8A bpm:124-128', 'love -remix year:2000-2020 rating:>=3'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function cpuSecOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** A 440 Hz tone as s16le stereo, as much as the wall clock says is due, every 10 ms. */
function startTone(write: (pcm: Buffer) => void): () => void {
  const startedAt = performance.now();
  let written = 0;
  let phase = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * RATE) - written;
    if (due <= 0) return;
    const pcm = Buffer.alloc(due * 4);
    for (let i = 0; i < due; i++) {
      const value = Math.round(Math.sin(phase) * 0.3 * 32767);
      phase += (2 * Math.PI * 440) / RATE;
      pcm.writeInt16LE(value, i * 4);
      pcm.writeInt16LE(value, i * 4 + 2);
    }
    phase %= 2 * Math.PI;
    written += due;
    write(pcm);
  }, 10);
  return () => clearInterval(timer);
}

interface SetRun {
  cpuPerMinSec: number;
  /** Search p95 (ms) measured while this set ran, when asked. */
  searchP95Ms: number | null;
}

async function runSet(server: RtmpServer, pacing: VideoPacing, split: boolean, targetCount: number, scratch: string, search?: () => number[]): Promise<SetRun> {
  const engine = new BroadcastEngine({
    ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg',
    logger: createLogger({ level: 'error' }),
    recordDir: scratch,
    videoPacing: pacing,
    splitEncoder: split,
  });
  const cpu = new Map<number, number>();
  const sample = (): void => {
    const ids = engine.processIds();
    for (const pid of [...ids.encoders, ...ids.videoEncoders, ...Object.values(ids.targets)]) {
      if (pid !== undefined) cpu.set(pid, cpuSecOf(pid) ?? cpu.get(pid) ?? 0);
    }
  };
  const mainBefore = process.cpuUsage();
  const startedAt = Date.now();
  await engine.start({
    audio: { kind: 'pcm' },
    video: { kind: 'testsrc2' },
    targets: APPS.slice(0, targetCount).map((app, index) => ({
      id: app,
      platform: 'custom' as const,
      label: app,
      server: server.rtmpUrl(app),
      streamKey: `bench_${pacing}_${app}_${index}_${Date.now()}`,
      profile: { width: 1280, height: 720, fps: 30, videoBitrateKbps: 3500, audioBitrateKbps: 160, x264Preset: 'veryfast' as const, keyframeSec: 2 },
    })),
    recording: { enabled: false },
  });
  const stopTone = startTone((pcm) => engine.writeAudio(pcm));
  const searchTimes: number[] = [];
  while (Date.now() - startedAt < SET_SEC * 1000) {
    sample();
    if (search && Date.now() - startedAt > 5000) searchTimes.push(...search());
    await sleep(search ? 20 : 250);
  }
  sample();
  const main = process.cpuUsage(mainBefore);
  stopTone();
  await engine.stop();
  const totalSec = [...cpu.values()].reduce((sum, value) => sum + value, 0) + (main.user + main.system) / 1e6;
  searchTimes.sort((a, b) => a - b);
  return { cpuPerMinSec: (totalSec * 60) / SET_SEC, searchP95Ms: search ? percentile(searchTimes, 0.95) : null };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

export async function benchBroadcastOverload(): Promise<BenchResult> {
  const server = await startRtmpServer({ apps: [...APPS], tls: false });
  const scratch = mkdtempSync(join(tmpdir(), 'mixdeck-bench-overload-'));
  const { db } = openDatabase(join(scratch, 'library.db'), createLogger({ level: 'error' }));
  try {
    buildBenchLibrary(db, LIBRARY_TRACKS);
    const trackSearch = new TrackSearch(db);
    let next = 0;
    // One synchronous search on main, timed: what the library page does while a DJ browses.
    const searchOnce = (): number[] => {
      const query = QUERIES[next++ % QUERIES.length]!;
      const begin = performance.now();
      trackSearch.page({ query, limit: 100 });
      return [performance.now() - begin];
    };
    const idleTimes: number[] = [];
    for (let run = 0; run < 300; run++) idleTimes.push(...searchOnce());
    idleTimes.sort((a, b) => a - b);
    const idleP95 = percentile(idleTimes, 0.95);

    const oldOne = await runSet(server, 'every-frame', false, 1, scratch);
    const oldFour = await runSet(server, 'every-frame', false, 4, scratch);
    const newOne = await runSet(server, 'wall-clock', true, 1, scratch, searchOnce);
    const newFour = await runSet(server, 'wall-clock', true, 4, scratch);
    const base = oldOne.cpuPerMinSec;
    return {
      name: 'broadcast routes under load, and the library while live',
      baseline: `CPU per minute of a ${SET_SEC} s set of 1280×720p30 (x264 veryfast 3500 kbps + AAC 160 kbps) to 1 target on the route before issue #16 (one ffmpeg, every frame encoded); for the search rows, the same searches with nothing live`,
      rows: [
        { label: 'CPU per minute, every-frame route, 1 target (baseline)', value: base, unit: 's', ratio: 1 },
        { label: 'CPU per minute, every-frame route, 4 targets', value: oldFour.cpuPerMinSec, unit: 's', ratio: oldFour.cpuPerMinSec / base },
        { label: 'CPU per minute, wall-clock route (video process + muxer), 1 target', value: newOne.cpuPerMinSec, unit: 's', ratio: newOne.cpuPerMinSec / base },
        { label: 'CPU per minute, wall-clock route, 4 targets', value: newFour.cpuPerMinSec, unit: 's', ratio: newFour.cpuPerMinSec / base },
        { label: 'library search first page p95, nothing live (baseline)', value: idleP95, unit: 'ms', ratio: 1 },
        { label: 'library search first page p95, while live (wall-clock route, 1 target)', value: newOne.searchP95Ms ?? Number.NaN, unit: 'ms', ratio: (newOne.searchP95Ms ?? Number.NaN) / idleP95 },
      ],
      notes: [
        `Each set lasts MIXDECK_BENCH_OVERLOAD_SEC (${SET_SEC} s here). CPU includes main's share (the tone writer, the FLV fan-out) and, during the search run, the searches themselves.`,
        `Machine load at the end (1-minute load average): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores.`,
      ],
    };
  } finally {
    db.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
