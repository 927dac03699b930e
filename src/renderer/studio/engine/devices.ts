import * as Tone from 'tone';
import { FILTER_MODES, type Device } from '../../../shared/studio';
import { dbToGain } from '../../../audio-engine/studio/music';
import { reverbImpulse } from '../../../audio-engine/studio/reverb-impulse';
import { toToneBuffer } from './pcm';

/** What automation writes to: any Tone Param or Signal. */
export interface AutomatableParam {
  cancelScheduledValues(time: number): unknown;
  setValueAtTime(value: never, time: number): unknown;
  linearRampToValueAtTime(value: never, time: number): unknown;
}

/** One effect in a track's device chain. */
export interface EngineDevice {
  readonly input: Tone.InputNode;
  readonly output: Tone.ToneAudioNode;
  /** Applies params (the current tempo sets tempo-synced times). */
  set(params: Record<string, number>, tempoBpm: number): void;
  /** The AudioParam an automation lane drives, when the param is automatable. */
  param(name: string): AutomatableParam | null;
  dispose(): void;
}

const n = (params: Record<string, number>, name: string, fallback: number): number => params[name] ?? fallback;

function eq3(): EngineDevice {
  const eq = new Tone.EQ3();
  return {
    input: eq,
    output: eq,
    set: (params) => {
      eq.low.value = n(params, 'lowDb', 0);
      eq.mid.value = n(params, 'midDb', 0);
      eq.high.value = n(params, 'highDb', 0);
      eq.lowFrequency.value = n(params, 'lowFrequencyHz', 400);
      eq.highFrequency.value = n(params, 'highFrequencyHz', 2500);
    },
    param: (name) => (name === 'lowDb' ? eq.low : name === 'midDb' ? eq.mid : name === 'highDb' ? eq.high : null),
    dispose: () => eq.dispose(),
  };
}

function compressor(): EngineDevice {
  const comp = new Tone.Compressor();
  const makeup = new Tone.Gain(1);
  comp.connect(makeup);
  return {
    input: comp,
    output: makeup,
    set: (params) => {
      comp.threshold.value = n(params, 'thresholdDb', -18);
      comp.ratio.value = n(params, 'ratio', 4);
      comp.attack.value = n(params, 'attackSec', 0.01);
      comp.release.value = n(params, 'releaseSec', 0.2);
      makeup.gain.value = dbToGain(n(params, 'makeupDb', 0));
    },
    param: (name) => (name === 'thresholdDb' ? comp.threshold : null),
    dispose: () => {
      comp.dispose();
      makeup.dispose();
    },
  };
}

/** A convolution reverb on our seeded impulse (deterministic renders), with a wet/dry mix. */
function reverb(): EngineDevice {
  const input = new Tone.Gain(1);
  const mix = new Tone.CrossFade(0.3);
  const convolver = new Tone.Convolver();
  input.connect(mix.a);
  input.connect(convolver);
  convolver.connect(mix.b);
  let impulseKey = '';
  return {
    input,
    output: mix,
    set: (params) => {
      const decaySec = n(params, 'decaySec', 2);
      const preDelaySec = n(params, 'preDelaySec', 0.01);
      const key = `${decaySec}:${preDelaySec}`;
      if (key !== impulseKey) {
        impulseKey = key;
        const context = Tone.getContext();
        convolver.buffer = toToneBuffer(context, { channels: reverbImpulse(context.sampleRate, decaySec, preDelaySec), sampleRate: context.sampleRate });
      }
      mix.fade.value = n(params, 'wet', 0.3);
    },
    param: (name) => (name === 'wet' ? mix.fade : null),
    dispose: () => {
      input.dispose();
      mix.dispose();
      convolver.dispose();
    },
  };
}

function delay(): EngineDevice {
  const feedbackDelay = new Tone.FeedbackDelay({ delayTime: 0.375, feedback: 0.35, maxDelay: 8 });
  return {
    input: feedbackDelay,
    output: feedbackDelay,
    set: (params, tempoBpm) => {
      feedbackDelay.delayTime.value = Math.min(8, (n(params, 'delayBeats', 0.75) * 60) / tempoBpm);
      feedbackDelay.feedback.value = n(params, 'feedback', 0.35);
      feedbackDelay.wet.value = n(params, 'wet', 0.25);
    },
    param: (name) => (name === 'wet' ? feedbackDelay.wet : null),
    dispose: () => feedbackDelay.dispose(),
  };
}

function filter(): EngineDevice {
  const biquad = new Tone.Filter({ type: 'lowpass', frequency: 2000, Q: 0.7 });
  return {
    input: biquad,
    output: biquad,
    set: (params) => {
      biquad.type = FILTER_MODES[Math.round(n(params, 'mode', 0))] ?? 'lowpass';
      biquad.frequency.value = n(params, 'frequencyHz', 2000);
      biquad.Q.value = n(params, 'q', 0.7);
    },
    param: (name) => (name === 'frequencyHz' ? biquad.frequency : null),
    dispose: () => biquad.dispose(),
  };
}

const FACTORIES: Record<Device['type'], () => EngineDevice> = { eq3, compressor, reverb, delay, filter };

export function createDevice(device: Device, tempoBpm: number): EngineDevice {
  const created = FACTORIES[device.type]();
  created.set(device.params, tempoBpm);
  return created;
}
