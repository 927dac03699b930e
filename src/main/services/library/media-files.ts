import type Database from 'better-sqlite3';
import { realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { MixdeckError, type MediaKind } from '../../../shared/contract';
import { contentTypeOfMedia } from '../media/content-types';

export interface MediaFile {
  /** The real path (symlinks resolved), checked to be inside a library folder or the covers folder. */
  readonly path: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly modifiedMs: number;
}

const MEDIA_PATH = /^\/media\/(track|cover)\/([1-9][0-9]{0,15})$/;
const COVER_FILE = /^[0-9a-f]{40}\.(jpg|png|webp|gif|bmp)$/;

/**
 * Reads `/media/<kind>/<id>` (the web host's path, or the Electron scheme's host + path).
 * Anything else — `..`, encoded slashes, absolute paths, query tricks, ids that are not
 * plain positive integers — is not a media request.
 */
export function parseMediaPath(urlPath: string): { kind: MediaKind; trackId: number } | null {
  const match = MEDIA_PATH.exec(urlPath.split('?')[0]!);
  if (!match) return null;
  const trackId = Number(match[2]);
  if (!Number.isSafeInteger(trackId)) return null;
  return { kind: match[1] as MediaKind, trackId };
}

/** True when `child` is `parent` itself or inside it (both already resolved). */
function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * The only way from a track id to a file on disk for the renderer: the id must be a track
 * in the library, and the file it names — after resolving every symlink — must still be
 * a regular file inside one of the library's folders (covers: inside the covers folder).
 */
export class MediaFiles {
  constructor(
    private readonly db: Database.Database,
    private readonly coversDir: string,
  ) {}

  resolve(kind: MediaKind, trackId: number): MediaFile {
    return kind === 'track' ? this.track(trackId) : this.cover(trackId);
  }

  private track(trackId: number): MediaFile {
    const row = this.db
      .prepare(`SELECT t.path, t.status, f.path AS folder FROM tracks t LEFT JOIN library_folders f ON f.id = t.folder_id WHERE t.id = ?`)
      .get(trackId) as { path: string; status: string; folder: string | null } | undefined;
    if (!row) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
    if (row.status !== 'ok') throw new MixdeckError('not-found', `Track ${trackId} cannot be played: its file is ${row.status}.`);
    const folders = row.folder !== null ? [row.folder] : [];
    if (folders.length === 0) throw new MixdeckError('forbidden', `Track ${trackId} is not in any library folder.`);
    return this.checked(row.path, folders, `Track ${trackId}`);
  }

  private cover(trackId: number): MediaFile {
    const row = this.db.prepare('SELECT cover_file FROM tracks WHERE id = ?').get(trackId) as { cover_file: string | null } | undefined;
    if (!row) throw new MixdeckError('not-found', `There is no track ${trackId} in the library.`);
    if (row.cover_file === null) throw new MixdeckError('not-found', `Track ${trackId} has no cover art.`);
    if (!COVER_FILE.test(row.cover_file)) throw new MixdeckError('forbidden', `Track ${trackId}'s cover is not a file Mixdeck made.`);
    return this.checked(join(this.coversDir, row.cover_file), [this.coversDir], `The cover of track ${trackId}`);
  }

  private checked(path: string, allowedFolders: readonly string[], what: string): MediaFile {
    let real: string;
    try {
      real = realpathSync(resolve(path));
    } catch {
      throw new MixdeckError('not-found', `${what}: the file is no longer on disk.`);
    }
    const realFolders = allowedFolders.flatMap((folder) => {
      try {
        return [realpathSync(folder)];
      } catch {
        return [];
      }
    });
    if (!realFolders.some((folder) => isInside(folder, real))) {
      throw new MixdeckError('forbidden', `${what}: the file lies outside the library's folders, so it is not served.`);
    }
    const stats = statSync(real, { throwIfNoEntry: false });
    if (!stats?.isFile()) throw new MixdeckError('not-found', `${what}: not a regular file.`);
    return { path: real, contentType: contentTypeOfMedia(extname(real)), sizeBytes: stats.size, modifiedMs: stats.mtimeMs };
  }
}
