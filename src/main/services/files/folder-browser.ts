import { existsSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MixdeckError } from '../../../shared/contract';
import { inside, realOrNull } from './path-grants';

export interface BrowseEntry {
  name: string;
  path: string;
  kind: 'file' | 'folder';
  sizeBytes: number | null;
}

export interface BrowseListing {
  path: string;
  /** The folder above, or null at the top of a root. */
  parent: string | null;
  entries: BrowseEntry[];
  /** True when the folder held more entries than one listing shows. */
  truncated: boolean;
}

export interface BrowseRoot {
  path: string;
  label: string;
}

export interface FolderBrowserOptions {
  /** The user's home folder (default: the OS's). */
  homeDir?: string;
  /** Where removable and network volumes are mounted (default /media, /mnt, /run/media, /Volumes). */
  volumeRoots?: readonly string[];
  maxEntries?: number;
}

const DEFAULT_VOLUME_ROOTS = ['/media', '/mnt', '/run/media', '/Volumes'];
const DEFAULT_MAX_ENTRIES = 2000;

/**
 * The web host's file and folder picker, served by main: it lists only the user's home and the
 * mounted volumes, never a hidden (dot) entry, and never follows a link out of them. Picking a
 * path through it is what grants the page access to that path (see PathGrants).
 */
export class FolderBrowser {
  private readonly homeDir: string;
  private readonly volumeRoots: readonly string[];
  private readonly maxEntries: number;

  constructor(options: FolderBrowserOptions = {}) {
    this.homeDir = resolve(options.homeDir ?? homedir());
    this.volumeRoots = (options.volumeRoots ?? DEFAULT_VOLUME_ROOTS).map((root) => resolve(root));
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** The places the browser starts from: home first, then each volume folder that exists. */
  roots(): BrowseRoot[] {
    const roots: BrowseRoot[] = [{ path: this.homeDir, label: 'Home' }];
    for (const root of this.volumeRoots) if (existsSync(root)) roots.push({ path: root, label: basename(root) === 'media' && dirname(root) === '/run' ? 'Removable media' : `Volumes (${root})` });
    return roots;
  }

  /** One folder's visible entries, folders first; `path` defaults to home. */
  async browse(path?: string): Promise<BrowseListing> {
    const folder = this.check(path ?? this.homeDir, 'folder');
    let dirents;
    try {
      dirents = await readdir(folder.real, { withFileTypes: true });
    } catch {
      throw new MixdeckError('forbidden', `Mixdeck cannot open "${folder.shown}"; it may not have permission to read it.`);
    }
    const entries: BrowseEntry[] = [];
    let truncated = false;
    for (const dirent of dirents) {
      if (dirent.name.startsWith('.')) continue;
      if (entries.length >= this.maxEntries) {
        truncated = true;
        break;
      }
      const entryPath = join(folder.shown, dirent.name);
      let kind: BrowseEntry['kind'] | null = dirent.isDirectory() ? 'folder' : dirent.isFile() ? 'file' : null;
      let sizeBytes: number | null = null;
      if (dirent.isSymbolicLink() || kind === 'file') {
        const target = realOrNull(join(folder.real, dirent.name));
        if (!target || !this.rootOf(target)) continue; // a link out of home and the volumes is not shown
        const stats = await stat(target).catch(() => null);
        if (!stats) continue;
        kind = stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : null;
        sizeBytes = stats.isFile() ? stats.size : null;
      }
      if (kind) entries.push({ name: dirent.name, path: entryPath, kind, sizeBytes });
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
    const top = this.rootOf(folder.real)!;
    return { path: folder.shown, parent: folder.real === top ? null : dirname(folder.shown), entries, truncated };
  }

  /** The real path of something the user picked, after the same checks as browsing; a refusal in words otherwise. */
  pickable(path: string, kind: 'file' | 'folder'): string {
    return this.check(path, kind).real;
  }

  private rootOf(realPath: string): string | null {
    for (const root of [this.homeDir, ...this.volumeRoots]) {
      const realRoot = realOrNull(root);
      if (realRoot && inside(realPath, realRoot)) return realRoot;
    }
    return null;
  }

  private check(path: string, kind: 'file' | 'folder'): { shown: string; real: string } {
    if (!isAbsolute(path)) throw new MixdeckError('invalid-input', `"${path}" is not a full path.`);
    const refusal = `The picker shows only your home folder and mounted volumes; "${path}" is outside them.`;
    const shown = resolve(path);
    const lexicalRoot = [this.homeDir, ...this.volumeRoots].find((root) => inside(shown, root));
    const realPath = realOrNull(shown);
    const realRoot = realPath ? this.rootOf(realPath) : null;
    // Either spelling may be under a root (home may itself be a link), but the real path decides.
    if (!lexicalRoot && !realRoot) throw new MixdeckError('forbidden', refusal);
    if (!realPath) throw new MixdeckError('not-found', `There is no "${path}".`);
    if (!realRoot) throw new MixdeckError('forbidden', `"${path}" links to a place outside your home folder and mounted volumes.`);
    const below = relative(realRoot, realPath);
    const lexicalBelow = lexicalRoot ? relative(lexicalRoot, shown) : '';
    if ([...below.split(sep), ...lexicalBelow.split(sep)].some((segment) => segment.startsWith('.') && segment !== '')) {
      throw new MixdeckError('forbidden', `The picker does not show hidden files and folders (names starting with a dot), such as "${path}".`);
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(realPath).isDirectory();
    } catch {
      throw new MixdeckError('not-found', `There is no "${path}".`);
    }
    if (kind === 'folder' && !isDirectory) throw new MixdeckError('invalid-input', `"${path}" is a file, not a folder.`);
    if (kind === 'file' && isDirectory) throw new MixdeckError('invalid-input', `"${path}" is a folder, not a file.`);
    return { shown: lexicalRoot ? shown : realPath, real: realPath };
  }
}

