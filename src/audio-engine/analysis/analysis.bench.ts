/**
 * Accuracy and speed of the track analysis on generated music (src/audio-engine/music-synth):
 *  - tempo Acc1/Acc2 on every style at its usual tempos, and on a stress set
 *    that plays every style at every tempo from 70 to 180 BPM;
 *  - key: correct / fifth / relative / parallel / other and the MIREX-weighted score;
 *  - speed of `analyseTrack` and of the live tracker, in × real time on one core.
 * Other tempo estimators can be compared by passing them as `tempoPeers`.
 */
import { MUSIC_STYLES, keyClipSet, renderClip, tempoClipSet, tempoStressClipSet } from '../music-synth';
import type { ClipRequest } from '../music-synth';
import { KEY_OUTCOME_WEIGHTS, keyOutcome, tempoMatches, tempoMatchesUpToOctave } from './evaluation';
import type { KeyOutcome } from './evaluation';
import { analyseTrack } from './index';
import { estimateKey } from './key';
import { LiveTempoTracker, estimateTempo } from './tempo';

/** A tempo estimator to compare: mono samples in, BPM out. */
export type TempoPeer = (mono: Float32Array, sampleRate: number) => number | Promise<number>;

export interface BenchOptions {
  /** Extra tempo estimators, reported beside ours on the same clips. */
  tempoPeers?: Record<string, TempoPeer>;
  /** Where report lines go (default console.log). */
  log?: (line: string) => void;
  /** Clips per style in the main tempo set (default 10). */
  clipsPerStyle?: number;
  sampleRate?: number;
  clipDurationSec?: number;
}

export interface TempoScore {
  acc1: number;
  acc2: number;
  clipCount: number;
  byStyle: Record<string, { acc1: number; acc2: number; clipCount: number }>;
}

export interface BenchReport {
  tempo: Record<string, TempoScore>;
  tempoStress: Record<string, TempoScore>;
  key: { clipCount: number; outcomes: Record<KeyOutcome, number>; correctOrRelated: number; weightedScore: number };
  speed: { trackStereo44kTimesRealtime: number; trackMono22kTimesRealtime: number; liveTrackerTimesRealtime: number };
}

async function scoreTempo(requests: ClipRequest[], estimators: Record<string, TempoPeer>): Promise<Record<string, TempoScore>> {
  const scores: Record<string, TempoScore> = {};
  for (const name of Object.keys(estimators)) scores[name] = { acc1: 0, acc2: 0, clipCount: 0, byStyle: {} };
  for (const request of requests) {
    const clip = renderClip(request);
    for (const [name, estimator] of Object.entries(estimators)) {
      const estimateBpm = await estimator(clip.mono, clip.sampleRate);
      const score = scores[name]!;
      const style = (score.byStyle[request.style] ??= { acc1: 0, acc2: 0, clipCount: 0 });
      const hit1 = tempoMatches(estimateBpm, request.tempoBpm) ? 1 : 0;
      const hit2 = tempoMatchesUpToOctave(estimateBpm, request.tempoBpm) ? 1 : 0;
      score.acc1 += hit1;
      score.acc2 += hit2;
      score.clipCount++;
      style.acc1 += hit1;
      style.acc2 += hit2;
      style.clipCount++;
    }
  }
  for (const score of Object.values(scores)) {
    score.acc1 /= score.clipCount;
    score.acc2 /= score.clipCount;
    for (const style of Object.values(score.byStyle)) {
      style.acc1 /= style.clipCount;
      style.acc2 /= style.clipCount;
    }
  }
  return scores;
}

function timesRealtime(durationSec: number, run: () => void): number {
  run();
  const started = performance.now();
  run();
  return durationSec / ((performance.now() - started) / 1000);
}

const percent = (value: number): string => `${(100 * value).toFixed(1)} %`;

export async function benchAnalysis(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const sampleRate = options.sampleRate ?? 22050;
  const durationSec = options.clipDurationSec ?? 10;
  const estimators: Record<string, TempoPeer> = {
    mixdeck: (mono, rate) => estimateTempo([mono], rate).tempoBpm,
    ...options.tempoPeers,
  };

  const tempoSet = tempoClipSet({ sampleRate, durationSec, baseSeed: 7, clipsPerStyle: options.clipsPerStyle ?? 10 });
  const tempo = await scoreTempo(tempoSet, estimators);
  log(`Tempo, ${tempoSet.length} clips of ${durationSec} s (${MUSIC_STYLES.length} styles at their usual tempos, 72–180 BPM):`);
  for (const [name, score] of Object.entries(tempo)) {
    log(`  ${name.padEnd(12)} Acc1 ${percent(score.acc1)}  Acc2 ${percent(score.acc2)}`);
    log(`    ${Object.entries(score.byStyle).map(([style, s]) => `${style} ${percent(s.acc1)}`).join(', ')}`);
  }

  const stressSet = tempoStressClipSet({ sampleRate, durationSec, baseSeed: 7, tempos: 8 });
  const tempoStress = await scoreTempo(stressSet, estimators);
  log(`Tempo stress set, ${stressSet.length} clips (every style at 8 tempos from 70 to 180 BPM, in idiom or not):`);
  for (const [name, score] of Object.entries(tempoStress)) log(`  ${name.padEnd(12)} Acc1 ${percent(score.acc1)}  Acc2 ${percent(score.acc2)}`);

  const keySet = keyClipSet({ sampleRate, durationSec, baseSeed: 7, rounds: 4 });
  const outcomes: Record<KeyOutcome, number> = { correct: 0, fifth: 0, relative: 0, parallel: 0, other: 0 };
  for (const request of keySet) {
    const clip = renderClip(request);
    const estimate = estimateKey(clip.channels, clip.sampleRate);
    outcomes[estimate ? keyOutcome(request.key, estimate) : 'other']++;
  }
  const keyCount = keySet.length;
  const correctOrRelated = (outcomes.correct + outcomes.fifth + outcomes.relative) / keyCount;
  const weightedScore = (Object.entries(outcomes) as [KeyOutcome, number][]).reduce((sum, [outcome, count]) => sum + KEY_OUTCOME_WEIGHTS[outcome] * count, 0) / keyCount;
  log(`Key, ${keyCount} clips (each of the 24 keys 4 times):`);
  const shares = (Object.entries(outcomes) as [KeyOutcome, number][]).map(([outcome, count]) => `${outcome} ${percent(count / keyCount)}`);
  log(`  ${shares.join(', ')}; correct or related ${percent(correctOrRelated)}, MIREX-weighted ${weightedScore.toFixed(3)}`);

  const trackSec = 180;
  const stereo = renderClip({ style: 'house', tempoBpm: 124, key: { tonic: 9, mode: 'minor' }, durationSec: trackSec, sampleRate: 44100, seed: 1, channelCount: 2 });
  const mono = renderClip({ style: 'house', tempoBpm: 124, key: { tonic: 9, mode: 'minor' }, durationSec: trackSec, sampleRate: 22050, seed: 1 });
  const trackStereo44kTimesRealtime = timesRealtime(trackSec, () => analyseTrack(stereo.channels, 44100));
  const trackMono22kTimesRealtime = timesRealtime(trackSec, () => analyseTrack(mono.channels, 22050));
  const liveTrackerTimesRealtime = timesRealtime(trackSec, () => {
    const tracker = new LiveTempoTracker(44100);
    for (let from = 0; from < stereo.channels[0]!.length; from += 512) tracker.push(stereo.channels.map((channel) => channel.subarray(from, from + 512)));
  });
  log(
    `Speed (one core): analyseTrack ${trackStereo44kTimesRealtime.toFixed(0)}× real time on 44.1 kHz stereo, ` +
      `${trackMono22kTimesRealtime.toFixed(0)}× on 22.05 kHz mono; live tracker ${liveTrackerTimesRealtime.toFixed(0)}× (44.1 kHz stereo, 512-frame blocks)`,
  );

  return {
    tempo,
    tempoStress,
    key: { clipCount: keyCount, outcomes, correctOrRelated, weightedScore },
    speed: { trackStereo44kTimesRealtime, trackMono22kTimesRealtime, liveTrackerTimesRealtime },
  };
}
