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

export interface SynthPreset {
  readonly oscillator: OscillatorType;
  /** Extra detuned oscillators per note (a "fat" sound), each ± this many cents. */
  readonly unison: { count: number; spreadCents: number } | null;
  readonly attackSec: number;
  readonly decaySec: number;
  /** Sustain level, 0…1 of the note's velocity. */
  readonly sustain: number;
  readonly releaseSec: number;
  readonly volumeDb: number;
}

/** The polyphonic synth's presets (names in shared/studio SYNTH_PRESETS). */
export const SYNTH_PRESETS_SPEC: Record<string, SynthPreset> = {
  keys: { oscillator: 'triangle', unison: null, attackSec: 0.005, decaySec: 0.4, sustain: 0.5, releaseSec: 0.6, volumeDb: -8 },
  pad: { oscillator: 'sawtooth', unison: { count: 3, spreadCents: 9 }, attackSec: 0.35, decaySec: 0.5, sustain: 0.8, releaseSec: 1.4, volumeDb: -20 },
  bass: { oscillator: 'square', unison: null, attackSec: 0.004, decaySec: 0.25, sustain: 0.6, releaseSec: 0.15, volumeDb: -14 },
  lead: { oscillator: 'sawtooth', unison: null, attackSec: 0.01, decaySec: 0.1, sustain: 0.7, releaseSec: 0.25, volumeDb: -14 },
  pluck: { oscillator: 'triangle', unison: null, attackSec: 0.002, decaySec: 0.3, sustain: 0, releaseSec: 0.2, volumeDb: -8 },
};

const MAX_POLYPHONY = 64;

/** The envelope's level `afterSec` into a note (attack ramp, then exponential decay to sustain). */
function envelopeLevel(preset: SynthPreset, velocity: number, afterSec: number): number {
  if (afterSec <= 0) return 0;
  if (afterSec < preset.attackSec) return (velocity * afterSec) / preset.attackSec;
  const sustainLevel = velocity * preset.sustain;
  return sustainLevel + (velocity - sustainLevel) * Math.exp(-(afterSec - preset.attackSec) / (preset.decaySec / 4));
}

interface Voice {
  readonly oscillators: OscillatorNode[];
  readonly envelope: GainNode;
  readonly startSec: number;
  readonly velocity: number;
  endSec: number;
  /** A source node takes one stop(); a later, earlier release only closes the envelope. */
  stopScheduled: boolean;
}

/**
 * The polyphonic synth on native nodes, one set per note: oscillator(s) → an ADSR GainNode,
 * every attack, release and stop written at its context time when the note is scheduled.
 * Nothing waits on Tone's clock, so a note sounds the same live and offline. (Tone's PolySynth
 * hands voices out from clock callbacks: offline it lost releases after its first garbage
 * collection; live its stop callbacks raced restarts and threw "cannot stop before start".)
 */
function createSynth(presetName: string): EngineInstrument {
  const preset = SYNTH_PRESETS_SPEC[presetName] ?? (SYNTH_PRESETS_SPEC.keys as SynthPreset);
  const context = Tone.getContext();
  const output = new Tone.Gain(10 ** (preset.volumeDb / 20));
  const sounding = new Set<Voice>();
  const held = new Map<number, Voice>();

  const start = (pitch: number, velocity: number, timeSec: number): Voice => {
    // Past the polyphony limit, the oldest note ends now (voice stealing).
    if (sounding.size >= MAX_POLYPHONY) {
      const oldest = [...sounding].reduce((a, b) => (a.startSec <= b.startSec ? a : b));
      release(oldest, Math.max(timeSec, oldest.startSec), 0.005);
    }
    const envelope = context.createGain();
    envelope.gain.value = 0;
    envelope.gain.setValueAtTime(0, timeSec);
    envelope.gain.linearRampToValueAtTime(velocity, timeSec + preset.attackSec);
    envelope.gain.setTargetAtTime(velocity * preset.sustain, timeSec + preset.attackSec, preset.decaySec / 4);
    Tone.connect(envelope, output);
    const count = preset.unison?.count ?? 1;
    const oscillators: OscillatorNode[] = [];
    for (let index = 0; index < count; index += 1) {
      const oscillator = context.createOscillator();
      oscillator.type = preset.oscillator;
      oscillator.frequency.value = frequencyFromMidi(pitch);
      if (preset.unison && count > 1) oscillator.detune.value = preset.unison.spreadCents * ((2 * index) / (count - 1) - 1);
      const level = context.createGain();
      level.gain.value = 1 / Math.sqrt(count);
      oscillator.connect(level);
      level.connect(envelope);
      oscillator.start(timeSec);
      oscillators.push(oscillator);
    }
    const voice: Voice = { oscillators, envelope, startSec: timeSec, velocity, endSec: Number.POSITIVE_INFINITY, stopScheduled: false };
    sounding.add(voice);
    oscillators[0]?.addEventListener('ended', () => {
      sounding.delete(voice);
      envelope.disconnect();
    });
    return voice;
  };

  const release = (voice: Voice, timeSec: number, releaseSec = preset.releaseSec): void => {
    const at = Math.max(timeSec, voice.startSec);
    if (at >= voice.endSec) return;
    voice.endSec = at;
    const level = envelopeLevel(preset, voice.velocity, at - voice.startSec);
    voice.envelope.gain.cancelScheduledValues(at);
    voice.envelope.gain.setValueAtTime(level, at);
    voice.envelope.gain.setTargetAtTime(0, at, releaseSec / 5);
    if (voice.stopScheduled) return;
    voice.stopScheduled = true;
    for (const oscillator of voice.oscillators) oscillator.stop(at + releaseSec);
  };

  return {
    output,
    play: (pitch, velocity, timeSec, durationSec) => release(start(pitch, velocity, timeSec), timeSec + durationSec),
    noteOn: (pitch, velocity, timeSec) => {
      const previous = held.get(pitch);
      if (previous) release(previous, timeSec, 0.005);
      held.set(pitch, start(pitch, velocity, timeSec));
    },
    noteOff: (pitch, timeSec) => {
      const voice = held.get(pitch);
      if (!voice) return;
      held.delete(pitch);
      release(voice, timeSec);
    },
    releaseAll: (timeSec) => {
      for (const voice of sounding) {
        // Notes scheduled to start later are cut before they sound; sounding ones release.
        if (voice.startSec > timeSec) release(voice, voice.startSec, 0.001);
        else release(voice, timeSec);
      }
      held.clear();
    },
    dispose: () => {
      for (const voice of sounding) voice.envelope.disconnect();
      sounding.clear();
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
  /** Each hit with its start time: a stop before a source's start throws, so a stop waits for it. */
  const sounding = new Map<Tone.ToneBufferSource, number>();
  const hit = (pitch: number, velocity: number, timeSec: number): void => {
    const tomRatio = GM_TOM_PITCH[pitch];
    const voice = tomRatio ? 'kick' : GM_DRUM_VOICES[pitch];
    const buffer = voice ? buffers.get(voice) : undefined;
    if (!buffer) return;
    const source = new Tone.ToneBufferSource({ url: buffer, playbackRate: tomRatio ?? 1 }).connect(output);
    sounding.set(source, timeSec);
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
      for (const [source, startSec] of sounding) source.stop(Math.max(timeSec, startSec + 0.001));
    },
    dispose: () => {
      for (const source of sounding.keys()) source.dispose();
      for (const buffer of buffers.values()) buffer.dispose();
      output.dispose();
    },
  };
}

export function createInstrument(instrument: Instrument): EngineInstrument {
  return instrument.type === 'drums' ? createDrums(instrument.preset) : createSynth(instrument.preset);
}
