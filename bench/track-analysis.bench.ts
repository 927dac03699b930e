import { createRequire } from 'node:module';
import { benchAnalysis, type TempoPeer } from '../src/audio-engine/analysis/analysis.bench';
import type { BenchResult } from './report';

type MusicTempoConstructor = new (audio: Float32Array, params: Record<string, number>) => { tempo: string | number };

/** music-tempo (MIT) on the same clips: its frames are given in seconds, so any rate works. */
function musicTempoPeer(): TempoPeer {
  const MusicTempo = createRequire(import.meta.url)('music-tempo') as MusicTempoConstructor;
  return (mono, sampleRate) => {
    const hopSize = Math.round(sampleRate / 100);
    try {
      return Number(new MusicTempo(mono, { bufferSize: 1024 * Math.round(sampleRate / 22050) || 1024, hopSize, timeStep: hopSize / sampleRate }).tempo);
    } catch {
      return Number.NaN;
    }
  };
}

type BeatDetectorAnalyze = (channelData: Float32Array, sampleRate: number, tempoSettings: { minTempo?: number; maxTempo?: number }) => number;

/**
 * web-audio-beat-detector (MIT), its own algorithm: the package low-passes the buffer at 240 Hz
 * in an OfflineAudioContext and hands the samples to its worker's `analyze`. The worker cannot
 * start under Node, so the same two steps run here: node-web-audio-api's OfflineAudioContext
 * for the filter, then the worker package's `analyze` itself (default range 90–180 BPM).
 */
async function webAudioBeatDetectorPeer(): Promise<TempoPeer> {
  const { analyze } = (await import('web-audio-beat-detector-worker/build/es2019/helpers/analyze.js' as string)) as { analyze: BeatDetectorAnalyze };
  const { OfflineAudioContext } = (await import('node-web-audio-api' as string)) as { OfflineAudioContext: typeof globalThis.OfflineAudioContext };
  // It skips sampleRate / 4 samples after each peak, so at 22,050 Hz it lands between samples
  // and finds one peak; as in a browser, it runs in a 44.1 kHz context (Web Audio resamples).
  const contextRate = 44100;
  return async (mono, sampleRate) => {
    const context = new OfflineAudioContext(1, Math.ceil((mono.length * contextRate) / sampleRate), contextRate);
    const buffer = context.createBuffer(1, mono.length, sampleRate);
    buffer.copyToChannel(mono as Float32Array<ArrayBuffer>, 0);
    const lowpass = context.createBiquadFilter();
    lowpass.type = 'lowpass';
    lowpass.frequency.value = 240;
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(lowpass).connect(context.destination);
    source.start(0);
    const rendered = await context.startRendering();
    try {
      return analyze(rendered.getChannelData(0), contextRate, {});
    } catch {
      return Number.NaN; // "does not contain any detectable beats"
    }
  };
}

interface EssentiaVector {
  delete(): void;
}
interface EssentiaInstance {
  arrayToVector(samples: Float32Array): EssentiaVector;
  PercivalBpmEstimator(signal: EssentiaVector, frameSize: number, frameSizeOSS: number, hopSize: number, hopSizeOSS: number, maxBPM: number, minBPM: number, sampleRate: number): { bpm: number };
}

/**
 * essentia.js (AGPL-3.0: a dev-only benchmark peer, never imported by src/): Percival's
 * estimator, the one Essentia recommends for a global tempo, at the clip's own sample rate.
 */
function essentiaPeer(): TempoPeer {
  const { EssentiaWASM, Essentia } = createRequire(import.meta.url)('essentia.js') as { EssentiaWASM: unknown; Essentia: new (wasm: unknown) => EssentiaInstance };
  const essentia = new Essentia(EssentiaWASM);
  return (mono, sampleRate) => {
    const vector = essentia.arrayToVector(mono);
    try {
      return essentia.PercivalBpmEstimator(vector, 1024, 2048, 128, 128, 210, 50, sampleRate).bpm;
    } catch {
      return Number.NaN;
    } finally {
      vector.delete();
    }
  };
}

/**
 * Tempo and key accuracy on generated clips, and analysis speed. Baseline: music-tempo's
 * tempo accuracy on the same clips in the same run.
 */
export async function benchTrackAnalysis(): Promise<BenchResult> {
  const report = await benchAnalysis({
    tempoPeers: { 'music-tempo': musicTempoPeer(), 'web-audio-beat-detector': await webAudioBeatDetectorPeer(), 'essentia.js Percival': essentiaPeer() },
    log: () => {},
  });
  const ours = report.tempo.mixdeck!;
  const peer = report.tempo['music-tempo']!;
  const beatDetector = report.tempo['web-audio-beat-detector']!;
  const essentia = report.tempo['essentia.js Percival']!;
  const ratio = (value: number, baseline: number): number => (baseline > 0 ? value / baseline : Number.NaN);
  return {
    name: `track analysis (${ours.clipCount} generated clips, 10 styles, 72–180 BPM)`,
    baseline: 'music-tempo on the same clips',
    rows: [
      { label: 'tempo Acc1 (within 4 %), music-tempo', value: 100 * peer.acc1, unit: '%', ratio: 1 },
      { label: 'tempo Acc1 (within 4 %), Mixdeck', value: 100 * ours.acc1, unit: '%', ratio: ratio(ours.acc1, peer.acc1) },
      { label: 'tempo Acc1 (within 4 %), web-audio-beat-detector', value: 100 * beatDetector.acc1, unit: '%', ratio: ratio(beatDetector.acc1, peer.acc1) },
      { label: 'tempo Acc1 (within 4 %), essentia.js PercivalBpmEstimator', value: 100 * essentia.acc1, unit: '%', ratio: ratio(essentia.acc1, peer.acc1) },
      { label: 'tempo Acc2 (octave errors allowed), music-tempo', value: 100 * peer.acc2, unit: '%', ratio: 1 },
      { label: 'tempo Acc2 (octave errors allowed), web-audio-beat-detector', value: 100 * beatDetector.acc2, unit: '%', ratio: ratio(beatDetector.acc2, peer.acc2) },
      { label: 'tempo Acc2 (octave errors allowed), essentia.js PercivalBpmEstimator', value: 100 * essentia.acc2, unit: '%', ratio: ratio(essentia.acc2, peer.acc2) },
      { label: 'tempo Acc2 (octave errors allowed), Mixdeck', value: 100 * ours.acc2, unit: '%', ratio: ratio(ours.acc2, peer.acc2) },
      { label: `key correct, fifth or relative (${report.key.clipCount} clips, all 24 keys)`, value: 100 * report.key.correctOrRelated, unit: '%' },
      { label: 'analyseTrack speed, 44.1 kHz stereo, one core', value: report.speed.trackStereo44kTimesRealtime, unit: '× real time' },
      { label: 'live tempo tracker speed', value: report.speed.liveTrackerTimesRealtime, unit: '× real time' },
    ],
    notes: [
      'Generated material (src/audio-engine/music-synth): real records will score lower. Peers run on the same mono clips in the same run; web-audio-beat-detector only reports 90–180 BPM (its default range), essentia.js is AGPL and used only here.',
    ],
  };
}
