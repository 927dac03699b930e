/**
 * A deterministic synthetic backing band for pitch-detection tests: a drum kit
 * (kick sweeps, snare and hi-hat noise bursts), a bass line, a detuned-sawtooth
 * chord pad and a plucked arpeggio, all in one key. The pad and the arpeggio sit
 * in the same registers as male and female singers, so they compete with the
 * voice the way a monitor or loudspeaker leaking into a karaoke microphone does.
 */
import { frequencyFromMidi } from '../pitch/pitch-units';
import { createRandom } from './random';
import type { SeededRandom } from './random';
import { OnePoleLowPass, Resonator, dbToGain, polyBlep, rootMeanSquare } from './synth-primitives';

export interface BackingOptions {
  sampleRate: number;
  durationSec: number;
  seed?: number;
  tempoBpm?: number;
  /** Pitch class of the key's tonic, as a MIDI note (only `% 12` matters). */
  tonicMidi?: number;
  /** One chord per bar, as semitone offsets from the tonic. Defaults to I–V–vi–IV. */
  progression?: readonly (readonly number[])[];
  /** RMS of the whole render, dBFS. */
  levelDb?: number;
}

const POP_PROGRESSION: readonly (readonly number[])[] = [
  [0, 4, 7],
  [7, 11, 14],
  [9, 12, 16],
  [5, 9, 12],
];

export function renderBacking(options: BackingOptions): Float32Array {
  const { sampleRate, durationSec, seed = 7, tempoBpm = 100, tonicMidi = 60, progression = POP_PROGRESSION, levelDb = -20 } = options;
  const random = createRandom(seed);
  const output = new Float32Array(Math.round(durationSec * sampleRate));
  const beatSec = 60 / tempoBpm;
  const beatCount = Math.floor(durationSec / beatSec);
  const tonicClass = ((tonicMidi % 12) + 12) % 12;

  for (let beat = 0; beat < beatCount; beat++) {
    const beatStartSec = beat * beatSec;
    const bar = Math.floor(beat / 4);
    const beatInBar = beat % 4;
    const chord = progression[bar % progression.length] ?? [0, 4, 7];
    const chordClasses = chord.map((offset) => (tonicClass + offset) % 12);
    const rootClass = chordClasses[0] ?? tonicClass;

    if (beatInBar === 0) {
      const padMidis = [...chordClasses.map((pitchClass) => placeInRange(pitchClass, 53)), placeInRange(rootClass, 60)];
      for (const midi of padMidis) renderPadTone(output, sampleRate, frequencyFromMidi(midi), beatStartSec, beatSec * 4, random);
    }
    if (beatInBar === 0 || beatInBar === 2) renderKick(output, sampleRate, beatStartSec);
    if (beatInBar === 2 && bar % 2 === 1) renderKick(output, sampleRate, beatStartSec + beatSec * 0.5);
    if (beatInBar === 1 || beatInBar === 3) renderSnare(output, sampleRate, beatStartSec, random);

    const bassMidi = beatInBar === 2 ? placeInRange((rootClass + 7) % 12, 36) : placeInRange(rootClass, 36);
    renderPluck(output, sampleRate, frequencyFromMidi(bassMidi), beatStartSec, beatSec * 0.9, 0.55, 450, 0.5);

    for (let eighth = 0; eighth < 2; eighth++) {
      const eighthStartSec = beatStartSec + eighth * beatSec * 0.5;
      renderHat(output, sampleRate, eighthStartSec, random);
      const arpeggioClass = chordClasses[(beatInBar * 2 + eighth) % chordClasses.length] ?? rootClass;
      const arpeggioMidi = placeInRange(arpeggioClass, 65) + (beatInBar === 3 && eighth === 1 ? 12 : 0);
      renderPluck(output, sampleRate, frequencyFromMidi(arpeggioMidi), eighthStartSec, beatSec * 0.5, 0.22, 3000, 0.28);
    }
  }

  const rms = rootMeanSquare(output) || 1;
  const gain = dbToGain(levelDb) / rms;
  for (let index = 0; index < output.length; index++) output[index] = (output[index] ?? 0) * gain;
  return output;
}

/** The MIDI note of `pitchClass` in the octave starting at `lowestMidi`. */
function placeInRange(pitchClass: number, lowestMidi: number): number {
  return lowestMidi + ((((pitchClass - lowestMidi) % 12) + 12) % 12);
}

function renderPadTone(output: Float32Array, sampleRate: number, frequencyHz: number, startSec: number, durationSec: number, random: SeededRandom): void {
  const startSample = Math.round(startSec * sampleRate);
  const lengthSamples = Math.round(durationSec * sampleRate);
  const detuneCents = random.between(4, 9);
  const increments = [frequencyHz * 2 ** (-detuneCents / 1200), frequencyHz * 2 ** (detuneCents / 1200)].map((hz) => hz / sampleRate);
  const phases = [random.next(), random.next()];
  const lowPass = new OnePoleLowPass(sampleRate, 1800);
  const fadeSamples = 0.04 * sampleRate;
  for (let offset = 0; offset < lengthSamples; offset++) {
    const index = startSample + offset;
    if (index >= output.length) break;
    let value = 0;
    for (let voice = 0; voice < 2; voice++) {
      const increment = increments[voice] ?? 0;
      let phase = (phases[voice] ?? 0) + increment;
      if (phase >= 1) phase -= 1;
      phases[voice] = phase;
      value += 2 * phase - 1 - 2 * polyBlep(phase, increment);
    }
    const fade = Math.min(1, offset / fadeSamples, (lengthSamples - offset) / fadeSamples);
    output[index] = (output[index] ?? 0) + 0.1 * fade * lowPass.step(value);
  }
}

/** A sawtooth with an exponential decay through a low-pass: bass notes and arpeggio plucks. */
function renderPluck(
  output: Float32Array,
  sampleRate: number,
  frequencyHz: number,
  startSec: number,
  durationSec: number,
  decaySec: number,
  cutoffHz: number,
  gain: number,
): void {
  const startSample = Math.round(startSec * sampleRate);
  const lengthSamples = Math.round(durationSec * sampleRate);
  const increment = frequencyHz / sampleRate;
  const lowPass = new OnePoleLowPass(sampleRate, cutoffHz);
  const lowPassAgain = new OnePoleLowPass(sampleRate, cutoffHz * 1.5);
  const decayPerSample = Math.exp(-1 / (decaySec * sampleRate));
  const releaseSamples = 0.01 * sampleRate;
  let phase = 0;
  let amplitude = gain;
  for (let offset = 0; offset < lengthSamples; offset++) {
    const index = startSample + offset;
    if (index >= output.length) break;
    phase += increment;
    if (phase >= 1) phase -= 1;
    const sawtooth = 2 * phase - 1 - 2 * polyBlep(phase, increment);
    const release = Math.min(1, (lengthSamples - offset) / releaseSamples, offset / 48);
    output[index] = (output[index] ?? 0) + amplitude * release * lowPassAgain.step(lowPass.step(sawtooth));
    amplitude *= decayPerSample;
  }
}

function renderKick(output: Float32Array, sampleRate: number, startSec: number): void {
  const startSample = Math.round(startSec * sampleRate);
  const lengthSamples = Math.round(0.35 * sampleRate);
  let phase = 0;
  for (let offset = 0; offset < lengthSamples; offset++) {
    const index = startSample + offset;
    if (index >= output.length) break;
    const timeSec = offset / sampleRate;
    const frequencyHz = 45 + 90 * Math.exp(-timeSec / 0.04);
    phase += (2 * Math.PI * frequencyHz) / sampleRate;
    output[index] = (output[index] ?? 0) + 0.9 * Math.exp(-timeSec / 0.12) * Math.sin(phase);
  }
}

function renderSnare(output: Float32Array, sampleRate: number, startSec: number, random: SeededRandom): void {
  const startSample = Math.round(startSec * sampleRate);
  const lengthSamples = Math.round(0.25 * sampleRate);
  const body = new Resonator(sampleRate);
  body.tune(2000, 2500);
  let phase = 0;
  for (let offset = 0; offset < lengthSamples; offset++) {
    const index = startSample + offset;
    if (index >= output.length) break;
    const timeSec = offset / sampleRate;
    phase += (2 * Math.PI * 190) / sampleRate;
    const noise = body.step(random.gaussian()) * Math.exp(-timeSec / 0.07);
    const tone = Math.sin(phase) * Math.exp(-timeSec / 0.04);
    output[index] = (output[index] ?? 0) + 0.35 * noise + 0.3 * tone;
  }
}

function renderHat(output: Float32Array, sampleRate: number, startSec: number, random: SeededRandom): void {
  const startSample = Math.round(startSec * sampleRate);
  const lengthSamples = Math.round(0.08 * sampleRate);
  let previous = 0;
  let previousDifference = 0;
  for (let offset = 0; offset < lengthSamples; offset++) {
    const index = startSample + offset;
    if (index >= output.length) break;
    const white = random.gaussian();
    const difference = white - previous;
    const secondDifference = difference - previousDifference;
    previous = white;
    previousDifference = difference;
    output[index] = (output[index] ?? 0) + 0.06 * secondDifference * Math.exp(-offset / sampleRate / 0.025);
  }
}

/** Adds `backing` to a copy of `voice`, scaled so its RMS is `backingDb` relative to `voiceReferenceDb` (dBFS). */
export function mixBacking(voice: Float32Array, voiceReferenceDb: number, backing: Float32Array, backingDb: number): Float32Array {
  const mixed = new Float32Array(voice);
  const backingRms = rootMeanSquare(backing) || 1;
  const gain = dbToGain(voiceReferenceDb + backingDb) / backingRms;
  const length = Math.min(mixed.length, backing.length);
  for (let index = 0; index < length; index++) mixed[index] = (mixed[index] ?? 0) + gain * (backing[index] ?? 0);
  return mixed;
}
