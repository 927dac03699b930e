import { describe, expect, it } from 'vitest';
import { renderClip } from '../music-synth';
import type { MusicStyle } from '../music-synth';
import { LIVE_TEMPO_MIN_CONFIDENCE, LiveTempoTracker, estimateTempo } from './tempo';

const SAMPLE_RATE = 44100;

function stereoClip(style: MusicStyle, tempoBpm: number, durationSec: number, seed: number): Float32Array[] {
  return renderClip({ style, tempoBpm, key: { tonic: 2, mode: 'minor' }, durationSec, sampleRate: SAMPLE_RATE, seed, channelCount: 2 }).channels;
}

function concatenate(first: Float32Array[], second: Float32Array[]): Float32Array[] {
  return first.map((channel, index) => {
    const joined = new Float32Array(channel.length + second[index]!.length);
    joined.set(channel);
    joined.set(second[index]!, channel.length);
    return joined;
  });
}

interface Reading {
  timeSec: number;
  tempoBpm: number;
  rawTempoBpm: number;
}

/** Stream `channels` through a tracker in blocks, as an audio callback would. */
function stream(tracker: LiveTempoTracker, channels: Float32Array[], blockFrames: number): Reading[] {
  const readings: Reading[] = [];
  const frameCount = channels[0]!.length;
  for (let from = 0; from < frameCount; from += blockFrames) {
    const to = Math.min(frameCount, from + blockFrames);
    if (tracker.push(channels.map((channel) => channel.subarray(from, to))) > 0) {
      const { timeSec, tempoBpm, rawTempoBpm } = tracker.current;
      readings.push({ timeSec, tempoBpm, rawTempoBpm });
    }
  }
  return readings;
}

describe('LiveTempoTracker', () => {
  it('updates at least once a second and locks onto a groove within 5 s', () => {
    const readings = stream(new LiveTempoTracker(SAMPLE_RATE), stereoClip('techno', 128, 20, 3), 512);
    expect(readings[0]!.timeSec).toBeLessThanOrEqual(3.1);
    for (let index = 1; index < readings.length; index++) expect(readings[index]!.timeSec - readings[index - 1]!.timeSec).toBeLessThanOrEqual(1);
    const settled = readings.filter((reading) => reading.timeSec >= 5);
    expect(settled.length).toBeGreaterThanOrEqual(2 * 14);
    for (const reading of settled) expect(Math.abs(reading.tempoBpm / 128 - 1)).toBeLessThan(0.02);
  });

  it('follows the mix to the next record within 8 s and holds steady before it', () => {
    const mix = concatenate(stereoClip('house', 124, 20, 4), stereoClip('drum-and-bass', 174, 20, 5));
    const readings = stream(new LiveTempoTracker(SAMPLE_RATE), mix, 1024);
    for (const reading of readings.filter((reading) => reading.timeSec >= 5 && reading.timeSec <= 20)) {
      expect(Math.abs(reading.tempoBpm / 124 - 1)).toBeLessThan(0.02);
    }
    for (const reading of readings.filter((reading) => reading.timeSec >= 28)) {
      expect(Math.abs(reading.tempoBpm / 174 - 1)).toBeLessThan(0.02);
    }
  });

  it('shares the offline estimator: its window estimate equals estimateTempo on the same seconds', () => {
    const channels = stereoClip('breakbeat', 133, 12, 6);
    const tracker = new LiveTempoTracker(SAMPLE_RATE, { windowSec: 8, updateIntervalSec: 0.5 });
    stream(tracker, channels, 4096);
    const lastEightSec = channels.map((channel) => channel.subarray(channel.length - 8 * SAMPLE_RATE));
    const offline = estimateTempo(lastEightSec, SAMPLE_RATE).tempoBpm;
    expect(tracker.current.rawTempoBpm / offline).toBeCloseTo(1, 2);
    expect(offline / 133).toBeCloseTo(1, 1);
  });

  it('accepts any block size, from single frames to blocks longer than its internal chunk', () => {
    const mono = renderClip({ style: 'rock', tempoBpm: 110, key: { tonic: 4, mode: 'major' }, durationSec: 8, sampleRate: 22050, seed: 8 }).channels;
    for (const blockFrames of [1, 333, 20000]) {
      const tracker = new LiveTempoTracker(22050);
      let readingCount = 0;
      for (let from = 0; from < mono[0]!.length; from += blockFrames) {
        readingCount += tracker.push(mono.map((channel) => channel.subarray(from, from + blockFrames)));
      }
      // Two a second from the end of the 3 s warm-up.
      expect(readingCount, `block ${blockFrames}`).toBeGreaterThanOrEqual(10);
      expect(tracker.current.tempoBpm / 110, `block ${blockFrames}`).toBeCloseTo(1, 1);
    }
  });

  describe('says when it does not know', () => {
    const RATE = 48000;
    /** `durationSec` of a mono generator as the two channels a mixer sends. */
    const render = (durationSec: number, sampleAt: (index: number) => number): Float32Array[] => {
      const samples = new Float32Array(Math.round(durationSec * RATE));
      for (let index = 0; index < samples.length; index++) samples[index] = sampleAt(index);
      return [samples, samples];
    };
    /** A 5 ms 1 kHz blip on every beat. */
    const clickTrack = (tempoBpm: number, amplitude: number) => {
      const periodFrames = Math.round((RATE * 60) / tempoBpm);
      const blipFrames = Math.round(RATE * 0.005);
      return (index: number): number => {
        const sinceBeat = index % periodFrames;
        return sinceBeat < blipFrames ? amplitude * Math.sin((2 * Math.PI * 1000 * sinceBeat) / RATE) * (1 - sinceBeat / blipFrames) : 0;
      };
    };
    const shown = (tracker: LiveTempoTracker): number | null =>
      tracker.current.tempoBpm > 0 && tracker.current.confidence >= LIVE_TEMPO_MIN_CONFIDENCE ? tracker.current.tempoBpm : null;

    it('a steady 440 Hz tone never shows a tempo', () => {
      const tracker = new LiveTempoTracker(RATE);
      const channels = render(20, (index) => 0.25 * Math.sin((2 * Math.PI * 440 * index) / RATE));
      const shownReadings: number[] = [];
      for (let from = 0; from < channels[0]!.length; from += 480) {
        if (tracker.push(channels.map((channel) => channel.subarray(from, from + 480))) > 0) {
          const value = shown(tracker);
          if (value !== null) shownReadings.push(value);
        }
      }
      expect(shownReadings).toEqual([]);
      expect(tracker.current.confidence).toBe(0);
    });

    it('white noise shows no tempo once the window is full', () => {
      let seed = 12345;
      const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 0.2 - 0.1;
      const tracker = new LiveTempoTracker(RATE);
      expect(stream(tracker, render(16, noise), 480).length).toBeGreaterThan(20);
      expect(shown(tracker)).toBeNull();
    });

    it('a click track at 124 BPM shows 124 ± 1, loud or quiet', () => {
      for (const amplitude of [0.8, 0.03]) {
        const tracker = new LiveTempoTracker(RATE);
        const channels = render(12, clickTrack(124, amplitude));
        const afterWarmUp: (number | null)[] = [];
        for (let from = 0; from < channels[0]!.length; from += 480) {
          if (tracker.push(channels.map((channel) => channel.subarray(from, from + 480))) > 0 && tracker.current.timeSec >= 5) afterWarmUp.push(shown(tracker));
        }
        expect(afterWarmUp.length, `amplitude ${amplitude}`).toBeGreaterThan(10);
        for (const value of afterWarmUp) {
          expect(value, `amplitude ${amplitude}`).not.toBeNull();
          expect(Math.abs(value! - 124), `amplitude ${amplitude}`).toBeLessThanOrEqual(1);
        }
      }
    });

    it('a click track that turns into a steady tone stops showing a tempo within one window', () => {
      const click = clickTrack(124, 0.8);
      const channels = render(24, (index) => (index < 10 * RATE ? click(index) : 0.25 * Math.sin((2 * Math.PI * 440 * index) / RATE)));
      const tracker = new LiveTempoTracker(RATE);
      const readings: { timeSec: number; value: number | null }[] = [];
      for (let from = 0; from < channels[0]!.length; from += 480) {
        if (tracker.push(channels.map((channel) => channel.subarray(from, from + 480))) > 0) readings.push({ timeSec: tracker.current.timeSec, value: shown(tracker) });
      }
      expect(readings.filter((reading) => reading.timeSec >= 5 && reading.timeSec < 10).every((reading) => reading.value !== null)).toBe(true);
      expect(readings.filter((reading) => reading.timeSec >= 19).every((reading) => reading.value === null)).toBe(true);
    });
  });
});
