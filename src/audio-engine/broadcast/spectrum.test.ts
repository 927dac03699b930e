import { describe, expect, it } from 'vitest';
import { BroadcastSpectrum, SPECTRUM_FLOOR_DB, spectrumBandEdgesHz } from './spectrum';

const RATE = 48000;

function sine(frequencyHz: number, amplitude: number, frames: number): Float32Array {
  const samples = new Float32Array(frames);
  for (let index = 0; index < frames; index++) samples[index] = amplitude * Math.sin((2 * Math.PI * frequencyHz * index) / RATE);
  return samples;
}

describe('BroadcastSpectrum', () => {
  it('puts a tone in its own band at about its level, and the far bands far below', () => {
    const spectrum = new BroadcastSpectrum({ sampleRate: RATE });
    const tone = sine(1000, 0.5, 4800);
    spectrum.push(tone, tone, tone.length);
    const bands = spectrum.read();
    const band = spectrum.bandOf(1000);
    expect(band).toBeGreaterThan(0);
    // −6 dBFS in, about −6 dB out (the window's spread summed back into the band, ±1.5 dB).
    expect(bands[band]).toBeGreaterThan(-8);
    expect(bands[band]).toBeLessThan(-4);
    expect(bands[spectrum.bandOf(100)]).toBeLessThan(-60);
    expect(bands[spectrum.bandOf(10000)]).toBeLessThan(-60);
    expect(Math.max(...bands)).toBe(bands[band]);
  });

  it('reads the floor for silence and forgets the sound after a reset', () => {
    const spectrum = new BroadcastSpectrum({ sampleRate: RATE });
    expect([...spectrum.read()].every((value) => value === SPECTRUM_FLOOR_DB)).toBe(true);
    const tone = sine(440, 0.9, 2048);
    spectrum.push(tone, tone, tone.length);
    expect(Math.max(...spectrum.read())).toBeGreaterThan(-6);
    spectrum.reset();
    expect(Math.max(...spectrum.read())).toBe(SPECTRUM_FLOOR_DB);
  });

  it('mixes left and right: a tone on one side shows, opposite phases cancel', () => {
    const spectrum = new BroadcastSpectrum({ sampleRate: RATE });
    const tone = sine(2000, 0.5, 4096);
    const silence = new Float32Array(4096);
    spectrum.push(tone, silence, 4096);
    expect(spectrum.read()[spectrum.bandOf(2000)]).toBeGreaterThan(-15);
    const inverted = tone.map((value) => -value);
    spectrum.push(tone, inverted, 4096);
    expect(spectrum.read()[spectrum.bandOf(2000)]).toBeLessThan(-80);
  });

  it('spaces the bands logarithmically from 40 Hz to 16 kHz', () => {
    const edges = spectrumBandEdgesHz(32);
    expect(edges).toHaveLength(33);
    expect(edges[0]).toBeCloseTo(40);
    expect(edges[32]).toBeCloseTo(16000);
    expect(edges[16]).toBeCloseTo(Math.sqrt(40 * 16000));
  });
});
