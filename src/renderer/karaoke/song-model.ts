import type { KaraokeSong } from '../../shared/contract';
import type { UltraStarSong } from '../../audio-engine/karaoke/ultrastar';

/** The contract's song as the engine's scorer reads it (the same numbers, the fields it needs). */
export function toEngineSong(song: KaraokeSong): UltraStarSong {
  return {
    headers: song.headers,
    version: song.headers.VERSION ?? null,
    title: song.title,
    artist: song.artist,
    audioFile: '',
    bpm: song.bpm,
    gapMs: song.gapMs,
    beatDurationSec: song.beatDurationSec,
    videoFile: null,
    videoGapSec: song.videoGapSec,
    coverFile: null,
    backgroundFile: null,
    vocalsFile: null,
    instrumentalFile: null,
    startSec: song.startSec,
    endSec: song.endSec,
    language: null,
    year: null,
    genre: null,
    relative: false,
    voices: song.voices.map((voice) => ({
      name: voice.name,
      lines: voice.lines.map((line) => ({
        startBeat: line.startBeat,
        endBeat: line.endBeat,
        notes: line.notes.map((note) => ({ ...note, pitch: note.midi - 60, lineNumber: 0 })),
      })),
    })),
    warnings: [],
  };
}

export function beatToSec(song: Pick<KaraokeSong, 'gapMs' | 'beatDurationSec'>, beat: number): number {
  return song.gapMs / 1000 + beat * song.beatDurationSec;
}

/** When the last note (of any singer) ends, in song seconds. */
export function lastNoteEndSec(song: KaraokeSong): number {
  let lastBeat = 0;
  for (const voice of song.voices) for (const line of voice.lines) lastBeat = Math.max(lastBeat, line.endBeat);
  if (song.voices.length === 0) return song.lrcLines.at(-1)?.startSec ?? 0;
  return beatToSec(song, lastBeat);
}
