import * as Tone from 'tone';
import { MixdeckError } from '../../../shared/contract';
import type { Project } from '../../../shared/studio';
import { ProjectGraph } from './graph';
import { toToneBuffer, type PcmAudio, type SourceLoader } from './pcm';
import { audioEventsBetween, noteEventsBetween, projectEndSec, tempoMapOf, type AudioEvent } from './schedule';

export interface OfflineRenderOptions {
  sampleRate?: number;
  /** Resolves audio clips' sources; without it, a project with audio clips cannot be rendered. */
  loadSource?: SourceLoader;
  /** Render only these tracks (a stem): the others are silent; buses they send to still play. */
  onlyTrackIds?: readonly string[];
  /** Length of the render; default: the project's end plus `tailSec`. */
  durationSec?: number;
  /** Seconds after the last clip for reverb and release tails (default 2). */
  tailSec?: number;
  /** The Web Audio implementation: the page's OfflineAudioContext, or node-web-audio-api's in Node. */
  createContext?: (channels: number, length: number, sampleRate: number) => OfflineAudioContext;
}

export interface RenderedAudio extends PcmAudio {
  readonly durationSec: number;
}

/**
 * What one offline render may take: the project (or a MIDI file made into one) sets the length
 * and the number of voices, and the render's buffers are allocated from the length up front.
 * 30 minutes at 48 kHz is about 700 MB of float samples for the two channels and their copy.
 */
export const RENDER_LIMITS = {
  maxFrames: 30 * 60 * 48_000,
  maxNotes: 50_000,
  maxTracks: 256,
} as const;

/** Refuses a render beyond RENDER_LIMITS in words, before anything is allocated. */
export function checkRenderLimits(project: Project, durationSec: number, sampleRate: number): void {
  const maxMinutes = Math.floor(RENDER_LIMITS.maxFrames / sampleRate / 60);
  if (!Number.isFinite(durationSec) || durationSec * sampleRate > RENDER_LIMITS.maxFrames) {
    const length = Number.isFinite(durationSec) ? `${Math.ceil(durationSec / 60)} minutes` : 'longer than any song';
    throw new MixdeckError('invalid-input', `The project would render ${length} of audio; a render can be at most ${maxMinutes} minutes at ${sampleRate / 1000} kHz.`);
  }
  if (project.tracks.length > RENDER_LIMITS.maxTracks) {
    throw new MixdeckError('invalid-input', `The project has ${project.tracks.length} tracks; a render can have at most ${RENDER_LIMITS.maxTracks}.`);
  }
  let notes = 0;
  for (const clip of project.clips) if (clip.kind === 'notes') notes += clip.notes.length;
  if (notes > RENDER_LIMITS.maxNotes) {
    throw new MixdeckError('invalid-input', `The project has ${notes.toLocaleString('en-US')} notes; a render can play at most ${RENDER_LIMITS.maxNotes.toLocaleString('en-US')}.`);
  }
}

/** Tracks muted for a stem: only the chosen ones (and every bus) stay audible. */
export function stemProject(project: Project, trackIds: readonly string[]): Project {
  const keep = new Set(trackIds);
  return { ...project, tracks: project.tracks.map((track) => ({ ...track, solo: false, mute: track.kind === 'bus' ? track.mute : !keep.has(track.id) || track.mute })) };
}

/**
 * Renders a project through the same graph and the same event lists as live playback, in an
 * OfflineAudioContext wrapped as a Tone OfflineContext. Events are scheduled at absolute seconds
 * from our tempo map, so Tone's Transport (and its clock ticks) play no part.
 */
export async function renderProjectOffline(input: Project, options: OfflineRenderOptions = {}): Promise<RenderedAudio> {
  const project = options.onlyTrackIds ? stemProject(input, options.onlyTrackIds) : input;
  const sampleRate = options.sampleRate ?? 48_000;
  const tempoMap = tempoMapOf(project);
  const durationSec = options.durationSec ?? projectEndSec(project, tempoMap) + (options.tailSec ?? 2);
  checkRenderLimits(project, durationSec, sampleRate);
  const length = Math.max(1, Math.ceil(durationSec * sampleRate));
  const createContext = options.createContext ?? ((channels, frames, rate) => new OfflineAudioContext(channels, frames, rate));
  const raw = createContext(2, length, sampleRate);
  const context = new Tone.OfflineContext(raw as unknown as OfflineAudioContext);
  const previous = Tone.getContext();
  Tone.setContext(context);
  let graph: ProjectGraph | null = null;
  try {
    graph = new ProjectGraph(context.destination);
    graph.update(project);
    const audioEvents = audioEventsBetween(project, tempoMap, 0, durationSec);
    const buffers = await loadBuffers(context, audioEvents, options.loadSource);
    for (const event of noteEventsBetween(project, tempoMap, 0, durationSec)) {
      graph.strips.get(event.trackId)?.instrument?.play(event.pitch, event.velocity, event.startSec, event.durationSec);
    }
    for (const event of audioEvents) {
      const strip = graph.strips.get(event.trackId);
      const buffer = buffers.get(event.sourceId);
      if (strip && buffer) playAudioEvent(event, buffer, strip.input);
    }
    for (const track of project.tracks) graph.strips.get(track.id)?.scheduleAutomation(track, tempoMap, 0, (sec) => sec);
    // Tone's OfflineContext.render() steps its clock through the whole duration before rendering:
    // PolySynth hands voices out from clock callbacks, so bypassing it (raw.startRendering) mutes synths.
    const rendered = await context.render(false);
    const channels = Array.from({ length: rendered.numberOfChannels }, (_, index) => Float32Array.from(rendered.getChannelData(index)));
    return { channels, sampleRate, durationSec: length / sampleRate };
  } finally {
    graph?.dispose();
    Tone.setContext(previous);
  }
}

export async function loadBuffers(context: Tone.BaseContext, events: readonly AudioEvent[], loadSource: SourceLoader | undefined): Promise<Map<string, Tone.ToneAudioBuffer>> {
  const buffers = new Map<string, Tone.ToneAudioBuffer>();
  for (const sourceId of new Set(events.map((event) => event.sourceId))) {
    if (!loadSource) throw new Error(`The project plays audio (${sourceId}) but no source loader was given.`);
    buffers.set(sourceId, toToneBuffer(context, await loadSource(sourceId)));
  }
  return buffers;
}

/** Starts one audio clip at context time `event.startSec + shiftSec`, with its gain and fades. */
export function playAudioEvent(event: AudioEvent, buffer: Tone.ToneAudioBuffer, destination: Tone.InputNode, shiftSec = 0): Tone.ToneBufferSource {
  const available = Math.max(0, buffer.duration - event.offsetSec);
  const durationSec = Math.min(event.durationSec, available);
  const source = new Tone.ToneBufferSource({ url: buffer, fadeIn: Math.min(event.fadeInSec, durationSec / 2), fadeOut: Math.min(event.fadeOutSec, durationSec / 2), curve: 'linear' });
  source.connect(destination);
  source.onended = () => source.dispose();
  if (durationSec > 0) source.start(event.startSec + shiftSec, event.offsetSec, durationSec, 10 ** (event.gainDb / 20));
  return source;
}
