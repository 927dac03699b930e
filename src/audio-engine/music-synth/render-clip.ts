/**
 * Render a short, fully deterministic piece of music with known tempo and key:
 * drums from the style's groove, a bass line on the chord roots, chords and a
 * melody from the key's scale. The clip starts somewhere inside a bar, like an
 * excerpt of a longer track, and its ground truth lists every beat.
 */
import { createRandom } from '../testing/random';
import type { SeededRandom } from '../testing/random';
import { DRUM_VOICES, addSample, pickDrumKit } from './drums';
import type { DrumBar } from './styles';
import { STYLES } from './styles';
import type { MusicStyle, StyleSpec } from './styles';
import { NOTE_SHAPES, addNote } from './instruments';
import type { ChordSymbol, MusicalKey } from './theory';
import { PROGRESSIONS, chordIntervals, frequencyFromMidi, melodyScale, nearestMidiOfPitchClass } from './theory';

export interface ClipRequest {
  style: MusicStyle;
  tempoBpm: number;
  key: MusicalKey;
  durationSec: number;
  sampleRate: number;
  seed: number;
  /** 1 (default) or 2; stereo pans the harmony and melody apart. */
  channelCount?: 1 | 2;
}

export interface ClipTruth {
  style: MusicStyle;
  tempoBpm: number;
  key: MusicalKey;
  /** Quarter-note beats inside the clip. */
  beatTimesSec: number[];
  downbeatTimesSec: number[];
  progression: readonly ChordSymbol[];
}

export interface RenderedClip {
  /** One array per channel. */
  channels: Float32Array[];
  /** The mono mix (the same array as channels[0] for a mono clip). */
  mono: Float32Array;
  sampleRate: number;
  truth: ClipTruth;
}

const STEPS_PER_BAR = 16;

const VELOCITY: Record<string, number> = { X: 1, x: 0.7, o: 0.3 };

const DRUM_GAIN: Record<string, number> = {
  kick: 0.9,
  snare: 0.55,
  clap: 0.45,
  closedHat: 0.22,
  openHat: 0.2,
  ride: 0.15,
  rim: 0.25,
  crash: 0.18,
};

interface Timeline {
  stepSec: number;
  barSec: number;
  swingDelaySec: number;
  barCount: number;
}

function stepTimeSec(timeline: Timeline, bar: number, step: number): number {
  const swing = step % 2 === 1 ? timeline.swingDelaySec : 0;
  return bar * timeline.barSec + step * timeline.stepSec + swing;
}

function renderDrums(target: Float32Array, spec: StyleSpec, timeline: Timeline, sampleRate: number, random: SeededRandom): void {
  const kit = pickDrumKit(sampleRate, random);
  for (let bar = 0; bar < timeline.barCount; bar++) {
    const pattern: DrumBar = bar % 4 === 3 && spec.fillBar ? spec.fillBar : spec.drumBars[bar % spec.drumBars.length]!;
    for (const voice of DRUM_VOICES) {
      const steps = pattern[voice];
      if (!steps) continue;
      for (let step = 0; step < STEPS_PER_BAR; step++) {
        const velocity = VELOCITY[steps[step] ?? '.'];
        if (velocity === undefined) continue;
        const jitterSec = random.gaussian() * spec.timingJitterSec;
        const gain = DRUM_GAIN[voice]! * velocity * (1 + 0.08 * random.gaussian()) * spec.drumGain;
        addSample(target, kit[voice], Math.round((stepTimeSec(timeline, bar, step) + jitterSec) * sampleRate), gain);
      }
    }
    if (spec.crashEveryBars && bar % spec.crashEveryBars === 0) {
      addSample(target, kit.crash, Math.round(stepTimeSec(timeline, bar, 0) * sampleRate), DRUM_GAIN.crash!);
    }
  }
}

/** Onsets of a rhythm string as [startStep, lengthSteps, symbol]. */
function* rhythmNotes(rhythm: string): Generator<[number, number, string]> {
  for (let step = 0; step < rhythm.length; step++) {
    const symbol = rhythm[step]!;
    if (symbol === '.' || symbol === '-') continue;
    let length = 1;
    while (rhythm[step + length] === '-') length++;
    yield [step, length, symbol];
  }
}

function chordPitchClasses(key: MusicalKey, chord: ChordSymbol, powerChord: boolean): number[] {
  const intervals = powerChord ? chordIntervals('power') : chordIntervals(chord.quality);
  return intervals.map((interval) => (key.tonic + chord.rootOffset + interval) % 12);
}

/** What every part renderer needs to know about the clip. */
interface PartContext {
  spec: StyleSpec;
  key: MusicalKey;
  progression: readonly ChordSymbol[];
  timeline: Timeline;
  sampleRate: number;
  random: SeededRandom;
}

function renderBass(target: Float32Array, { spec, key, progression, timeline, sampleRate, random }: PartContext): void {
  const bass = spec.bass;
  const shape = NOTE_SHAPES[bass.shape];
  for (let bar = 0; bar < timeline.barCount; bar++) {
    const chord = progression[bar % progression.length]!;
    const rootMidi = nearestMidiOfPitchClass((key.tonic + chord.rootOffset) % 12, bass.centerMidi);
    const thirdMidi = rootMidi + chordIntervals(chord.quality)[1]!;
    for (const [step, length, symbol] of rhythmNotes(bass.rhythm[bar % bass.rhythm.length]!)) {
      const midi = symbol === 'O' ? rootMidi + 12 : symbol === '5' ? rootMidi + 7 : symbol === '3' ? thirdMidi : rootMidi;
      const accent = symbol === 'R' ? 1 : 0.8;
      const durationSec = length * timeline.stepSec * 0.9;
      addNote(target, sampleRate, bass.timbre, shape, stepTimeSec(timeline, bar, step), durationSec, frequencyFromMidi(midi), bass.gain * accent, random.next());
    }
  }
}

function renderHarmony(target: Float32Array, { spec, key, progression, timeline, sampleRate, random }: PartContext): void {
  const harmony = spec.harmony;
  if (!harmony) return;
  const shape = NOTE_SHAPES[harmony.shape];
  const centerMidi = harmony.powerChords ? 50 : 60;
  for (let bar = 0; bar < timeline.barCount; bar++) {
    const chord = progression[bar % progression.length]!;
    const pitchClasses = chordPitchClasses(key, chord, harmony.powerChords ?? false);
    const rootMidi = nearestMidiOfPitchClass(pitchClasses[0]!, centerMidi);
    const notesMidi = harmony.powerChords ? [rootMidi, rootMidi + 7, rootMidi + 12] : pitchClasses.map((pitchClass) => nearestMidiOfPitchClass(pitchClass, centerMidi));
    const noteGain = harmony.gain / Math.sqrt(notesMidi.length);
    for (const [step, length] of rhythmNotes(harmony.rhythm[bar % harmony.rhythm.length]!)) {
      const durationSec = length * timeline.stepSec * 0.95;
      for (const midi of notesMidi) {
        addNote(target, sampleRate, harmony.timbre, shape, stepTimeSec(timeline, bar, step), durationSec, frequencyFromMidi(midi), noteGain, random.next());
      }
    }
  }
}

/** A two-bar rhythmic motif repeated through the clip, pitches re-chosen over each chord. */
function renderMelody(target: Float32Array, { spec, key, progression, timeline, sampleRate, random }: PartContext): void {
  const melody = spec.melody;
  if (!melody) return;
  const shape = NOTE_SHAPES[melody.shape];
  const motifSteps = 2 * STEPS_PER_BAR;
  const onsets: boolean[] = [];
  for (let step = 0; step < motifSteps; step += 2) {
    const onBeat = step % 4 === 0;
    onsets[step] = random.next() < (melody.notesPerBar / 8) * (onBeat ? 1.4 : 0.6);
  }
  onsets[0] = true;
  let previousMidi = nearestMidiOfPitchClass(key.tonic, 74);
  for (let bar = 0; bar < timeline.barCount; bar++) {
    const chord = progression[bar % progression.length]!;
    const scale = melodyScale(key.mode, chord).map((degree) => (key.tonic + degree) % 12);
    const chordTones = chordPitchClasses(key, chord, false);
    for (let step = 0; step < STEPS_PER_BAR; step += 2) {
      const motifStep = (bar % 2) * STEPS_PER_BAR + step;
      if (!onsets[motifStep]) continue;
      let length = 2;
      while (length < 8 && !onsets[motifStep + length] && step + length < STEPS_PER_BAR) length += 2;
      const candidates = step % 4 === 0 ? chordTones : scale;
      let bestMidi = previousMidi;
      let bestCost = Infinity;
      for (const pitchClass of candidates) {
        const midi = nearestMidiOfPitchClass(pitchClass, previousMidi + Math.round(random.between(-4, 4)));
        const clampedMidi = midi < 64 ? midi + 12 : midi > 86 ? midi - 12 : midi;
        const cost = Math.abs(clampedMidi - previousMidi) + random.next() * 3;
        if (cost < bestCost) {
          bestCost = cost;
          bestMidi = clampedMidi;
        }
      }
      previousMidi = bestMidi;
      const durationSec = length * timeline.stepSec * 0.85;
      addNote(target, sampleRate, melody.timbre, shape, stepTimeSec(timeline, bar, step), durationSec, frequencyFromMidi(bestMidi), melody.gain, random.next());
    }
  }
}

export function renderClip(request: ClipRequest): RenderedClip {
  const { style, tempoBpm, key, durationSec, sampleRate, seed } = request;
  const channelCount = request.channelCount ?? 1;
  const spec = STYLES[style];
  const random = createRandom(seed);
  const beatSec = 60 / tempoBpm;
  const stepSec = beatSec / 4;
  const barSec = STEPS_PER_BAR * stepSec;
  const startOffsetSec = random.between(0, barSec);
  const totalSec = startOffsetSec + durationSec;
  const timeline: Timeline = {
    stepSec,
    barSec,
    swingDelaySec: (spec.swing - 0.5) * 2 * stepSec,
    barCount: Math.ceil(totalSec / barSec) + 1,
  };
  const progressions = PROGRESSIONS[key.mode];
  const progression = progressions[random.integer(progressions.length)]!;

  const totalLength = Math.ceil(totalSec * sampleRate);
  const drums = new Float32Array(totalLength);
  const bass = new Float32Array(totalLength);
  const harmony = new Float32Array(totalLength);
  const melody = new Float32Array(totalLength);
  renderDrums(drums, spec, timeline, sampleRate, random);
  const context: PartContext = { spec, key, progression, timeline, sampleRate, random };
  renderBass(bass, context);
  renderHarmony(harmony, context);
  renderMelody(melody, context);

  const startIndex = Math.round(startOffsetSec * sampleRate);
  const length = Math.round(durationSec * sampleRate);
  // Per-channel gains for [drums, bass, harmony, melody].
  const pans = channelCount === 1 ? [[1, 1, 1, 1]] : [[1, 1, 1.15, 0.8], [1, 1, 0.8, 1.15]];
  const channels = pans.map((gains) => {
    const channel = new Float32Array(length);
    for (let index = 0; index < length; index++) {
      const source = startIndex + index;
      channel[index] = drums[source]! * gains[0]! + bass[source]! * gains[1]! + harmony[source]! * gains[2]! + melody[source]! * gains[3]!;
    }
    return channel;
  });
  let peak = 0;
  for (const channel of channels) for (let index = 0; index < length; index++) peak = Math.max(peak, Math.abs(channel[index]!));
  // Peak at −1 dBFS minus up to 9 dB, so clips do not all share one level.
  const targetPeak = 10 ** ((-1 - random.between(0, 9)) / 20);
  const scale = peak > 0 ? targetPeak / peak : 1;
  for (const channel of channels) for (let index = 0; index < length; index++) channel[index]! *= scale;

  let mono = channels[0]!;
  if (channels.length > 1) {
    mono = new Float32Array(length);
    for (const channel of channels) for (let index = 0; index < length; index++) mono[index]! += channel[index]! / channels.length;
  }

  const beatTimesSec: number[] = [];
  const downbeatTimesSec: number[] = [];
  for (let beat = Math.ceil(startOffsetSec / beatSec); beat * beatSec < totalSec; beat++) {
    const timeSec = beat * beatSec - startOffsetSec;
    beatTimesSec.push(timeSec);
    if (beat % 4 === 0) downbeatTimesSec.push(timeSec);
  }
  return { channels, mono, sampleRate, truth: { style, tempoBpm, key, beatTimesSec, downbeatTimesSec, progression } };
}
