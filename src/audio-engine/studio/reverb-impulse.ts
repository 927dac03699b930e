import { createRandom } from '../testing/random';

/**
 * A stereo reverb impulse response: seeded noise with an exponential decay (−60 dB at
 * `decaySec`) after `preDelaySec`, each channel its own noise for width. Seeded, so a project
 * renders sample-identically every time (Tone.Reverb draws its noise from Math.random).
 */
export function reverbImpulse(sampleRate: number, decaySec: number, preDelaySec: number, seed = 0x5e7b): [Float32Array, Float32Array] {
  const preDelay = Math.round(preDelaySec * sampleRate);
  const length = preDelay + Math.max(1, Math.round(decaySec * sampleRate));
  const decayPerSample = Math.log(1000) / (decaySec * sampleRate);
  const channels: [Float32Array, Float32Array] = [new Float32Array(length), new Float32Array(length)];
  channels.forEach((channel, index) => {
    const random = createRandom(seed + index * 7919);
    for (let sample = preDelay; sample < length; sample += 1) channel[sample] = (random.next() * 2 - 1) * Math.exp(-(sample - preDelay) * decayPerSample) * 0.25;
  });
  return channels;
}
