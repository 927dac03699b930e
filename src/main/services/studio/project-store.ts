import { appendFileSync, closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
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
const HEADER_BYTES = 4;
/** Past this many records the log is rewritten as one merged update. */
const COMPACT_AFTER_RECORDS = 400;
const ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Takes recorded in the page, one WAV file each, inside the project's folder. */
const TAKES_DIR = 'takes';

/**
 * Studio projects on disk: one folder per project under `<dataDir>/studio/projects/<id>/` with
 * `project.json` (name, dates, share settings) and `updates.log`, an append-only log of Yjs
 * updates (4-byte little-endian length, then the update).
 *
 * Crash safety: every update is written to the file as it arrives (a killed process loses
 * nothing the kernel has), and the file is fdatasync'ed at most `syncIntervalMs` later (a power
 * cut loses at most that much; 1 s by default). A record torn by a crash mid-write is dropped
 * on load. Compaction writes the merged state to a temporary file, syncs it and renames it over
 * the log, so there is never a moment without a complete log.
 */
export class ProjectStore {
  readonly rootDir: string;
  private readonly syncIntervalMs: number;
  private readonly open = new Map<string, { fd: number; records: number; dirty: boolean }>();
  private syncTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(options: { dataDir: string; syncIntervalMs?: number; now?: () => number }) {
    this.rootDir = join(options.dataDir, 'studio', 'projects');
    this.syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    mkdirSync(this.rootDir, { recursive: true });
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
    mkdirSync(folder, { recursive: true });
    const info: ProjectInfo = { id, name: cleanName(name), createdAt: this.now(), updatedAt: this.now(), share: null };
    writeFileSync(join(folder, LOG_FILE), new Uint8Array(0));
    this.writeInfo(info);
    if (initialState && initialState.length > 0) this.append(id, initialState);
    return info;
  }

  info(id: string): ProjectInfo {
    const path = join(this.folder(id), INFO_FILE);
    if (!existsSync(path)) throw new MixdeckError('not-found', `There is no studio project with id ${id}.`);
    return JSON.parse(readFileSync(path, 'utf8')) as ProjectInfo;
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
    this.closeLog(id);
    rmSync(this.folder(id), { recursive: true, force: true });
  }

  /** Appends one Yjs update (validated as one first, so a bad update never reaches the log). */
  append(id: string, update: Uint8Array): void {
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new MixdeckError('invalid-input', 'That is not a Yjs update; nothing was saved.');
    }
    const log = this.logFor(id);
    const header = new Uint8Array(HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, update.length, true);
    // One write for header and payload, so a crash tears at most this record.
    const record = new Uint8Array(HEADER_BYTES + update.length);
    record.set(header, 0);
    record.set(update, HEADER_BYTES);
    writeSync(log.fd, record);
    log.records += 1;
    log.dirty = true;
    this.scheduleSync();
    if (log.records > COMPACT_AFTER_RECORDS) this.compact(id);
  }

  /** The project's whole state as one Yjs update (records torn by a crash are dropped). */
  readState(id: string): Uint8Array {
    this.info(id);
    const updates = readLog(join(this.folder(id), LOG_FILE));
    return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
  }

  /** Rewrites the log as one merged update, atomically. */
  compact(id: string): void {
    const state = this.readState(id);
    this.closeLog(id);
    const path = join(this.folder(id), LOG_FILE);
    const temporary = `${path}.tmp`;
    const header = new Uint8Array(HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, state.length, true);
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, header);
      writeSync(fd, state);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
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
    this.flush();
    for (const id of [...this.open.keys()]) this.closeLog(id);
  }

  /** Touches `updatedAt` (at most every few seconds would do; info writes are small). */
  touch(id: string): void {
    const info = this.info(id);
    if (this.now() - info.updatedAt > 5000) this.writeInfo({ ...info, updatedAt: this.now() });
  }

  /**
   * Appends one piece of a take recorded in the page to `takes/<takeId>.wav.part` in the
   * project's folder. Pieces must come in order: a piece at the wrong offset is refused with the
   * offset expected, so a lost message can never leave a hole in the recording.
   */
  appendTake(id: string, takeId: string, offsetBytes: number, bytes: Uint8Array, maxBytes: number): number {
    const partPath = this.partPath(id, takeId);
    mkdirSync(join(this.folder(id), TAKES_DIR), { recursive: true });
    const size = existsSync(partPath) ? statSync(partPath).size : 0;
    if (offsetBytes !== size) throw new MixdeckError('conflict', `The take has ${size} bytes so far; a piece at byte ${offsetBytes} does not follow on.`);
    if (size + bytes.byteLength > maxBytes) throw new MixdeckError('invalid-input', `A take cannot be longer than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    appendFileSync(partPath, bytes);
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
    writeFileSync(`${path}.tmp`, JSON.stringify(info, null, 2));
    renameSync(`${path}.tmp`, path);
  }

  private logFor(id: string): { fd: number; records: number; dirty: boolean } {
    let log = this.open.get(id);
    if (!log) {
      this.info(id);
      const path = join(this.folder(id), LOG_FILE);
      const records = readLog(path, true).length;
      log = { fd: openSync(path, 'a'), records, dirty: false };
      this.open.set(id, log);
    }
    return log;
  }

  private closeLog(id: string): void {
    const log = this.open.get(id);
    if (!log) return;
    if (log.dirty) fdatasyncSync(log.fd);
    closeSync(log.fd);
    this.open.delete(id);
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.flush();
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim().slice(0, 200);
  if (trimmed.length === 0) throw new MixdeckError('invalid-input', 'A project needs a name.');
  return trimmed;
}

/** Reads the records of a log; a torn last record is cut off the file when `repairTail`. */
function readLog(path: string, repairTail = false): Uint8Array[] {
  if (!existsSync(path)) return [];
  const bytes = new Uint8Array(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const updates: Uint8Array[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = view.getUint32(offset, true);
    if (offset + HEADER_BYTES + length > bytes.length) break;
    const update = bytes.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    try {
      Y.decodeUpdate(update);
    } catch {
      break;
    }
    updates.push(update);
    offset += HEADER_BYTES + length;
  }
  if (repairTail && offset < bytes.length) {
    // A crash mid-write left a partial record: drop it so new records follow whole ones.
    truncateSync(path, offset);
  }
  return updates;
}
