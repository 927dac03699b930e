import { describe, expect, it } from 'vitest';
import { renderClip } from '../music-synth';
import { analyseTrack, camelotRelation, DEFAULT_WAVEFORM_BUCKETS, samplePeak } from './index';

describe('analyseTrack', () => {
  it('analyses a decoded stereo 44.1 kHz track', () => {
    const clip = renderClip({ style: 'house', tempoBpm: 124, key: { tonic: 9, mode: 'minor' }, durationSec: 30, sampleRate: 44100, seed: 21, channelCount: 2 });
    const analysis = analyseTrack(clip.channels, 44100);
    expect(analysis.durationSec).toBeCloseTo(30, 6);
    expect(analysis.tempoBpm / 124).toBeCloseTo(1, 2);
    expect(analysis.tempoConfidence).toBeGreaterThan(0.3);
    expect(analysis.key).not.toBeNull();
    expect(camelotRelation(analysis.key!, { tonic: 9, mode: 'minor' })).not.toBe('incompatible');
    expect(analysis.key!.camelot).toMatch(/^(1[0-2]|[1-9])[AB]$/);
    expect(analysis.integratedLufs).toBeGreaterThan(-40);
    expect(analysis.integratedLufs).toBeLessThan(0);
    const samplePeakDb = 20 * Math.log10(Math.max(...clip.channels.map(samplePeak)));
    expect(analysis.truePeakDbtp).toBeGreaterThanOrEqual(samplePeakDb);
    expect(analysis.truePeakDbtp).toBeLessThan(samplePeakDb + 3);
    expect(analysis.peaks.bucketCount).toBe(DEFAULT_WAVEFORM_BUCKETS);
    expect(analysis.peaks.min).toHaveLength(DEFAULT_WAVEFORM_BUCKETS);
  });

  it('accepts any sample rate', () => {
    for (const sampleRate of [8000, 16000, 22050, 48000, 96000, 192000]) {
      const clip = renderClip({ style: 'rock', tempoBpm: 140, key: { tonic: 2, mode: 'major' }, durationSec: 8, sampleRate, seed: 5 });
      const analysis = analyseTrack(clip.channels, sampleRate, { waveformBuckets: 100 });
      expect(analysis.tempoBpm / 140, `${sampleRate} Hz`).toBeCloseTo(1, 1);
      expect(Number.isFinite(analysis.integratedLufs), `${sampleRate} Hz`).toBe(true);
      expect(analysis.peaks.bucketCount).toBe(100);
    }
  });

  it('reports silence as no tempo, no key and −Infinity loudness', () => {
    const silence = new Float32Array(44100 * 5);
    const analysis = analyseTrack([silence, silence], 44100);
    expect(analysis.tempoBpm).toBe(0);
    expect(analysis.key).toBeNull();
    expect(analysis.integratedLufs).toBe(-Infinity);
    expect(analysis.truePeakDbtp).toBe(-Infinity);
  });

  it('says what is wrong with its input', () => {
    expect(() => analyseTrack([], 44100)).toThrow(/at least one channel/);
    expect(() => analyseTrack([new Float32Array(10)], 0)).toThrow(/positive sample rate/);
    expect(() => analyseTrack([new Float32Array(10), new Float32Array(11)], 44100)).toThrow(/equal length/);
  });

  it('runs at least 50× faster than real time on one core', () => {
    const clip = renderClip({ style: 'techno', tempoBpm: 132, key: { tonic: 0, mode: 'minor' }, durationSec: 60, sampleRate: 44100, seed: 8, channelCount: 2 });
    analyseTrack(clip.channels.map((channel) => channel.subarray(0, 44100 * 5)), 44100);
    const started = performance.now();
    analyseTrack(clip.channels, 44100);
    const elapsedSec = (performance.now() - started) / 1000;
    expect(60 / elapsedSec).toBeGreaterThanOrEqual(50);
  });
});
