/**
 * Shared harness for pitch tests and benchmarks: renders the karaoke scenes,
 * runs any frame-by-frame detector over them and prints score tables.
 */
import { MELODIES, frameTruth, renderKaraokeScenes } from './karaoke-scenes';
import type { FrameTruth, KaraokeScene } from './karaoke-scenes';
import { combineScores, scorePitchTrack } from './pitch-scoring';
import type { PitchScore } from './pitch-scoring';

export interface EvaluationScene {
  scene: KaraokeScene;
  /** The performance: which seed rendered the voice and the band. */
  seed: number;
  truth: FrameTruth;
  /** Backing level relative to the voice, dB; null for the voice alone. */
  backingDb: number | null;
}

export interface EvaluationOptions {
  sampleRate: number;
  frameSize: number;
  hopSize: number;
  seeds: readonly number[];
  backingDbs: readonly (number | null)[];
}

/** Every melody × seed, each heard under every backing level (the voice and the band are rendered once per pair). */
export function renderEvaluationScenes({ sampleRate, frameSize, hopSize, seeds, backingDbs }: EvaluationOptions): EvaluationScene[] {
  const scenes: EvaluationScene[] = [];
  for (const seed of seeds) {
    for (const melody of MELODIES) {
      renderKaraokeScenes({ melody, sampleRate, seed, backingDbs }).forEach((scene, index) => {
        scenes.push({ scene, seed, truth: frameTruth(scene.voice, frameSize, hopSize), backingDb: backingDbs[index] ?? null });
      });
    }
  }
  return scenes;
}

/** Runs a stateless frame detector (Hz, or 0 / null / negative for "no pitch") on every frame. */
export function trackFrames(
  samples: Float32Array,
  frameSize: number,
  hopSize: number,
  detectHz: (frame: Float32Array) => number | null,
): Float32Array {
  const frameCount = samples.length < frameSize ? 0 : Math.floor((samples.length - frameSize) / hopSize) + 1;
  const frequencyHz = new Float32Array(frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    const start = frame * hopSize;
    const estimateHz = detectHz(samples.subarray(start, start + frameSize));
    frequencyHz[frame] = estimateHz !== null && Number.isFinite(estimateHz) && estimateHz > 0 ? estimateHz : 0;
  }
  return frequencyHz;
}

/** Scores of one detector per backing condition (key: "alone" or "backing -12 dB"). */
export function scoreByCondition(scenes: readonly EvaluationScene[], tracks: readonly ArrayLike<number>[]): Map<string, PitchScore> {
  const grouped = new Map<string, PitchScore[]>();
  scenes.forEach((evaluation, index) => {
    const key = conditionName(evaluation.backingDb);
    const list = grouped.get(key) ?? [];
    list.push(scorePitchTrack(tracks[index] ?? [], evaluation.truth));
    grouped.set(key, list);
  });
  return new Map([...grouped].map(([key, scores]) => [key, combineScores(scores)]));
}

export function conditionName(backingDb: number | null): string {
  return backingDb === null ? 'alone' : `backing ${backingDb} dB`;
}

export interface ScoreRow {
  detector: string;
  condition: string;
  score: PitchScore;
  microsecondsPerFrame?: number;
}

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

export function formatScoreTable(rows: readonly ScoreRow[]): string {
  const header = ['detector', 'condition', '≤50 cents', 'octave err', 'missed', 'silence rep', 'breath rep', 'glide ≤50c', 'µs/frame'];
  const lines = rows.map((row) => [
    row.detector,
    row.condition,
    percent(row.score.withinTolerance),
    percent(row.score.octaveErrors),
    percent(row.score.missed),
    percent(row.score.silenceReports),
    percent(row.score.breathReports),
    percent(row.score.glideWithinTolerance),
    row.microsecondsPerFrame === undefined ? '' : row.microsecondsPerFrame.toFixed(0),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const format = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
