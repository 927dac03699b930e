import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
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
}

export interface ExportResult {
  readonly files: { path: string; trackId: string | null; durationSec: number }[];
}

/**
 * Exports a project: the mix (and, when asked, one stem per non-bus track) rendered by the
 * engine, written as 16/24-bit WAV directly, or through ffmpeg to FLAC or MP3. Outputs are
 * bit-exact (no encoder tags), so the same project exports to the same bytes.
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
    mkdirSync(dirname(request.outPath), { recursive: true });
    const files: ExportResult['files'] = [];
    const step = 1 / jobs.length;
    for (const [index, job] of jobs.entries()) {
      request.onProgress?.({ stage: 'render', fraction: index * step, file: job.path });
      const audio = await this.deps.render(request.project, { sampleRate, ...(job.trackId ? { onlyTrackIds: [job.trackId] } : {}) });
      const wav = encodeWav(audio.channels, audio.sampleRate, bits);
      const durationSec = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      if (format === 'wav') writeFileSync(job.path, wav);
      else {
        const temporary = `${job.path}.tmp.wav`;
        writeFileSync(temporary, wav);
        try {
          await this.encode(temporary, job.path, format, bits, request.mp3BitrateKbps ?? 320, durationSec, (encoded) =>
            request.onProgress?.({ stage: 'encode', fraction: (index + 0.5 + 0.5 * encoded) * step, file: job.path }),
          );
        } finally {
          rmSync(temporary, { force: true });
        }
      }
      files.push({ path: job.path, trackId: job.trackId, durationSec });
    }
    request.onProgress?.({ stage: 'done', fraction: 1, file: request.outPath });
    return { files };
  }

  private encode(input: string, output: string, format: 'flac' | 'mp3', bits: 16 | 24, bitrateKbps: number, durationSec: number, onFraction: (fraction: number) => void): Promise<void> {
    const codec = format === 'flac' ? ['-c:a', 'flac', '-sample_fmt', bits === 24 ? 's32' : 's16', ...(bits === 24 ? ['-bits_per_raw_sample', '24'] : [])] : ['-c:a', 'libmp3lame', '-b:a', `${bitrateKbps}k`];
    const args = ['-hide_banner', '-nostdin', '-y', '-i', input, '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', ...codec, '-progress', 'pipe:1', '-nostats', output];
    return new Promise((resolve, reject) => {
      const child = spawn(this.deps.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/out_time_us=(\d+)/g)) onFraction(Math.min(1, Number(match[1]) / 1e6 / Math.max(0.001, durationSec)));
      });
      child.on('error', (error) => reject(new MixdeckError('unavailable', `ffmpeg could not start: ${error.message}`)));
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new MixdeckError('internal', `ffmpeg could not write ${format.toUpperCase()}: ${stderr.trim().split('\n').pop() ?? `exit code ${code}`}`));
      });
    });
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

