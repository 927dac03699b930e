import { cpus } from 'node:os';
import { benchBroadcast } from './broadcast.bench';
import { benchBroadcastOverload } from './broadcast-overload.bench';
import { benchBroadcastRoute } from './broadcast-route.bench';
import { benchContract } from './contract.bench';
import { benchLibraryScan } from './library-scan.bench';
import { benchLibrarySearch } from './library-search.bench';
import { benchMidi } from './midi.bench';
import { benchPitch } from './pitch.bench';
import { renderResult, type BenchResult } from './report';
import { benchStudio } from './studio.bench';
import { benchTrackAnalysis } from './track-analysis.bench';

/** Every benchmark, run in sequence in one process; `npm run bench -- NAME` runs the ones whose name contains NAME. */
const BENCHES: Record<string, () => Promise<BenchResult>> = {
  contract: benchContract,
  'library-search': benchLibrarySearch,
  'library-scan': benchLibraryScan,
  'track-analysis': benchTrackAnalysis,
  pitch: benchPitch,
  broadcast: benchBroadcast,
  'broadcast-route': benchBroadcastRoute,
  'broadcast-overload': benchBroadcastOverload,
  studio: benchStudio,
  midi: benchMidi,
};

const filter = process.argv[2];
console.log(`Mixdeck benchmarks — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}\n`);
for (const [name, run] of Object.entries(BENCHES)) {
  if (filter && !name.includes(filter)) continue;
  console.log(renderResult(await run()));
  console.log('');
}
