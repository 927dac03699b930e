import type { BroadcastLevels, BroadcastSetState, BroadcastSpectrumReading, BroadcastVideoSource, MixdeckClient } from '../../shared/contract';
import { sceneSizeFor, type SceneLayoutId } from './compositor/layouts';
import { SceneCompositor } from './compositor/scene-compositor';
import { startVideoSender, type VideoSender } from './compositor/video-sender';

export const SCENE_FRAME_RATE = 30;
/** About 2.5 Mbps at 720p30 for VP8 on the way to main (local, so generous), scaled by pixel count. */
const SCENE_BITS_PER_PIXEL_FRAME = 0.09;
const TIMESLICE_MS = 333;

export interface LiveSceneState {
  /** The shape being edited and previewed (each shape has its own scene). */
  layout: SceneLayoutId;
  /** The edited shape's banner. */
  banner: string;
  /** The edited shape shows the spectrum and meters (driven by main's events of the streamed sound). */
  visualizerOn: boolean;
  cameraOn: boolean;
  cameraError: string | null;
  logoName: string | null;
  /** The shapes streamed in this set (one WebM each); empty outside a set. */
  sendingShapes: readonly SceneLayoutId[];
  sending: 'off' | 'sending' | 'error';
  sendError: string | null;
  chunksSent: number;
  /** What the scenes' WebM costs on the way to main, kbps over the last chunks (all shapes). */
  sendKbps: number;
}

/** `btoa` over a byte array, in slices so a large chunk does not overflow the argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += slice) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + slice));
  }
  return btoa(binary);
}

function mediaErrorInWords(error: unknown, what: 'camera'): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return `Mixdeck was not allowed to use the ${what}. Allow it in the browser or system settings.`;
  if (name === 'NotFoundError') return `No ${what} was found.`;
  if (name === 'NotReadableError') return `The ${what} is in use by another program.`;
  return `The ${what} could not be opened${error instanceof Error && error.message ? `: ${error.message}` : '.'}`;
}

const SHAPES: readonly SceneLayoutId[] = ['landscape', 'portrait'];

/**
 * The scenes a set streams, alive for as long as the page: one compositor per shape (16:9 and
 * 9:16, each edited and previewed on its own), their camera and logo, the visualizer fed by main's
 * spectrum and meters of the streamed sound, and one MediaRecorder per shape that has targets,
 * feeding main's encoders of that shape during a set. It lives outside React so switching areas
 * never interrupts the stream.
 */
export class LiveScene {
  readonly compositors: Readonly<Record<SceneLayoutId, SceneCompositor>>;
  private endingSet = false;
  private readonly client: MixdeckClient;
  private readonly listeners = new Set<(state: LiveSceneState) => void>();
  private camera: { stream: MediaStream; video: HTMLVideoElement } | null = null;
  private readonly senders = new Map<SceneLayoutId, VideoSender>();
  private readonly banners: Record<SceneLayoutId, string> = { landscape: '', portrait: '' };
  /** A shape whose banner was never edited on its own shows the other's. */
  private readonly bannerEdited: Record<SceneLayoutId, boolean> = { landscape: false, portrait: false };
  private readonly chunkBytes: Record<SceneLayoutId, { bytes: number; atMs: number }> = {
    landscape: { bytes: 0, atMs: 0 },
    portrait: { bytes: 0, atMs: 0 },
  };
  private preview: HTMLElement | null = null;
  /** The profiles of the set's targets, so a change of shape keeps their size. */
  private setProfile: readonly { width: number; height: number }[] = [];
  /** The shapes the next set streams (chosen by prepareForSet). */
  private setShapes: readonly SceneLayoutId[] = [];
  private current: LiveSceneState = {
    layout: 'landscape',
    banner: '',
    visualizerOn: true,
    cameraOn: false,
    cameraError: null,
    logoName: null,
    sendingShapes: [],
    sending: 'off',
    sendError: null,
    chunksSent: 0,
    sendKbps: 0,
  };

  constructor(client: MixdeckClient) {
    this.client = client;
    this.compositors = { landscape: new SceneCompositor('landscape'), portrait: new SceneCompositor('portrait') };
    for (const shape of SHAPES) this.compositors[shape].setFrameRate(SCENE_FRAME_RATE);
  }

  /** The scene being edited and previewed. */
  get compositor(): SceneCompositor {
    return this.compositors[this.current.layout];
  }

  /** Each scene draws only while it is previewed or streamed. */
  private updateDrawing(): void {
    for (const shape of SHAPES) {
      const compositor = this.compositors[shape];
      if ((this.preview && this.current.layout === shape) || this.senders.has(shape)) compositor.start();
      else compositor.stop();
    }
  }

  get state(): LiveSceneState {
    return this.current;
  }

  onDidChange(listener: (state: LiveSceneState) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private update(patch: Partial<LiveSceneState>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }

  private showPreview(): void {
    if (!this.preview) return;
    for (const shape of SHAPES) {
      const canvas = this.compositors[shape].canvas;
      if (shape !== this.current.layout) canvas.remove();
      else if (canvas.parentElement !== this.preview) {
        canvas.classList.add('bc-preview-canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `Live preview of the streamed ${shape === 'portrait' ? '9:16' : '16:9'} scene`);
        canvas.dataset.testid = 'scene-preview';
        canvas.dataset.shape = shape;
        this.preview.appendChild(canvas);
      }
    }
  }

  /** Shows the edited scene's canvas (the streamed one, not a copy) in `container`; returns the undo. */
  attachPreview(container: HTMLElement): () => void {
    this.preview = container;
    this.showPreview();
    this.updateDrawing();
    return () => {
      if (this.preview === container) this.preview = null;
      for (const shape of SHAPES) if (this.compositors[shape].canvas.parentElement === container) this.compositors[shape].canvas.remove();
      this.updateDrawing();
    };
  }

  /** Edit and preview the other shape's scene (both keep streaming during a set). */
  setLayout(layout: SceneLayoutId): void {
    const compositor = this.compositors[layout];
    // Outside a set the scene is drawn at the size the saved targets of its shape need.
    if (this.senders.size === 0) compositor.setLayout(layout, sceneSizeFor(layout, this.setProfile));
    this.update({ layout, banner: this.banners[layout], visualizerOn: compositor.isVisualizerShown });
    this.showPreview();
    this.updateDrawing();
  }

  /** The edited shape's banner (also the other shape's, until that one is edited on its own). */
  setBanner(banner: string): void {
    const edited = this.current.layout;
    this.bannerEdited[edited] = true;
    for (const shape of SHAPES) {
      if (shape !== edited && this.bannerEdited[shape]) continue;
      this.banners[shape] = banner;
      this.compositors[shape].setText({ banner });
    }
    this.update({ banner });
  }

  setVisualizerOn(on: boolean): void {
    this.compositor.setVisualizerShown(on);
    this.update({ visualizerOn: on });
  }

  setNowPlaying(text: string): void {
    for (const shape of SHAPES) this.compositors[shape].setText({ nowPlaying: text });
  }

  setTempo(tempoBpm: number | null): void {
    for (const shape of SHAPES) this.compositors[shape].setText({ tempoBpm });
  }

  pushLevels(levels: BroadcastLevels): void {
    const left = levels.channels[0]?.peakDb ?? -120;
    const right = levels.channels[1]?.peakDb ?? left;
    for (const shape of SHAPES) this.compositors[shape].pushMeters(left, right);
  }

  pushSpectrum(spectrum: BroadcastSpectrumReading): void {
    for (const shape of SHAPES) this.compositors[shape].pushSpectrum(spectrum.bandsDb);
  }

  async setLogo(file: File | null): Promise<void> {
    if (!file) {
      for (const shape of SHAPES) this.compositors[shape].setLogo(null);
      this.update({ logoName: null });
      return;
    }
    const image = await createImageBitmap(file);
    for (const shape of SHAPES) this.compositors[shape].setLogo(image);
    this.update({ logoName: file.name });
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (!on) {
      for (const shape of SHAPES) this.compositors[shape].setCamera(null);
      for (const track of this.camera?.stream.getTracks() ?? []) track.stop();
      this.camera = null;
      this.update({ cameraOn: false, cameraError: null });
      return;
    }
    if (this.camera) return;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: SCENE_FRAME_RATE }, audio: false });
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      await video.play();
      this.camera = { stream, video };
      // Each shape crops the one camera picture to its own rectangle.
      for (const shape of SHAPES) this.compositors[shape].setCamera(video);
      this.update({ cameraOn: true, cameraError: null });
    } catch (error) {
      this.update({ cameraOn: false, cameraError: mediaErrorInWords(error, 'camera') });
    }
  }

  /**
   * What main should take as the set's video: this page's scenes, one per shape that has targets,
   * each drawn at the size its targets need.
   */
  async prepareForSet(profiles: readonly { width: number; height: number }[]): Promise<BroadcastVideoSource> {
    await this.stopSending();
    this.setProfile = profiles;
    const shapes = SHAPES.filter((shape) => profiles.some((profile) => (profile.height > profile.width) === (shape === 'portrait')));
    // Only the recording (no target): the scene being edited.
    this.setShapes = shapes.length > 0 ? shapes : [this.current.layout];
    for (const shape of this.setShapes) this.compositors[shape].setLayout(shape, sceneSizeFor(shape, profiles));
    if (!this.setShapes.includes(this.current.layout)) this.setLayout(this.setShapes[0]!);
    return { kind: 'renderer', frameRate: SCENE_FRAME_RATE, shapes: [...this.setShapes] };
  }

  /** Starts streaming the scenes once main's set is live (main takes chunks from then on), stops when it is over. */
  followSet(state: BroadcastSetState): void {
    if (state === 'idle') this.endingSet = false;
    // A 'live' state sent just before End took effect must not restart the scene (main would refuse it: "No set is live").
    if (state === 'live' && this.senders.size === 0 && !this.endingSet && this.current.sending === 'off') this.startSending();
    if (state === 'idle' && this.senders.size > 0) void this.stopSending();
  }

  private startSending(): void {
    const shapes = this.setShapes.length > 0 ? this.setShapes : [this.current.layout];
    try {
      for (const shape of shapes) this.senders.set(shape, this.startSender(shape));
      this.updateDrawing();
      this.update({ sending: 'sending', sendError: null, chunksSent: 0, sendingShapes: [...shapes] });
    } catch (error) {
      void this.stopSending();
      this.update({ sending: 'error', sendError: error instanceof Error ? error.message : 'The scene cannot be streamed.' });
    }
  }

  private startSender(shape: SceneLayoutId): VideoSender {
    const canvas = this.compositors[shape].canvas;
    this.chunkBytes[shape] = { bytes: 0, atMs: 0 };
    return startVideoSender(canvas, {
      frameRate: SCENE_FRAME_RATE,
      videoBitsPerSecond: Math.round(Math.min(8_000_000, Math.max(500_000, canvas.width * canvas.height * SCENE_FRAME_RATE * SCENE_BITS_PER_PIXEL_FRAME))),
      timesliceMs: TIMESLICE_MS,
      onChunk: async (chunk, sequence) => {
        const reply = await this.client.call('broadcast.videoChunk', { sequence, shape, dataBase64: bytesToBase64(chunk) });
        if (!reply.accepted) throw new Error(reply.reason ?? 'Mixdeck did not take the scene video.');
        const now = performance.now();
        const last = this.chunkBytes[shape];
        const elapsedMs = last.atMs ? now - last.atMs : TIMESLICE_MS;
        this.chunkBytes[shape] = { bytes: chunk.byteLength, atMs: now };
        const kbps = SHAPES.reduce(
          (sum, each) => sum + (each === shape ? (chunk.byteLength * 8) / Math.max(1, elapsedMs) : this.senders.has(each) ? (this.chunkBytes[each].bytes * 8) / TIMESLICE_MS : 0),
          0,
        );
        this.update({ chunksSent: this.current.chunksSent + 1, sendKbps: Math.round(kbps) });
      },
      onError: (message) => {
        this.senders.delete(shape);
        this.updateDrawing();
        // A chunk refused because the set is ending is no failure the DJ needs to hear about.
        if (this.endingSet) return;
        const which = this.setShapes.length > 1 ? `The ${shape === 'portrait' ? '9:16' : '16:9'} scene` : 'The scene';
        this.update({
          sending: 'error',
          sendError: `${which} stopped reaching the stream: ${message}`,
          sendingShapes: this.current.sendingShapes.filter((each) => each !== shape),
        });
      },
    });
  }

  /** The DJ ends the set: stop the scenes and keep them stopped until main says the set is over. */
  async stopForEnd(): Promise<void> {
    this.endingSet = true;
    await this.stopSending();
  }

  /** End was refused: the set goes on, so the scenes may follow it again. */
  endRefused(): void {
    this.endingSet = false;
  }

  async stopSending(): Promise<void> {
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(senders.map((sender) => sender.stop().catch(() => undefined)));
    this.updateDrawing();
    this.update({ sending: 'off', sendError: null, sendKbps: 0, sendingShapes: [] });
  }
}
