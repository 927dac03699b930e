/** Display helpers for the track list and player; all take the contract's units. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

export function formatBpm(bpm: number | null): string {
  return bpm === null ? '' : bpm.toFixed(bpm >= 100 ? 1 : 2).replace(/\.?0+$/, '');
}

export function formatLufs(lufs: number | null): string {
  return lufs === null ? '' : lufs.toFixed(1);
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function displayTitle(track: { title: string; path: string }): string {
  return track.title.trim() || fileName(track.path);
}

/** Camelot wheel colours, as DJ software shows keys: neighbours on the wheel get neighbouring hues. */
export function camelotHue(camelot: string | null): number | null {
  const match = camelot ? /^(\d{1,2})[AB]$/i.exec(camelot) : null;
  if (!match) return null;
  return ((Number(match[1]) - 1) * 30 + 200) % 360;
}

export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  return `${Math.round(seconds / 60)} min left`;
}
