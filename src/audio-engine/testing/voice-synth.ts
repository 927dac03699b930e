/**
 * A deterministic synthetic singer for pitch-detection tests: a band-limited
 * glottal-pulse-like source (sawtooth with spectral tilt, jitter and shimmer),
 * aspiration noise, a cascade of vowel formant resonators, vibrato, pitch drift,
 * scoops and legato glides, and note envelopes. Breath (inhale) noise segments
 * and a microphone noise floor can be added. Every random choice comes from a
 * seeded generator, so a render is reproducible sample for sample.
 *
 * Alongside the audio it returns the ground truth per sample: the true
 * fundamental (glides and vibrato included; jitter, being random per cycle,
 * is not) and what is happening (silence, voiced, breath).
 */
import { frequencyFromMidi } from '../pitch/pitch-units';
import { createRandom } from './random';
import { OnePoleLowPass, Resonator, dbToGain, polyBlep, rootMeanSquare, smoothStep } from './synth-primitives';

export type Vowel = 'a' | 'e' | 'i' | 'o' | 'u';
export type VoiceType = 'male' | 'female';

export interface MelodyNote {
  midi: number;
  startSec: number;
  durationSec: number;
  /** Defaults to a vowel picked from the seed. */
  vowel?: Vowel;
  /** Note loudness relative to the voice level; defaults to a seeded ±3 dB. */
  gainDb?: number;
}

export interface BreathSegment {
  startSec: number;
  durationSec: number;
}

/** What a sample of the singer's track contains. */
export const Activity = { silence: 0, voiced: 1, breath: 2 } as const;
export type Activity = (typeof Activity)[keyof typeof Activity];

export interface VoiceOptions {
  sampleRate: number;
  durationSec: number;
  notes: readonly MelodyNote[];
  breaths?: readonly BreathSegment[];
  voiceType?: VoiceType;
  seed?: number;
  /** RMS of the voiced samples, dBFS. */
  levelDb?: number;
  vibratoRateHz?: number;
  /** Peak vibrato depth; each note varies it by ±25 %. */
  vibratoDepthCents?: number;
  /** Time from a note's onset before vibrato starts to grow. */
  vibratoDelaySec?: number;
  /** Standard deviation of the period from one glottal cycle to the next, as a fraction. */
  jitterFraction?: number;
  /** Standard deviation of the cycle-to-cycle amplitude, dB. */
  shimmerDb?: number;
  /** Aspiration noise relative to the glottal source, dB. */
  breathinessDb?: number;
  /** Length of the glide into a note (from the previous note, or a scoop from below). */
  glideSec?: number;
  attackSec?: number;
  releaseSec?: number;
  /** RMS of an inhale relative to the voice level, dB. */
  breathLevelDb?: number;
  /** Microphone/room noise floor, dBFS (white noise over the whole render). */
  noiseFloorDb?: number;
  /** Level of the high-frequency branch (formants above F4, radiation), dB. */
  presenceDb?: number;
  /**
   * Share (0…1) of the note-to-note level differences caused by the vowel and
   * pitch (formant gain) that the singer evens out by ear; the notes' own
   * `gainDb` dynamics are kept. Singers level vowels far more than speakers do.
   */
  loudnessRegulation?: number;
}

export interface VoiceRender {
  sampleRate: number;
  samples: Float32Array;
  /** True fundamental per sample, Hz; 0 where the singer is not voicing. */
  f0Hz: Float32Array;
  /** `Activity` per sample. */
  activity: Uint8Array;
  /** RMS of the voiced samples, dBFS (the reference for mixing levels). */
  voicedRmsDb: number;
}

/** Formant centres (F1–F4) of an adult male voice, Peterson & Barney style. */
const MALE_FORMANTS_HZ: Record<Vowel, readonly [number, number, number, number]> = {
  a: [730, 1090, 2440, 3400],
  e: [530, 1840, 2480, 3500],
  i: [270, 2290, 3010, 3700],
  o: [570, 840, 2410, 3400],
  u: [300, 870, 2240, 3300],
};
const FORMANT_BANDWIDTHS_HZ = [80, 100, 150, 250] as const;
const FEMALE_FORMANT_SCALE = 1.17;
const VOWELS: readonly Vowel[] = ['a', 'e', 'i', 'o', 'u'];
/** Formant coefficients are re-tuned every this many samples while they glide. */
const FORMANT_UPDATE_SAMPLES = 32;

export function renderVoice(options: VoiceOptions): VoiceRender {
  const {
    sampleRate,
    durationSec,
    notes,
    breaths = [],
    voiceType = 'male',
    seed = 1,
    levelDb = -20,
    vibratoRateHz = 5.5,
    vibratoDepthCents = 40,
    vibratoDelaySec = 0.2,
    jitterFraction = 0.006,
    shimmerDb = 0.6,
    breathinessDb = -24,
    glideSec = 0.07,
    attackSec = 0.03,
    releaseSec = 0.06,
    breathLevelDb = -15,
    noiseFloorDb = -66,
    presenceDb = 6,
    loudnessRegulation = 0.7,
  } = options;
  const random = createRandom(seed);
  const sampleCount = Math.round(durationSec * sampleRate);
  const f0Hz = new Float32Array(sampleCount);
  const activity = new Uint8Array(sampleCount);
  const envelope = new Float32Array(sampleCount);
  const formantScale = voiceType === 'female' ? FEMALE_FORMANT_SCALE : 1;
  /** Which note (index into `noteFormantsHz`) each sample belongs to; −1 between notes. */
  const noteAtSample = new Int16Array(sampleCount).fill(-1);
  const noteFormantsHz: (readonly number[])[] = [];

  // 1. Pitch contour, envelope and vowel targets, note by note.
  const ordered = [...notes].sort((left, right) => left.startSec - right.startSec);
  const spans: { startSample: number; endSample: number; gainDb: number }[] = [];
  let previous: MelodyNote | undefined;
  for (const note of ordered) {
    const startSample = Math.round(note.startSec * sampleRate);
    const endSample = Math.min(sampleCount, Math.round((note.startSec + note.durationSec) * sampleRate));
    const legato = previous !== undefined && note.startSec - (previous.startSec + previous.durationSec) < 0.12;
    const glideFromMidi = legato && previous ? previous.midi : note.midi - random.between(0.5, 1.0);
    const noteVibratoRateHz = vibratoRateHz * random.between(0.93, 1.07);
    const noteVibratoCents = vibratoDepthCents * random.between(0.75, 1.25);
    const vibratoPhase = random.between(0, 2 * Math.PI);
    const driftPhases = [random.between(0, 2 * Math.PI), random.between(0, 2 * Math.PI)] as const;
    const gainDb = note.gainDb ?? random.between(-3, 3);
    const gain = dbToGain(gainDb);
    const vowel = note.vowel ?? VOWELS[random.integer(VOWELS.length)] ?? 'a';
    const formantsHz = MALE_FORMANTS_HZ[vowel];
    const noteSamples = endSample - startSample;
    const noteFrequencyHz = frequencyFromMidi(note.midi);
    spans.push({ startSample, endSample, gainDb });
    // Singers raise F1 above a high fundamental (formant tuning) rather than sing above it.
    const targetsHz = formantsHz.map((formantHz) => formantHz * formantScale);
    const tunedFirstFormantHz = 1.15 * noteFrequencyHz;
    if ((targetsHz[0] ?? 0) < tunedFirstFormantHz) {
      targetsHz[0] = tunedFirstFormantHz;
      targetsHz[1] = Math.max(targetsHz[1] ?? 0, tunedFirstFormantHz + 300);
    }
    const attackSamples = attackSec * sampleRate;
    const releaseSamples = Math.min(releaseSec * sampleRate, noteSamples / 3);

    for (let index = startSample; index < endSample; index++) {
      const timeSec = (index - startSample) / sampleRate;
      const glidePosition = smoothStep(timeSec / glideSec);
      const vibratoGrowth = smoothStep((timeSec - vibratoDelaySec) / 0.25);
      const vibratoCents = noteVibratoCents * vibratoGrowth * Math.sin(2 * Math.PI * noteVibratoRateHz * timeSec + vibratoPhase);
      const driftCents = 6 * Math.sin(2 * Math.PI * 0.7 * timeSec + driftPhases[0]) + 4 * Math.sin(2 * Math.PI * 1.9 * timeSec + driftPhases[1]);
      const midi = glideFromMidi + (note.midi - glideFromMidi) * glidePosition + (vibratoCents + driftCents) / 100;
      f0Hz[index] = frequencyFromMidi(midi);
      activity[index] = Activity.voiced;
      const fromStart = index - startSample;
      const toEnd = endSample - 1 - index;
      envelope[index] = gain * smoothStep(fromStart / attackSamples) * smoothStep(toEnd / releaseSamples);
      noteAtSample[index] = noteFormantsHz.length;
    }
    noteFormantsHz.push(targetsHz);
    previous = note;
  }

  // 2. Glottal source, aspiration and formant filtering.
  const voiced = new Float32Array(sampleCount);
  const resonators = FORMANT_BANDWIDTHS_HZ.map(() => new Resonator(sampleRate));
  const tilt = new OnePoleLowPass(sampleRate, 2500);
  const aspirationGain = dbToGain(breathinessDb);
  const shimmerSigma = shimmerDb / 20;
  const smoothedFormantsHz = [...(MALE_FORMANTS_HZ.a as readonly number[])].map((value) => value * formantScale);
  resonators.forEach((resonator, formant) => resonator.tune(smoothedFormantsHz[formant] ?? 1000, FORMANT_BANDWIDTHS_HZ[formant] ?? 100));
  const presenceResonator = new Resonator(sampleRate);
  presenceResonator.tune(4200 * formantScale, 2500);
  const presenceGain = dbToGain(presenceDb);
  let previousTilted = 0;
  let phase = 0;
  let cyclePeriodScale = 1;
  let cycleGain = 1;
  for (let index = 0; index < sampleCount; index++) {
    const fundamentalHz = f0Hz[index] ?? 0;
    let source = 0;
    if (fundamentalHz > 0) {
      const phaseIncrement = (fundamentalHz * cyclePeriodScale) / sampleRate;
      phase += phaseIncrement;
      if (phase >= 1) {
        phase -= 1;
        cyclePeriodScale = 1 / (1 + jitterFraction * Math.max(-3, Math.min(3, random.gaussian())));
        cycleGain = 10 ** (shimmerSigma * Math.max(-3, Math.min(3, random.gaussian())));
      }
      // A rising ramp with an abrupt closure, like the glottal flow derivative's return phase.
      const sawtooth = 2 * phase - 1 - 2 * polyBlep(phase, phaseIncrement);
      const openPhaseWeight = phase < 0.6 ? 1 : 0.35;
      source = cycleGain * sawtooth + aspirationGain * openPhaseWeight * random.gaussian();
      source *= envelope[index] ?? 0;
    } else {
      phase = 0;
    }
    const noteIndex = noteAtSample[index] ?? -1;
    if (index % FORMANT_UPDATE_SAMPLES === 0 && noteIndex >= 0) {
      const targetsHz = noteFormantsHz[noteIndex] ?? [];
      for (let formant = 0; formant < 4; formant++) {
        const targetHz = targetsHz[formant] ?? 1000;
        const currentHz = smoothedFormantsHz[formant] ?? targetHz;
        // Vowels change over roughly 40 ms.
        const nextHz = currentHz + (targetHz - currentHz) * 0.05;
        smoothedFormantsHz[formant] = nextHz;
        resonators[formant]?.tune(nextHz, FORMANT_BANDWIDTHS_HZ[formant] ?? 100);
      }
    }
    const tilted = tilt.step(source);
    let filtered = tilted;
    for (const resonator of resonators) filtered = resonator.step(filtered);
    // The formants above F4 and the lips' radiation, which a four-formant cascade leaves out.
    const presence = presenceResonator.step(tilted - previousTilted);
    previousTilted = tilted;
    voiced[index] = filtered + presenceGain * presence;
  }

  if (loudnessRegulation > 0) regulateNoteLoudness(voiced, spans, loudnessRegulation, sampleRate, attackSec, releaseSec);

  const voicedRms = rootMeanSquare(voiced, activity, Activity.voiced) || 1;
  const voiceGain = dbToGain(levelDb) / voicedRms;
  const samples = new Float32Array(sampleCount);
  for (let index = 0; index < sampleCount; index++) samples[index] = (voiced[index] ?? 0) * voiceGain;

  // 3. Inhales: broadband noise shaped by a wide resonance, with a swelling envelope.
  const breathGain = dbToGain(levelDb + breathLevelDb);
  for (const breath of breaths) {
    const startSample = Math.round(breath.startSec * sampleRate);
    const endSample = Math.min(sampleCount, Math.round((breath.startSec + breath.durationSec) * sampleRate));
    const noise = new Float32Array(Math.max(0, endSample - startSample));
    const lowResonance = new Resonator(sampleRate);
    const highResonance = new Resonator(sampleRate);
    lowResonance.tune(random.between(900, 1400), 900);
    highResonance.tune(random.between(2200, 3200), 1800);
    let previousWhite = 0;
    for (let index = 0; index < noise.length; index++) {
      const white = random.gaussian();
      const highPassed = white - 0.7 * previousWhite;
      previousWhite = white;
      noise[index] = 0.6 * lowResonance.step(highPassed) + highResonance.step(highPassed);
    }
    const noiseRms = rootMeanSquare(noise) || 1;
    for (let index = 0; index < noise.length; index++) {
      const position = index / noise.length;
      const swell = Math.sin(Math.PI * position) ** 0.7;
      const sampleIndex = startSample + index;
      samples[sampleIndex] = (samples[sampleIndex] ?? 0) + ((noise[index] ?? 0) / noiseRms) * breathGain * swell * Math.SQRT2;
      if ((activity[sampleIndex] ?? 0) !== Activity.voiced) activity[sampleIndex] = Activity.breath;
    }
  }

  // 4. Microphone noise floor.
  const noiseFloorGain = dbToGain(noiseFloorDb);
  for (let index = 0; index < sampleCount; index++) {
    samples[index] = (samples[index] ?? 0) + noiseFloorGain * random.gaussian();
  }

  return { sampleRate, samples, f0Hz, activity, voicedRmsDb: levelDb };
}

/**
 * Evens out `share` of each note's level deviation from its intended gain
 * (what the formants did to it), with 5 ms ramps between notes.
 */
function regulateNoteLoudness(
  voiced: Float32Array,
  spans: readonly { startSample: number; endSample: number; gainDb: number }[],
  share: number,
  sampleRate: number,
  attackSec: number,
  releaseSec: number,
): void {
  const deviationsDb = spans.map(({ startSample, endSample, gainDb }) => {
    const from = Math.min(endSample, startSample + Math.round(attackSec * sampleRate));
    const to = Math.max(from + 1, endSample - Math.round(releaseSec * sampleRate));
    const rms = rootMeanSquare(voiced.subarray(from, to)) || 1e-9;
    return 20 * Math.log10(rms) - gainDb;
  });
  const meanDeviationDb = deviationsDb.reduce((sum, value) => sum + value, 0) / Math.max(1, deviationsDb.length);
  const correctionGain = new Float32Array(voiced.length).fill(1);
  spans.forEach(({ startSample, endSample }, index) => {
    correctionGain.fill(dbToGain(-share * ((deviationsDb[index] ?? meanDeviationDb) - meanDeviationDb)), startSample, endSample);
  });
  const smoothing = new OnePoleLowPass(sampleRate, 1 / (2 * Math.PI * 0.005));
  smoothing.reset(correctionGain[0] ?? 1);
  for (let index = 0; index < voiced.length; index++) {
    voiced[index] = (voiced[index] ?? 0) * smoothing.step(correctionGain[index] ?? 1);
  }
}
