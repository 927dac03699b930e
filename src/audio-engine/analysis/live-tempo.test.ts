import { describe, expect, it } from 'vitest';
import { renderClip } from '../music-synth';
import type { MusicStyle } from '../music-synth';
import { LiveTempoTracker, estimateTempo } from './tempo';

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
});
