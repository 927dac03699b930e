/**
 * Pitch benchmark: accuracy and cost of our detector against pitchfinder's YIN
 * and MacLeod (MPM) on the same synthetic karaoke material, in the same run.
 *
 *   benchPitch()  → ours vs YIN vs MacLeod (share within 50 cents, octave
 *                   errors, silence/breath reports, µs per 2048-sample frame)
 *   ablatePitch() → our pipeline built up one step at a time
 *
 * Both print a table and return the rows. Run directly with
 * `npx tsx src/audio-engine/pitch/pitch.bench.ts` (add `--ablation` for the steps).
 */
import Pitchfinder from 'pitchfinder';
import { PitchTracker } from './pitch-tracker';
import type { PitchTrackerOptions } from './pitch-tracker';
import { conditionName, formatScoreTable, renderEvaluationScenes, scoreByCondition, trackFrames } from '../testing/pitch-evaluation';
import type { EvaluationScene, ScoreRow } from '../testing/pitch-evaluation';
import type { PitchScore } from '../testing/pitch-scoring';

const sampleRate = 48_000;
const frameSize = 2048;
const hopSize = 960;

export interface PitchBenchRow {
  detector: string;
  condition: string;
  withinTolerance: number;
  octaveErrors: number;
  missed: number;
  silenceReports: number;
  breathReports: number;
  microsecondsPerFrame: number;
  /** µs per frame relative to pitchfinder YIN's (ours / YIN); NaN for rows without a YIN twin. */
  costRelativeToYin: number;
}

export interface PitchBenchOptions {
  /** Performances (seeds) to render; each gives a male and a female take, alone and with backing at −12 dB. */
  seeds?: readonly number[];
  print?: boolean;
}

type FrameDetectorFactory = () => (frame: Float32Array) => number | null;

interface Contender {
  name: string;
  /** Returns the track of one scene. */
  run(scene: EvaluationScene): ArrayLike<number>;
}

function trackerContender(name: string, options: Omit<PitchTrackerOptions, 'sampleRate'> = {}): Contender {
  return { name, run: ({ scene }) => new PitchTracker({ sampleRate, frameSize, hopSize, ...options }).analyse(scene.samples).frequencyHz };
}

function frameContender(name: string, create: FrameDetectorFactory): Contender {
  return { name, run: ({ scene }) => trackFrames(scene.samples, frameSize, hopSize, create()) };
}

interface Measured {
  name: string;
  scores: Map<string, PitchScore>;
  microsecondsPerFrame: number;
}

function measure(contender: Contender, scenes: readonly EvaluationScene[]): Measured {
  contender.run(scenes[0]!); // warm the JIT up before timing
  const tracks: ArrayLike<number>[] = [];
  let frames = 0;
  const startMs = performance.now();
  for (const scene of scenes) {
    tracks.push(contender.run(scene));
    frames += scene.truth.frameCount;
  }
  const elapsedMs = performance.now() - startMs;
  return { name: contender.name, scores: scoreByCondition(scenes, tracks), microsecondsPerFrame: (1000 * elapsedMs) / frames };
}

function toRows(measured: readonly Measured[], yinMicroseconds: number): PitchBenchRow[] {
  return measured.flatMap(({ name, scores, microsecondsPerFrame }) =>
    [...scores].map(([condition, score]) => ({
      detector: name,
      condition,
      withinTolerance: score.withinTolerance,
      octaveErrors: score.octaveErrors,
      missed: score.missed,
      silenceReports: score.silenceReports,
      breathReports: score.breathReports,
      microsecondsPerFrame,
      costRelativeToYin: yinMicroseconds > 0 ? microsecondsPerFrame / yinMicroseconds : Number.NaN,
    })),
  );
}

function table(measured: readonly Measured[]): string {
  const rows: ScoreRow[] = measured.flatMap(({ name, scores, microsecondsPerFrame }) =>
    [...scores].map(([condition, score]) => ({ detector: name, condition, score, microsecondsPerFrame })),
  );
  return formatScoreTable(rows);
}

/** Ours vs pitchfinder YIN and MacLeod on the same frames. */
export async function benchPitch(options: PitchBenchOptions = {}): Promise<{ rows: PitchBenchRow[]; table: string }> {
  const { seeds = [11], print = true } = options;
  const scenes = renderEvaluationScenes({ sampleRate, frameSize, hopSize, seeds, backingDbs: [null, -12] });
  const contenders: Contender[] = [
    trackerContender('ours'),
    frameContender('pitchfinder YIN', () => Pitchfinder.YIN({ sampleRate })),
    frameContender('pitchfinder MacLeod', () => {
      const macleod = Pitchfinder.Macleod({ sampleRate, bufferSize: frameSize });
      return (frame) => macleod(frame).freq;
    }),
  ];
  const measured = contenders.map((contender) => measure(contender, scenes));
  const yinMicroseconds = measured.find((entry) => entry.name === 'pitchfinder YIN')?.microsecondsPerFrame ?? Number.NaN;
  const rows = toRows(measured, yinMicroseconds);
  const text = `${table(measured)}\nours costs ${(rows[0]!.costRelativeToYin * 100).toFixed(0)} % of pitchfinder YIN's time per frame (${scenes.length} scenes from seed(s) ${seeds.join(' ')}, alone and ${conditionName(-12)})`;
  if (print) console.log(text);
  return { rows, table: text };
}

/** Our pipeline built up one step at a time, to show what each step buys. */
export async function ablatePitch(options: PitchBenchOptions = {}): Promise<{ rows: PitchBenchRow[]; table: string }> {
  const { seeds = [11, 12], print = true } = options;
  const scenes = renderEvaluationScenes({ sampleRate, frameSize, hopSize, seeds, backingDbs: [null, -12] });
  const deepestDip = { bias: 0, ratio: 0, perOctave: 0, lowSnrBonus: 0 };
  const fixedAllowance = { lowSnrBonus: 0 };
  const raw = { smoothing: false, bleedGate: false, gateDb: -50 } as const;
  const steps: Contender[] = [
    trackerContender('1 CMND via FFT, deepest dip, full band', { ...raw, highPassHz: 0, lowPassHz: 0, octaveChoice: deepestDip }),
    trackerContender('2 + YIN-style threshold 0.1 on sub-multiples', { ...raw, highPassHz: 0, lowPassHz: 0, octaveChoice: { ...deepestDip, bias: 0.1 } }),
    trackerContender('3 + band 70–1500 Hz', { ...raw, highPassHz: 70, lowPassHz: 1500, octaveChoice: { ...deepestDip, bias: 0.1 } }),
    trackerContender('4 + band 150–4000 Hz', { ...raw, octaveChoice: { ...deepestDip, bias: 0.1 } }),
    trackerContender('5 + octave choice, fixed allowance', { ...raw, octaveChoice: fixedAllowance }),
    trackerContender('6 + bleed gate', { smoothing: false, octaveChoice: fixedAllowance }),
    trackerContender('7 + allowance grows at low SNR', { smoothing: false }),
    trackerContender('8 + 3-frame smoothing (default)'),
  ];
  const measured = steps.map((step) => measure(step, scenes));
  const rows = toRows(measured, Number.NaN);
  const text = table(measured);
  if (print) console.log(text);
  return { rows, table: text };
}

// Bench files are type-checked without Node's types too, so reach `process` through a narrow view.
const nodeProcess = (globalThis as unknown as { process?: { argv: string[] } }).process;
if (nodeProcess !== undefined && /pitch\.bench\.ts$/.test(nodeProcess.argv[1] ?? '')) {
  await (nodeProcess.argv.includes('--ablation') ? ablatePitch() : benchPitch());
}
