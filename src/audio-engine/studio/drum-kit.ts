import { renderDrumKit, type DrumVoice } from '../music-synth/drums';
import { createRandom } from '../testing/random';

/**
 * The studio's built-in drum kits: synthesized here (sine sweeps and filtered noise, the same
 * voices as the test-music synth), never downloaded. A fixed seed per kit makes every render of
 * a project sample-identical.
 */
export const KIT_SEEDS = { 'mixdeck-808': 0x808, 'mixdeck-acoustic': 0xac0 } as const;
export type KitName = keyof typeof KIT_SEEDS;

/** General MIDI drum note → the kit voice that plays it. */
export const GM_DRUM_VOICES: Readonly<Record<number, DrumVoice>> = {
  35: 'kick',
  36: 'kick',
  37: 'rim',
  38: 'snare',
  39: 'clap',
  40: 'snare',
  42: 'closedHat',
  44: 'closedHat',
  46: 'openHat',
  49: 'crash',
  51: 'ride',
  57: 'crash',
  59: 'ride',
};

/** Toms are the kick's voice tuned up; pitch ratio per GM tom note. */
export const GM_TOM_PITCH: Readonly<Record<number, number>> = { 41: 1.6, 43: 1.8, 45: 2.0, 47: 2.3, 48: 2.6, 50: 3.0 };

const cache = new Map<string, Record<DrumVoice, Float32Array>>();

export function drumKitSamples(kit: string, sampleRate: number): Record<DrumVoice, Float32Array> {
  const seed = KIT_SEEDS[kit as KitName] ?? KIT_SEEDS['mixdeck-808'];
  const key = `${seed}:${sampleRate}`;
  let samples = cache.get(key);
  if (!samples) {
    samples = renderDrumKit(sampleRate, createRandom(seed));
    cache.set(key, samples);
  }
  return samples;
}

/** A metronome click: a short decaying sine, higher on the downbeat. */
export function metronomeClick(sampleRate: number, downbeat: boolean): Float32Array {
  const frequencyHz = downbeat ? 1760 : 1320;
  const out = new Float32Array(Math.round(0.03 * sampleRate));
  for (let index = 0; index < out.length; index += 1) {
    const timeSec = index / sampleRate;
    out[index] = Math.sin(2 * Math.PI * frequencyHz * timeSec) * Math.exp(-timeSec / 0.006) * 0.6;
  }
  return out;
}
