import { LivePitchTrack } from '../../audio-engine/karaoke/live-track';
import type { KaraokeSong } from '../../shared/contract';
import type { PitchWorkletMessage, PitchWorkletOptions } from './pitch.worklet';
import pitchWorkletUrl from './pitch.worklet.ts?worker&url';
import BackingWorker from './backing.worker.ts?worker';
import type { BackingJob, BackingReply } from './backing.worker';

/** Runs the vocal reduction and key change in a worker, so the page stays responsive. */
function prepareBacking(job: BackingJob, onStatus: (status: string) => void): Promise<{ original: Float32Array<ArrayBuffer>[]; reduced: Float32Array<ArrayBuffer>[] | null }> {
  const worker = new BackingWorker();
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BackingReply>) => {
      const reply = event.data;
      if (reply.type === 'status') return onStatus(reply.text);
      worker.terminate();
      if (reply.type === 'done') resolve(reply);
      else reject(new Error(`The backing could not be prepared: ${reply.message}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`The backing could not be prepared: ${event.message}`));
    };
    worker.postMessage(job, job.channels.map((channel) => channel.buffer));
  });
}

/** Seconds between the microphone opening and the song's first sample: a count-in, and time to settle. */
export const LEAD_IN_SEC = 1.5;
/** Calibration: the first click comes this long after the microphone's first sample, then one every interval. */
export const CLICK_LEAD_SEC = 1;
export const CLICK_INTERVAL_SEC = 0.7;

export interface MicEffects {
  /** Hear yourself through the speakers (headphones advised). */
  monitor: boolean;
  /** 0..1 wet level of each effect. */
  reverb: number;
  echo: number;
}

export interface SessionOptions {
  song: KaraokeSong;
  singers: 1 | 2;
  /** 0 = the original mix, 1 = vocals fully reduced (ignored with an instrumental track). */
  reduction: number;
  effects: MicEffects;
  record: boolean;
  /** Key change of the backing, −6…6 semitones (the notes to sing move with it). */
  keySemitones: number;
  /** Input device per singer (null: the default). A duet on two different devices merges them. */
  microphones: readonly (string | null)[];
}

const MIC_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

interface OpenedPitchWorklet {
  node: AudioWorkletNode;
  streams: MediaStream[];
  /** What goes to the voice effects: the microphone(s). */
  sources: AudioNode[];
}

/**
 * Loads the pitch worklet, then opens the microphone(s) and connects them at once, so the
 * worklet's first sample is (as near as the browser allows) the microphone's first. A duet
 * either uses the two channels of one input (`deviceIds` both null or equal) or two separate
 * microphones, merged into the worklet's two channels. `onMessage` gets everything the worklet
 * posts, starting with `started` (the audio-clock time of that sample).
 */
async function openPitchWorklet(
  context: AudioContext,
  options: PitchWorkletOptions,
  onMessage: (message: PitchWorkletMessage) => void,
  deviceIds: readonly (string | null)[] = [null, null],
): Promise<OpenedPitchWorklet> {
  await context.audioWorklet.addModule(pitchWorkletUrl);
  const node = new AudioWorkletNode(context, 'mixdeck-pitch', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    channelCount: options.singers,
    channelCountMode: 'explicit',
    channelInterpretation: 'discrete',
    processorOptions: options,
  });
  node.port.onmessage = (event: MessageEvent<PitchWorkletMessage>) => onMessage(event.data);
  // A silent path to the destination keeps the worklet pulled on every engine.
  node.connect(new GainNode(context, { gain: 0 })).connect(context.destination);
  const open = (deviceId: string | null, channelCount: number): Promise<MediaStream> =>
    navigator.mediaDevices.getUserMedia({ audio: { ...MIC_CONSTRAINTS, channelCount, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
  const separate = options.singers === 2 && (deviceIds[0] ?? null) !== (deviceIds[1] ?? null);
  let streams: MediaStream[];
  let sources: AudioNode[];
  if (separate) {
    streams = await Promise.all([open(deviceIds[0] ?? null, 1), open(deviceIds[1] ?? null, 1)]);
    const merger = new ChannelMergerNode(context, { numberOfInputs: 2 });
    sources = streams.map((stream, singer) => {
      const source = context.createMediaStreamSource(stream);
      source.connect(merger, 0, singer);
      return source;
    });
    merger.connect(node);
  } else {
    streams = [await open(deviceIds[0] ?? null, options.singers)];
    const source = context.createMediaStreamSource(streams[0]!);
    source.connect(node);
    sources = [source];
  }
  if (context.state !== 'running') await context.resume();
  return { node, streams, sources };
}

/**
 * One performance's audio: the backing (the song's #INSTRUMENTAL, or the mix with a blend to its
 * vocal-reduced version), the microphone through the pitch worklet and the voice effects, and
 * the recording of both. Everything runs on one AudioContext, whose clock is the song's clock.
 */
export class KaraokeSession {
  readonly context: AudioContext;
  readonly tracks: LivePitchTrack[] = [];
  /** Audio-clock time of the song's `startSec` (set by `start`). */
  songStartTime = 0;
  /** Song seconds of the microphone's first sample (negative: it opened before the song). */
  micFirstSampleSongSec = 0;
  readonly hasInstrumental: boolean;
  private readonly original: GainNode;
  private readonly reduced: GainNode;
  private readonly master: GainNode;
  private readonly voiceBus: GainNode;
  private readonly monitorGain: GainNode;
  private readonly reverbGain: GainNode;
  private readonly echoGain: GainNode;
  private sources: AudioBufferSourceNode[] = [];
  private streams: MediaStream[] = [];
  private worklet: AudioWorkletNode | null = null;
  private recorder: MediaRecorder | null = null;
  private recorded: Blob[] = [];
  private buffers: { original: AudioBuffer; reduced: AudioBuffer | null } | null = null;

  constructor(private readonly options: SessionOptions) {
    this.context = new AudioContext({ latencyHint: 'interactive' });
    this.hasInstrumental = options.song.instrumentalUrl !== null;
    const ctx = this.context;
    this.master = new GainNode(ctx);
    this.master.connect(ctx.destination);
    this.original = new GainNode(ctx);
    this.reduced = new GainNode(ctx);
    this.original.connect(this.master);
    this.reduced.connect(this.master);
    this.voiceBus = new GainNode(ctx);
    this.monitorGain = new GainNode(ctx, { gain: 0 });
    this.reverbGain = new GainNode(ctx, { gain: 0 });
    this.echoGain = new GainNode(ctx, { gain: 0 });
    const convolver = new ConvolverNode(ctx, { buffer: makeReverbImpulse(ctx, 2.2) });
    const delay = new DelayNode(ctx, { delayTime: 0.32, maxDelayTime: 1 });
    const feedback = new GainNode(ctx, { gain: 0.38 });
    this.voiceBus.connect(this.monitorGain);
    this.voiceBus.connect(this.reverbGain).connect(convolver).connect(this.monitorGain);
    this.voiceBus.connect(this.echoGain).connect(delay).connect(feedback).connect(delay);
    delay.connect(this.monitorGain);
    this.monitorGain.connect(ctx.destination);
    this.setReduction(options.reduction);
    this.setEffects(options.effects);
  }

  /** Fetches and decodes the backing; computes the vocal-reduced version when there is no instrumental. */
  async load(onStatus: (status: string) => void): Promise<void> {
    const { song } = this.options;
    const url = song.instrumentalUrl ?? song.audioUrl;
    onStatus(song.instrumentalUrl ? 'Loading the instrumental…' : 'Loading the song…');
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The song's audio could not be loaded (${response.status} ${await response.text()}).`);
    const decoded = await this.context.decodeAudioData(await response.arrayBuffer());
    const reduce = !song.instrumentalUrl && decoded.numberOfChannels >= 2;
    const { keySemitones } = this.options;
    if (!reduce && keySemitones === 0) {
      this.buffers = { original: decoded, reduced: null };
      return;
    }
    const prepared = await prepareBacking(
      { sampleRate: decoded.sampleRate, channels: Array.from({ length: decoded.numberOfChannels }, (_, channel) => decoded.getChannelData(channel).slice()), reduce, keySemitones },
      onStatus,
    );
    const toBuffer = (channels: Float32Array<ArrayBuffer>[]): AudioBuffer => {
      const buffer = new AudioBuffer({ length: channels[0]!.length, numberOfChannels: channels.length, sampleRate: decoded.sampleRate });
      channels.forEach((channel, index) => buffer.copyToChannel(channel, index));
      return buffer;
    };
    const original = toBuffer(prepared.original);
    const reduced = prepared.reduced ? toBuffer(prepared.reduced) : null;
    this.buffers = { original, reduced };
  }

  get durationSec(): number {
    return this.buffers?.original.duration ?? 0;
  }

  get canReduce(): boolean {
    return this.buffers?.reduced !== null;
  }

  /** Opens the microphone(s) and the pitch worklet; resolves once its first sample's time is known. */
  async openMicrophone(): Promise<void> {
    const { singers } = this.options;
    let onStarted: (time: number) => void = () => undefined;
    const started = new Promise<number>((resolve) => (onStarted = resolve));
    const opened = await openPitchWorklet(this.context, { singers, mode: 'pitch' }, (message) => {
      if (message.type === 'started') {
        for (let singer = 0; singer < singers; singer += 1) this.tracks.push(new LivePitchTrack(message.sampleRate, message.frameSize, message.hopSize));
        onStarted(message.firstSampleTime);
      } else if (message.type === 'estimates') {
        const values = message.values;
        for (let index = 0; index + 3 < values.length; index += 4) this.tracks[values[index]!]?.add(values[index + 1]!, values[index + 2]!, values[index + 3]!);
      }
    }, this.options.microphones);
    this.worklet = opened.node;
    this.streams = opened.streams;
    for (const source of opened.sources) source.connect(this.voiceBus);
    this.micFirstSampleTime = await started;
  }

  private micFirstSampleTime = 0;

  /** Starts the backing LEAD_IN_SEC after the microphone's first sample (so the two share one clock), and the recorder. */
  start(): void {
    if (!this.buffers) throw new Error('Load the song first.');
    const { song } = this.options;
    this.songStartTime = Math.max(this.micFirstSampleTime + LEAD_IN_SEC, this.context.currentTime + 0.05);
    this.micFirstSampleSongSec = song.startSec + (this.micFirstSampleTime - this.songStartTime);
    const play = (buffer: AudioBuffer, target: GainNode): void => {
      const source = new AudioBufferSourceNode(this.context, { buffer });
      source.connect(target);
      source.start(this.songStartTime, song.startSec);
      this.sources.push(source);
    };
    play(this.buffers.original, this.original);
    if (this.buffers.reduced) play(this.buffers.reduced, this.reduced);
    this.setReduction(this.options.reduction);
    if (this.options.record) this.startRecording();
  }

  /** Song seconds now (what the listener hears, before output latency). */
  songTimeSec(): number {
    return this.options.song.startSec + (this.context.currentTime - this.songStartTime);
  }

  setReduction(amount: number): void {
    this.options.reduction = amount;
    const reducible = this.buffers?.reduced !== null && !this.hasInstrumental;
    const wet = reducible ? Math.min(1, Math.max(0, amount)) : 0;
    // Equal-power crossfade: the blend never dips in the middle.
    this.original.gain.value = Math.cos((wet * Math.PI) / 2);
    this.reduced.gain.value = Math.sin((wet * Math.PI) / 2);
  }

  setEffects(effects: MicEffects): void {
    this.options.effects = effects;
    this.monitorGain.gain.value = effects.monitor ? 1 : 0;
    this.reverbGain.gain.value = effects.reverb * 0.8;
    this.echoGain.gain.value = effects.echo * 0.6;
  }

  async pause(): Promise<void> {
    this.recorder?.pause();
    await this.context.suspend();
  }

  async resume(): Promise<void> {
    await this.context.resume();
    this.recorder?.resume();
  }

  private startRecording(): void {
    const destination = this.context.createMediaStreamDestination();
    this.master.connect(destination);
    // The voice with its effects, whether or not it is monitored.
    const voiceToRecording = new GainNode(this.context);
    this.voiceBus.connect(voiceToRecording).connect(destination);
    this.recorder = new MediaRecorder(destination.stream);
    this.recorded = [];
    this.recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.recorded.push(event.data);
    };
    this.recorder.start(1000);
  }

  /** Stops the recording; resolves with the take (voice + backing) or null when nothing was recorded. */
  async stopRecording(): Promise<Blob | null> {
    const recorder = this.recorder;
    if (!recorder || recorder.state === 'inactive') return null;
    const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    recorder.stop();
    await stopped;
    this.recorder = null;
    return this.recorded.length > 0 ? new Blob(this.recorded, { type: recorder.mimeType || 'audio/webm' }) : null;
  }

  async close(): Promise<void> {
    for (const source of this.sources) source.stop();
    this.sources = [];
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.worklet?.port.close();
    for (const stream of this.streams) for (const track of stream.getTracks()) track.stop();
    if (this.context.state !== 'closed') await this.context.close();
  }
}

/** A diffuse tail: decaying noise, different in each ear. */
function makeReverbImpulse(context: BaseAudioContext, seconds: number): AudioBuffer {
  const length = Math.round(context.sampleRate * seconds);
  const impulse = new AudioBuffer({ length, numberOfChannels: 2, sampleRate: context.sampleRate });
  let seed = 12345;
  for (let channel = 0; channel < 2; channel += 1) {
    const data = impulse.getChannelData(channel);
    for (let index = 0; index < length; index += 1) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[index] = ((seed / 0xffffffff) * 2 - 1) * Math.pow(1 - index / length, 3) * 0.5;
    }
  }
  return impulse;
}

/**
 * Latency calibration: plays clicks, listens for them, and answers the median delay between
 * each click leaving the audio clock and coming back through the microphone (output + air +
 * input), which is how late the singer's voice is stamped against the music they hear.
 */
export async function measureMicDelayMs(deviceId: string | null = null, clickCount = 8): Promise<{ delayMs: number; heard: number }> {
  const context = new AudioContext({ latencyHint: 'interactive' });
  let stream: MediaStream | null = null;
  try {
    const onsets: number[] = [];
    let onStarted: (time: number) => void = () => undefined;
    const started = new Promise<number>((resolve) => (onStarted = resolve));
    stream = (
      await openPitchWorklet(
        context,
        { singers: 1, mode: 'clicks' },
        (message) => {
          if (message.type === 'started') onStarted(message.firstSampleTime);
          else if (message.type === 'onset') onsets.push(message.time);
        },
        [deviceId, null],
      )
    ).streams[0]!;
    // Clicks on a grid counted from the microphone's first sample, like the song's start.
    const firstClick = Math.max((await started) + CLICK_LEAD_SEC, context.currentTime + 0.1);
    const clicks: number[] = [];
    for (let index = 0; index < clickCount; index += 1) {
      const time = firstClick + index * CLICK_INTERVAL_SEC;
      clicks.push(time);
      const oscillator = new OscillatorNode(context, { type: 'square', frequency: 1500 });
      const envelope = new GainNode(context, { gain: 0 });
      envelope.gain.setValueAtTime(0.8, time);
      envelope.gain.exponentialRampToValueAtTime(0.001, time + 0.03);
      oscillator.connect(envelope).connect(context.destination);
      oscillator.start(time);
      oscillator.stop(time + 0.04);
    }
    const lastClick = clicks[clicks.length - 1]!;
    while (context.currentTime < lastClick + CLICK_INTERVAL_SEC) await new Promise((resolve) => setTimeout(resolve, 100));
    const delays: number[] = [];
    for (const click of clicks) {
      const heard = onsets.find((onset) => onset >= click && onset < click + CLICK_INTERVAL_SEC * 0.9);
      if (heard !== undefined) delays.push(heard - click);
    }
    if (delays.length < Math.ceil(clickCount / 2)) {
      throw new Error(`Only ${delays.length} of ${clickCount} clicks came back through the microphone. Turn the speakers up (no headphones) and try again.`);
    }
    delays.sort((a, b) => a - b);
    return { delayMs: Math.round(delays[delays.length >> 1]! * 1000), heard: delays.length };
  } finally {
    for (const track of stream?.getTracks() ?? []) track.stop();
    await context.close();
  }
}
