/**
 * The set's tracklist: every now-playing change, stamped with the set's elapsed time, saved beside
 * the recording as plain text (for a show description) and as a CUE sheet (so players and
 * Mixcloud-style uploads can split the recording into tracks).
 */

export interface TracklistEntry {
  setElapsedSec: number;
  text: string;
  artist: string | null;
  title: string | null;
}

/** "1:02:03" past an hour, "02:03" under. */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const two = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(secs)}` : `${two(minutes)}:${two(secs)}`;
}

/** "artist - title" when both are known, else whatever was typed. */
export function entryLabel(entry: { text: string; artist: string | null; title: string | null }): string {
  if (entry.artist && entry.title) return `${entry.artist} - ${entry.title}`;
  return entry.title ?? entry.artist ?? entry.text;
}

export function formatTracklistText(entries: readonly TracklistEntry[], heading: string): string {
  const lines = [heading, ''];
  entries.forEach((entry, index) => lines.push(`${String(index + 1).padStart(2, '0')}. [${formatElapsed(entry.setElapsedSec)}] ${entryLabel(entry)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * CUE time: minutes:seconds:frames, 75 frames a second; minutes may pass 99 for long sets. Rounded
 * down, as the text tracklist is, so both say the same second.
 */
export function cueTime(seconds: number): string {
  const totalFrames = Math.max(0, Math.floor(seconds * 75 + 1e-6));
  const minutes = Math.floor(totalFrames / (75 * 60));
  const secs = Math.floor(totalFrames / 75) % 60;
  const frames = totalFrames % 75;
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(minutes)}:${two(secs)}:${two(frames)}`;
}

/** CUE strings are double-quoted with no escape: a quote inside becomes an apostrophe. */
function cueString(value: string): string {
  return `"${value.replace(/"/g, "'").replace(/[\r\n]+/g, ' ').trim()}"`;
}

export function formatCue(entries: readonly TracklistEntry[], options: { title: string; performer: string; fileName: string }): string {
  const lines = [`PERFORMER ${cueString(options.performer)}`, `TITLE ${cueString(options.title)}`, `FILE ${cueString(options.fileName)} WAVE`];
  entries.forEach((entry, index) => {
    lines.push(`  TRACK ${String(index + 1).padStart(2, '0')} AUDIO`);
    lines.push(`    TITLE ${cueString(entry.title ?? entry.text)}`);
    if (entry.artist) lines.push(`    PERFORMER ${cueString(entry.artist)}`);
    // What plays before the first entry stays reachable as track 1's pregap (INDEX 00), while its
    // INDEX 01 is the time the text tracklist shows.
    if (index === 0 && cueTime(entry.setElapsedSec) !== cueTime(0)) lines.push(`    INDEX 00 ${cueTime(0)}`);
    lines.push(`    INDEX 01 ${cueTime(entry.setElapsedSec)}`);
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** Splits "Artist - Title" (hyphen, en or em dash) the way DJs type it. */
export function splitArtistTitle(text: string): { artist: string | null; title: string | null } {
  const match = /^(.+?)\s+[-–—]\s+(.+)$/.exec(text.trim());
  return match ? { artist: match[1]!.trim(), title: match[2]!.trim() } : { artist: null, title: null };
}
