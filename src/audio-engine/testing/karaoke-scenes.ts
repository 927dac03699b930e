/**
 * Ready-made karaoke test material: melodies for a male and a female singer,
 * rendered alone or with the backing band leaking into the microphone, plus the
 * per-frame ground truth a pitch tracker is scored against.
 */
import { renderBacking, mixBacking } from './backing-synth';
import { Activity, renderVoice } from './voice-synth';
import type { BreathSegment, MelodyNote, VoiceRender, VoiceType } from './voice-synth';

export interface MelodySpec {
  name: string;
  voiceType: VoiceType;
  notes: readonly MelodyNote[];
  breaths: readonly BreathSegment[];
  durationSec: number;
}

export interface SceneSpec {
  melody: MelodySpec;
  sampleRate: number;
  /** Backing level relative to the singer's voiced RMS, dB; null for the voice alone. */
  backingDb: number | null;
  seed?: number;
  /** Shifts the melody and the backing's key together. */
  transposeSemitones?: number;
  /** See `VoiceOptions.loudnessRegulation` (default 0.7). */
  loudnessRegulation?: number;
}

export interface KaraokeScene {
  name: string;
  sampleRate: number;
  samples: Float32Array;
  voice: VoiceRender;
}

/** Phrase notes as [midi, beats] or [midi, beats, 'legato'] (glides into the next note). */
type PhraseNote = readonly [number, number] | readonly [number, number, 'legato'];

const BEAT_SEC = 0.6;
const NOTE_GAP_SEC = 0.05;

function phrase(startSec: number, phraseNotes: readonly PhraseNote[]): MelodyNote[] {
  const notes: MelodyNote[] = [];
  let timeSec = startSec;
  for (const [midi, beats, tie] of phraseNotes) {
    const lengthSec = beats * BEAT_SEC;
    notes.push({ midi, startSec: timeSec, durationSec: tie === 'legato' ? lengthSec : lengthSec - NOTE_GAP_SEC });
    timeSec += lengthSec;
  }
  return notes;
}

/** C major, about G2–F4 (98–349 Hz), with an octave leap and a low phrase. */
export const MALE_MELODY: MelodySpec = {
  name: 'male',
  voiceType: 'male',
  durationSec: 17,
  notes: [
    ...phrase(0.6, [[48, 1], [50, 0.5, 'legato'], [52, 0.5], [55, 1], [52, 1, 'legato'], [50, 2]]),
    ...phrase(5.2, [[43, 1], [45, 1], [47, 0.5], [48, 0.5], [60, 1], [57, 1.5, 'legato'], [55, 0.5], [53, 2]]),
    ...phrase(11.0, [[60, 1], [62, 0.5], [64, 0.5, 'legato'], [65, 1], [64, 1], [62, 1], [60, 0.5], [55, 0.5, 'legato'], [48, 2]]),
  ],
  breaths: [
    { startSec: 4.35, durationSec: 0.5 },
    { startSec: 10.2, durationSec: 0.6 },
  ],
};

/** C major, about A3–G5 (220–784 Hz). */
export const FEMALE_MELODY: MelodySpec = {
  name: 'female',
  voiceType: 'female',
  durationSec: 17,
  notes: [
    ...phrase(0.6, [[60, 1], [62, 0.5, 'legato'], [64, 0.5], [67, 1], [64, 1, 'legato'], [62, 2]]),
    ...phrase(5.2, [[57, 1], [59, 1], [60, 0.5], [62, 0.5], [72, 1], [69, 1.5, 'legato'], [67, 0.5], [65, 2]]),
    ...phrase(11.0, [[72, 1], [74, 0.5], [76, 0.5, 'legato'], [77, 1], [79, 1], [76, 1], [72, 0.5], [67, 0.5, 'legato'], [60, 2]]),
  ],
  breaths: [
    { startSec: 4.35, durationSec: 0.5 },
    { startSec: 10.2, durationSec: 0.6 },
  ],
};

export const MELODIES: readonly MelodySpec[] = [MALE_MELODY, FEMALE_MELODY];

export function renderKaraokeScene(spec: SceneSpec): KaraokeScene {
  return renderKaraokeScenes({ ...spec, backingDbs: [spec.backingDb] })[0]!;
}

/** One performance heard under several backing levels: the voice and the band are rendered once. */
export function renderKaraokeScenes(spec: Omit<SceneSpec, 'backingDb'> & { backingDbs: readonly (number | null)[] }): KaraokeScene[] {
  const { melody, sampleRate, backingDbs, seed = 11, transposeSemitones = 0, loudnessRegulation } = spec;
  const voice = renderVoice({
    sampleRate,
    durationSec: melody.durationSec,
    notes: melody.notes.map((note) => ({ ...note, midi: note.midi + transposeSemitones })),
    breaths: melody.breaths,
    voiceType: melody.voiceType,
    seed,
    ...(loudnessRegulation === undefined ? {} : { loudnessRegulation }),
  });
  const key = transposeSemitones === 0 ? '' : ` ${transposeSemitones > 0 ? '+' : ''}${transposeSemitones}`;
  const name = `${melody.name}${key} #${seed}`;
  let backing: Float32Array | undefined;
  return backingDbs.map((backingDb) => {
    if (backingDb === null) return { name: `${name}, voice alone`, sampleRate, samples: voice.samples, voice };
    backing ??= renderBacking({ sampleRate, durationSec: melody.durationSec, seed: seed + 1000, tonicMidi: 60 + transposeSemitones });
    return {
      name: `${name}, backing ${backingDb} dB`,
      sampleRate,
      samples: mixBacking(voice.samples, voice.voicedRmsDb, backing, backingDb),
      voice,
    };
  });
}

/**
 * What an analysis frame contains, for scoring. A frame is `voiced` when the
 * singer voices through all of it and the true pitch moves by less than
 * `MAX_VOICED_SPREAD_CENTS` inside it (vibrato and scoops stay well below);
 * a fast legato glide makes it a `glide` frame, whose single "true" pitch is
 * ill-defined; a frame that straddles an onset or an offset is a `transition`.
 */
export const FrameKind = { silence: 0, voiced: 1, breath: 2, transition: 3, glide: 4 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface FrameTruth {
  frameSize: number;
  hopSize: number;
  frameCount: number;
  /** `FrameKind` per frame: voiced only when the singer voices through the whole frame. */
  kind: Uint8Array;
  /** Mean true f0 over the frame (geometric), Hz; 0 unless voiced or glide. */
  f0Hz: Float32Array;
}

export const MAX_VOICED_SPREAD_CENTS = 100;

/** Ground truth for frames starting at `index · hopSize`. */
export function frameTruth(voice: VoiceRender, frameSize: number, hopSize: number): FrameTruth {
  const frameCount = voice.samples.length < frameSize ? 0 : Math.floor((voice.samples.length - frameSize) / hopSize) + 1;
  const kind = new Uint8Array(frameCount);
  const f0Hz = new Float32Array(frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    const start = frame * hopSize;
    let voicedCount = 0;
    let breathCount = 0;
    let log2Sum = 0;
    let lowestHz = Infinity;
    let highestHz = 0;
    for (let index = start; index < start + frameSize; index++) {
      const activity = voice.activity[index] ?? Activity.silence;
      if (activity === Activity.voiced) {
        const fundamentalHz = voice.f0Hz[index] ?? 1;
        voicedCount++;
        log2Sum += Math.log2(fundamentalHz);
        lowestHz = Math.min(lowestHz, fundamentalHz);
        highestHz = Math.max(highestHz, fundamentalHz);
      } else if (activity === Activity.breath) {
        breathCount++;
      }
    }
    if (voicedCount === frameSize) {
      const spreadCents = 1200 * Math.log2(highestHz / lowestHz);
      kind[frame] = spreadCents < MAX_VOICED_SPREAD_CENTS ? FrameKind.voiced : FrameKind.glide;
      f0Hz[frame] = 2 ** (log2Sum / frameSize);
    } else if (voicedCount > 0) {
      kind[frame] = FrameKind.transition;
    } else {
      kind[frame] = breathCount > 0 ? FrameKind.breath : FrameKind.silence;
    }
  }
  return { frameSize, hopSize, frameCount, kind, f0Hz };
}
