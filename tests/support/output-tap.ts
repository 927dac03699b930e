import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAppCore, type AppCoreOptions } from '../../src/main/app-core';
import { startWebHost } from '../../src/main/host/web-host';
import { RENDERER_DIR } from '../../src/main/paths';
import { makeTempDir } from './temp-dir';
import type { TestWebHost } from './web-host';

/**
 * Listens to what a page sends to its speakers, inside the page, sample by sample.
 *
 * An init script notes every AudioNode that connects to an AudioContext's destination (the
 * page's own code is untouched otherwise). `attachOutputTap` then loads an AudioWorklet and
 * connects an output node to it. The worklet must come from the page's own origin (the CSP
 * allows only 'self' scripts, and Playwright routes do not see worklet fetches), so
 * `startTappableWebHost` serves a copy of the built renderer with the worklet added. The worklet measures, on the first channel:
 *  - silent runs (|sample| < 1e-4 for more than 16 frames) between the first and last sound,
 *  - the largest step between consecutive sounding samples (a click at a bad join),
 *  - per 10 ms window the amplitude of chosen frequencies (Hann-windowed Goertzel), to follow two tones
 *    through a crossfade.
 */

export const TAP_MODULE_PATH = '/__test__/output-tap.worklet.js';

const WORKLET_SOURCE = String.raw`
class OutputTap extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const frequencies = options.processorOptions.frequencies;
    this.windowFrames = Math.round(sampleRate * 0.01);
    // A Hann window keeps one tone from leaking into the other's bin (a plain 10 ms window leaks at −25 dB).
    this.hann = new Float32Array(this.windowFrames).map((_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (this.windowFrames - 1)));
    this.coefficients = frequencies.map((frequency) => 2 * Math.cos((2 * Math.PI * frequency) / sampleRate));
    this.s1 = frequencies.map(() => 0);
    this.s2 = frequencies.map(() => 0);
    this.inWindow = 0;
    this.sumSquares = 0;
    this.frame = 0;
    this.firstSound = -1;
    this.lastSound = -1;
    this.silentRun = 0;
    this.runs = [];
    this.maxStep = 0;
    this.maxStepFrame = -1;
    this.previous = 0;
    this.previousSounding = false;
    this.envelope = [];
    this.startTime = currentTime;
    this.port.onmessage = () => {
      this.port.postMessage({
        sampleRate,
        startTime: this.startTime,
        frames: this.frame,
        firstSound: this.firstSound,
        lastSound: this.lastSound,
        runs: this.runs,
        openRun: this.silentRun,
        maxStep: this.maxStep,
        maxStepFrame: this.maxStepFrame,
        envelope: this.envelope,
      });
    };
  }

  sample(x) {
    const sounding = Math.abs(x) >= 1e-4;
    if (sounding) {
      if (this.silentRun > 16 && this.firstSound >= 0) this.runs.push([this.frame - this.silentRun, this.silentRun]);
      this.silentRun = 0;
      if (this.firstSound < 0) this.firstSound = this.frame;
      if (this.previousSounding) {
        const step = Math.abs(x - this.previous);
        if (step > this.maxStep) {
          this.maxStep = step;
          this.maxStepFrame = this.frame;
        }
      }
      this.lastSound = this.frame;
    } else {
      this.silentRun += 1;
    }
    this.previous = x;
    this.previousSounding = sounding;
    for (let index = 0; index < this.coefficients.length; index += 1) {
      const s0 = x * this.hann[this.inWindow] + this.coefficients[index] * this.s1[index] - this.s2[index];
      this.s2[index] = this.s1[index];
      this.s1[index] = s0;
    }
    this.sumSquares += x * x;
    this.inWindow += 1;
    if (this.inWindow === this.windowFrames) {
      const amplitudes = this.coefficients.map((coefficient, index) => {
        const power = this.s1[index] ** 2 + this.s2[index] ** 2 - coefficient * this.s1[index] * this.s2[index];
        this.s1[index] = 0;
        this.s2[index] = 0;
        return (4 * Math.sqrt(Math.max(0, power))) / this.windowFrames;
      });
      this.envelope.push([this.frame - this.windowFrames + 1, Math.sqrt(this.sumSquares / this.windowFrames), ...amplitudes]);
      this.sumSquares = 0;
      this.inWindow = 0;
    }
    this.frame += 1;
  }

  process(inputs, outputs) {
    const channel = inputs[0] && inputs[0][0];
    const length = outputs[0] && outputs[0][0] ? outputs[0][0].length : 128;
    for (let index = 0; index < length; index += 1) this.sample(channel ? channel[index] : 0);
    return true;
  }
}
registerProcessor('output-tap', OutputTap);
`;

const INIT_SCRIPT = String.raw`
(() => {
  const outputs = [];
  Object.defineProperty(window, '__mixdeckOutputs', { value: outputs });
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (destination, ...rest) {
    if (destination instanceof AudioDestinationNode) outputs.push(this);
    return connect.call(this, destination, ...rest);
  };
})();
`;

export interface TapReport {
  sampleRate: number;
  startTime: number;
  frames: number;
  firstSound: number;
  lastSound: number;
  /** [first frame, length in frames] of every silent run longer than 16 frames between sounds. */
  runs: [number, number][];
  openRun: number;
  maxStep: number;
  maxStepFrame: number;
  /** Per 10 ms window: [first frame, RMS, amplitude at each asked frequency…]. */
  envelope: number[][];
}

/**
 * The real web host serving a copy of the built renderer plus the tap's worklet, on a fresh
 * database, or on `dataDir` when given (a library the test filled beforehand).
 */
export async function startTappableWebHost(options: { dataDir?: string; fileBrowser?: AppCoreOptions['fileBrowser'] } = {}): Promise<TestWebHost> {
  const data = makeTempDir('mixdeck-web-');
  const staticDir = join(data.path, 'renderer');
  cpSync(RENDERER_DIR, staticDir, { recursive: true });
  const modulePath = join(staticDir, ...TAP_MODULE_PATH.split('/').filter(Boolean));
  mkdirSync(dirname(modulePath), { recursive: true });
  writeFileSync(modulePath, WORKLET_SOURCE);
  const dataDir = options.dataDir ?? join(data.path, 'data');
  mkdirSync(dataDir, { recursive: true });
  const core = await createAppCore({ dataDir, transport: 'web', logLevel: 'warn', ...(options.fileBrowser ? { fileBrowser: options.fileBrowser } : {}) });
  const host = await startWebHost({ ...core, staticDir, port: 0 });
  return {
    url: host.launchUrl,
    dataDir,
    core,
    host,
    async close() {
      await host.close();
      await core.close();
      data.remove();
    },
  };
}

/** Call before the page loads. */
export async function prepareOutputTap(page: Page): Promise<void> {
  await page.addInitScript(INIT_SCRIPT);
}

/** How many output nodes the page has connected so far (to tell the next one apart). */
export async function outputCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __mixdeckOutputs: AudioNode[] }).__mixdeckOutputs.length);
}

/** Taps output node number `outputIndex` (see `outputCount`); returns the tap's id for `readOutputTap`. */
export async function attachOutputTap(page: Page, outputIndex: number, frequencies: number[]): Promise<number> {
  return page.evaluate(
    async ({ modulePath, frequencies: asked, outputIndex: index }) => {
      const holder = window as unknown as { __mixdeckOutputs: AudioNode[]; __mixdeckTaps?: AudioWorkletNode[] };
      const node = holder.__mixdeckOutputs[index];
      if (!node) throw new Error('The page has not connected anything to its speakers yet');
      const context = node.context as AudioContext;
      await context.audioWorklet.addModule(modulePath);
      const tap = new AudioWorkletNode(context, 'output-tap', { processorOptions: { frequencies: asked }, outputChannelCount: [1] });
      const silent = context.createGain();
      silent.gain.value = 0;
      node.connect(tap);
      // Pulled by the destination through a muted gain, so the tap runs without adding sound.
      tap.connect(silent).connect(context.destination);
      holder.__mixdeckTaps ??= [];
      holder.__mixdeckTaps.push(tap);
      return holder.__mixdeckTaps.length - 1;
    },
    { modulePath: TAP_MODULE_PATH, frequencies, outputIndex },
  );
}

export async function readOutputTap(page: Page, tapId: number): Promise<TapReport> {
  return page.evaluate(
    (id) =>
      new Promise<TapReport>((resolve) => {
        const tap = (window as unknown as { __mixdeckTaps: AudioWorkletNode[] }).__mixdeckTaps[id]!;
        tap.port.onmessage = (event: MessageEvent<TapReport>) => resolve(event.data);
        tap.port.postMessage('report');
      }),
    tapId,
  );
}

export async function detachOutputTap(page: Page, tapId: number): Promise<void> {
  await page.evaluate((id) => {
    const tap = (window as unknown as { __mixdeckTaps: AudioWorkletNode[] }).__mixdeckTaps[id]!;
    tap.disconnect();
  }, tapId);
}
