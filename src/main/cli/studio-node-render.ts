import { readFile, stat } from 'node:fs/promises';
import { MixdeckError } from '../../shared/contract';
import { StudioProject } from '../../shared/studio';
import { decodeAudioFile } from '../services/media/decode';
import type { ProjectRenderer } from '../services/studio/exporter';
import { loadNodeStudioEngine } from './studio-node-audio';

/**
 * The engine's offline render for main-side export and the CLI: the renderer's engine code
 * running on node-web-audio-api, with audio clip sources decoded by ffmpeg.
 * `library:<id>` sources need the library's path lookup, handed in as `resolveLibraryPath`.
 */
export function createNodeRenderer(options: { ffmpegPath: string; resolveLibraryPath?: (trackId: string) => string | null }): ProjectRenderer {
  return async (project, renderOptions) => {
    const engine = await loadNodeStudioEngine();
    const loadSource = async (sourceId: string): Promise<{ channels: Float32Array[]; sampleRate: number }> => {
      const path = sourcePath(sourceId, options.resolveLibraryPath);
      const decoded = await decodeAudioFile(path, { ffmpegPath: options.ffmpegPath, sampleRate: renderOptions.sampleRate, channels: 2 });
      return { channels: decoded.channels, sampleRate: decoded.sampleRate };
    };
    return engine.renderProjectOffline(project, { sampleRate: renderOptions.sampleRate, loadSource, ...(renderOptions.onlyTrackIds ? { onlyTrackIds: renderOptions.onlyTrackIds } : {}) });
  };
}

export function sourcePath(sourceId: string, resolveLibraryPath?: (trackId: string) => string | null): string {
  if (sourceId.startsWith('file:')) return sourceId.slice('file:'.length);
  if (sourceId.startsWith('library:')) {
    const path = resolveLibraryPath?.(sourceId.slice('library:'.length)) ?? null;
    if (path) return path;
    throw new MixdeckError('not-found', `The library has no track ${sourceId.slice('library:'.length)} for an audio clip.`);
  }
  throw new MixdeckError('not-supported', `An audio clip's source "${sourceId}" is not a file or library track.`);
}

/** A Standard MIDI File as a new project (instrument tracks with the file's tempo map). */
export async function projectFromMidiFile(path: string, name: string): Promise<StudioProject> {
  const engine = await loadNodeStudioEngine();
  let bytes: Uint8Array;
  try {
    // Refused by size before it is read: the file could be anything with a .mid name.
    const { size } = await stat(path);
    if (size > engine.MIDI_LIMITS.maxFileBytes) {
      throw new MixdeckError('invalid-input', `${path} is ${Math.round(size / 1024)} KB; a MIDI file the studio imports is at most ${engine.MIDI_LIMITS.maxFileBytes / 1024 / 1024} MB.`);
    }
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof MixdeckError) throw error;
    throw new MixdeckError('not-found', `Cannot read ${path}: ${describeFileError(error)}.`);
  }
  const project = StudioProject.create({ name });
  let noteCount: number;
  try {
    noteCount = engine.importMidi(project, bytes).noteCount;
  } catch (error) {
    // The import's refusals are sentences about the file; anything else is not shown raw.
    if (error instanceof MixdeckError) throw new MixdeckError(error.code, `${path}: ${error.message}`);
    throw new MixdeckError('invalid-input', `${path} is not a Standard MIDI File we can read.`);
  }
  if (noteCount === 0) throw new MixdeckError('invalid-input', `${path} has no notes to render.`);
  return project;
}

function describeFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'there is no such file';
    case 'EACCES':
    case 'EPERM':
      return 'Mixdeck is not allowed to read it';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return 'the file could not be read';
  }
}
