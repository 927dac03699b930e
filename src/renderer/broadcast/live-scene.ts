import type { BroadcastLevels, BroadcastSetState, BroadcastVideoSource, MixdeckClient } from '../../shared/contract';
import { sceneSizeFor, type SceneLayoutId } from './compositor/layouts';
import { SceneCompositor } from './compositor/scene-compositor';
import { createSpectrum, type Spectrum } from './compositor/spectrum';
import { startVideoSender, type VideoSender } from './compositor/video-sender';

export const SCENE_FRAME_RATE = 30;
/** About 2.5 Mbps at 720p30 for VP8 on the way to main (local, so generous), scaled by pixel count. */
const SCENE_BITS_PER_PIXEL_FRAME = 0.09;
const TIMESLICE_MS = 333;

export interface LiveSceneState {
  layout: SceneLayoutId;
  banner: string;
  cameraOn: boolean;
  cameraError: string | null;
  /** The page analyses the line-in / microphone for the spectrum (otherwise main's meters drive it). */
  spectrumOn: boolean;
  spectrumError: string | null;
  logoName: string | null;
  sending: 'off' | 'sending' | 'error';
  sendError: string | null;
  chunksSent: number;
  /** What the scene's WebM costs on the way to main, kbps over the last chunks. */
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

function mediaErrorInWords(error: unknown, what: 'camera' | 'audio input'): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return `Mixdeck was not allowed to use the ${what}. Allow it in the browser or system settings.`;
  if (name === 'NotFoundError') return `No ${what} was found.`;
  if (name === 'NotReadableError') return `The ${what} is in use by another program.`;
  return `The ${what} could not be opened${error instanceof Error && error.message ? `: ${error.message}` : '.'}`;
}

/**
 * The scene a set streams, alive for as long as the page: the compositor (also the preview), its
 * camera and spectrum inputs, and the MediaRecorder that feeds main's encoders during a set.
 * It lives outside React so switching areas never interrupts the stream.
 */
export class LiveScene {
  readonly compositor: SceneCompositor;
  private readonly client: MixdeckClient;
  private readonly listeners = new Set<(state: LiveSceneState) => void>();
  private camera: { stream: MediaStream; video: HTMLVideoElement } | null = null;
  private spectrum: { stream: MediaStream; spectrum: Spectrum } | null = null;
  private sender: VideoSender | null = null;
  private lastChunkAtMs = 0;
  private previewsShown = 0;
  /** The profiles of the set's targets, so a change of shape keeps their size. */
  private setProfile: readonly { width: number; height: number }[] = [];
  private current: LiveSceneState = {
    layout: 'landscape',
    banner: '',
    cameraOn: false,
    cameraError: null,
    spectrumOn: false,
    spectrumError: null,
    logoName: null,
    sending: 'off',
    sendError: null,
    chunksSent: 0,
    sendKbps: 0,
  };

  constructor(client: MixdeckClient) {
    this.client = client;
    this.compositor = new SceneCompositor('landscape');
    this.compositor.setFrameRate(SCENE_FRAME_RATE);
  }

  /** Draw only while someone looks at the preview or the scene is streamed. */
  private updateDrawing(): void {
    if (this.previewsShown > 0 || this.sender) this.compositor.start();
    else this.compositor.stop();
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

  /** Shows the scene's canvas (the streamed one, not a copy) in `container`; returns the undo. */
  attachPreview(container: HTMLElement): () => void {
    const canvas = this.compositor.canvas;
    canvas.classList.add('bc-preview-canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Live preview of the streamed scene');
    canvas.dataset.testid = 'scene-preview';
    container.appendChild(canvas);
    this.previewsShown += 1;
    this.updateDrawing();
    return () => {
      canvas.remove();
      this.previewsShown -= 1;
      this.updateDrawing();
    };
  }

  setLayout(layout: SceneLayoutId): void {
    this.compositor.setLayout(layout, sceneSizeFor(layout, this.setProfile));
    this.update({ layout });
  }

  setBanner(banner: string): void {
    this.compositor.setText({ banner });
    this.update({ banner });
  }

  setNowPlaying(text: string): void {
    this.compositor.setText({ nowPlaying: text });
  }

  setTempo(tempoBpm: number | null): void {
    this.compositor.setText({ tempoBpm });
  }

  pushLevels(levels: BroadcastLevels): void {
    let peakDb = -120;
    for (const channel of levels.channels) if (channel.peakDb > peakDb) peakDb = channel.peakDb;
    // -60…0 dBFS onto 0…1, so quiet passages still move.
    this.compositor.pushLevel((peakDb + 60) / 60);
  }

  async setLogo(file: File | null): Promise<void> {
    if (!file) {
      this.compositor.setLogo(null);
      this.update({ logoName: null });
      return;
    }
    const image = await createImageBitmap(file);
    this.compositor.setLogo(image);
    this.update({ logoName: file.name });
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (!on) {
      this.compositor.setCamera(null);
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
      this.compositor.setCamera(video);
      this.update({ cameraOn: true, cameraError: null });
    } catch (error) {
      this.update({ cameraOn: false, cameraError: mediaErrorInWords(error, 'camera') });
    }
  }

  async setSpectrumOn(on: boolean): Promise<void> {
    if (!on) {
      this.compositor.setVisualizer(null);
      this.spectrum?.spectrum.dispose();
      for (const track of this.spectrum?.stream.getTracks() ?? []) track.stop();
      this.spectrum = null;
      this.update({ spectrumOn: false, spectrumError: null });
      return;
    }
    if (this.spectrum) return;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
        video: false,
      });
      const spectrum = createSpectrum(stream, { width: 1280, height: 240 });
      this.spectrum = { stream, spectrum };
      this.compositor.setVisualizer(spectrum.canvas);
      this.update({ spectrumOn: true, spectrumError: null });
    } catch (error) {
      this.update({ spectrumOn: false, spectrumError: mediaErrorInWords(error, 'audio input') });
    }
  }

  /** What main should take as the set's video: this page's scene, drawn at the size the targets need. */
  async prepareForSet(profiles: readonly { width: number; height: number }[]): Promise<BroadcastVideoSource> {
    await this.stopSending();
    this.setProfile = profiles;
    // When every target has one shape, the scene takes it; a mixed set keeps the user's choice.
    let layout = this.current.layout;
    if (profiles.length > 0 && profiles.every((profile) => profile.height > profile.width)) layout = 'portrait';
    if (profiles.length > 0 && profiles.every((profile) => profile.width >= profile.height)) layout = 'landscape';
    this.compositor.setLayout(layout, sceneSizeFor(layout, profiles));
    if (layout !== this.current.layout) this.update({ layout });
    return { kind: 'renderer', frameRate: SCENE_FRAME_RATE };
  }

  /** Starts streaming the scene once main's set is live (main takes chunks from then on), stops when it is over. */
  followSet(state: BroadcastSetState): void {
    if (state === 'live' && !this.sender && this.current.sending !== 'error') this.startSending();
    if (state === 'idle' && this.sender) void this.stopSending();
  }

  private startSending(): void {
    try {
      this.sender = startVideoSender(this.compositor.canvas, {
        frameRate: SCENE_FRAME_RATE,
        videoBitsPerSecond: Math.round(
          Math.min(8_000_000, Math.max(500_000, this.compositor.canvas.width * this.compositor.canvas.height * SCENE_FRAME_RATE * SCENE_BITS_PER_PIXEL_FRAME)),
        ),
        timesliceMs: TIMESLICE_MS,
        onChunk: async (chunk, sequence) => {
          const reply = await this.client.call('broadcast.videoChunk', { sequence, dataBase64: bytesToBase64(chunk) });
          if (!reply.accepted) throw new Error(reply.reason ?? 'Mixdeck did not take the scene video.');
          const now = performance.now();
          const elapsedMs = this.lastChunkAtMs ? now - this.lastChunkAtMs : TIMESLICE_MS;
          this.lastChunkAtMs = now;
          this.update({
            chunksSent: sequence + 1,
            sendKbps: Math.round((chunk.byteLength * 8) / Math.max(1, elapsedMs)),
          });
        },
        onError: (message) => {
          this.sender = null;
          this.updateDrawing();
          this.update({ sending: 'error', sendError: `The scene stopped reaching the stream: ${message}` });
        },
      });
      this.updateDrawing();
      this.update({ sending: 'sending', sendError: null, chunksSent: 0 });
    } catch (error) {
      this.update({ sending: 'error', sendError: error instanceof Error ? error.message : 'The scene cannot be streamed.' });
    }
  }

  async stopSending(): Promise<void> {
    const sender = this.sender;
    this.sender = null;
    this.lastChunkAtMs = 0;
    if (sender) await sender.stop().catch(() => undefined);
    this.updateDrawing();
    this.update({ sending: 'off', sendError: null, sendKbps: 0 });
  }
}
