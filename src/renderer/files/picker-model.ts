import type { BrowseEntry, PickKind } from '../../shared/contract';

/** Lowercase extensions without the dot: ["m3u8", "m3u"]. */
export type Extensions = readonly string[];

/** Whether an entry can be chosen for this kind of pick (folders are always shown, to walk into). */
export function isChoosable(entry: BrowseEntry, kind: PickKind, accept?: Extensions): boolean {
  if (entry.kind !== kind) return false;
  if (kind === 'folder' || !accept || accept.length === 0) return true;
  const dot = entry.name.lastIndexOf('.');
  return dot > 0 && accept.includes(entry.name.slice(dot + 1).toLowerCase());
}

/** The entries worth showing: every folder, and the files a file pick could choose. */
export function visibleEntries(entries: readonly BrowseEntry[], kind: PickKind, accept?: Extensions): BrowseEntry[] {
  return entries.filter((entry) => entry.kind === 'folder' || (kind === 'file' && isChoosable(entry, kind, accept)));
}

/** "4.2 MB", "812 KB", "12 bytes". */
export function formatSize(sizeBytes: number | null): string {
  if (sizeBytes === null) return '';
  if (sizeBytes < 1024) return `${sizeBytes} byte${sizeBytes === 1 ? '' : 's'}`;
  if (sizeBytes < 1024 * 1024) return `${Math.round(sizeBytes / 1024)} KB`;
  if (sizeBytes < 1024 * 1024 * 1024) return `${(sizeBytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(sizeBytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** A file name typed into a picked folder: the full path, or why the name cannot be used. */
export function pathInFolder(folder: string, fileName: string): { path: string } | { problem: string } {
  const name = fileName.trim();
  if (name === '') return { problem: 'Give the file a name.' };
  if (/[\\/]/.test(name)) return { problem: 'A file name cannot contain / or \\; choose the folder with the picker.' };
  if (name.startsWith('.')) return { problem: 'A file name cannot start with a dot.' };
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return { path: folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}` };
}

/** The last part of a path, for short labels. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
