import AudioMotionAnalyzer from 'audiomotion-analyzer';

export interface Spectrum {
  /** The canvas audioMotion-analyzer draws on; the compositor copies it into the scene each frame. */
  readonly canvas: HTMLCanvasElement;
  dispose(): void;
}

/**
 * An audio-reactive spectrum of the input the page hears (the mixer's line-in or a microphone),
 * drawn by audioMotion-analyzer on a canvas that is never put in the page. Nothing reaches the
 * speakers: the audio for the stream goes from the device to main, not through the page.
 */
export function createSpectrum(stream: MediaStream, size: { width: number; height: number }): Spectrum {
  const audioContext = new AudioContext({ latencyHint: 'playback' });
  const source = audioContext.createMediaStreamSource(stream);
  const offscreenContainer = document.createElement('div');
  const analyzer = new AudioMotionAnalyzer(offscreenContainer, {
    audioCtx: audioContext,
    source,
    connectSpeakers: false,
    width: size.width,
    height: size.height,
    mode: 6,
    ledBars: false,
    lumiBars: false,
    alphaBars: true,
    barSpace: 0.25,
    gradient: 'prism',
    overlay: true,
    bgAlpha: 0,
    showBgColor: false,
    showScaleX: false,
    showPeaks: true,
    smoothing: 0.7,
    minDecibels: -85,
    maxDecibels: -20,
    frequencyScale: 'log',
    minFreq: 30,
    maxFreq: 16000,
    reflexRatio: 0.2,
    reflexAlpha: 0.2,
    maxFPS: 30,
  });
  void audioContext.resume();
  return {
    canvas: analyzer.canvas,
    dispose() {
      analyzer.destroy();
      if (audioContext.state !== 'closed') void audioContext.close().catch(() => undefined);
    },
  };
}
