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

/**
 * Native BiquadFilterNodes: Tone.EQ3 (a multiband split with signal-driven filters) cost three
 * times the rest of a 16-track render (bench/studio.bench.ts); a low shelf, a peaking mid at the
 * geometric centre and a high shelf in series sound like a channel EQ and cost a fraction.
 */
function eq3(): EngineDevice {
  const context = Tone.getContext();
  const low = context.createBiquadFilter();
  const mid = context.createBiquadFilter();
  const high = context.createBiquadFilter();
  const output = new Tone.Gain(1);
  low.type = 'lowshelf';
  mid.type = 'peaking';
  mid.Q.value = 0.7;
  high.type = 'highshelf';
  low.connect(mid);
  mid.connect(high);
  Tone.connect(high, output);
  return {
    input: low,
    output,
    set: (params) => {
      const lowHz = n(params, 'lowFrequencyHz', 400);
      const highHz = n(params, 'highFrequencyHz', 2500);
      low.frequency.value = lowHz;
      high.frequency.value = highHz;
      mid.frequency.value = Math.sqrt(lowHz * highHz);
      low.gain.value = n(params, 'lowDb', 0);
      mid.gain.value = n(params, 'midDb', 0);
      high.gain.value = n(params, 'highDb', 0);
    },
    param: (name) => (name === 'lowDb' ? low.gain : name === 'midDb' ? mid.gain : name === 'highDb' ? high.gain : null) as AutomatableParam | null,
    dispose: () => {
      low.disconnect();
      mid.disconnect();
      high.disconnect();
      output.dispose();
    },
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
  const biquad = Tone.getContext().createBiquadFilter();
  const output = new Tone.Gain(1);
  Tone.connect(biquad, output);
  return {
    input: biquad,
    output,
    set: (params) => {
      biquad.type = FILTER_MODES[Math.round(n(params, 'mode', 0))] ?? 'lowpass';
      biquad.frequency.value = n(params, 'frequencyHz', 2000);
      biquad.Q.value = n(params, 'q', 0.7);
    },
    param: (name) => (name === 'frequencyHz' ? (biquad.frequency as unknown as AutomatableParam) : null),
    dispose: () => {
      biquad.disconnect();
      output.dispose();
    },
  };
}

const FACTORIES: Record<Device['type'], () => EngineDevice> = { eq3, compressor, reverb, delay, filter };

export function createDevice(device: Device, tempoBpm: number): EngineDevice {
  const created = FACTORIES[device.type]();
  created.set(device.params, tempoBpm);
  return created;
}
