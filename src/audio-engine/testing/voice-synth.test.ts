import { describe, it, expect } from 'vitest';
import { Activity, renderVoice } from './voice-synth';
import { mixBacking, renderBacking } from './backing-synth';
import { FrameKind, MELODIES, frameTruth } from './karaoke-scenes';
import { createRandom } from './random';
import { rootMeanSquare } from './synth-primitives';
import { RealFft } from '../dsp/fft';
import { centsBetween, frequencyFromMidi } from '../pitch/pitch-units';

const sampleRate = 48_000;
const oneNote = { sampleRate, durationSec: 2, notes: [{ midi: 57, startSec: 0.2, durationSec: 1.4, vowel: 'a' as const, gainDb: 0 }], breaths: [{ startSec: 1.7, durationSec: 0.25 }] };

/** Peak magnitude (Hann window of `size` samples from `start`) within `binSpread` bins of a frequency. */
function magnitudeAt(samples: Float32Array, start: number, frequencyHz: number, binSpread = 2, size = 4096): number {
  const fft = new RealFft(size);
  const windowed = Float64Array.from({ length: size }, (_, index) => (samples[start + index] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * index) / size)));
  const re = new Float64Array(fft.binCount);
  const im = new Float64Array(fft.binCount);
  fft.forward(windowed, re, im);
  const bin = Math.round((frequencyHz * size) / sampleRate);
  let peak = 0;
  for (let offset = -binSpread; offset <= binSpread; offset++) peak = Math.max(peak, Math.hypot(re[bin + offset] ?? 0, im[bin + offset] ?? 0));
  return peak;
}

describe('createRandom', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const first = createRandom(42);
    const again = createRandom(42);
    const other = createRandom(43);
    const a = Array.from({ length: 5 }, () => first.next());
    expect(Array.from({ length: 5 }, () => again.next())).toEqual(a);
    expect(Array.from({ length: 5 }, () => other.next())).not.toEqual(a);
  });

  it('draws standard normal numbers', () => {
    const random = createRandom(1);
    const draws = Array.from({ length: 20_000 }, () => random.gaussian());
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
  });
});

describe('renderVoice', () => {
  const voice = renderVoice({ ...oneNote, seed: 7 });

  it('renders the same samples for the same seed, different ones for another', () => {
    expect(renderVoice({ ...oneNote, seed: 7 }).samples).toEqual(voice.samples);
    expect(renderVoice({ ...oneNote, seed: 8 }).samples).not.toEqual(voice.samples);
  });

  it('labels every sample: the note voiced with its true f0, the inhale as breath, the rest silence', () => {
    expect(voice.activity[Math.round(0.1 * sampleRate)]).toBe(Activity.silence);
    expect(voice.activity[Math.round(1.0 * sampleRate)]).toBe(Activity.voiced);
    expect(voice.activity[Math.round(1.8 * sampleRate)]).toBe(Activity.breath);
    expect(voice.f0Hz[Math.round(0.1 * sampleRate)]).toBe(0);
  });

  it('sings the note with vibrato (±30–50 cents) after a scoop from below', () => {
    const targetHz = frequencyFromMidi(57);
    const centsAt = (timeSec: number): number => centsBetween(targetHz, voice.f0Hz[Math.round(timeSec * sampleRate)]!);
    expect(centsAt(0.2)).toBeLessThan(-40);
    const sustain = Array.from({ length: 400 }, (_, index) => centsAt(0.8 + index * 0.002));
    expect(Math.max(...sustain)).toBeGreaterThan(20);
    expect(Math.min(...sustain)).toBeLessThan(-20);
    expect(Math.max(...sustain.map(Math.abs))).toBeLessThan(70);
  });

  it('is a harmonic voice, not a sine: several partials carry energy', () => {
    const start = Math.round(0.9 * sampleRate);
    const f0Hz = frequencyFromMidi(57);
    const fundamental = magnitudeAt(voice.samples, start, f0Hz);
    for (const harmonic of [2, 3, 4, 5]) expect(magnitudeAt(voice.samples, start, f0Hz * harmonic)).toBeGreaterThan(fundamental * 0.05);
  });

  it('normalises the voiced samples to levelDb', () => {
    const rms = rootMeanSquare(voice.samples, voice.activity, Activity.voiced);
    expect(20 * Math.log10(rms)).toBeCloseTo(-20, 0);
  });
});

describe('renderBacking and mixBacking', () => {
  const backing = renderBacking({ sampleRate, durationSec: 4.8, seed: 3, levelDb: -20 });

  it('is deterministic and at the requested level', () => {
    expect(renderBacking({ sampleRate, durationSec: 4.8, seed: 3, levelDb: -20 })).toEqual(backing);
    expect(20 * Math.log10(rootMeanSquare(backing))).toBeCloseTo(-20, 1);
  });

  it('plays chords in the key, not one pitch: the tonic triad shows in the first bar', () => {
    const start = Math.round(0.1 * sampleRate);
    const magnitude = (midi: number): number => magnitudeAt(backing, start, frequencyFromMidi(midi), 1, 16_384);
    const outOfKey = Math.max(magnitude(61), magnitude(63), magnitude(66));
    for (const chordTone of [55, 60, 64]) expect(magnitude(chordTone)).toBeGreaterThan(outOfKey * 3);
  });

  it('mixes the backing at the requested level below the voice', () => {
    const silence = new Float32Array(backing.length);
    const mixed = mixBacking(silence, -20, backing, -12);
    expect(20 * Math.log10(rootMeanSquare(mixed))).toBeCloseTo(-32, 1);
  });
});

describe('frameTruth', () => {
  it('scores only frames the singer voices throughout, and marks silence, breath, onsets and glides', () => {
    const melody = MELODIES[0]!;
    const voice = renderVoice({ sampleRate, durationSec: melody.durationSec, notes: melody.notes, breaths: melody.breaths, voiceType: 'male', seed: 2 });
    const truth = frameTruth(voice, 2048, 960);
    const kinds = new Set(truth.kind);
    for (const kind of Object.values(FrameKind)) expect(kinds.has(kind)).toBe(true);
    truth.kind.forEach((kind, frame) => {
      if (kind === FrameKind.voiced) expect(truth.f0Hz[frame]).toBeGreaterThan(80);
      else if (kind !== FrameKind.glide) expect(truth.f0Hz[frame]).toBe(0);
    });
  });
});
