import { lineAt, looksLikeLrc, parseLrc, type LrcLine } from '../karaoke/lrc';

/**
 * Lyrics for the player: timed (LRC from a sidecar file or an embedded SYLT/LRC tag) when we
 * have them, otherwise the plain text as untimed lines, so the lyrics panel always shows what
 * the file carries.
 */
export interface LyricsTimeline {
  readonly synced: boolean;
  readonly lines: readonly LrcLine[];
}

export const NO_LYRICS: LyricsTimeline = { synced: false, lines: [] };

export function buildLyricsTimeline(syncedText: string | null | undefined, plainText: string | null | undefined): LyricsTimeline {
  for (const text of [syncedText, plainText]) {
    if (text && looksLikeLrc(text)) {
      const parsed = parseLrc(text);
      if (parsed.lines.length > 0) return { synced: true, lines: parsed.lines };
    }
  }
  const plain = (plainText ?? '').trim();
  if (plain === '') return NO_LYRICS;
  return { synced: false, lines: plain.split(/\r\n|\n|\r/).map((text) => ({ startSec: 0, text: text.trim(), words: [] })) };
}

/** The line to highlight at `timeSec`; -1 before the first line or for untimed lyrics. */
export function activeLyricLine(timeline: LyricsTimeline, timeSec: number): number {
  return timeline.synced ? lineAt(timeline.lines, timeSec) : -1;
}
