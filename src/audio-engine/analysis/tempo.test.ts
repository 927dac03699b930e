import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/random';
import { MUSIC_STYLES, renderClip, tempoClipSet } from '../music-synth';
import { tempoMatches, tempoMatchesUpToOctave } from './evaluation';
import { estimateTempo } from './tempo';

const SAMPLE_RATE = 22050;

describe('estimateTempo on generated music', () => {
  // 10 styles × 7 tempos spread over each style's usual range (70–180 BPM overall).
  const requests = tempoClipSet({ sampleRate: SAMPLE_RATE, durationSec: 10, baseSeed: 2025, clipsPerStyle: 7 });
  const results = requests.map((request) => {
    const clip = renderClip(request);
    const estimate = estimateTempo(clip.channels, SAMPLE_RATE);
    return { request, estimate };
  });
  const acc1 = results.filter(({ request, estimate }) => tempoMatches(estimate.tempoBpm, request.tempoBpm)).length / results.length;
  const acc2 = results.filter(({ request, estimate }) => tempoMatchesUpToOctave(estimate.tempoBpm, request.tempoBpm)).length / results.length;
  const misses = results
    .filter(({ request, estimate }) => !tempoMatches(estimate.tempoBpm, request.tempoBpm))
    .map(({ request, estimate }) => `${request.style} ${request.tempoBpm}→${estimate.tempoBpm.toFixed(1)}`);
  const summary = `Acc1 ${acc1.toFixed(3)}, Acc2 ${acc2.toFixed(3)} over ${results.length} clips; misses: ${misses.join(', ') || 'none'}`;

  it('covers every style and the whole 70–180 BPM range', () => {
    expect(results.length).toBeGreaterThanOrEqual(60);
    expect(new Set(requests.map((request) => request.style))).toEqual(new Set(MUSIC_STYLES));
    expect(Math.min(...requests.map((request) => request.tempoBpm))).toBeLessThan(76);
    expect(Math.max(...requests.map((request) => request.tempoBpm))).toBeGreaterThan(175);
  });

  it('is within 4 % of the true tempo on at least 90 % of clips (Acc1)', () => {
    expect(acc1, summary).toBeGreaterThanOrEqual(0.9);
  });

  it('misses only by octaves: Acc2 (×2, ×½, ×3, ×⅓ allowed) at least 97 %', () => {
    expect(acc2, summary).toBeGreaterThanOrEqual(0.97);
  });

  it('is precise when right: median error under 0.5 %', () => {
    const errors = results
      .filter(({ request, estimate }) => tempoMatches(estimate.tempoBpm, request.tempoBpm))
      .map(({ request, estimate }) => Math.abs(estimate.tempoBpm / request.tempoBpm - 1))
      .sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.005);
  });

  it('reports a steady groove with confidence above 0.2', () => {
    const confident = results.filter(({ estimate }) => estimate.confidence > 0.2).length;
    expect(confident / results.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('estimateTempo', () => {
  it('reads the same tempo from 44.1 kHz stereo as from 22.05 kHz mono', () => {
    for (const [style, tempoBpm] of [['house', 126], ['drum-and-bass', 172], ['hip-hop', 92]] as const) {
      const request = { style, tempoBpm, key: { tonic: 7, mode: 'minor' }, durationSec: 10, seed: 99 } as const;
      const stereo = renderClip({ ...request, sampleRate: 44100, channelCount: 2 });
      const mono = renderClip({ ...request, sampleRate: SAMPLE_RATE });
      const fromStereo = estimateTempo(stereo.channels, 44100).tempoBpm;
      const fromMono = estimateTempo(mono.channels, SAMPLE_RATE).tempoBpm;
      expect(fromStereo / tempoBpm, style).toBeCloseTo(1, 1);
      expect(fromStereo / fromMono, style).toBeCloseTo(1, 2);
    }
  });

  it('has low confidence without a pulse (noise, a held chord) and none for silence', () => {
    const frameCount = 10 * SAMPLE_RATE;
    const random = createRandom(5);
    const noise = Float32Array.from({ length: frameCount }, () => random.between(-0.3, 0.3));
    const chord = Float32Array.from({ length: frameCount }, (_, index) =>
      [220, 277.18, 329.63].reduce((sum, hz) => sum + 0.2 * Math.sin((2 * Math.PI * hz * index) / SAMPLE_RATE), 0),
    );
    expect(estimateTempo([noise], SAMPLE_RATE).confidence).toBeLessThan(0.1);
    expect(estimateTempo([chord], SAMPLE_RATE).confidence).toBeLessThan(0.1);
    expect(estimateTempo([new Float32Array(frameCount)], SAMPLE_RATE)).toEqual({ tempoBpm: 0, confidence: 0 });
  });

  it('finds a plain click track at 120 BPM', () => {
    const clicks = new Float32Array(8 * SAMPLE_RATE);
    for (let beat = 0; beat < 16; beat++) {
      const start = Math.round(beat * 0.5 * SAMPLE_RATE);
      for (let offset = 0; offset < 200; offset++) clicks[start + offset] = Math.sin(offset * 0.5) * Math.exp(-offset / 40);
    }
    const estimate = estimateTempo([clicks], SAMPLE_RATE);
    expect(estimate.tempoBpm).toBeCloseTo(120, 0);
    expect(estimate.confidence).toBeGreaterThan(0.5);
  });
});
