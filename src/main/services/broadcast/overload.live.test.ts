import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtmpServer, type RtmpServer } from '../../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { analyseTone, decodeLeft } from '../../../../tests/support/tone-analysis';
import { createLogger } from '../log/logger';
import { BroadcastEngine, type BroadcastStatus, type BroadcastSummary } from './engine';
import type { EncodeProfile } from './presets';

/*
 * THE LONG ONE (~150 s): a 120 s set on purpose overloaded. The encoder (every thread of it) is
 * pinned to one core and asked for 1920×1080 at x264's "medium", and two CPU burners share that
 * core with it, so the encoder gets about a third of one core: an idle core of this machine kept
 * up with medium alone; under load it managed 5–8 fps of 30. Sound comes in as PCM paced by the wall clock, as a sound
 * card delivers it. What must hold: the status says "Encoding overloaded" in words, the target's
 * row shows the bitrate the server really got, and the recording (and what the server got) lasts
 * as long as the set with the tone whole.
 */

const SET_SEC = 120;
const TONE_HZ = 440;
const RATE = 48000;
const HEAVY: Partial<EncodeProfile> = { width: 1920, height: 1080, fps: 30, videoBitrateKbps: 2500, audioBitrateKbps: 128, x264Preset: 'medium' };
const KEY = 'live_overload_test_key';

const burners: ChildProcess[] = [];
function stopBurners(): void {
  for (const burner of burners.splice(0)) burner.kill('SIGKILL');
}

/** Writes a steady tone as s16le stereo, as much as the wall clock says is due every 10 ms. */
function startTone(write: (pcm: Buffer) => void): { stop(): void } {
  const startedAt = performance.now();
  let written = 0;
  let phase = 0;
  const step = (2 * Math.PI * TONE_HZ) / RATE;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * RATE) - written;
    if (due <= 0) return;
    const pcm = Buffer.alloc(due * 4);
    for (let i = 0; i < due; i++) {
      const value = Math.round(Math.sin(phase) * 0.5 * 32767);
      phase += step;
      pcm.writeInt16LE(value, i * 4);
      pcm.writeInt16LE(value, i * 4 + 2);
    }
    phase %= 2 * Math.PI;
    written += due;
    write(pcm);
  }, 10);
  return { stop: () => clearInterval(timer) };
}

/** Where the sound ends, from its packets (a live FLV's header carries no duration). */
const durationOf = (file: string): number => {
  const times = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number.parseFloat) as [number, number]);
  const [pts, duration] = times[times.length - 1]!;
  return pts + (Number.isFinite(duration) ? duration : 0);
};

/** The longest stretch, in seconds, where a steady tone is missing (5 ms blocks with no peak above a fifth of its level). */
function longestDropoutSec(samples: Float32Array): number {
  const block = RATE / 200;
  let longest = 0;
  let run = 0;
  for (let start = 0; start + block <= samples.length; start += block) {
    let peak = 0;
    for (let i = start; i < start + block; i++) peak = Math.max(peak, Math.abs(samples[i]!));
    run = peak < 0.1 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return (longest * block) / RATE;
}

describe('an overloaded encoder (long: ~150 s)', () => {
  let server: RtmpServer;
  const temp = makeTempDir('mixdeck-overload-');
  const statuses: BroadcastStatus[] = [];
  let summary: BroadcastSummary;

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch'], tls: false });
    const engine = new BroadcastEngine({ ffmpegPath: 'ffmpeg', logger: createLogger({ directory: temp.path }), recordDir: temp.path, splitEncoder: true });
    engine.onDidChangeStatus((status) => statuses.push(structuredClone(status)));
    await engine.start({
      audio: { kind: 'pcm' },
      video: { kind: 'testsrc2' },
      targets: [{ id: 'twitch', platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: KEY, profile: HEAVY }],
    });
    const tone = startTone((pcm) => engine.writeAudio(pcm));
    for (const pid of [...engine.processIds().encoders, ...engine.processIds().videoEncoders]) execFileSync('taskset', ['-a', '-c', '-p', '0', String(pid)], { stdio: 'ignore' });
    for (let index = 0; index < 2; index += 1) burners.push(spawn('taskset', ['-c', '0', 'sh', '-c', 'while :; do :; done'], { stdio: 'ignore' }));
    await new Promise((resolve) => setTimeout(resolve, SET_SEC * 1000));
    stopBurners();
    tone.stop();
    summary = await engine.stop();
  }, (SET_SEC + 90) * 1000);

  afterAll(async () => {
    stopBurners();
    await server?.stop();
    temp.remove();
  });

  it('says in words that the encoder is overloaded, with the remedy to try, and counts the frames it dropped', () => {
    const overloaded = statuses.flatMap((status) => status.encodes).filter((encode) => encode.overloaded);
    expect(overloaded.length).toBeGreaterThan(0);
    const last = overloaded[overloaded.length - 1]!;
    expect(last.overloadReason).toMatch(/^Encoding overloaded: the computer cannot encode 1920×1080 at 30 fps fast enough/);
    expect(last.remedy).toMatchObject({ step: 'preset', changes: { x264Preset: 'veryfast' } });
    expect(last.encodedFps).toBeLessThan(27);
    expect(last.droppedFramesByCause.encoder).toBeGreaterThan(100);
    expect(last.droppedFramesByCause.renderer).toBe(0);
    // Sound over picture: not one PCM byte was dropped.
    expect(last.audioDroppedMs).toBe(0);
    console.log(
      `overload: ${last.encodedFps} fps encoded of 30, speed ${last.speed}, dropped by the encoder ${last.droppedFramesByCause.encoder}, ` +
        `first reported ${((statuses.find((status) => status.encodes.some((encode) => encode.overloaded))!.uptimeSec) || 0).toFixed(1)} s into the set`,
    );
  });

  it("shows on the target's row the bitrate the server really received", () => {
    const [flv] = server.recordings('twitch', KEY);
    expect(flv).toBeDefined();
    const receivedKbps = (statSync(flv!).size * 8) / durationOf(flv!) / 1000;
    const rows = statuses.flatMap((status) => status.targets).filter((row) => row.state === 'live' && row.uptimeSec > 20);
    const shownKbps = rows.reduce((sum, row) => sum + row.bitrateKbps, 0) / rows.length;
    console.log(`bitrate: row shows ${shownKbps.toFixed(0)} kbps on average, the server received ${receivedKbps.toFixed(0)} kbps, target ${rows[0]!.targetBitrateKbps}`);
    expect(Math.abs(shownKbps - receivedKbps) / receivedKbps).toBeLessThan(0.25);
    // What it says about itself agrees with the number: degraded only when far below its target.
    for (const row of rows) expect(row.degraded !== null).toBe(row.bitrateKbps < row.targetBitrateKbps * 0.6);
  });

  it('leaves a recording as long as the set, its tone whole, and the server got the same', () => {
    expect(summary.durationSec).toBeGreaterThan(SET_SEC - 1);
    const recording = summary.recordings[0]!.mp4Path!;
    expect(summary.recordings).toHaveLength(1);
    for (const [name, file] of [
      ['recording', recording],
      ['server', server.recordings('twitch', KEY)[0]!],
    ] as const) {
      const durationSec = durationOf(file);
      const samples = decodeLeft(file, 0.2, durationSec - 0.4);
      const dropoutSec = longestDropoutSec(samples);
      const middle = analyseTone(file, durationSec / 2);
      console.log(`${name}: ${durationSec.toFixed(2)} s for a set of ${summary.durationSec.toFixed(2)} s; longest dropout ${(dropoutSec * 1000).toFixed(0)} ms; ${middle.frequencyHz.toFixed(1)} Hz`);
      // The recording starts with the set; the target joins at the first keyframe, which an
      // encoder this overloaded (and x264 starting on a busy core) takes seconds to make.
      const lateStartSec = name === 'recording' ? 1 : 10;
      expect(durationSec).toBeGreaterThan(summary.durationSec - lateStartSec);
      expect(durationSec).toBeLessThan(summary.durationSec + 1);
      expect(samples.length / RATE).toBeGreaterThan(summary.durationSec - lateStartSec - 0.5);
      expect(dropoutSec).toBeLessThanOrEqual(0.05);
      expect(middle.frequencyHz).toBeGreaterThan(TONE_HZ - 1);
      expect(middle.frequencyHz).toBeLessThan(TONE_HZ + 1);
    }
  });
});
