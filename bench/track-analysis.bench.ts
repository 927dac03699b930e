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

/**
 * Tempo and key accuracy on generated clips, and analysis speed. Baseline: music-tempo's
 * tempo accuracy on the same clips in the same run.
 */
export async function benchTrackAnalysis(): Promise<BenchResult> {
  const report = await benchAnalysis({ tempoPeers: { 'music-tempo': musicTempoPeer() }, log: () => {} });
  const ours = report.tempo.mixdeck!;
  const peer = report.tempo['music-tempo']!;
  const ratio = (value: number, baseline: number): number => (baseline > 0 ? value / baseline : Number.NaN);
  return {
    name: `track analysis (${ours.clipCount} generated clips, 10 styles, 72–180 BPM)`,
    baseline: 'music-tempo on the same clips',
    rows: [
      { label: 'tempo Acc1 (within 4 %), music-tempo', value: 100 * peer.acc1, unit: '%', ratio: 1 },
      { label: 'tempo Acc1 (within 4 %), Mixdeck', value: 100 * ours.acc1, unit: '%', ratio: ratio(ours.acc1, peer.acc1) },
      { label: 'tempo Acc2 (octave errors allowed), music-tempo', value: 100 * peer.acc2, unit: '%', ratio: 1 },
      { label: 'tempo Acc2 (octave errors allowed), Mixdeck', value: 100 * ours.acc2, unit: '%', ratio: ratio(ours.acc2, peer.acc2) },
      { label: `key correct, fifth or relative (${report.key.clipCount} clips, all 24 keys)`, value: 100 * report.key.correctOrRelated, unit: '%' },
      { label: 'analyseTrack speed, 44.1 kHz stereo, one core', value: report.speed.trackStereo44kTimesRealtime, unit: '× real time' },
      { label: 'live tempo tracker speed', value: report.speed.liveTrackerTimesRealtime, unit: '× real time' },
    ],
    notes: ['Generated material (src/audio-engine/music-synth): real records will score lower. web-audio-beat-detector and essentia.js are not yet compared.'],
  };
}
