import { describe, expect, it } from 'vitest';
import { keyClipSet, renderClip } from '../music-synth';
import { keyName } from './camelot';
import { KEY_OUTCOME_WEIGHTS, keyOutcome } from './evaluation';
import type { KeyOutcome } from './evaluation';
import { estimateKey } from './key';

const SAMPLE_RATE = 22050;

describe('estimateKey on generated music', () => {
  // Chord loops + bass + melody + drums, every key twice (48 clips of 10 s).
  const requests = keyClipSet({ sampleRate: SAMPLE_RATE, durationSec: 10, baseSeed: 2025, rounds: 2 });
  const outcomes = requests.map((request) => {
    const clip = renderClip(request);
    const estimate = estimateKey(clip.channels, SAMPLE_RATE);
    return { request, estimate, outcome: estimate ? keyOutcome(request.key, estimate) : ('other' as KeyOutcome) };
  });
  const share = (...kinds: KeyOutcome[]): number => outcomes.filter(({ outcome }) => kinds.includes(outcome)).length / outcomes.length;
  const weighted = outcomes.reduce((sum, { outcome }) => sum + KEY_OUTCOME_WEIGHTS[outcome], 0) / outcomes.length;
  const summary =
    `correct ${share('correct').toFixed(3)}, +fifth/relative ${share('correct', 'fifth', 'relative').toFixed(3)}, weighted ${weighted.toFixed(3)}; misses: ` +
    outcomes
      .filter(({ outcome }) => outcome !== 'correct')
      .map(({ request, estimate, outcome }) => `${keyName(request.key)}→${estimate ? keyName(estimate) : 'none'} (${outcome})`)
      .join(', ');

  it('covers all 24 keys', () => {
    expect(new Set(requests.map(({ key }) => keyName(key))).size).toBe(24);
  });

  it('names the key or a fifth/relative of it on at least 80 % of clips', () => {
    expect(share('correct', 'fifth', 'relative'), summary).toBeGreaterThanOrEqual(0.8);
  });

  it('names the exact key on at least 65 % of clips', () => {
    expect(share('correct'), summary).toBeGreaterThanOrEqual(0.65);
  });
});

describe('estimateKey', () => {
  it('keeps the key of a record tuned to A = 432 Hz and reports the detuning', () => {
    const request = { style: 'house', tempoBpm: 122, key: { tonic: 7, mode: 'major' }, durationSec: 12, sampleRate: SAMPLE_RATE, seed: 31 } as const;
    const clip = renderClip(request);
    const inTune = estimateKey(clip.channels, SAMPLE_RATE)!;
    // Declaring a lower sample rate than the audio was rendered at lowers every pitch by the same ratio.
    const detuned = estimateKey(clip.channels, (SAMPLE_RATE * 432) / 440)!;
    expect(keyName(inTune)).toBe('G major');
    expect(keyName(detuned)).toBe('G major');
    expect(inTune.tuningCents).toBeCloseTo(0, -1);
    expect(detuned.tuningCents).toBeGreaterThan(-37);
    expect(detuned.tuningCents).toBeLessThan(-27);
  });

  it('gives names and Camelot codes, with a confidence between 0 and 1', () => {
    const clip = renderClip({ style: 'drum-and-bass', tempoBpm: 172, key: { tonic: 9, mode: 'minor' }, durationSec: 10, sampleRate: SAMPLE_RATE, seed: 4 });
    const estimate = estimateKey(clip.channels, SAMPLE_RATE)!;
    expect(estimate.name).toBe(keyName(estimate));
    expect(estimate.camelot).toMatch(/^(1[0-2]|[1-9])[AB]$/);
    expect(estimate.confidence).toBeGreaterThanOrEqual(0);
    expect(estimate.confidence).toBeLessThanOrEqual(1);
  });

  it('returns null for silence', () => {
    expect(estimateKey([new Float32Array(SAMPLE_RATE * 2)], SAMPLE_RATE)).toBeNull();
  });
});
