import { readFile } from 'node:fs/promises';
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
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new MixdeckError('not-found', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const project = StudioProject.create({ name });
  try {
    const result = engine.importMidi(project, bytes);
    if (result.noteCount === 0) throw new MixdeckError('invalid-input', `${path} has no notes to render.`);
  } catch (error) {
    if (error instanceof MixdeckError) throw error;
    throw new MixdeckError('invalid-input', `${path} is not a Standard MIDI File we can read (${(error as Error).message}).`);
  }
  return project;
}
