import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { MixdeckError } from '../../../shared/contract';

export type GrantAccess = 'read' | 'write';
export type GrantKind = 'file' | 'folder';

interface Grant {
  /** The path as resolved, and its real path (symlinks followed) when it exists. */
  readonly paths: readonly string[];
  readonly kind: GrantKind;
  readonly access: GrantAccess;
}

/** True when `path` is `root` or lies below it (both resolved). */
export const inside = (path: string, root: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** The real path (symlinks followed), or null when it does not exist. */
export function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Both spellings of a root: as given (resolved) and with its symlinks followed. */
function spellings(path: string): string[] {
  const resolved = resolve(path);
  const real = realOrNull(resolved);
  return real && real !== resolved ? [resolved, real] : [resolved];
}

/** An absolute path from the page, or a refusal in words (no `~`, nothing relative). */
export function absolutePathOf(path: string, what: string): string {
  if (path.startsWith('~')) throw new MixdeckError('invalid-input', `${what}: Mixdeck does not expand "~"; choose it with the picker instead.`);
  if (!isAbsolute(path)) throw new MixdeckError('invalid-input', `${what}: "${path}" is not a full path; choose it with the picker instead.`);
  return resolve(path);
}

const hasHiddenName = (path: string): boolean => basename(path).startsWith('.');

/**
 * What this run of the app may read and write on the page's say-so. The page never names an
 * arbitrary file: reading is allowed inside the read roots (library, song and project folders)
 * or a file or folder the user picked in this session; writing only into a folder the user
 * chose for writing, and never over an existing file without `overwrite`.
 * Grants live in memory only: the next run starts with none.
 */
export class PathGrants {
  private readonly grants: Grant[] = [];
  private readonly readRootSources: (() => Iterable<string>)[] = [];

  /**
   * Adds folders the app reads from because the user chose them before (library folders, karaoke
   * song folders) or because the app made them (studio project folders). Asked on every check,
   * so a folder added or removed counts at once.
   */
  addReadRoots(source: () => Iterable<string>): void {
    this.readRootSources.push(source);
  }

  /** Remembers a path the user picked (native dialog or main's folder browser). */
  grant(path: string, kind: GrantKind, access: GrantAccess): void {
    this.grants.push({ paths: spellings(path), kind, access });
  }

  /** Forgets every grant (tests; a new session). */
  clear(): void {
    this.grants.length = 0;
  }

  /** True when `path` may be read now (lexically and, when it exists, by its real path). */
  canRead(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const resolved = resolve(path);
    const roots = this.readableRoots();
    if (!roots.some((root) => root.covers(resolved))) return false;
    const real = realOrNull(resolved);
    return real === null || roots.some((root) => root.covers(real));
  }

  /** True when `path` is inside a folder the user chose for writing (lexically and by its real path). */
  canWrite(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const resolved = resolve(path);
    const real = realOrNull(resolved);
    const writeRoots = this.grants.filter((grant) => grant.access === 'write' && grant.kind === 'folder');
    const covered = (candidate: string): boolean => writeRoots.some((grant) => grant.paths.some((root) => inside(candidate, root)));
    return covered(resolved) && (real === null || covered(real));
  }

  /** The real path of a file the page may read, or a refusal in words. */
  readableFile(path: string, what: string): string {
    const real = this.readable(path, what);
    if (!statSync(real).isFile()) throw new MixdeckError('invalid-input', `${what}: "${path}" is a folder, not a file.`);
    return real;
  }

  /** The real path of a folder the page may read, or a refusal in words. */
  readableFolder(path: string, what: string): string {
    const real = this.readable(path, what);
    if (!statSync(real).isDirectory()) throw new MixdeckError('invalid-input', `${what}: "${path}" is a file, not a folder.`);
    return real;
  }

  /** A folder the user chose for writing (exports, recordings), by its real path, or a refusal. */
  writableFolder(path: string, what: string): string {
    const resolved = absolutePathOf(path, what);
    if (!this.canWrite(resolved)) {
      throw new MixdeckError('forbidden', `${what}: Mixdeck writes only into a folder you chose for it in this session; choose the folder with the picker.`);
    }
    const real = realOrNull(resolved);
    if (real === null) throw new MixdeckError('not-found', `${what}: the folder "${path}" does not exist.`);
    if (!statSync(real).isDirectory()) throw new MixdeckError('invalid-input', `${what}: "${path}" is a file, not a folder.`);
    return real;
  }

  /**
   * The path to write a new file at: its folder must be one the user chose for writing, its name
   * not hidden, and an existing file is replaced only with `overwrite` (which the page sends
   * only after asking). A symlink or a folder in the way is never replaced.
   */
  writableFile(path: string, what: string, overwrite: boolean): string {
    const resolved = absolutePathOf(path, what);
    const name = basename(resolved);
    if (name === '' || hasHiddenName(resolved)) throw new MixdeckError('invalid-input', `${what}: "${name}" is a hidden file name; choose a name that does not start with a dot.`);
    const folder = this.writableFolder(dirname(resolved), what);
    const target = join(folder, name);
    const existing = lstatOrNull(target);
    if (existing) {
      if (existing.isSymbolicLink()) throw new MixdeckError('forbidden', `${what}: "${name}" is a link to another file; Mixdeck does not write through links.`);
      if (!existing.isFile()) throw new MixdeckError('invalid-input', `${what}: "${name}" is a folder; choose another name.`);
      if (!overwrite) throw new MixdeckError('conflict', `${what}: "${name}" already exists in that folder; confirm to replace it, or choose another name.`);
    }
    return target;
  }

  private readable(path: string, what: string): string {
    const resolved = absolutePathOf(path, what);
    const refusal = `${what}: Mixdeck reads only your library, song and project folders, or a file or folder you picked in this session; "${path}" is none of these. Choose it with the picker.`;
    const roots = this.readableRoots();
    // The lexical check first: a refused path is never touched on disk, so its existence is not revealed.
    if (!roots.some((root) => root.covers(resolved))) throw new MixdeckError('forbidden', refusal);
    const real = realOrNull(resolved);
    if (real === null) throw new MixdeckError('not-found', `${what}: "${path}" does not exist.`);
    if (!roots.some((root) => root.covers(real))) throw new MixdeckError('forbidden', `${what}: "${path}" links to a place outside the folders Mixdeck may read.`);
    return real;
  }

  private readableRoots(): { covers(path: string): boolean }[] {
    const roots: { covers(path: string): boolean }[] = [];
    for (const root of this.readRootSources.flatMap((source) => [...source()])) {
      const paths = spellings(root);
      roots.push({ covers: (path) => paths.some((candidate) => inside(path, candidate)) });
    }
    for (const grant of this.grants) {
      if (grant.access !== 'read') continue;
      roots.push({ covers: (path) => grant.paths.some((candidate) => (grant.kind === 'file' ? path === candidate : inside(path, candidate))) });
    }
    return roots;
  }
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
