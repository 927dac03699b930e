/**
 * Go live everywhere at once, measured against a real nginx-rtmp on 127.0.0.1 (needs nginx with
 * libnginx-mod-rtmp and ffmpeg), through the same LiveSet the app and the CLI use (test tone from
 * main through the limiter, ffmpeg's test pattern, 1280×720p30 x264 veryfast 3500 kbps + AAC
 * 160 kbps, no recording):
 *
 * - CPU seconds for the set to one target and to four targets of the same profile (every ffmpeg
 *   child from /proc, plus main's own share: the audio path and the fan-out to the pushers);
 * - time from Go Live to the first packet at each target (nginx's publish callback) and to `live`;
 * - reconnect time after nginx cuts one target's connection mid-set.
 *
 * MIXDECK_BENCH_BROADCAST_SEC sets each run's length (default 60 s, so a full run takes ~2.5 min).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRtmpServer, type RtmpServer } from '../tests/support/rtmp-server';
import { LiveSet } from '../src/main/services/broadcast/live-set';
import type { StreamTarget } from '../src/main/services/broadcast/presets';
import { createLogger } from '../src/main/services/log/logger';
import type { BenchResult } from './report';

const DURATION_SEC = Number(process.env.MIXDECK_BENCH_BROADCAST_SEC ?? 60);
const APPS = ['twitch', 'youtube', 'facebook', 'kick'] as const;
const CLOCK_TICKS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** user + system CPU seconds of one process, from /proc (null once it has gone). */
function cpuSecOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    await sleep(10);
  }
  return true;
}

interface RunResult {
  encoderCpuSec: number;
  pusherCpuSec: number;
  mainCpuSec: number;
  firstPacketMs: number[];
  liveMs: number[];
  reconnectMs: number | null;
}

async function runSet(server: RtmpServer, targetCount: number, scratch: string, dropOne: boolean): Promise<RunResult> {
  const logger = createLogger({ level: 'error' });
  const set = new LiveSet({ ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg', logger, listeners: {} });
  const keys = APPS.slice(0, targetCount).map((app, index) => `bench_${app}_${index}_${Date.now()}`);
  const targets: StreamTarget[] = APPS.slice(0, targetCount).map((app, index) => ({
    id: app,
    platform: 'custom',
    label: app,
    server: server.rtmpUrl(app),
    streamKey: keys[index]!,
    profile: { width: 1280, height: 720, fps: 30, videoBitrateKbps: 3500, audioBitrateKbps: 160, x264Preset: 'veryfast', keyframeSec: 2 },
  }));
  const stateOf = (id: string): string | undefined => set.targetStatuses().find((target) => target.id === id)?.state;
  const cpu = new Map<number, { kind: 'encoder' | 'pusher'; sec: number }>();
  const sample = (): void => {
    const ids = set.processIds();
    if (!ids) return;
    for (const pid of ids.encoders) cpu.set(pid, { kind: 'encoder', sec: cpuSecOf(pid) ?? cpu.get(pid)?.sec ?? 0 });
    for (const pid of Object.values(ids.targets)) if (pid !== undefined) cpu.set(pid, { kind: 'pusher', sec: cpuSecOf(pid) ?? cpu.get(pid)?.sec ?? 0 });
  };

  const mainBefore = process.cpuUsage();
  const attemptsBefore = server.publishAttempts.length;
  const startedAt = Date.now();
  await set.goLive({
    targets,
    audio: { source: 'tone', deviceName: null, channels: [1, 2], sampleRate: 48000, monitor: false, monitorDeviceName: null, filePath: null, limiterCeilingDb: -1 },
    video: { kind: 'testsrc' },
    record: false,
    recordingFolder: scratch,
  });
  const liveMs: number[] = [];
  await Promise.all(
    targets.map(async (target) => {
      if (await until(() => stateOf(target.id) === 'live', 20_000)) liveMs.push(Date.now() - startedAt);
    }),
  );
  const firstPacketMs = server.publishAttempts
    .slice(attemptsBefore)
    .filter((attempt) => attempt.accepted)
    .map((attempt) => attempt.at - startedAt);

  let reconnectMs: number | null = null;
  const endAt = startedAt + DURATION_SEC * 1000;
  while (Date.now() < endAt) {
    sample();
    if (dropOne && reconnectMs === null && Date.now() - startedAt > (DURATION_SEC * 1000) / 2) {
      const reconnectsBefore = set.targetStatuses().find((target) => target.id === 'twitch')!.reconnects;
      const cutAt = Date.now();
      await server.dropPublisher('twitch', keys[0]!);
      const back = await until(() => {
        const twitch = set.targetStatuses().find((target) => target.id === 'twitch')!;
        return twitch.reconnects > reconnectsBefore && twitch.state === 'live';
      }, 30_000);
      reconnectMs = back ? Date.now() - cutAt : -1;
    }
    await sleep(250);
  }
  sample();
  const main = process.cpuUsage(mainBefore);
  await set.end();
  const sum = (kind: 'encoder' | 'pusher'): number => [...cpu.values()].filter((entry) => entry.kind === kind).reduce((total, entry) => total + entry.sec, 0);
  return { encoderCpuSec: sum('encoder'), pusherCpuSec: sum('pusher'), mainCpuSec: (main.user + main.system) / 1e6, firstPacketMs, liveMs, reconnectMs };
}

export async function benchBroadcast(): Promise<BenchResult> {
  const server = await startRtmpServer({ apps: [...APPS], tls: false });
  const scratch = mkdtempSync(join(tmpdir(), 'mixdeck-bench-broadcast-'));
  try {
    const one = await runSet(server, 1, scratch, false);
    const four = await runSet(server, 4, scratch, true);
    const total = (run: RunResult): number => run.encoderCpuSec + run.pusherCpuSec + run.mainCpuSec;
    const max = (values: number[]): number => (values.length > 0 ? Math.max(...values) : Number.NaN);
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return {
      name: 'broadcast',
      baseline: `the same ${DURATION_SEC} s set of 1280×720p30 (x264 veryfast 3500 kbps + AAC 160 kbps) to one target`,
      rows: [
        { label: `CPU, ${DURATION_SEC} s to 1 target (encoder + pusher + main)`, value: total(one), unit: 's', ratio: 1 },
        { label: `CPU, ${DURATION_SEC} s to 4 targets of the same profile`, value: total(four), unit: 's', ratio: total(four) / total(one) },
        { label: '  of which the one encoder (4 targets)', value: four.encoderCpuSec, unit: 's', ratio: four.encoderCpuSec / one.encoderCpuSec },
        { label: '  of which the 4 copy-pushers', value: four.pusherCpuSec, unit: 's', ratio: four.pusherCpuSec / Math.max(1e-9, one.pusherCpuSec) },
        { label: '  of which main (audio path, fan-out)', value: four.mainCpuSec, unit: 's', ratio: four.mainCpuSec / Math.max(1e-9, one.mainCpuSec) },
        { label: 'Go Live → first packet, 1 target', value: max(one.firstPacketMs), unit: 'ms', ratio: 1 },
        { label: 'Go Live → first packet at each of 4 (slowest)', value: max(four.firstPacketMs), unit: 'ms', ratio: max(four.firstPacketMs) / max(one.firstPacketMs) },
        { label: 'Go Live → first packet at each of 4 (mean)', value: mean(four.firstPacketMs), unit: 'ms', ratio: mean(four.firstPacketMs) / max(one.firstPacketMs) },
        { label: 'Go Live → all 4 `live`', value: max(four.liveMs), unit: 'ms', ratio: max(four.liveMs) / max(one.liveMs) },
        { label: 'reconnect after the server cut one target (→ live again)', value: four.reconnectMs ?? Number.NaN, unit: 'ms' },
      ],
      notes: [
        `Each run lasts MIXDECK_BENCH_BROADCAST_SEC (${DURATION_SEC} s here; default 60). The issue's aim is 4 targets ≤ 1.15× one: the encode happens once, each extra target is one \`-c copy\` ffmpeg.`,
        'The reconnect includes the first backoff step (1 s) before the retry.',
        `Machine load at the end (1-minute load average): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; start-up and reconnect times grow with it (ffmpeg and x264 start slowly on a busy machine).`,
      ],
    };
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
