import { describe, expect, it } from 'vitest';
import { renderVoice } from '../testing/voice-synth';
import { reduceVocals, VocalReducer } from './vocal-reduction';

const SAMPLE_RATE = 44_100;
const LENGTH = SAMPLE_RATE * 3;

const rmsDb = (...channels: Float32Array[]): number => {
  let sum = 0;
  let count = 0;
  // Skip the first half second: the filters settle.
  for (const channel of channels) for (let index = SAMPLE_RATE / 2; index < channel.length; index += 1, count += 1) sum += channel[index]! ** 2;
  return 10 * Math.log10(sum / count);
};

const tone = (frequencyHz: number, gain: number): Float32Array => Float32Array.from({ length: LENGTH }, (_, index) => gain * Math.sin((2 * Math.PI * frequencyHz * index) / SAMPLE_RATE));

/** A female voice singing a phrase, panned dead centre. */
const voice = renderVoice({
  sampleRate: SAMPLE_RATE,
  durationSec: 3,
  notes: [
    { midi: 64, startSec: 0.2, durationSec: 1.2 },
    { midi: 69, startSec: 1.5, durationSec: 1.3 },
  ],
  voiceType: 'female',
  seed: 2,
}).samples.subarray(0, LENGTH);
/** Bass and kick region, centred. */
const bass = tone(55, 0.3);
/** A guitar on the left, keys on the right. */
const guitarLeft = tone(330, 0.2);
const keysRight = tone(523, 0.2);

/** Each part alone through the reducer (it is linear, so this is each part's share of the mix). */
const reduce = (left: Float32Array, right: Float32Array): { before: number; after: number } => {
  const [outLeft, outRight] = reduceVocals(left, right, SAMPLE_RATE);
  return { before: rmsDb(left, right), after: rmsDb(outLeft, outRight) };
};

describe('vocal reduction', () => {
  it('takes a centre-panned voice down by at least 25 dB', () => {
    const { before, after } = reduce(voice, voice);
    expect(before - after).toBeGreaterThanOrEqual(25);
  });

  it('keeps the centred bass below the crossover within 1 dB', () => {
    const { before, after } = reduce(bass, bass);
    expect(Math.abs(before - after)).toBeLessThanOrEqual(1);
  });

  it('keeps instruments panned to the sides (at most the 3 dB of splitting them across both channels)', () => {
    const silence = new Float32Array(LENGTH);
    const guitar = reduce(guitarLeft, silence);
    const keys = reduce(silence, keysRight);
    expect(guitar.before - guitar.after).toBeLessThanOrEqual(3.5);
    expect(keys.before - keys.after).toBeLessThanOrEqual(3.5);
  });

  it('in a full mix, lowers the voice against the band by at least 20 dB', () => {
    const mixLeft = voice.map((value, index) => value + bass[index]! + guitarLeft[index]!);
    const mixRight = voice.map((value, index) => value + bass[index]! + keysRight[index]!);
    const [outLeft, outRight] = reduceVocals(mixLeft, mixRight, SAMPLE_RATE);
    const [bandLeft, bandRight] = reduceVocals(
      bass.map((value, index) => value + guitarLeft[index]!),
      bass.map((value, index) => value + keysRight[index]!),
      SAMPLE_RATE,
    );
    const residualVoice = outLeft.map((value, index) => value - bandLeft[index]!);
    const residualVoiceRight = outRight.map((value, index) => value - bandRight[index]!);
    const voiceToBandBefore = rmsDb(voice, voice) - rmsDb(bass.map((value, index) => value + guitarLeft[index]!), bass.map((value, index) => value + keysRight[index]!));
    const voiceToBandAfter = rmsDb(residualVoice, residualVoiceRight) - rmsDb(bandLeft, bandRight);
    expect(voiceToBandBefore - voiceToBandAfter).toBeGreaterThanOrEqual(20);
  });

  it('blends from the original (0) to the reduced mix (1), in place', () => {
    const left = voice.slice();
    const right = voice.slice();
    new VocalReducer(SAMPLE_RATE).process(left, right, left, right, 0);
    expect(left).toEqual(voice);
    const half = [voice.slice(), voice.slice()] as const;
    new VocalReducer(SAMPLE_RATE).process(half[0], half[1], half[0], half[1], 0.5);
    expect(rmsDb(voice, voice) - rmsDb(half[0], half[1])).toBeCloseTo(6, 0);
  });
});
