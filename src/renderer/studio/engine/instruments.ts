import * as Tone from 'tone';
import type { Instrument } from '../../../shared/studio';
import { drumKitSamples, GM_DRUM_VOICES, GM_TOM_PITCH } from '../../../audio-engine/studio/drum-kit';
import { frequencyFromMidi } from '../../../audio-engine/studio/music';
import { toToneBuffer } from './pcm';

/** One playable instrument inside a track strip. Times are AudioContext seconds. */
export interface EngineInstrument {
  readonly output: Tone.ToneAudioNode;
  play(pitch: number, velocity: number, timeSec: number, durationSec: number): void;
  noteOn(pitch: number, velocity: number, timeSec: number): void;
  noteOff(pitch: number, timeSec: number): void;
  releaseAll(timeSec: number): void;
  dispose(): void;
}

type SynthOptions = Partial<Tone.SynthOptions>;

/** The polyphonic synth's presets (names in shared/studio SYNTH_PRESETS). */
export const SYNTH_PRESET_OPTIONS: Record<string, { options: SynthOptions; volumeDb: number }> = {
  keys: { options: { oscillator: { type: 'triangle' }, envelope: { attack: 0.005, decay: 0.4, sustain: 0.5, release: 0.6 } } as SynthOptions, volumeDb: -8 },
  pad: { options: { oscillator: { type: 'fatsawtooth', count: 3, spread: 18 }, envelope: { attack: 0.35, decay: 0.5, sustain: 0.8, release: 1.4 } } as SynthOptions, volumeDb: -16 },
  bass: { options: { oscillator: { type: 'square' }, envelope: { attack: 0.004, decay: 0.25, sustain: 0.6, release: 0.15 } } as SynthOptions, volumeDb: -14 },
  lead: { options: { oscillator: { type: 'sawtooth' }, envelope: { attack: 0.01, decay: 0.1, sustain: 0.7, release: 0.25 } } as SynthOptions, volumeDb: -14 },
  pluck: { options: { oscillator: { type: 'triangle' }, envelope: { attack: 0.002, decay: 0.3, sustain: 0, release: 0.2 } } as SynthOptions, volumeDb: -8 },
};

const MAX_POLYPHONY = 32;

interface Voice {
  readonly synth: Tone.Synth;
  /** Context time after which the voice is silent and free (Infinity while a live key is held). */
  busyUntilSec: number;
  /** When its latest note starts: a start still in the future cannot be unscheduled, only silenced. */
  lastStartSec: number;
  readonly gate: Tone.Gain;
}

/** Disposing Tone nodes while its clock still holds callbacks for them throws later: wait them out. */
const RETIRE_AFTER_MS = 3000;

/**
 * Polyphony of our own over Tone.Synth voices, allocated by scheduled time. Tone's PolySynth
 * hands voices out from clock callbacks, and in an offline render it lost the release of notes
 * after its first garbage collection (a voice spliced at index −1), leaving notes held forever;
 * here every attack and release is written straight into the voice's envelope at its time.
 */
function createSynth(preset: string): EngineInstrument {
  const spec = SYNTH_PRESET_OPTIONS[preset] ?? (SYNTH_PRESET_OPTIONS.keys as { options: SynthOptions; volumeDb: number });
  const output = new Tone.Gain(10 ** (spec.volumeDb / 20));
  let voices: Voice[] = [];
  const held = new Map<number, Voice>();
  const retire = (voice: Voice, timeSec: number): void => {
    voice.gate.gain.setValueAtTime(0, timeSec);
    setTimeout(() => {
      voice.synth.dispose();
      voice.gate.dispose();
    }, RETIRE_AFTER_MS);
  };
  const releaseSec = Number((spec.options.envelope as { release?: number } | undefined)?.release ?? 1);
  const voiceFor = (timeSec: number): Voice => {
    const free = voices.find((voice) => voice.busyUntilSec <= timeSec);
    if (free) return free;
    if (voices.length < MAX_POLYPHONY) {
      const gate = new Tone.Gain(1).connect(output);
      const voice = { synth: new Tone.Synth(spec.options as Tone.SynthOptions).connect(gate), busyUntilSec: 0, lastStartSec: 0, gate };
      voices.push(voice);
      return voice;
    }
    // All busy: steal the one that frees up first.
    return voices.reduce((earliest, voice) => (voice.busyUntilSec < earliest.busyUntilSec ? voice : earliest));
  };
  return {
    output,
    play: (pitch, velocity, timeSec, durationSec) => {
      const voice = voiceFor(timeSec);
      voice.synth.triggerAttackRelease(frequencyFromMidi(pitch), durationSec, timeSec, velocity);
      voice.busyUntilSec = timeSec + durationSec + releaseSec;
      voice.lastStartSec = timeSec;
    },
    noteOn: (pitch, velocity, timeSec) => {
      const voice = voiceFor(timeSec);
      voice.synth.triggerAttack(frequencyFromMidi(pitch), timeSec, velocity);
      voice.busyUntilSec = Number.POSITIVE_INFINITY;
      voice.lastStartSec = timeSec;
      held.set(pitch, voice);
    },
    noteOff: (pitch, timeSec) => {
      const voice = held.get(pitch);
      if (!voice) return;
      held.delete(pitch);
      voice.synth.triggerRelease(timeSec);
      voice.busyUntilSec = timeSec + releaseSec;
    },
    releaseAll: (timeSec) => {
      // Voices holding notes scheduled ahead are silenced and replaced; sounding ones release.
      const keep: Voice[] = [];
      for (const voice of voices) {
        if (voice.lastStartSec > timeSec) retire(voice, timeSec);
        else {
          if (voice.busyUntilSec > timeSec) voice.synth.triggerRelease(timeSec);
          voice.busyUntilSec = Math.min(voice.busyUntilSec, timeSec + releaseSec);
          keep.push(voice);
        }
      }
      voices = keep;
      held.clear();
    },
    dispose: () => {
      for (const voice of voices) {
        voice.synth.dispose();
        voice.gate.dispose();
      }
      output.dispose();
    },
  };
}

/** The drum machine: our synthesized kit, one buffer per voice, one-shot per hit. */
function createDrums(kit: string): EngineInstrument {
  const context = Tone.getContext();
  const samples = drumKitSamples(kit, context.sampleRate);
  const buffers = new Map(Object.entries(samples).map(([voice, channel]) => [voice, toToneBuffer(context, { channels: [channel], sampleRate: context.sampleRate })]));
  const output = new Tone.Gain(0.8);
  const sounding = new Set<Tone.ToneBufferSource>();
  const hit = (pitch: number, velocity: number, timeSec: number): void => {
    const tomRatio = GM_TOM_PITCH[pitch];
    const voice = tomRatio ? 'kick' : GM_DRUM_VOICES[pitch];
    const buffer = voice ? buffers.get(voice) : undefined;
    if (!buffer) return;
    const source = new Tone.ToneBufferSource({ url: buffer, playbackRate: tomRatio ?? 1 }).connect(output);
    sounding.add(source);
    source.onended = () => {
      sounding.delete(source);
      source.dispose();
    };
    source.start(timeSec, 0, undefined, velocity);
  };
  return {
    output,
    play: (pitch, velocity, timeSec) => hit(pitch, velocity, timeSec),
    noteOn: (pitch, velocity, timeSec) => hit(pitch, velocity, timeSec),
    noteOff: () => undefined,
    releaseAll: (timeSec) => {
      for (const source of sounding) source.stop(timeSec);
    },
    dispose: () => {
      for (const source of sounding) source.dispose();
      for (const buffer of buffers.values()) buffer.dispose();
      output.dispose();
    },
  };
}

export function createInstrument(instrument: Instrument): EngineInstrument {
  return instrument.type === 'drums' ? createDrums(instrument.preset) : createSynth(instrument.preset);
}
