import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { decodeSongText } from '../../../audio-engine/karaoke/text-decoding';
import { parseLrc } from '../../../audio-engine/karaoke/lrc';
import { parseUltraStar, SongParseError, type UltraStarSong } from '../../../audio-engine/karaoke/ultrastar';

export interface FoundSong {
  /** The song file (UltraStar .txt, or .lrc for sing-along). */
  readonly path: string;
  readonly format: 'ultrastar' | 'lrc';
  readonly title: string;
  readonly artist: string;
  readonly audioPath: string;
  readonly videoPath: string | null;
  readonly coverPath: string | null;
  readonly backgroundPath: string | null;
  readonly instrumentalPath: string | null;
  /** Null for LRC songs (sing-along, no notes to score). */
  readonly song: UltraStarSong | null;
  readonly isDuet: boolean;
  readonly warnings: string[];
}

export interface RefusedSong {
  readonly path: string;
  /** 1-based line of the problem, or null when it is about the whole file. */
  readonly line: number | null;
  readonly reason: string;
}

export interface SongFolderScan {
  readonly songs: FoundSong[];
  readonly refused: RefusedSong[];
}

const AUDIO_EXTENSIONS = ['.mp3', '.ogg', '.opus', '.m4a', '.flac', '.wav', '.aac'];
const MAX_SONG_FILE_BYTES = 2 * 1024 * 1024;

/** A file the song names, resolved next to it; names that climb out of the song's folder are refused. */
function besideSong(songPath: string, name: string | null): string | null {
  if (!name) return null;
  const folder = dirname(songPath);
  const full = resolve(folder, name);
  return full.startsWith(folder + sep) ? full : null;
}

async function exists(path: string | null): Promise<boolean> {
  if (!path) return false;
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function* walk(folder: string): AsyncGenerator<string> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Reads and checks one song file; throws SongParseError with the line and reason when it cannot be sung. */
export async function readSongFile(path: string): Promise<FoundSong> {
  const size = (await stat(path)).size;
  if (size > MAX_SONG_FILE_BYTES) throw new SongParseError(0, `the file is ${Math.round(size / 1024)} KB, far too large for a song file`);
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.subarray(0, 4096).includes(0)) throw new SongParseError(0, 'it is not a text file (it holds binary data)');
  const { text } = decodeSongText(bytes);

  if (extname(path).toLowerCase() === '.lrc') {
    const lyrics = parseLrc(text);
    if (lyrics.lines.length === 0) throw new SongParseError(0, 'the file has no timed lyrics lines like "[00:12.00]words"');
    const base = path.slice(0, -extname(path).length);
    let audioPath: string | null = null;
    for (const extension of AUDIO_EXTENSIONS) {
      if (await exists(base + extension)) {
        audioPath = base + extension;
        break;
      }
    }
    if (!audioPath) throw new SongParseError(0, `no audio file with the same name was found beside it (looked for ${AUDIO_EXTENSIONS.join(', ')})`);
    const fallbackTitle = base.slice(dirname(base).length + 1);
    return {
      path,
      format: 'lrc',
      title: lyrics.title ?? fallbackTitle,
      artist: lyrics.artist ?? '',
      audioPath,
      videoPath: null,
      coverPath: null,
      backgroundPath: null,
      instrumentalPath: null,
      song: null,
      isDuet: false,
      warnings: lyrics.skipped.map((skip) => `line ${skip.lineNumber}: not a lyrics line, skipped`),
    };
  }

  const song = parseUltraStar(text);
  const audioPath = besideSong(path, song.audioFile);
  if (!audioPath) throw new SongParseError(0, `the audio file "${song.audioFile}" must be in the song's own folder`);
  if (!(await exists(audioPath))) throw new SongParseError(0, `the audio file "${song.audioFile}" is missing`);
  const warnings = [...song.warnings];
  const optional = async (name: string | null, label: string): Promise<string | null> => {
    const file = besideSong(path, name);
    if (name && !(await exists(file))) {
      warnings.push(`the ${label} "${name}" is missing; the song plays without it`);
      return null;
    }
    return file;
  };
  return {
    path,
    format: 'ultrastar',
    title: song.title,
    artist: song.artist,
    audioPath,
    videoPath: await optional(song.videoFile, 'video'),
    coverPath: await optional(song.coverFile, 'cover'),
    backgroundPath: await optional(song.backgroundFile, 'background'),
    instrumentalPath: await optional(song.instrumentalFile, 'instrumental track'),
    song,
    isDuet: song.voices.length > 1,
    warnings,
  };
}

/**
 * Finds every UltraStar .txt and .lrc song under a folder. A file that cannot be sung is
 * refused on its own, with the line and the reason; the scan goes on to the next one.
 */
export async function scanSongFolder(folder: string, onProgress?: (done: number, path: string) => void): Promise<SongFolderScan> {
  const songs: FoundSong[] = [];
  const refused: RefusedSong[] = [];
  let done = 0;
  for await (const path of walk(folder)) {
    const extension = extname(path).toLowerCase();
    if (extension !== '.txt' && extension !== '.lrc') continue;
    try {
      songs.push(await readSongFile(path));
    } catch (error) {
      if (error instanceof SongParseError) refused.push({ path, line: error.lineNumber > 0 ? error.lineNumber : null, reason: error.reason });
      else refused.push({ path, line: null, reason: describeReadFailure(error) });
    }
    done += 1;
    onProgress?.(done, relative(folder, path));
  }
  return { songs, refused };
}

/** Why a song file could not be read, in words (never an exception's own text). */
export function describeReadFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'it disappeared while it was being read';
    case 'EACCES':
    case 'EPERM':
      return 'Mixdeck is not allowed to read it';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EIO':
      return 'the disk reported an error while reading it';
    default:
      return 'it could not be read as a song file';
  }
}

/** "Broken Song.txt, line 12: a note must last at least one beat" */
export function describeRefusal(refusal: RefusedSong, folder: string): string {
  return `${relative(folder, refusal.path)}${refusal.line ? `, line ${refusal.line}` : ''}: ${refusal.reason}`;
}
