import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MixdeckError } from '../../shared/contract';
import { StudioProject } from '../../shared/studio';
import { defaultDataDir } from '../paths';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { formatFromPath, ProjectExporter } from '../services/studio/exporter';
import { ProjectStore } from '../services/studio/project-store';
import type { CliIo } from './io';
import { createNodeRenderer, projectFromMidiFile } from './studio-node-render';

export const STUDIO_HELP = `mixdeck studio <command>

Commands:
  render PROJECT|FILE.mid --out FILE.wav   Render a studio project, or a MIDI file, with the studio's engine
  list                                      List the studio projects in the data folder

render options:
  --out FILE          .wav, .flac or .mp3 (FLAC and MP3 through ffmpeg)
  --bits 16|24        sample size of WAV and FLAC (default 24)
  --sample-rate N     44100, 48000 or 96000 (default 48000)
  --stems             also write one file per track beside FILE (FILE-<track>.wav)
  --data-dir DIR      where projects live (default: ${defaultDataDir()})
  --json              progress and the result as JSON, one object per line

PROJECT is a project's id or name in the data folder, or the path of a project's folder.
A MIDI file is imported onto instrument tracks first (drums on channel 10 play the built-in kit).
`;

const SAMPLE_RATES = [44_100, 48_000, 96_000];

export async function runStudio(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(STUDIO_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'render') return runRender(rest, io);
  if (command === 'list') return runList(rest, io);
  io.err(`mixdeck studio: unknown command "${command}".\n\n${STUDIO_HELP}`);
  return 2;
}

function runList(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const store = new ProjectStore({ dataDir: values['data-dir'] ?? defaultDataDir() });
  for (const info of store.list()) io.out(values.json ? JSON.stringify(info) : `${info.id}  ${info.name}`);
  store.close();
  return 0;
}

async function runRender(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      bits: { type: 'string' },
      'sample-rate': { type: 'string' },
      stems: { type: 'boolean' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(STUDIO_HELP);
    return 0;
  }
  const [input, ...extra] = positionals;
  if (!input || extra.length > 0 || !values.out) {
    io.err(`mixdeck studio render: give one project (or MIDI file) and --out FILE.\n\n${STUDIO_HELP}`);
    return 2;
  }
  const bits = values.bits === undefined ? 24 : Number(values.bits);
  if (bits !== 16 && bits !== 24) throw new MixdeckError('invalid-input', `--bits must be 16 or 24, not "${values.bits}".`);
  const sampleRate = values['sample-rate'] === undefined ? 48_000 : Number(values['sample-rate']);
  if (!SAMPLE_RATES.includes(sampleRate)) throw new MixdeckError('invalid-input', `--sample-rate must be 44100, 48000 or 96000, not "${values['sample-rate']}".`);
  const outPath = resolve(values.out);
  const format = formatFromPath(outPath);

  const project = await loadProject(input, values['data-dir'] ?? defaultDataDir());
  const ffmpeg = resolveFfmpeg();
  const exporter = new ProjectExporter({ render: createNodeRenderer({ ffmpegPath: ffmpeg.path }), ffmpegPath: ffmpeg.path });
  const startedAt = performance.now();
  const result = await exporter.export({
    project: project.read(),
    outPath,
    format,
    bits,
    sampleRate,
    stems: values.stems ?? false,
    onProgress: (progress) => {
      if (values.json) io.out(JSON.stringify({ event: 'progress', ...progress, fraction: Math.round(progress.fraction * 1000) / 1000 }));
    },
  });
  const elapsedSec = (performance.now() - startedAt) / 1000;
  const audioSec = result.files[0]?.durationSec ?? 0;
  if (values.json) io.out(JSON.stringify({ event: 'done', files: result.files, elapsedSec: Math.round(elapsedSec * 1000) / 1000 }));
  else {
    for (const file of result.files) io.out(`Wrote ${file.path} (${file.durationSec.toFixed(2)} s)`);
    io.out(`Rendered ${audioSec.toFixed(2)} s of audio in ${elapsedSec.toFixed(2)} s.`);
  }
  return 0;
}

async function loadProject(input: string, dataDir: string): Promise<StudioProject> {
  const extension = extname(input).toLowerCase();
  if (extension === '.mid' || extension === '.midi') return projectFromMidiFile(input, basename(input, extname(input)));
  if (existsSync(input) && statSync(input).isDirectory() && existsSync(resolve(input, 'updates.log'))) {
    const folder = resolve(input);
    const store = new ProjectStore({ dataDir: dirname(dirname(dirname(folder))) });
    try {
      return StudioProject.fromUpdate(store.readState(basename(folder)));
    } finally {
      store.close();
    }
  }
  const store = new ProjectStore({ dataDir });
  try {
    const matches = store.list().filter((info) => info.id === input || info.name === input);
    if (matches.length === 0) throw new MixdeckError('not-found', `No studio project "${input}" in ${dataDir} (and it is not a project folder or a .mid file).`);
    if (matches.length > 1) throw new MixdeckError('invalid-input', `${matches.length} projects are named "${input}"; give its id (mixdeck studio list).`);
    return StudioProject.fromUpdate(store.readState((matches[0] as { id: string }).id));
  } finally {
    store.close();
  }
}
