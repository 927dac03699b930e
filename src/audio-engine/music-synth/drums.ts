/**
 * Drum one-shots built from sine sweeps and filtered noise, rendered once per clip
 * and then mixed at each hit. Each kit is slightly different per seed (tuning,
 * decay, filter), so the analysers do not learn one sound.
 */
import { createRandom } from '../testing/random';
import type { SeededRandom } from '../testing/random';
import { SynthBiquad } from './filters';

export type DrumVoice = 'kick' | 'snare' | 'clap' | 'closedHat' | 'openHat' | 'ride' | 'rim' | 'crash';

export const DRUM_VOICES: readonly DrumVoice[] = ['kick', 'snare', 'clap', 'closedHat', 'openHat', 'ride', 'rim', 'crash'];

export type DrumKit = Record<DrumVoice, Float32Array>;

/** Fade the last few milliseconds so truncated tails do not click. */
function fadeTail(sample: Float32Array, sampleRate: number): Float32Array {
  const fadeLength = Math.min(sample.length, Math.round(0.01 * sampleRate));
  for (let index = 0; index < fadeLength; index++) {
    sample[sample.length - 1 - index]! *= index / fadeLength;
  }
  return sample;
}

function renderKick(sampleRate: number, random: SeededRandom): Float32Array {
  const lengthSec = random.between(0.35, 0.55);
  const startHz = random.between(130, 190);
  const endHz = random.between(42, 60);
  const sweepSec = random.between(0.025, 0.05);
  const decaySec = random.between(0.16, 0.3);
  const drive = random.between(1.2, 2.5);
  const out = new Float32Array(Math.round(lengthSec * sampleRate));
  const click = new SynthBiquad(sampleRate).highpass(1500);
  let phase = 0;
  for (let index = 0; index < out.length; index++) {
    const timeSec = index / sampleRate;
    const frequencyHz = endHz + (startHz - endHz) * Math.exp(-timeSec / sweepSec);
    phase += (2 * Math.PI * frequencyHz) / sampleRate;
    const body = Math.tanh(drive * Math.sin(phase)) * Math.exp(-timeSec / decaySec);
    const clickLevel = click.process(random.between(-1, 1)) * Math.exp(-timeSec / 0.003) * 0.5;
    out[index] = body + clickLevel;
  }
  return fadeTail(out, sampleRate);
}

function renderSnare(sampleRate: number, random: SeededRandom): Float32Array {
  const lengthSec = 0.35;
  const toneHz = random.between(170, 230);
  const toneDecaySec = random.between(0.04, 0.08);
  const noiseDecaySec = random.between(0.09, 0.18);
  const out = new Float32Array(Math.round(lengthSec * sampleRate));
  const noiseHighpass = new SynthBiquad(sampleRate).highpass(random.between(900, 1800));
  const noiseLowpass = new SynthBiquad(sampleRate).lowpass(random.between(6000, 9000));
  for (let index = 0; index < out.length; index++) {
    const timeSec = index / sampleRate;
    const tone = Math.sin(2 * Math.PI * toneHz * timeSec) * Math.exp(-timeSec / toneDecaySec) * 0.6;
    const noise = noiseLowpass.process(noiseHighpass.process(random.between(-1, 1))) * Math.exp(-timeSec / noiseDecaySec);
    out[index] = tone + noise * 0.9;
  }
  return fadeTail(out, sampleRate);
}

function renderClap(sampleRate: number, random: SeededRandom): Float32Array {
  const lengthSec = 0.35;
  const out = new Float32Array(Math.round(lengthSec * sampleRate));
  const band = new SynthBiquad(sampleRate).bandpass(random.between(1000, 1600), 1.2);
  const burstGapSec = random.between(0.008, 0.013);
  const tailDecaySec = random.between(0.08, 0.15);
  for (let index = 0; index < out.length; index++) {
    const timeSec = index / sampleRate;
    let envelope: number;
    if (timeSec < 3 * burstGapSec) {
      envelope = Math.exp(-(timeSec % burstGapSec) / 0.004);
    } else {
      envelope = Math.exp(-(timeSec - 3 * burstGapSec) / tailDecaySec);
    }
    out[index] = band.process(random.between(-1, 1)) * envelope * 2.5;
  }
  return fadeTail(out, sampleRate);
}

function renderHat(sampleRate: number, random: SeededRandom, decaySec: number, lengthSec: number, cutoffHz: number): Float32Array {
  const out = new Float32Array(Math.round(lengthSec * sampleRate));
  const highpassA = new SynthBiquad(sampleRate).highpass(cutoffHz, 0.9);
  const highpassB = new SynthBiquad(sampleRate).highpass(cutoffHz * 0.8);
  // A few square partials at inharmonic ratios give the metallic ring of an 808 hat.
  const partialHz = [random.between(300, 340), 452, 540, 800, random.between(1000, 1100), 1340].map((hz) => hz * random.between(2.2, 2.8));
  const partialIncrement = new Float64Array(partialHz.map((hz) => hz / sampleRate));
  const partialPhase = new Float64Array(partialHz.map(() => random.next()));
  for (let index = 0; index < out.length; index++) {
    const timeSec = index / sampleRate;
    let metal = 0;
    for (let partial = 0; partial < partialPhase.length; partial++) {
      let phase = partialPhase[partial]! + partialIncrement[partial]!;
      if (phase >= 1) phase -= 1;
      partialPhase[partial] = phase;
      metal += phase < 0.5 ? 1 : -1;
    }
    const source = random.between(-1, 1) + metal * 0.12;
    out[index] = highpassB.process(highpassA.process(source)) * Math.exp(-timeSec / decaySec);
  }
  return fadeTail(out, sampleRate);
}

function renderRim(sampleRate: number, random: SeededRandom): Float32Array {
  const out = new Float32Array(Math.round(0.08 * sampleRate));
  const toneHz = random.between(1500, 1900);
  for (let index = 0; index < out.length; index++) {
    const timeSec = index / sampleRate;
    out[index] =
      (Math.sin(2 * Math.PI * toneHz * timeSec) * 0.7 + Math.sin(2 * Math.PI * 480 * timeSec) * 0.5) * Math.exp(-timeSec / 0.012) +
      random.between(-1, 1) * Math.exp(-timeSec / 0.002) * 0.4;
  }
  return fadeTail(out, sampleRate);
}

const KIT_VARIANTS = 8;
const kitCache = new Map<string, DrumKit>();

/**
 * One of a few kit variants for this sample rate, picked by `random`. Kits are
 * cached: rendering them costs more than mixing a whole clip.
 */
export function pickDrumKit(sampleRate: number, random: SeededRandom): DrumKit {
  const variant = random.integer(KIT_VARIANTS);
  const cacheKey = `${sampleRate}:${variant}`;
  let kit = kitCache.get(cacheKey);
  if (!kit) {
    kit = renderDrumKit(sampleRate, createRandom(0x5eed + variant));
    kitCache.set(cacheKey, kit);
  }
  return kit;
}

export function renderDrumKit(sampleRate: number, random: SeededRandom): DrumKit {
  const hatCutoffHz = Math.min(random.between(6000, 8500), 0.4 * sampleRate);
  return {
    kick: renderKick(sampleRate, random),
    snare: renderSnare(sampleRate, random),
    clap: renderClap(sampleRate, random),
    closedHat: renderHat(sampleRate, random, random.between(0.025, 0.05), 0.15, hatCutoffHz),
    openHat: renderHat(sampleRate, random, random.between(0.18, 0.3), 0.6, hatCutoffHz),
    ride: renderHat(sampleRate, random, random.between(0.3, 0.5), 0.8, hatCutoffHz * 0.6),
    rim: renderRim(sampleRate, random),
    crash: renderHat(sampleRate, random, 0.6, 1.5, hatCutoffHz * 0.5),
  };
}

/** Mix `sample` × `gain` into `target` starting at `startIndex` (clipped to the target). */
export function addSample(target: Float32Array, sample: Float32Array, startIndex: number, gain: number): void {
  const from = Math.max(0, -startIndex);
  const to = Math.min(sample.length, target.length - startIndex);
  for (let index = from; index < to; index++) target[startIndex + index]! += sample[index]! * gain;
}
