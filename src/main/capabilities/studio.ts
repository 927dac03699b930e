import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { MixdeckError, TAKE_MAX_BYTES, type StudioProjectInfo, type studioCalls } from '../../shared/contract';
import { StudioProject } from '../../shared/studio';
import { decodeAudioFile } from '../services/media/decode';
import { resolveFfmpeg } from '../services/media/ffmpeg-path';
import { ProjectExporter } from '../services/studio/exporter';
import { ProjectStore, type ProjectInfo } from '../services/studio/project-store';
import { createNodeRenderer, sourcePath } from '../cli/studio-node-render';
import { loadNodeStudioEngine } from '../cli/studio-node-audio';
import type { Capability, CapabilityContext } from './capability';

const MAX_SOURCE_SEC = 600;
const MIDI_EXTENSIONS = new Set(['.mid', '.midi', '.smf']);

function toContract(info: ProjectInfo): StudioProjectInfo {
  return { id: info.id, name: info.name, createdAt: new Date(info.createdAt).toISOString(), updatedAt: new Date(info.updatedAt).toISOString(), share: info.share };
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * Binds main/services/studio to the contract's studio calls. Projects live in the data folder
 * (ProjectStore); export renders with the renderer's engine code running in Node
 * (node-web-audio-api), so the page need not stay open for an export.
 */
export function createStudioCapability(context: CapabilityContext): Capability<typeof studioCalls> {
  const store = new ProjectStore({ dataDir: context.dataDir });
  // Takes and dropped audio files are kept in the project folders, so clips may always read them.
  const projectsDir = join(context.dataDir, 'studio', 'projects');
  context.paths.addReadRoots(() => [projectsDir]);
  const logger = context.logger.child('studio');
  let ffmpegPath: string | null = null;
  const ffmpeg = (): string => (ffmpegPath ??= resolveFfmpeg().path);
  const resolveLibraryPath = (trackId: string): string | null => {
    const row = context.db.prepare('SELECT path FROM tracks WHERE id = ?').get(Number(trackId)) as { path: string } | undefined;
    return row?.path ?? null;
  };
  const pathOf = (source: { path: string } | { libraryTrackId: number }): string =>
    'path' in source ? context.paths.readableFile(source.path, 'Import') : sourcePath(`library:${source.libraryTrackId}`, resolveLibraryPath);
  /** A clip's audio: a library track, or a file in a project folder, the library or one the user picked. */
  const readableSourcePath = (sourceId: string): string => (sourceId.startsWith('file:') ? context.paths.readableFile(sourceId.slice('file:'.length), 'Audio clip') : sourcePath(sourceId, resolveLibraryPath));

  const keepWithProject = (projectId: string, path: string): string => {
    store.info(projectId);
    const folder = join(projectsDir, projectId, 'imports', randomUUID());
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const kept = join(folder, basename(path));
    copyFileSync(path, kept);
    return kept;
  };

  /** Runs an edit on main's copy of the project, saves it, and answers the update it made. */
  const editProject = <T>(projectId: string, edit: (project: StudioProject) => T): { result: T; update: Uint8Array } => {
    const project = StudioProject.fromUpdate(store.readState(projectId));
    const before = project.stateVector();
    const result = edit(project);
    const update = project.encodeSince(before);
    store.append(projectId, update, { durable: true });
    project.destroy();
    return { result, update };
  };

  return {
    handlers: {
      'studio.list': () => store.list().map(toContract),
      'studio.create': (input) => toContract(store.create(input.name, input.initialStateBase64 ? fromBase64(input.initialStateBase64) : StudioProject.create({ name: input.name }).encode())),
      'studio.open': (input) => ({ info: toContract(store.info(input.projectId)), stateBase64: toBase64(store.readState(input.projectId)) }),
      'studio.rename': (input) => toContract(store.rename(input.projectId, input.name)),
      'studio.delete': (input) => {
        store.delete(input.projectId);
        return { deleted: true as const };
      },
      'studio.saveUpdate': (input) => {
        // Durable: the page drops its copy of an edit once this is confirmed.
        store.append(input.projectId, fromBase64(input.updateBase64), { durable: true });
        store.touch(input.projectId);
        return { saved: true as const };
      },
      'studio.setShare': (input) => toContract(store.setShare(input.projectId, input.share)),
      'studio.export': async (input) => {
        const exportId = input.exportId ?? randomUUID();
        const project = StudioProject.fromUpdate(store.readState(input.projectId));
        const exporter = new ProjectExporter({ render: createNodeRenderer({ ffmpegPath: ffmpeg(), resolveLibraryPath }), ffmpegPath: ffmpeg() });
        logger.info('export started', { projectId: input.projectId, exportId, stems: input.stems ?? false });
        const result = await exporter.export({
          project: project.read(),
          outPath: input.outPath,
          ...(input.format ? { format: input.format } : {}),
          ...(input.bits ? { bits: input.bits } : {}),
          ...(input.sampleRate ? { sampleRate: input.sampleRate } : {}),
          stems: input.stems ?? false,
          checkTarget: (path) => void context.paths.writableFile(path, 'Export', input.overwrite ?? false),
          onProgress: (progress) => context.events.emit('studio.exportProgress', { projectId: input.projectId, exportId, ...progress }),
        });
        project.destroy();
        return { exportId, files: result.files };
      },
      'studio.importMidi': async (input) => {
        const path = pathOf(input.source);
        if (!MIDI_EXTENSIONS.has(extname(path).toLowerCase())) throw new MixdeckError('invalid-input', `${path} is not a MIDI file (.mid or .midi).`);
        const { readFile, stat } = await import('node:fs/promises');
        const engine = await loadNodeStudioEngine();
        // Refused by size before it is read: the import's limits start at the file.
        const size = await stat(path).then(
          (stats) => stats.size,
          () => {
            throw new MixdeckError('not-found', `Cannot read ${path}.`);
          },
        );
        if (size > engine.MIDI_LIMITS.maxFileBytes) throw new MixdeckError('invalid-input', `${path}: it is ${Math.round(size / 1024)} KB; a MIDI file the studio imports is at most ${engine.MIDI_LIMITS.maxFileBytes / 1024 / 1024} MB.`);
        const bytes = new Uint8Array(await readFile(path).catch(() => {
          throw new MixdeckError('not-found', `Cannot read ${path}.`);
        }));
        const { result, update } = editProject(input.projectId, (project) => {
          try {
            return engine.importMidi(project, bytes);
          } catch (error) {
            // The import's refusals are sentences about the file; anything else is not shown raw.
            if (error instanceof MixdeckError) throw new MixdeckError(error.code, `${path}: ${error.message}.`);
            throw new MixdeckError('invalid-input', `${path} is not a Standard MIDI File we can read.`);
          }
        });
        return { updateBase64: toBase64(update), trackIds: result.trackIds, noteCount: result.noteCount };
      },
      'studio.importAudio': async (input) => {
        // A picked file is copied into the project's folder: the grant ends with this run, the project does not.
        const keptPath = 'path' in input.source ? keepWithProject(input.projectId, pathOf(input.source)) : null;
        const sourceId = keptPath ? `file:${keptPath}` : `library:${(input.source as { libraryTrackId: number }).libraryTrackId}`;
        const decoded = await decodeAudioFile(keptPath ?? pathOf(input.source), { ffmpegPath: ffmpeg(), sampleRate: 8000, channels: 1 });
        const { result, update } = editProject(input.projectId, (project) =>
          project.transact(() => {
            const existing = input.trackId ? project.read().tracks.find((track) => track.id === input.trackId && track.kind === 'audio') : undefined;
            const trackId = existing?.id ?? project.addTrack({ kind: 'audio', name: ('path' in input.source ? input.source.path.split(/[\\/]/).pop() : undefined) ?? 'Audio' });
            const startBeat = input.startBeat ?? 0;
            const data = project.read();
            // The clip's length in beats at the tempo where it starts (the engine plays it unstretched).
            const tempoBpm = [...data.tempoChanges].reverse().find((change) => change.beat <= startBeat)?.tempoBpm ?? data.tempoBpm;
            const clipId = project.addAudioClip({ trackId, startBeat, lengthBeats: (decoded.durationSec * tempoBpm) / 60, sourceId, name: trackNameOf(sourceId) });
            return { trackId, clipId };
          }),
        );
        return { updateBase64: toBase64(update), trackId: result.trackId, clipId: result.clipId, sourceId, durationSec: decoded.durationSec };
      },
      'studio.appendTake': (input) => ({
        receivedBytes: store.appendTake(input.projectId, input.takeId, input.offsetBytes, fromBase64(input.dataBase64), TAKE_MAX_BYTES),
      }),
      'studio.finishTake': async (input) => {
        const path = store.finishTake(input.projectId, input.takeId, input.format);
        try {
          const decoded = await decodeAudioFile(path, { ffmpegPath: ffmpeg(), sampleRate: 8000, channels: 1 });
          return { sourceId: `file:${path}`, durationSec: decoded.durationSec };
        } catch (error) {
          store.discardTake(path);
          throw new MixdeckError('invalid-input', `The audio could not be read back, so it was not kept: ${(error as Error).message}`);
        }
      },
      'studio.readSource': async (input) => {
        const decoded = await decodeAudioFile(readableSourcePath(input.sourceId), { ffmpegPath: ffmpeg(), sampleRate: input.sampleRate ?? 48_000, channels: 2, maxDurationSec: MAX_SOURCE_SEC });
        return { sampleRate: decoded.sampleRate, durationSec: decoded.durationSec, channelsBase64: decoded.channels.map((channel) => toBase64(new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength))) };
      },
    },
    close: async () => store.close(),
  };
}

function trackNameOf(sourceId: string): string {
  return sourceId.replace(/^(file|library):/, '').split(/[\\/]/).pop() ?? '';
}
