import type { ProjectSession } from '../session/project-session';
import { beatsPerBar } from '../ui/timeline';
import { MidiNoteRecorder, quantizeRecorded } from './midi-notes';
import { waveformPeaks } from './wav';
import type { StudioAudio } from '../session/audio';

export interface RecorderOptions {
  readonly session: () => ProjectSession | null;
  readonly notify: (level: 'info' | 'warning' | 'error', message: string) => void;
  /** Grid to quantize recorded notes to, in beats (0: leave them as played). */
  readonly recordQuantizeBeats: () => number;
  /** Keeps a recorded take; answers the clip's `sourceId`. Without it, takes live in this page only. */
  readonly saveTake?: (name: string, channels: Float32Array[], sampleRate: number) => Promise<string>;
  /** Waveform peaks by sourceId, shared with the arrangement. */
  readonly peaks: Map<string, Float32Array>;
  /** Decoded takes by sourceId, for the engine's source loader. */
  readonly takes: Map<string, AudioBuffer>;
  /** The open project's sound, to hear MIDI input through the armed track while recording. */
  readonly audio: () => StudioAudio | null;
}

interface MidiTake {
  readonly trackId: string;
  readonly recorder: MidiNoteRecorder;
}

interface AudioTake {
  readonly trackId: string;
  readonly stream: MediaStream;
  readonly mediaRecorder: MediaRecorder;
  readonly chunks: Blob[];
  /** Input latency of the device, seconds: the take's first that many seconds are before the downbeat. */
  readonly inputLatencySec: number;
  /** The song position when the recorder started. */
  startBeat: number;
}

/** What getUserMedia must not do to a recording: no echo cancelling, noise gating or gain riding. */
export const RAW_AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  channelCount: { ideal: 2 },
};

/**
 * Records onto armed tracks: notes from MIDI controllers (Web MIDI, when the browser has it) on
 * instrument tracks, audio from the input (getUserMedia with processing off) on audio tracks.
 * Takes become clips when recording stops, each take one undo step.
 */
export class StudioRecorder {
  private recording = false;
  private startBeat = 0;
  private midiTakes: MidiTake[] = [];
  private audioTakes: AudioTake[] = [];
  private midiAccess: MIDIAccess | null = null;
  private midiRefusalShown = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RecorderOptions) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  isRecording(): boolean {
    return this.recording;
  }

  async start({ countIn, metronome }: { countIn: boolean; metronome: boolean }): Promise<void> {
    const session = this.options.session();
    if (!session || this.recording) return;
    const project = session.project.read();
    const armed = project.tracks.filter((track) => track.armed && track.kind !== 'bus');
    if (armed.length === 0) {
      this.options.notify('warning', 'Arm a track first (the ● button in its header), then record.');
      return;
    }
    const transport = session.transport;
    transport.setMetronome(metronome);
    this.startBeat = transport.getBeat();
    this.midiTakes = armed
      .filter((track) => track.kind === 'instrument')
      .map((track) => ({ trackId: track.id, recorder: new MidiNoteRecorder({ startBeat: this.startBeat, beatAt: (timeStampMs) => this.beatAt(timeStampMs) }) }));
    const audioTracks = armed.filter((track) => track.kind === 'audio');
    if (audioTracks.length > 0) await this.openAudio(audioTracks.map((track) => track.id));
    if (this.midiTakes.length > 0) void this.openMidi();
    this.recording = true;
    transport.setLatencyMode('live');
    this.emit();
    if (!transport.isPlaying()) await transport.play({ countInBars: countIn ? 1 : 0 });
    if (this.audioTakes.length === 0) return;
    // Start the takes when the timeline really moves (after the engine's start delay and any
    // count-in), and note the song position at each recorder's own start event.
    await waitUntil(() => !this.recording || transport.getBeat() > this.startBeat + 1e-3, 10_000);
    for (const take of this.audioTakes) {
      take.mediaRecorder.onstart = () => {
        take.startBeat = transport.getBeat();
      };
      take.startBeat = transport.getBeat();
      take.mediaRecorder.start();
    }
  }

  /** The handler Web MIDI calls; tests feed synthetic messages through it too. */
  readonly handleMidiMessage = (data: ArrayLike<number>, timeStampMs: number = performance.now()): void => {
    if (!this.recording) return;
    const audio = this.options.audio();
    for (const take of this.midiTakes) {
      take.recorder.handle(data, timeStampMs);
      // Hear what is played, through the armed track's instrument.
      const kind = (data[0] ?? 0) & 0xf0;
      if (audio && kind === 0x90 && (data[2] ?? 0) > 0) audio.noteOn(take.trackId, data[1] ?? 0, (data[2] ?? 0) / 127);
      else if (audio && (kind === 0x80 || kind === 0x90)) audio.noteOff(take.trackId, data[1] ?? 0);
    }
  };

  async stop(): Promise<void> {
    const session = this.options.session();
    if (!this.recording || !session) return;
    this.recording = false;
    const endBeat = session.transport.getBeat();
    session.transport.setLatencyMode('playback');
    const perBar = beatsPerBar(session.project.read().timeSignature);
    this.closeMidi();
    const grid = this.options.recordQuantizeBeats();
    for (const take of this.midiTakes) {
      const played = take.recorder.finish(endBeat);
      if (played.length === 0) continue;
      const notes = grid > 0 ? quantizeRecorded(played, grid) : played;
      const lastEnd = Math.max(...notes.map((note) => note.startBeat + note.lengthBeats));
      const lengthBeats = Math.max(perBar, Math.ceil(Math.max(lastEnd, endBeat - this.startBeat) / perBar) * perBar);
      session.editor.addNoteClip(take.trackId, this.startBeat, lengthBeats, notes);
    }
    this.midiTakes = [];
    const takes = this.audioTakes;
    this.audioTakes = [];
    this.emit();
    await Promise.all(takes.map((take) => this.finishAudio(session, take)));
  }

  private beatAt(timeStampMs: number): number {
    const session = this.options.session();
    if (!session) return 0;
    const tempo = session.project.read().tempoBpm;
    return session.transport.getBeat() - ((performance.now() - timeStampMs) / 60000) * tempo;
  }

  private async openAudio(trackIds: string[]): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot record audio (no getUserMedia).');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: RAW_AUDIO_CONSTRAINTS, video: false });
    } catch (error) {
      throw new Error(`The audio input could not be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const settings = stream.getAudioTracks()[0]?.getSettings() as (MediaTrackSettings & { latency?: number }) | undefined;
    // Chromium reports the capture latency in the track's settings; without it, assume one 10 ms buffer.
    const inputLatencySec = typeof settings?.latency === 'number' && Number.isFinite(settings.latency) ? settings.latency : 0.01;
    for (const trackId of trackIds) {
      const chunks: Blob[] = [];
      const mediaRecorder = new MediaRecorder(stream);
      mediaRecorder.ondataavailable = (event) => {
        if (event.data.size > 0) chunks.push(event.data);
      };
      this.audioTakes.push({ trackId, stream, mediaRecorder, chunks, inputLatencySec, startBeat: 0 });
    }
  }

  private async finishAudio(session: ProjectSession, take: AudioTake): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      take.mediaRecorder.onstop = () => resolve();
    });
    if (take.mediaRecorder.state !== 'inactive') {
      take.mediaRecorder.stop();
      await stopped;
    }
    for (const track of take.stream.getTracks()) track.stop();
    if (take.chunks.length === 0) return;
    const context = new AudioContext();
    try {
      const buffer = await context.decodeAudioData(await new Blob(take.chunks, { type: take.mediaRecorder.mimeType }).arrayBuffer());
      const channels = Array.from({ length: buffer.numberOfChannels }, (_, index) => buffer.getChannelData(index));
      const name = `take-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      let sourceId = `asset:${name}.wav`;
      try {
        if (this.options.saveTake) sourceId = await this.options.saveTake(name, channels, buffer.sampleRate);
      } catch (error) {
        // The take stays playable in this page rather than being lost; saving it is what failed.
        this.options.notify('warning', `The take is in the arrangement but could not be saved with the project: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.options.takes.set(sourceId, buffer);
      this.options.peaks.set(sourceId, waveformPeaks(channels[0] ?? new Float32Array(0), 1024));
      const tempo = session.project.read().tempoBpm;
      // The input's latency is trimmed off the take's head, so what was played on a beat lands on that beat.
      const startBeat = Math.max(0, take.startBeat);
      const usableSec = Math.max(0.05, buffer.duration - take.inputLatencySec);
      const project = session.project;
      project.stopCapturing();
      project.addAudioClip({ trackId: take.trackId, startBeat, lengthBeats: (usableSec * tempo) / 60, sourceId, offsetSec: take.inputLatencySec, name: 'Take' });
    } catch (error) {
      this.options.notify('error', `The recording could not be kept: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      void context.close();
    }
  }

  private async openMidi(): Promise<void> {
    if (typeof navigator.requestMIDIAccess !== 'function') return;
    try {
      this.midiAccess ??= await navigator.requestMIDIAccess({ sysex: false });
      for (const input of this.midiAccess.inputs.values()) {
        input.onmidimessage = (event) => {
          if (event.data) this.handleMidiMessage(event.data, event.timeStamp);
        };
      }
    } catch (error) {
      // Said once per window: recording goes on without MIDI, and every take would repeat it.
      if (!this.midiRefusalShown) this.options.notify('warning', `MIDI input is not available: ${error instanceof Error ? error.message : String(error)}`);
      this.midiRefusalShown = true;
    }
  }

  private closeMidi(): void {
    if (!this.midiAccess) return;
    for (const input of this.midiAccess.inputs.values()) input.onmidimessage = null;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (condition() || performance.now() > deadline) resolve();
      else requestAnimationFrame(check);
    };
    check();
  });
}
