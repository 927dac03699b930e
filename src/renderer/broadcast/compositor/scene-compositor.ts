import { computeLayout, coverCrop, fitText, LAYOUT_SIZES, type Rect, type SceneLayout, type SceneLayoutId } from './layouts';

/** What the scene shows besides the sources; each change is laid out once, not per frame. */
export interface SceneText {
  nowPlaying: string;
  banner: string;
  tempoBpm: number | null;
}

/** The most spectrum bands the visualizer draws (main sends 32). */
const MAX_BANDS = 64;
/** The band levels mapped onto the bars' height: this many dBFS is an empty bar, SPECTRUM_TOP_DB a full one. */
const SPECTRUM_BOTTOM_DB = -72;
const SPECTRUM_TOP_DB = -6;
/** How far a bar falls per drawn frame (0–1 of its height): rises at once, falls smoothly. */
const BAR_FALL_PER_FRAME = 0.045;
const METER_BOTTOM_DB = -60;
const FONT_STACK = "'Inter', 'Segoe UI', 'Liberation Sans', Arial, sans-serif";
const ACCENT = '#3cb4f0';
const ACCENT_SOFT = 'rgba(60, 180, 240, 0.55)';
const BOX = 'rgba(8, 10, 13, 0.72)';
const TEXT = '#f1f4f8';
const TEXT_MUTED = 'rgba(241, 244, 248, 0.66)';

/**
 * Draws the broadcast scene on one canvas with requestAnimationFrame: camera, a visualizer and
 * meters driven by main's spectrum and levels of the streamed sound, the now-playing line, the tempo, a logo and a banner. The canvas is both the live
 * preview (put it in the page) and the stream (`captureStream`). The frame loop reads
 * precomputed rectangles, gradients and strings and allocates nothing; text is fitted when it
 * changes, not per frame.
 */
export class SceneCompositor {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private layout: SceneLayout;
  private background: CanvasGradient;
  private shade: CanvasGradient;
  private camera: HTMLVideoElement | null = null;
  private visualizerShown = true;
  private logo: CanvasImageSource | null = null;
  /** Main's latest spectrum reading (0–1 per band) and what the bars show now. */
  private readonly bandTargets = new Float32Array(MAX_BANDS);
  private readonly bandShown = new Float32Array(MAX_BANDS);
  private bandCount = 0;
  /** Main's meters, peak per channel, 0–1. */
  private meterLeft = 0;
  private meterRight = 0;
  private text: SceneText = { nowPlaying: '', banner: '', tempoBpm: null };
  // Laid out when the text or the layout changes.
  private nowPlayingLine = '';
  private bannerLine = '';
  private tempoLine = '';
  private labelFont = '';
  private titleFont = '';
  private tempoFont = '';
  private bannerFont = '';
  private readonly crop: Rect = { x: 0, y: 0, width: 0, height: 0 };
  private frameRequest = 0;
  private hiddenTicker: Worker | null = null;
  private running = false;
  private framesDrawn = 0;
  private lastFrameMs = -Infinity;
  /** Displays refresh at 60 Hz or more; the stream takes 30 fps, so drawing more is wasted CPU. */
  private frameIntervalMs = 1000 / 30;

  constructor(layoutId: SceneLayoutId = 'landscape', canvas: HTMLCanvasElement = document.createElement('canvas')) {
    this.canvas = canvas;
    const context = canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('This browser cannot draw on a canvas.');
    this.context = context;
    this.layout = computeLayout(layoutId);
    this.background = this.context.createLinearGradient(0, 0, 0, 1);
    this.shade = this.background;
    this.applyLayout(layoutId);
  }

  get layoutId(): SceneLayoutId {
    return this.layout.id;
  }

  /** Frames drawn since start, for the preview's health line and for tests. */
  get frameCount(): number {
    return this.framesDrawn;
  }

  setFrameRate(fps: number): void {
    this.frameIntervalMs = 1000 / fps;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The shape, and optionally the size in pixels (default: 1280×720 or 720×1280). */
  setLayout(layoutId: SceneLayoutId, size?: { width: number; height: number }): void {
    const width = size?.width ?? LAYOUT_SIZES[layoutId].width;
    const height = size?.height ?? LAYOUT_SIZES[layoutId].height;
    if (layoutId !== this.layout.id || width !== this.layout.width || height !== this.layout.height) this.applyLayout(layoutId, width, height);
  }

  setCamera(video: HTMLVideoElement | null): void {
    this.camera = video;
  }

  /** Shows or hides the spectrum bars and meters. */
  setVisualizerShown(shown: boolean): void {
    this.visualizerShown = shown;
  }

  get isVisualizerShown(): boolean {
    return this.visualizerShown;
  }

  /** Bars at their current height, 0–1 (for tests and the preview's health line). */
  get visualizerBars(): readonly number[] {
    return Array.from(this.bandShown.subarray(0, this.bandCount));
  }

  setLogo(image: CanvasImageSource | null): void {
    this.logo = image;
  }

  setText(text: Partial<SceneText>): void {
    this.text = { ...this.text, ...text };
    this.layoutText();
  }

  /** Main's spectrum of the streamed sound, dBFS per band (low to high). */
  pushSpectrum(bandsDb: readonly number[]): void {
    this.bandCount = Math.min(MAX_BANDS, bandsDb.length);
    for (let band = 0; band < this.bandCount; band += 1) {
      this.bandTargets[band] = toUnit(bandsDb[band]!, SPECTRUM_BOTTOM_DB, SPECTRUM_TOP_DB);
    }
  }

  /** Main's meters of the streamed sound: peak of each channel, dBFS. */
  pushMeters(leftPeakDb: number, rightPeakDb: number): void {
    this.meterLeft = toUnit(leftPeakDb, METER_BOTTOM_DB, 0);
    this.meterRight = toUnit(rightPeakDb, METER_BOTTOM_DB, 0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    document.addEventListener('visibilitychange', this.followVisibility);
    this.followVisibility();
  }

  stop(): void {
    this.running = false;
    document.removeEventListener('visibilitychange', this.followVisibility);
    cancelAnimationFrame(this.frameRequest);
    this.hiddenTicker?.postMessage({ intervalMs: null });
  }

  /** requestAnimationFrame while the page is shown; a worker's timer while it is hidden (rAF stops there). */
  private readonly followVisibility = (): void => {
    if (!this.running) return;
    cancelAnimationFrame(this.frameRequest);
    if (document.hidden) {
      this.hiddenTicker ??= this.createHiddenTicker();
      this.hiddenTicker?.postMessage({ intervalMs: this.frameIntervalMs });
    } else {
      this.hiddenTicker?.postMessage({ intervalMs: null });
      this.frameRequest = requestAnimationFrame(this.frame);
    }
  };

  private createHiddenTicker(): Worker | null {
    try {
      const worker = new Worker(new URL('./frame-ticker.worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('message', () => {
        if (this.running && document.hidden) this.draw();
      });
      return worker;
    } catch {
      // Without workers the scene pauses while hidden, as before; nothing else depends on it.
      return null;
    }
  }

  /** Draws one frame now (also used while the loop is stopped, e.g. for a still preview). */
  draw(): void {
    const { context: ctx, layout } = this;
    ctx.fillStyle = this.background;
    ctx.fillRect(0, 0, layout.width, layout.height);

    const camera = this.camera;
    if (camera && camera.readyState >= 2 && camera.videoWidth > 0) {
      const crop = coverCrop(camera.videoWidth, camera.videoHeight, layout.camera, this.crop);
      ctx.drawImage(camera, crop.x, crop.y, crop.width, crop.height, layout.camera.x, layout.camera.y, layout.camera.width, layout.camera.height);
    }
    // A dark fade at the bottom keeps the overlays readable over any camera picture.
    ctx.fillStyle = this.shade;
    ctx.fillRect(0, layout.visualizer.y - layout.paddingPx * 4, layout.width, layout.height - layout.visualizer.y + layout.paddingPx * 4);

    this.drawVisualizer();
    this.drawNowPlaying();
    this.drawTempo();
    this.drawLogo();
    this.drawBanner();
    this.framesDrawn += 1;
  }

  private readonly frame = (nowMs: number): void => {
    if (!this.running) return;
    // A little slack so a 60 Hz display gives every second frame, not an uneven 20–30 fps.
    if (nowMs - this.lastFrameMs >= this.frameIntervalMs - 4) {
      this.lastFrameMs = nowMs;
      this.draw();
    }
    this.frameRequest = requestAnimationFrame(this.frame);
  };

  private applyLayout(layoutId: SceneLayoutId, outputWidth?: number, outputHeight?: number): void {
    this.layout = computeLayout(layoutId, outputWidth, outputHeight);
    const { width, height, visualizer, paddingPx } = this.layout;
    this.canvas.width = width;
    this.canvas.height = height;
    const background = this.context.createLinearGradient(0, 0, width, height);
    background.addColorStop(0, '#10141b');
    background.addColorStop(0.55, '#0a0d12');
    background.addColorStop(1, '#111a24');
    this.background = background;
    const shade = this.context.createLinearGradient(0, visualizer.y - paddingPx * 4, 0, height);
    shade.addColorStop(0, 'rgba(0, 0, 0, 0)');
    shade.addColorStop(1, 'rgba(0, 0, 0, 0.65)');
    this.shade = shade;
    const { fontPx } = this.layout;
    this.labelFont = `600 ${fontPx.label}px ${FONT_STACK}`;
    this.titleFont = `700 ${fontPx.title}px ${FONT_STACK}`;
    this.tempoFont = `700 ${fontPx.tempo}px ${FONT_STACK}`;
    this.bannerFont = `600 ${fontPx.banner}px ${FONT_STACK}`;
    this.layoutText();
  }

  private layoutText(): void {
    const { context: ctx, layout } = this;
    const inner = layout.nowPlaying.width - layout.paddingPx * 2;
    ctx.font = this.titleFont;
    this.nowPlayingLine = fitText(this.text.nowPlaying.trim(), inner, (candidate) => ctx.measureText(candidate).width);
    ctx.font = this.bannerFont;
    this.bannerLine = fitText(this.text.banner.trim(), layout.banner.width - layout.paddingPx * 4, (candidate) => ctx.measureText(candidate).width);
    this.tempoLine = this.text.tempoBpm === null ? '— BPM' : `${this.text.tempoBpm.toFixed(1)} BPM`;
  }

  /** Spectrum bars (low notes left) and a stereo meter at the right edge, both from main's events. */
  private drawVisualizer(): void {
    for (let band = 0; band < this.bandCount; band += 1) {
      const fallen = this.bandShown[band]! - BAR_FALL_PER_FRAME;
      this.bandShown[band] = Math.max(this.bandTargets[band]!, fallen > 0 ? fallen : 0);
    }
    if (!this.visualizerShown) return;
    const { context: ctx, layout } = this;
    const rect = layout.visualizer;
    const meterWidth = Math.max(4, Math.round(layout.paddingPx * 0.6));
    const barsWidth = rect.width - meterWidth * 3 - layout.paddingPx;
    const count = this.bandCount;
    if (count > 0) {
      const slot = barsWidth / count;
      const gap = Math.max(1, Math.round(slot * 0.22));
      ctx.fillStyle = ACCENT_SOFT;
      for (let band = 0; band < count; band += 1) {
        const barHeight = Math.max(2, this.bandShown[band]! * rect.height);
        ctx.fillRect(rect.x + layout.paddingPx + band * slot, rect.y + rect.height - barHeight, slot - gap, barHeight);
      }
    }
    const meterX = rect.x + rect.width - meterWidth * 3;
    ctx.fillStyle = ACCENT;
    const leftHeight = Math.max(2, this.meterLeft * rect.height);
    const rightHeight = Math.max(2, this.meterRight * rect.height);
    ctx.fillRect(meterX, rect.y + rect.height - leftHeight, meterWidth, leftHeight);
    ctx.fillRect(meterX + meterWidth * 1.5, rect.y + rect.height - rightHeight, meterWidth, rightHeight);
  }

  private drawNowPlaying(): void {
    if (!this.nowPlayingLine) return;
    const { context: ctx, layout } = this;
    const { x, y, width, height } = layout.nowPlaying;
    const pad = layout.paddingPx;
    ctx.fillStyle = BOX;
    ctx.fillRect(x, y, width, height);
    ctx.fillStyle = ACCENT;
    ctx.fillRect(x, y, Math.max(3, pad / 3), height);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.font = this.labelFont;
    ctx.fillStyle = TEXT_MUTED;
    ctx.fillText('NOW PLAYING', x + pad, y + pad * 0.8);
    ctx.font = this.titleFont;
    ctx.fillStyle = TEXT;
    ctx.fillText(this.nowPlayingLine, x + pad, y + pad * 0.8 + layout.fontPx.label * 1.4);
  }

  private drawTempo(): void {
    const { context: ctx, layout } = this;
    const { x, y, width, height } = layout.tempo;
    ctx.fillStyle = BOX;
    ctx.fillRect(x, y, width, height);
    ctx.font = this.tempoFont;
    ctx.fillStyle = this.text.tempoBpm === null ? TEXT_MUTED : TEXT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.tempoLine, x + width / 2, y + height / 2);
  }

  private drawLogo(): void {
    const { context: ctx, layout } = this;
    const { x, y, width, height } = layout.logo;
    if (this.logo) {
      ctx.drawImage(this.logo, x, y, width, height);
      return;
    }
    // No logo chosen: the app's word mark, so the corner is never an empty box.
    ctx.font = this.tempoFont;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = TEXT;
    ctx.fillText('MIXDECK', x, y + height / 2);
  }

  private drawBanner(): void {
    if (!this.bannerLine) return;
    const { context: ctx, layout } = this;
    const { x, y, width, height } = layout.banner;
    ctx.fillStyle = ACCENT;
    ctx.fillRect(x, y, width, height);
    ctx.font = this.bannerFont;
    ctx.fillStyle = '#03131c';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.bannerLine, x + width / 2, y + height / 2);
  }
}

/** `valueDb` between `bottomDb` (0) and `topDb` (1), clamped. */
function toUnit(valueDb: number, bottomDb: number, topDb: number): number {
  const unit = (valueDb - bottomDb) / (topDb - bottomDb);
  return unit > 1 ? 1 : unit > 0 ? unit : 0;
}
