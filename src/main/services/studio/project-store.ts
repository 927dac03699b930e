import { closeSync, existsSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as Y from 'yjs';
import { MixdeckError } from '../../../shared/contract';

export interface ShareSettings {
  serverUrl: string;
  room: string;
}

export interface ProjectInfo {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  share: ShareSettings | null;
}

const LOG_FILE = 'updates.log';
const INFO_FILE = 'project.json';
/** Every record starts with these bytes, so a reader can find the next record after a torn one. */
const RECORD_MAGIC = new Uint8Array([0x4d, 0x44, 0x4b, 0x52]); // "MDKR"
/** Magic, payload length (u32 LE), CRC-32 (zlib's) of the payload (u32 LE). */
const RECORD_HEADER_BYTES = 12;
/** Before records had a magic and a checksum: a 4-byte length, then the update. */
const LEGACY_HEADER_BYTES = 4;
/** No single Yjs update the page sends comes near this; a larger length is a damaged header. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** Past this many records the log is rewritten as one merged update. */
const COMPACT_AFTER_RECORDS = 400;
const ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Takes recorded in the page, one WAV file each, inside the project's folder. */
const TAKES_DIR = 'takes';
const PRIVATE_FILE = 0o600;
const PRIVATE_FOLDER = 0o700;

interface OpenLog {
  fd: number;
  /** Bytes of whole records in the file: where the next record goes, and where a failed one is cut back to. */
  sizeBytes: number;
  records: number;
  dirty: boolean;
}

/**
 * Studio projects on disk: one folder per project under `<dataDir>/studio/projects/<id>/` with
 * `project.json` (name, dates, share settings) and `updates.log`, an append-only log of Yjs
 * updates. Each record is `MDKR`, the payload's length and CRC-32, then the update.
 *
 * Durability: a record is written whole or cut back off the file before append() returns, so
 * a write that fails (a full disk) is never confirmed and never leaves a torn record that later
 * records would land behind. A record torn anyway (a kill or power cut mid-write) is found on
 * open by its length and checksum; the reader then looks for the next magic, so whole records
 * after a torn one are kept, and the log is rewritten without the torn bytes. `durable` appends
 * (what the page's saves use) are fdatasync'ed before they are confirmed; others within
 * `syncIntervalMs`. Compaction writes the merged state to a temporary file, syncs it and renames
 * it over the log, so there is never a moment without a complete log. Files are 0600, folders 0700.
 */
export class ProjectStore {
  readonly rootDir: string;
  private readonly syncIntervalMs: number;
  private readonly open = new Map<string, OpenLog>();
  private syncTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(options: { dataDir: string; syncIntervalMs?: number; now?: () => number }) {
    this.rootDir = join(options.dataDir, 'studio', 'projects');
    this.syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    mkdirSync(this.rootDir, { recursive: true, mode: PRIVATE_FOLDER });
  }

  list(): ProjectInfo[] {
    const infos: ProjectInfo[] = [];
    for (const entry of readdirSync(this.rootDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !ID_PATTERN.test(entry.name)) continue;
      try {
        infos.push(this.info(entry.name));
      } catch {
        // A folder without a readable project.json is not a project (e.g. half-deleted).
      }
    }
    return infos.sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
  }

  /** Creates a project; `initialState` is a Yjs update (e.g. from StudioProject.create().encode()). */
  create(name: string, initialState?: Uint8Array): ProjectInfo {
    const id = randomUUID();
    const folder = this.folder(id);
    const info: ProjectInfo = { id, name: cleanName(name), createdAt: this.now(), updatedAt: this.now(), share: null };
    try {
      mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER });
      writeFileSync(join(folder, LOG_FILE), new Uint8Array(0), { mode: PRIVATE_FILE });
      this.writeInfo(info);
      if (initialState && initialState.length > 0) this.append(id, initialState, { durable: true });
    } catch (error) {
      // A project that could not be made whole is not left half-made.
      this.closeLog(id, { sync: false });
      rmSync(folder, { recursive: true, force: true });
      throw storageError(error, `The project "${info.name}" could not be created`);
    }
    return info;
  }

  info(id: string): ProjectInfo {
    const path = join(this.folder(id), INFO_FILE);
    if (!existsSync(path)) throw new MixdeckError('not-found', `There is no studio project with id ${id}.`);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as ProjectInfo;
    } catch (error) {
      throw storageError(error, `The project ${id} could not be read`);
    }
  }

  rename(id: string, name: string): ProjectInfo {
    const info = { ...this.info(id), name: cleanName(name), updatedAt: this.now() };
    this.writeInfo(info);
    return info;
  }

  setShare(id: string, share: ShareSettings | null): ProjectInfo {
    const info = { ...this.info(id), share, updatedAt: this.now() };
    this.writeInfo(info);
    return info;
  }

  delete(id: string): void {
    this.info(id);
    this.closeLog(id, { sync: false });
    rmSync(this.folder(id), { recursive: true, force: true });
  }

  /**
   * Appends one Yjs update (validated as one first, so a bad update never reaches the log).
   * Returns only once the whole record is in the file (and on the disk when `durable`); when the
   * write fails, the partial record is cut back off and the error says why in words.
   */
  append(id: string, update: Uint8Array, options: { durable?: boolean } = {}): void {
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new MixdeckError('invalid-input', 'That is not a Yjs update; nothing was saved.');
    }
    const log = this.logFor(id);
    const record = encodeRecord(update);
    try {
      writeWhole(log.fd, record, log.sizeBytes);
      if (options.durable) fdatasyncSync(log.fd);
    } catch (error) {
      this.cutBack(id, log);
      throw storageError(error, 'The edit could not be saved');
    }
    log.sizeBytes += record.length;
    log.records += 1;
    log.dirty = !options.durable;
    if (log.dirty) this.scheduleSync();
    if (log.records > COMPACT_AFTER_RECORDS) {
      try {
        this.compact(id);
      } catch {
        // The record above is whole and on disk; compaction is tried again after the next one.
      }
    }
  }

  /** The project's whole state as one Yjs update (records torn by a crash are dropped). */
  readState(id: string): Uint8Array {
    this.info(id);
    const updates = readLogFile(join(this.folder(id), LOG_FILE)).updates;
    return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
  }

  /** Rewrites the log as one merged update, atomically (the old log stays if this fails). */
  compact(id: string): void {
    const state = this.readState(id);
    this.closeLog(id);
    replaceLog(join(this.folder(id), LOG_FILE), [state]);
  }

  /** Flushes every open log to disk now. */
  flush(): void {
    for (const log of this.open.values()) {
      if (log.dirty) fdatasyncSync(log.fd);
      log.dirty = false;
    }
  }

  close(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    for (const id of [...this.open.keys()]) this.closeLog(id);
  }

  /** Touches `updatedAt` (at most every few seconds would do; info writes are small). */
  touch(id: string): void {
    const info = this.info(id);
    if (this.now() - info.updatedAt <= 5000) return;
    try {
      this.writeInfo({ ...info, updatedAt: this.now() });
    } catch {
      // The date in the list is a nicety; the edit it follows is already saved.
    }
  }

  /**
   * Appends one piece of a take recorded in the page to `takes/<takeId>.wav.part` in the
   * project's folder. Pieces must come in order: a piece at the wrong offset is refused with the
   * offset expected, so a lost message can never leave a hole in the recording.
   */
  appendTake(id: string, takeId: string, offsetBytes: number, bytes: Uint8Array, maxBytes: number): number {
    const partPath = this.partPath(id, takeId);
    mkdirSync(join(this.folder(id), TAKES_DIR), { recursive: true, mode: PRIVATE_FOLDER });
    const size = existsSync(partPath) ? statSync(partPath).size : 0;
    if (offsetBytes !== size) throw new MixdeckError('conflict', `The take has ${size} bytes so far; a piece at byte ${offsetBytes} does not follow on.`);
    if (size + bytes.byteLength > maxBytes) throw new MixdeckError('invalid-input', `A take cannot be longer than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    const fd = openSync(partPath, 'a', PRIVATE_FILE);
    try {
      writeWhole(fd, bytes, size);
    } catch (error) {
      // Cut the piece back off, so the page can send it again at the same offset.
      try {
        ftruncateSync(fd, size);
      } catch {
        // Nothing more to do: the offset check refuses a resend that does not follow on.
      }
      throw storageError(error, 'The recorded take could not be saved');
    } finally {
      closeSync(fd);
    }
    return size + bytes.byteLength;
  }

  /** Makes the finished take's file whole (fsynced, renamed from .part); answers its path. */
  finishTake(id: string, takeId: string, format: string): string {
    if (!/^[a-z0-9]{1,5}$/.test(format)) throw new MixdeckError('invalid-input', `"${format}" is not an audio file format.`);
    const partPath = this.partPath(id, takeId);
    const path = join(this.folder(id), TAKES_DIR, `${takeId}.${format}`);
    if (!existsSync(partPath)) throw new MixdeckError('not-found', `No recorded take "${takeId}" is waiting in this project.`);
    const fd = openSync(partPath, 'r+');
    try {
      fsyncSync(fd);
    } catch (error) {
      throw storageError(error, 'The recorded take could not be saved');
    } finally {
      closeSync(fd);
    }
    renameSync(partPath, path);
    return path;
  }

  /** Drops a take that could not be kept (a broken upload), so nothing half-written stays. */
  discardTake(path: string): void {
    rmSync(path, { force: true });
  }

  private partPath(id: string, takeId: string): string {
    if (!ID_PATTERN.test(takeId)) throw new MixdeckError('invalid-input', `"${takeId}" is not a take id.`);
    return join(this.folder(id), TAKES_DIR, `${takeId}.part`);
  }

  private folder(id: string): string {
    if (!ID_PATTERN.test(id)) throw new MixdeckError('invalid-input', `"${id}" is not a studio project id.`);
    return join(this.rootDir, id);
  }

  private writeInfo(info: ProjectInfo): void {
    const path = join(this.folder(info.id), INFO_FILE);
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(info, null, 2), { mode: PRIVATE_FILE });
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      rmSync(`${path}.tmp`, { force: true });
      throw storageError(error, `The project "${info.name}" could not be saved`);
    }
  }

  private logFor(id: string): OpenLog {
    let log = this.open.get(id);
    if (!log) {
      this.info(id);
      const path = join(this.folder(id), LOG_FILE);
      const read = readLogFile(path);
      // A torn record (or a log in the old framing) is cut off now, before anything lands behind it.
      if (read.tornBytes > 0 || read.legacy) {
        try {
          replaceLog(path, read.updates);
        } catch (error) {
          throw storageError(error, 'The project could not be repaired after an interrupted save');
        }
      }
      const fd = openSync(path, 'a', PRIVATE_FILE);
      log = { fd, sizeBytes: fstatSync(fd).size, records: read.updates.length, dirty: false };
      this.open.set(id, log);
    }
    return log;
  }

  /** After a failed write: cut the partial record off, or, if even that fails, reopen (and repair) next time. */
  private cutBack(id: string, log: OpenLog): void {
    try {
      ftruncateSync(log.fd, log.sizeBytes);
    } catch {
      this.closeLog(id, { sync: false });
    }
  }

  private closeLog(id: string, options: { sync?: boolean } = {}): void {
    const log = this.open.get(id);
    if (!log) return;
    this.open.delete(id);
    try {
      if (log.dirty && options.sync !== false) fdatasyncSync(log.fd);
    } finally {
      closeSync(log.fd);
    }
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      try {
        this.flush();
      } catch {
        // A failed background sync is retried by the next close or durable append.
      }
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim().slice(0, 200);
  if (trimmed.length === 0) throw new MixdeckError('invalid-input', 'A project needs a name.');
  return trimmed;
}

/** What a failed file operation means for the user, in words (a full disk above all). */
export function storageError(error: unknown, action: string): MixdeckError {
  if (error instanceof MixdeckError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new MixdeckError('unavailable', `The disk holding your projects is full (${action.toLowerCase()}). Free some space on it: edits that could not be saved stay in the studio and are saved as soon as there is room.`);
    case 'EROFS':
      return new MixdeckError('unavailable', `${action}: the disk holding your projects is read-only.`);
    case 'EACCES':
    case 'EPERM':
      return new MixdeckError('forbidden', `${action}: Mixdeck is not allowed to write to the folder holding your projects.`);
    case 'EIO':
      return new MixdeckError('unavailable', `${action}: the disk holding your projects reported an error while writing.`);
    case 'EMFILE':
    case 'ENFILE':
      return new MixdeckError('unavailable', `${action}: too many files are open right now; it will be tried again.`);
    default:
      return new MixdeckError('unavailable', `${action}: the disk refused the write${code ? ` (${code})` : ''}.`);
  }
}

/** Writes all of `bytes` at `position`, however many calls the kernel needs. */
function writeWhole(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    const count = writeSync(fd, bytes, written, bytes.length - written, position + written);
    if (count <= 0) throw Object.assign(new Error('The disk accepted no bytes.'), { code: 'EIO' });
    written += count;
  }
}

function encodeRecord(update: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + update.length);
  const view = new DataView(record.buffer);
  record.set(RECORD_MAGIC, 0);
  view.setUint32(4, update.length, true);
  view.setUint32(8, crc32(update), true);
  record.set(update, RECORD_HEADER_BYTES);
  return record;
}

/** Writes `updates` as a new log beside the old one, syncs it and renames it over the old. */
function replaceLog(path: string, updates: readonly Uint8Array[]): void {
  const temporary = `${path}.tmp`;
  let fd: number | null = null;
  try {
    fd = openSync(temporary, 'w', PRIVATE_FILE);
    let position = 0;
    for (const update of updates) {
      const record = encodeRecord(update);
      writeWhole(fd, record, position);
      position += record.length;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform syncs a folder (Windows); the rename itself is still atomic there.
  }
}

export interface LogContents {
  readonly updates: Uint8Array[];
  /** Bytes that belonged to no whole record (a torn write), skipped. */
  readonly tornBytes: number;
  /** The log is in the framing before magic and checksum. */
  readonly legacy: boolean;
}

function readLogFile(path: string): LogContents {
  if (!existsSync(path)) return { updates: [], tornBytes: 0, legacy: false };
  return readLog(new Uint8Array(readFileSync(path)));
}

/**
 * Reads a log's records. A record counts when its magic, length, checksum and Yjs decoding all
 * agree; anything else is torn, and reading goes on at the next magic, so whole records after a
 * torn one are kept.
 */
export function readLog(bytes: Uint8Array): LogContents {
  if (bytes.length === 0 || startsWithMagic(bytes, 0)) return readFramedLog(bytes);
  // An old log, or a new one whose first record is damaged: whichever reading keeps more wins.
  const legacy = readLegacyLog(bytes);
  const framed = readFramedLog(bytes);
  return framed.updates.length > legacy.updates.length ? framed : legacy;
}

function readFramedLog(bytes: Uint8Array): LogContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const updates: Uint8Array[] = [];
  let tornBytes = 0;
  let offset = 0;
  while (offset < bytes.length) {
    const update = recordAt(bytes, view, offset);
    if (update) {
      updates.push(update);
      offset += RECORD_HEADER_BYTES + update.length;
      continue;
    }
    const next = nextMagic(bytes, offset + 1);
    tornBytes += next - offset;
    offset = next;
  }
  return { updates, tornBytes, legacy: false };
}

function recordAt(bytes: Uint8Array, view: DataView, offset: number): Uint8Array | null {
  if (offset + RECORD_HEADER_BYTES > bytes.length || !startsWithMagic(bytes, offset)) return null;
  const length = view.getUint32(offset + 4, true);
  if (length > MAX_RECORD_BYTES || offset + RECORD_HEADER_BYTES + length > bytes.length) return null;
  const update = bytes.subarray(offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + length);
  if (crc32(update) !== view.getUint32(offset + 8, true)) return null;
  try {
    Y.decodeUpdate(update);
  } catch {
    return null;
  }
  return update;
}

function startsWithMagic(bytes: Uint8Array, offset: number): boolean {
  if (offset + RECORD_MAGIC.length > bytes.length) return false;
  for (let index = 0; index < RECORD_MAGIC.length; index += 1) if (bytes[offset + index] !== RECORD_MAGIC[index]) return false;
  return true;
}

function nextMagic(bytes: Uint8Array, from: number): number {
  const found = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(Buffer.from(RECORD_MAGIC), from);
  return found < 0 ? bytes.length : found;
}

/** The old framing (4-byte length, then the update): read up to the first record that does not hold up. */
function readLegacyLog(bytes: Uint8Array): LogContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const updates: Uint8Array[] = [];
  let offset = 0;
  while (offset + LEGACY_HEADER_BYTES <= bytes.length) {
    const length = view.getUint32(offset, true);
    if (offset + LEGACY_HEADER_BYTES + length > bytes.length) break;
    const update = bytes.subarray(offset + LEGACY_HEADER_BYTES, offset + LEGACY_HEADER_BYTES + length);
    try {
      Y.decodeUpdate(update);
    } catch {
      break;
    }
    updates.push(update);
    offset += LEGACY_HEADER_BYTES + length;
  }
  return { updates, tornBytes: bytes.length - offset, legacy: true };
}
