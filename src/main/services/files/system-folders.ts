import { homedir } from 'node:os';
import { isAbsolute, posix, resolve, sep, win32 } from 'node:path';

/** Folders that hold the operating system; nothing under them is a music collection. */
const POSIX_SYSTEM_TREES = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/sys', '/dev', '/var', '/boot', '/snap', '/System', '/Library', '/private', '/Applications'];
/** Folders that hold other users' homes or every mounted volume: too wide to be one library. */
const POSIX_CONTAINERS = ['/', '/home', '/Users', '/media', '/mnt', '/run', '/run/media', '/tmp', '/opt', '/srv', '/Volumes'];

const WINDOWS_SYSTEM_TREES = ['\\Windows', '\\Program Files', '\\Program Files (x86)', '\\ProgramData'];

export interface SystemFolderOptions {
  platform?: NodeJS.Platform;
  homeDir?: string;
}

const within = (path: string, tree: string, separator: string): boolean => path === tree || path.startsWith(tree.endsWith(separator) ? tree : tree + separator);

/**
 * Why a folder cannot be a library (or song) folder, in words; null when it can.
 * Applies to the folder's real path, so a symlink to `/` is refused like `/` itself.
 * The home folder as a whole is refused too: it holds every program's settings and caches,
 * and watching it means watching hundreds of thousands of files that are not music.
 */
export function systemFolderReason(folder: string, options: SystemFolderOptions = {}): string | null {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    const path = win32.resolve(folder);
    const root = win32.parse(path).root;
    if (path === root || path + '\\' === root) return `"${folder}" is a whole drive; choose the folder your music is in.`;
    const rest = '\\' + path.slice(root.length);
    const tree = WINDOWS_SYSTEM_TREES.find((candidate) => within(rest.toLowerCase(), candidate.toLowerCase(), '\\'));
    if (tree) return `"${folder}" is a system folder (${tree}); choose the folder your music is in.`;
  } else {
    const path = posix.resolve(folder);
    if (path === '/') return 'The root folder "/" holds the whole system; choose the folder your music is in.';
    const tree = POSIX_SYSTEM_TREES.find((candidate) => within(path, candidate, '/'));
    if (tree) return `"${folder}" is a system folder (${tree} belongs to the operating system); choose the folder your music is in.`;
    if (POSIX_CONTAINERS.includes(path)) return `"${folder}" holds other users' or volumes' folders; choose the folder your music is in.`;
  }
  const home = options.homeDir ?? homedir();
  if (home && isAbsolute(folder) && stripTrailing(resolve(folder)) === stripTrailing(resolve(home))) {
    return `"${folder}" is your whole home folder, which holds every program's settings and caches; choose the folder your music is in, such as Music inside it.`;
  }
  return null;
}

const stripTrailing = (path: string): string => (path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path);
