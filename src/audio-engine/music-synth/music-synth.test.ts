import { describe, expect, it } from 'vitest';
import { MUSIC_STYLES, STYLES, keyClipSet, renderClip, tempoClipSet } from './index';

const SAMPLE_RATE = 22050;

describe('renderClip', () => {
  it('is deterministic: the same request renders the same samples', () => {
    const request = { style: 'house', tempoBpm: 124, key: { tonic: 9, mode: 'minor' }, durationSec: 4, sampleRate: SAMPLE_RATE, seed: 42 } as const;
    const first = renderClip(request);
    const second = renderClip(request);
    expect(second.mono).toEqual(first.mono);
    const otherSeed = renderClip({ ...request, seed: 43 });
    expect(otherSeed.mono).not.toEqual(first.mono);
  });

  it('renders every style at the requested length, below full scale, with beats one period apart', () => {
    for (const style of MUSIC_STYLES) {
      const tempoBpm = (STYLES[style].tempoRangeBpm[0] + STYLES[style].tempoRangeBpm[1]) / 2;
      const clip = renderClip({ style, tempoBpm, key: { tonic: 2, mode: 'major' }, durationSec: 3, sampleRate: SAMPLE_RATE, seed: 7 });
      expect(clip.mono.length).toBe(3 * SAMPLE_RATE);
      let peak = 0;
      let energy = 0;
      for (const value of clip.mono) {
        peak = Math.max(peak, Math.abs(value));
        energy += value * value;
      }
      expect(peak, style).toBeLessThanOrEqual(1);
      expect(Math.sqrt(energy / clip.mono.length), style).toBeGreaterThan(0.01);
      const beats = clip.truth.beatTimesSec;
      expect(beats[0]).toBeGreaterThanOrEqual(0);
      for (let index = 1; index < beats.length; index++) expect(beats[index]! - beats[index - 1]!).toBeCloseTo(60 / tempoBpm, 9);
      expect(clip.truth.downbeatTimesSec.every((time) => beats.includes(time))).toBe(true);
    }
  });

  it('renders stereo with a mono mix beside it', () => {
    const clip = renderClip({ style: 'funk', tempoBpm: 105, key: { tonic: 4, mode: 'minor' }, durationSec: 2, sampleRate: SAMPLE_RATE, seed: 1, channelCount: 2 });
    expect(clip.channels).toHaveLength(2);
    expect(clip.channels[0]).not.toEqual(clip.channels[1]);
    const index = 12345;
    expect(clip.mono[index]).toBeCloseTo((clip.channels[0]![index]! + clip.channels[1]![index]!) / 2, 6);
  });

  it('is cheap: a 10 s clip renders in well under a second', () => {
    renderClip({ style: 'techno', tempoBpm: 130, key: { tonic: 0, mode: 'minor' }, durationSec: 1, sampleRate: SAMPLE_RATE, seed: 1 });
    const started = performance.now();
    renderClip({ style: 'drum-and-bass', tempoBpm: 174, key: { tonic: 5, mode: 'minor' }, durationSec: 10, sampleRate: SAMPLE_RATE, seed: 2 });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('clip sets', () => {
  it('spread tempo clips over each style range and key clips over all 24 keys', () => {
    const tempoSet = tempoClipSet({ sampleRate: SAMPLE_RATE, durationSec: 10, baseSeed: 1, clipsPerStyle: 7 });
    expect(tempoSet).toHaveLength(7 * MUSIC_STYLES.length);
    for (const request of tempoSet) {
      const [low, high] = STYLES[request.style].tempoRangeBpm;
      expect(request.tempoBpm).toBeGreaterThanOrEqual(low);
      expect(request.tempoBpm).toBeLessThanOrEqual(high);
    }
    const keySet = keyClipSet({ sampleRate: SAMPLE_RATE, durationSec: 10, baseSeed: 1, rounds: 2 });
    expect(keySet).toHaveLength(48);
    expect(new Set(keySet.map((request) => `${request.key.tonic}${request.key.mode}`)).size).toBe(24);
  });
});
