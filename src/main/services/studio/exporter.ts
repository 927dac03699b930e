import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { MixdeckError } from '../../../shared/contract';
import type { Project } from '../../../shared/studio';
import { encodeWav } from '../../../audio-engine/studio/wav';

export const EXPORT_FORMATS = ['wav', 'flac', 'mp3'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderedPcm {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
}

/** The engine's offline render, handed in by whoever wires the service (CLI, capability). */
export type ProjectRenderer = (project: Project, options: { sampleRate: number; onlyTrackIds?: readonly string[] }) => Promise<RenderedPcm>;

export interface ExportProgress {
  /** 'render' (the mix or a stem), 'encode', 'done'. */
  readonly stage: 'render' | 'encode' | 'done';
  /** 0…1 over the whole export. */
  readonly fraction: number;
  /** The file being written. */
  readonly file: string;
}

export interface ExportRequest {
  readonly project: Project;
  /** The mix's file; stems go beside it as `<name>-<track>.<ext>`. */
  readonly outPath: string;
  readonly format?: ExportFormat;
  readonly bits?: 16 | 24;
  readonly sampleRate?: number;
  readonly stems?: boolean;
  /** MP3 bit rate (kbit/s). */
  readonly mp3BitrateKbps?: number;
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Checks every file before anything is rendered (may it be written, may it be replaced); throws to refuse. */
  readonly checkTarget?: (path: string) => void;
}

export interface ExportResult {
  readonly files: { path: string; trackId: string | null; durationSec: number }[];
}

/**
 * Exports a project: the mix (and, when asked, one stem per non-bus track) rendered by the
 * engine, written as 16/24-bit WAV directly, or through ffmpeg to FLAC or MP3. Outputs are
 * bit-exact (no encoder tags), so the same project exports to the same bytes.
 *
 * Every file is written to a hidden temporary file in its target folder and renamed over the
 * target only once it is whole, so an export that fails or is killed leaves the old file as it
 * was. ffmpeg reads the WAV from a pipe: when this process dies, the pipe closes and ffmpeg ends
 * (no orphan). A temporary file left by a killed process is removed by the next export into that
 * folder (its name carries the writer's pid), and by this process's exit otherwise.
 */
export class ProjectExporter {
  constructor(private readonly deps: { render: ProjectRenderer; ffmpegPath: string }) {}

  async export(request: ExportRequest): Promise<ExportResult> {
    const format = request.format ?? formatFromPath(request.outPath);
    const bits = request.bits ?? 24;
    const sampleRate = request.sampleRate ?? 48_000;
    const jobs: { trackId: string | null; path: string }[] = [{ trackId: null, path: request.outPath }];
    if (request.stems) {
      const base = request.outPath.slice(0, request.outPath.length - extname(request.outPath).length);
      const used = new Set<string>();
      for (const track of request.project.tracks) {
        if (track.kind === 'bus') continue;
        let name = safeFileName(track.name) || 'track';
        while (used.has(name)) name = `${name}-${track.id.slice(-4)}`;
        used.add(name);
        jobs.push({ trackId: track.id, path: `${base}-${name}.${format}` });
      }
    }
    for (const job of jobs) request.checkTarget?.(job.path);
    const folder = dirname(request.outPath);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw exportFileError(error, request.outPath);
    }
    removeAbandonedTemporaries(folder);
    const files: ExportResult['files'] = [];
    const step = 1 / jobs.length;
    for (const [index, job] of jobs.entries()) {
      request.onProgress?.({ stage: 'render', fraction: index * step, file: job.path });
      const audio = await this.deps.render(request.project, { sampleRate, ...(job.trackId ? { onlyTrackIds: [job.trackId] } : {}) });
      const wav = encodeWav(audio.channels, audio.sampleRate, bits);
      const durationSec = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      const temporary = temporaryPathFor(job.path);
      liveTemporaries.add(temporary);
      try {
        if (format === 'wav') writeFileSync(temporary, wav);
        else {
          await this.encode(wav, temporary, format, bits, request.mp3BitrateKbps ?? 320, durationSec, (encoded) =>
            request.onProgress?.({ stage: 'encode', fraction: (index + 0.5 + 0.5 * encoded) * step, file: job.path }),
          );
        }
        syncWholeFile(temporary);
        renameSync(temporary, job.path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw exportFileError(error, job.path);
      } finally {
        liveTemporaries.delete(temporary);
      }
      files.push({ path: job.path, trackId: job.trackId, durationSec });
    }
    request.onProgress?.({ stage: 'done', fraction: 1, file: request.outPath });
    return { files };
  }

  /** Encodes the WAV bytes (fed on ffmpeg's stdin) into `output`. */
  private encode(wav: Uint8Array, output: string, format: 'flac' | 'mp3', bits: 16 | 24, bitrateKbps: number, durationSec: number, onFraction: (fraction: number) => void): Promise<void> {
    const codec = format === 'flac' ? ['-c:a', 'flac', '-sample_fmt', bits === 24 ? 's32' : 's16', ...(bits === 24 ? ['-bits_per_raw_sample', '24'] : [])] : ['-c:a', 'libmp3lame', '-b:a', `${bitrateKbps}k`];
    const args = ['-hide_banner', '-y', '-f', 'wav', '-i', 'pipe:0', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', ...codec, '-progress', 'pipe:1', '-nostats', '-f', format, output];
    return new Promise((resolve, reject) => {
      const child = spawn(this.deps.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/out_time_us=(\d+)/g)) onFraction(Math.min(1, Number(match[1]) / 1e6 / Math.max(0.001, durationSec)));
      });
      // ffmpeg that stops early closes its stdin; its exit code and stderr tell why.
      child.stdin.on('error', () => undefined);
      child.stdin.end(wav);
      child.on('error', (error) => reject(new MixdeckError('unavailable', `ffmpeg could not start: ${error.message}`)));
      child.on('close', (code) => {
        // ffmpeg exits 0 when only its last flush or close fails (seen on a full disk: a 0-byte file), so its errors count too.
        if (/No space left on device/i.test(stderr)) reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
        else if (code === 0 && !/Error (writing|closing)/i.test(stderr)) resolve();
        else reject(new MixdeckError('unavailable', `ffmpeg could not write ${format.toUpperCase()}: ${stderr.trim().split('\n').pop() ?? `exit code ${code}`}`));
      });
    });
  }
}

const TEMPORARY_SUFFIX = '.mixdeck-export';
const TEMPORARY_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.mixdeck-export$/;
/** Temporary files this process is writing now: removed if it exits mid-export. */
const liveTemporaries = new Set<string>();
process.once('exit', () => {
  for (const path of liveTemporaries) rmSync(path, { force: true });
});

/** Syncs the finished file (a disk that defers allocation reports a full disk here) and refuses an empty one. */
function syncWholeFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
    if (fstatSync(fd).size === 0) throw new MixdeckError('unavailable', `${basename(path)} came out empty; the older file was kept.`);
  } finally {
    closeSync(fd);
  }
}

/** `.<name>.<pid>.<random>.mixdeck-export` beside the target: same folder, so the rename is atomic. */
function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMPORARY_SUFFIX}`);
}

/** Removes temporary files whose writer is gone (killed mid-export). */
function removeAbandonedTemporaries(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMPORARY_NAME.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    rmSync(join(folder, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A failed export file, in words. */
function exportFileError(error: unknown, path: string): MixdeckError {
  if (error instanceof MixdeckError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const folder = dirname(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new MixdeckError('unavailable', `The disk holding ${folder} is full; ${basename(path)} was not written (an older file of that name is unchanged).`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new MixdeckError('forbidden', `Mixdeck may not write to ${folder}; choose another folder for the export.`);
    case 'ENOTDIR':
    case 'EISDIR':
      return new MixdeckError('invalid-input', `${path} cannot be written: part of that path is not a folder, or it is a folder.`);
    default:
      return new MixdeckError('unavailable', `${basename(path)} could not be written to ${folder}${code ? ` (${code})` : ''}.`);
  }
}

export function formatFromPath(path: string): ExportFormat {
  const extension = extname(path).slice(1).toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(extension)) return extension as ExportFormat;
  throw new MixdeckError('invalid-input', `Export to .wav, .flac or .mp3; "${path}" has none of those extensions.`);
}

function safeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 60);
}

