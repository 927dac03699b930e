import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { createRequire } from 'node:module';
import { MixdeckError } from '../../../shared/contract';

export interface FfmpegLocation {
  path: string;
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
  /** The first line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.9-0+deb12u1". */
  version: string;
}

export interface ResolveFfmpegOptions {
  env?: NodeJS.ProcessEnv;
  /** Stands in for `require('ffmpeg-static')` in tests; `null` means "not installed". */
  loadFfmpegStatic?: () => unknown;
  /** The command tried on PATH. */
  pathCommand?: string;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function versionOf(command: string): string | null {
  const result = spawnSync(command, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
  if (result.error || result.status !== 0) return null;
  return result.stdout.split('\n')[0]?.trim() || 'ffmpeg (unknown version)';
}

/**
 * In a packaged app ffmpeg-static's path points inside app.asar, where nothing can be executed;
 * electron-builder unpacks it (asarUnpack) to app.asar.unpacked beside it. The unpacked copy is
 * used when it exists; any other path is returned as it is.
 */
export function unpackedFromAsar(path: string, exists: (path: string) => boolean = existsSync): string {
  const inArchive = `${sep}app.asar${sep}`;
  const at = path.indexOf(inArchive);
  if (at === -1) return path;
  const unpacked = `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + inArchive.length)}`;
  return exists(unpacked) ? unpacked : path;
}

function defaultLoadFfmpegStatic(): unknown {
  // Optional dependency: its install downloads a binary, which fails on machines without internet.
  return createRequire(import.meta.url)('ffmpeg-static');
}

/**
 * The ffmpeg to run: `FFMPEG_PATH`, then ffmpeg-static's binary if that package and its file
 * exist, then `ffmpeg` on PATH (it must answer `-version`). Throws a MixdeckError naming what
 * was tried when none works.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): FfmpegLocation {
  const env = options.env ?? process.env;
  const tried: string[] = [];

  const fromEnv = env.FFMPEG_PATH?.trim();
  if (fromEnv) {
    const version = isExecutableFile(fromEnv) ? versionOf(fromEnv) : null;
    if (version) return { path: fromEnv, source: 'FFMPEG_PATH', version };
    // A path the user set on purpose that does not work is an error, not something to skip past.
    throw new MixdeckError('unavailable', `FFMPEG_PATH points to "${fromEnv}", which is not a working ffmpeg.`);
  }

  let staticPath: unknown;
  try {
    staticPath = (options.loadFfmpegStatic ?? defaultLoadFfmpegStatic)();
  } catch {
    staticPath = null;
  }
  if (typeof staticPath === 'string' && staticPath) {
    const runnable = unpackedFromAsar(staticPath);
    const version = isExecutableFile(runnable) ? versionOf(runnable) : null;
    if (version) return { path: runnable, source: 'ffmpeg-static', version };
    tried.push(`ffmpeg-static (${runnable} is missing or broken)`);
  } else tried.push('ffmpeg-static (not installed)');

  const command = options.pathCommand ?? 'ffmpeg';
  const version = versionOf(command);
  if (version) return { path: command, source: 'PATH', version };
  tried.push(`"${command}" on PATH`);

  throw new MixdeckError(
    'unavailable',
    `Mixdeck needs ffmpeg to broadcast and could not find it (tried ${tried.join(', ')}). Install ffmpeg or set FFMPEG_PATH to its full path.`,
  );
}

/** ffprobe sits beside ffmpeg in every distribution Mixdeck supports. */
export function ffprobeBeside(ffmpegPath: string): string {
  return ffmpegPath.replace(/ffmpeg(\.exe)?$/i, (_match, exe: string | undefined) => `ffprobe${exe ?? ''}`);
}
