/**
 * The measurement behind README.md's design choice: one ffmpeg with tee + fifo (A) against one
 * encoder per profile fanned out by main to a copy-pusher per target (B), both publishing to a
 * local nginx-rtmp. Run: `npx tsx src/main/services/broadcast/compare-designs.bench.ts`
 * (DURATION_MS=15000 by default; needs nginx with the RTMP module).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRtmpServer } from '../../../../tests/support/rtmp-server';
import { createLogger } from '../log/logger';
import { BroadcastEngine } from './engine';
import { buildSingleProcessArgs, planEncodes } from './plan';
import { resolveTarget, type EncodeProfile, type StreamTarget } from './presets';

const DURATION_MS = Number(process.env.DURATION_MS ?? 15_000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * CPU seconds (user + system) and, when asked, proportional memory of one process, from /proc.
 * Memory is read once at the end: smaps_rollup is costly enough to show up in main's own CPU.
 */
function usageOf(pid: number, withMemory: boolean): { cpuSec: number; pssMb: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pss = withMemory ? /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')) : null;
    return { cpuSec: (Number(fields[11]) + Number(fields[12])) / 100, pssMb: Number(pss?.[1] ?? 0) / 1024 };
  } catch {
    return null;
  }
}

/** Keeps the last reading of every process it was shown (a process's CPU only grows). */
class Meter {
  private readonly last = new Map<number, { cpuSec: number; pssMb: number }>();
  sample(pids: readonly number[], withMemory = false): void {
    for (const pid of pids) {
      const usage = usageOf(pid, withMemory);
      if (usage) this.last.set(pid, usage);
    }
  }
  cpuOf(pids: readonly number[]): number {
    return pids.reduce((sum, pid) => sum + (this.last.get(pid)?.cpuSec ?? 0), 0);
  }
  get cpuSec(): number {
    return [...this.last.values()].reduce((sum, usage) => sum + usage.cpuSec, 0);
  }
  get pssMb(): number {
    return [...this.last.values()].reduce((sum, usage) => sum + usage.pssMb, 0);
  }
}

async function main(): Promise<void> {
  const server = await startRtmpServer({ tls: false });
  const scratch = mkdtempSync(join(tmpdir(), 'mixdeck-compare-'));
  const profile: Partial<EncodeProfile> = { width: 1280, height: 720, fps: 30, videoBitrateKbps: 3500, audioBitrateKbps: 160, x264Preset: 'veryfast' };
  const targetsFor = (design: string): StreamTarget[] =>
    ['twitch', 'youtube', 'facebook', 'tiktok'].map((app) => ({ id: app, platform: 'custom', server: server.rtmpUrl(app), streamKey: `${design}-${app}-key`, profile }));
  const fifthFor = (design: string): StreamTarget => ({ id: 'kick', platform: 'custom', server: server.rtmpUrl('kick'), streamKey: `${design}-kick-key`, profile });
  say(`720p30 x264 veryfast 3500k + AAC 160k, 4 targets, ${DURATION_MS / 1000} s, nginx-rtmp on 127.0.0.1`);

  try {
    // A: one ffmpeg, -f tee with a fifo per target.
    const runA = (targets: StreamTarget[]): ChildProcess => {
      const { args } = buildSingleProcessArgs({
        groups: planEncodes(targets.map(resolveTarget)),
        audio: { kind: 'sine', frequencyHz: 440 },
        video: { kind: 'testsrc2' },
        recordingPath: join(scratch, `a-${Date.now()}.mkv`),
      });
      const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe', 'ignore', 'pipe'] });
      child.stderr?.resume();
      (child.stdio[4] as NodeJS.ReadableStream).resume();
      return child;
    };
    const meterA = new Meter();
    const a = runA(targetsFor('a'));
    const sampleA = setInterval(() => meterA.sample([a.pid!]), 1000);
    await sleep(DURATION_MS);
    clearInterval(sampleA);
    meterA.sample([a.pid!], true);
    say(`A steady: ffmpeg ${meterA.cpuSec.toFixed(2)} CPU s, ${meterA.pssMb.toFixed(0)} MB PSS`);
    const restartAt = Date.now();
    a.kill('SIGINT');
    await new Promise((resolve) => a.once('close', resolve));
    const before = server.publishAttempts.length;
    const a2 = runA([...targetsFor('a'), fifthFor('a')]);
    while (server.publishAttempts.length < before + 5) await sleep(5);
    const republishMs = Math.max(...server.publishAttempts.slice(before).map((attempt) => attempt.at)) - restartAt;
    await sleep(1000);
    a2.kill('SIGINT');
    await new Promise((resolve) => a2.once('close', resolve));
    const brokenA = ['twitch', 'youtube', 'facebook', 'tiktok'].filter((app) => server.recordings(app, `a-${app}-key`).length > 1);
    say(`A add a 5th target: restart; every target off air ~${republishMs} ms and re-published (${brokenA.length}/4 streams broken)`);

    // B: the engine.
    const meterB = new Meter();
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: createLogger({ level: 'error' }), recordDir: scratch });
    const nodeBefore = process.cpuUsage();
    await engine.start({ audio: { kind: 'sine', frequencyHz: 440 }, video: { kind: 'testsrc2' }, targets: targetsFor('b') });
    const pids = (): number[] => {
      const ids = engine.processIds();
      return [...ids.encoders, ...Object.values(ids.targets).filter((pid): pid is number => pid !== undefined)];
    };
    const sampleB = setInterval(() => meterB.sample(pids()), 1000);
    await sleep(DURATION_MS);
    clearInterval(sampleB);
    const node = process.cpuUsage(nodeBefore);
    meterB.sample(pids(), true);
    const encoderCpu = meterB.cpuOf(engine.processIds().encoders);
    say(
      `B steady: encoder ${encoderCpu.toFixed(2)} + 4 pushers ${(meterB.cpuSec - encoderCpu).toFixed(2)} CPU s, ` +
        `main's fan-out ${((node.user + node.system) / 1e6).toFixed(2)} CPU s, ${meterB.pssMb.toFixed(0)} MB PSS`,
    );
    const addedAt = Date.now();
    engine.addTarget(fifthFor('b'));
    while (engine.getStatus().targets.find((target) => target.id === 'kick')?.state !== 'live') await sleep(5);
    const liveMs = Date.now() - addedAt;
    await sleep(1000);
    const others = engine.getStatus().targets.filter((target) => target.id !== 'kick');
    await engine.stop();
    const brokenB = ['twitch', 'youtube', 'facebook', 'tiktok'].filter((app) => server.recordings(app, `b-${app}-key`).length > 1);
    say(
      `B add a 5th target: live in ${liveMs} ms; others ${others.map((target) => `${target.state}/${target.reconnects} reconnects/${target.droppedFrames} dropped`).join(', ')} ` +
        `(${brokenB.length}/4 streams broken)`,
    );
  } finally {
    await server.stop();
  }
}

void main();
