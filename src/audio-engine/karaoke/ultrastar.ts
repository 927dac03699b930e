/**
 * UltraStar TXT songs: format 1.0.0 and the older files in the wild.
 * Timing: `#BPM` is implicitly ×4, so one beat lasts 15/BPM seconds and a note starts at
 * GAP/1000 + beat·15/BPM seconds. Pitch is in semitones relative to C4 (MIDI 60).
 */

export type NoteKind = 'normal' | 'golden' | 'rap' | 'golden-rap' | 'freestyle';

const KIND_BY_MARK: Record<string, NoteKind> = { ':': 'normal', '*': 'golden', R: 'rap', G: 'golden-rap', F: 'freestyle' };

export interface SongNote {
  readonly kind: NoteKind;
  readonly startBeat: number;
  readonly lengthBeats: number;
  /** Semitones relative to C4, as written. */
  readonly pitch: number;
  readonly midi: number;
  /** The syllable as written; a leading space starts a new word. */
  readonly text: string;
  /** Source line, for messages. */
  readonly lineNumber: number;
}

export interface SongLine {
  readonly notes: SongNote[];
  readonly startBeat: number;
  readonly endBeat: number;
}

export interface SongVoice {
  /** Singer's name from #P1/#P2 (or #DUETSINGERP1/2), null for solo songs. */
  readonly name: string | null;
  readonly lines: SongLine[];
}

export interface UltraStarSong {
  readonly headers: Readonly<Record<string, string>>;
  readonly version: string | null;
  readonly title: string;
  readonly artist: string;
  readonly audioFile: string;
  readonly bpm: number;
  readonly gapMs: number;
  readonly beatDurationSec: number;
  readonly videoFile: string | null;
  readonly videoGapSec: number;
  readonly coverFile: string | null;
  readonly backgroundFile: string | null;
  readonly vocalsFile: string | null;
  readonly instrumentalFile: string | null;
  readonly startSec: number;
  readonly endSec: number | null;
  readonly language: string | null;
  readonly year: number | null;
  readonly genre: string | null;
  readonly relative: boolean;
  readonly voices: SongVoice[];
  /** Things that were odd but not fatal (a header after the notes, overlapping notes…). */
  readonly warnings: string[];
}

/** A file that cannot be sung, with the 1-based line number and what is wrong there. */
export class SongParseError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(lineNumber > 0 ? `line ${lineNumber}: ${reason}` : reason);
    this.name = 'SongParseError';
  }
}

/**
 * What a song may ask for. The file sets every size below (the scorer judges each beat of each
 * note), so each is checked at parse time, in seconds as well as beats: a note of 2,000,000,000
 * beats, or a #BPM that makes one beat last an hour, is refused with the reason.
 */
export const SONG_LIMITS = {
  /** The last note ends within this many seconds of the start of the audio. */
  maxSongSec: 30 * 60,
  /** One sung (or freestyle) note. */
  maxNoteSec: 60,
  maxNotes: 20_000,
  /** 15/BPM seconds per beat: beyond this a beat lasts under 5 ms, which no song needs. */
  maxBpm: 3000,
} as const;

/** Older files write decimals with a comma (`#BPM:287,5`). */
function parseDecimal(value: string): number {
  const normalised = value.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : Number.NaN;
}

export function noteStartSec(song: Pick<UltraStarSong, 'gapMs' | 'beatDurationSec'>, beat: number): number {
  return song.gapMs / 1000 + beat * song.beatDurationSec;
}

const NOTE_LINE = /^([:*RGF])\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)(?:[ \t](.*))?$/;
const BREAK_LINE = /^-\s*(-?\d+)(?:\s+(-?\d+))?\s*$/;
const VOICE_LINE = /^P\s*(\d)\s*$/;

export function parseUltraStar(text: string): UltraStarSong {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headers: Record<string, string> = {};
  const headerLines: Record<string, number> = {};
  const warnings: string[] = [];
  // Notes per voice, with the beats where phrases end.
  const voiceNotes: SongNote[][] = [[], []];
  const voiceBreaks: number[][] = [[], []];
  let activeVoices: number[] = [0];
  let sawVoiceMarker = false;
  let inBody = false;
  let relative = false;
  let relativeOffset = 0;
  let ended = false;
  let noteCount = 0;

  for (let index = 0; index < lines.length && !ended; index += 1) {
    const lineNumber = index + 1;
    const raw = lines[index]!;
    const line = raw.trimStart();
    if (line.trim() === '') continue;

    if (line.startsWith('#')) {
      const colon = line.indexOf(':');
      if (colon < 0) throw new SongParseError(lineNumber, `a header needs a colon, like "#TITLE:My Song" — found "${line.trim().slice(0, 60)}"`);
      const key = line.slice(1, colon).trim().toUpperCase();
      const value = line.slice(colon + 1).trim();
      if (inBody) warnings.push(`line ${lineNumber}: header #${key} after the notes`);
      headers[key] = value;
      headerLines[key] = lineNumber;
      if (key === 'RELATIVE') relative = value.toLowerCase() === 'yes';
      continue;
    }
    inBody = true;

    const first = line[0]!;
    if (first === 'E' && line.trim() === 'E') {
      ended = true;
      continue;
    }
    const voiceMatch = VOICE_LINE.exec(line.trim());
    if (voiceMatch) {
      const number = Number(voiceMatch[1]);
      if (number === 1) activeVoices = [0];
      else if (number === 2) activeVoices = [1];
      else if (number === 3) activeVoices = [0, 1];
      else throw new SongParseError(lineNumber, `only singers P1 and P2 (or P3 for both) exist, not P${number}`);
      sawVoiceMarker = true;
      relativeOffset = 0;
      continue;
    }
    if (first === '-') {
      const match = BREAK_LINE.exec(line.trim());
      if (!match) throw new SongParseError(lineNumber, `a line break is "- beat", found "${line.trim().slice(0, 60)}"`);
      const beat = Number(match[1]) + relativeOffset;
      for (const voice of activeVoices) voiceBreaks[voice]!.push(beat);
      if (relative) relativeOffset += match[2] !== undefined ? Number(match[2]) : Number(match[1]);
      continue;
    }
    if (first in KIND_BY_MARK) {
      const match = NOTE_LINE.exec(line);
      if (!match) {
        throw new SongParseError(lineNumber, `a note is "${first} start length pitch syllable" with whole numbers, found "${line.trim().slice(0, 60)}"`);
      }
      const startBeat = Number(match[2]) + relativeOffset;
      const lengthBeats = Number(match[3]);
      const pitch = Number(match[4]);
      if (startBeat < 0) throw new SongParseError(lineNumber, `a note cannot start before beat 0 (it starts at ${startBeat})`);
      if (lengthBeats <= 0) throw new SongParseError(lineNumber, `a note must last at least one beat (this one lasts ${lengthBeats})`);
      if (pitch < -60 || pitch > 67) throw new SongParseError(lineNumber, `pitch ${pitch} is outside what a voice can sing`);
      if (!Number.isSafeInteger(startBeat) || !Number.isSafeInteger(lengthBeats)) {
        throw new SongParseError(lineNumber, `the note's beats (${match[2]}, ${match[3]}) are far beyond any song's length`);
      }
      noteCount += activeVoices.length;
      if (noteCount > SONG_LIMITS.maxNotes) throw new SongParseError(lineNumber, `a song can have at most ${SONG_LIMITS.maxNotes} notes`);
      const note: SongNote = { kind: KIND_BY_MARK[first]!, startBeat, lengthBeats, pitch, midi: 60 + pitch, text: match[5] ?? '', lineNumber };
      for (const voice of activeVoices) voiceNotes[voice]!.push(note);
      continue;
    }
    throw new SongParseError(lineNumber, `this line is not a header, note, line break or end mark: "${line.trim().slice(0, 60)}"`);
  }

  const required = (key: string, message: string): string => {
    const value = headers[key];
    if (value === undefined || value === '') throw new SongParseError(0, message);
    return value;
  };
  const title = required('TITLE', 'the #TITLE header is missing');
  const artist = required('ARTIST', 'the #ARTIST header is missing');
  const audioFile = headers.AUDIO || headers.MP3;
  if (!audioFile) throw new SongParseError(0, 'the song names no audio file (#AUDIO, or #MP3 in older files)');
  const bpm = parseDecimal(required('BPM', 'the #BPM header is missing'));
  if (!Number.isFinite(bpm) || bpm <= 0) throw new SongParseError(headerLines.BPM ?? 0, `#BPM must be a positive number, not "${headers.BPM}"`);
  if (bpm > SONG_LIMITS.maxBpm) throw new SongParseError(headerLines.BPM ?? 0, `#BPM ${headers.BPM} is far too fast (at most ${SONG_LIMITS.maxBpm})`);
  const gapMs = headers.GAP !== undefined && headers.GAP !== '' ? parseDecimal(headers.GAP) : 0;
  if (!Number.isFinite(gapMs)) throw new SongParseError(headerLines.GAP ?? 0, `#GAP must be a number of milliseconds, not "${headers.GAP}"`);
  if (Math.abs(gapMs) > SONG_LIMITS.maxSongSec * 1000) {
    throw new SongParseError(headerLines.GAP ?? 0, `#GAP ${headers.GAP} ms is longer than a song can be (${SONG_LIMITS.maxSongSec / 60} minutes)`);
  }
  checkDurations(voiceNotes, { gapMs, beatDurationSec: 15 / bpm });
  const optionalNumber = (key: string): number | null => {
    if (headers[key] === undefined || headers[key] === '') return null;
    const value = parseDecimal(headers[key]!);
    if (!Number.isFinite(value)) throw new SongParseError(headerLines[key] ?? 0, `#${key} must be a number, not "${headers[key]}"`);
    return value;
  };

  const isDuet = sawVoiceMarker || headers.P1 !== undefined || headers.DUETSINGERP1 !== undefined;
  const voiceCount = isDuet ? 2 : 1;
  const voices: SongVoice[] = [];
  for (let voiceIndex = 0; voiceIndex < voiceCount; voiceIndex += 1) {
    const notes = voiceNotes[voiceIndex]!;
    for (let index = 1; index < notes.length; index += 1) {
      if (notes[index]!.startBeat < notes[index - 1]!.startBeat) {
        warnings.push(`line ${notes[index]!.lineNumber}: note starts before the one above it; notes were put in time order`);
        break;
      }
    }
    notes.sort((a, b) => a.startBeat - b.startBeat);
    voices.push({
      name: isDuet ? (headers[`P${voiceIndex + 1}`] ?? headers[`DUETSINGERP${voiceIndex + 1}`] ?? `Singer ${voiceIndex + 1}`) : null,
      lines: splitIntoLines(notes, voiceBreaks[voiceIndex]!),
    });
  }
  if (voices.every((voice) => voice.lines.length === 0)) throw new SongParseError(0, 'the song has no notes');
  if (isDuet && voices.some((voice) => voice.lines.length === 0)) warnings.push('a duet where one singer has no notes');

  const yearValue = optionalNumber('YEAR');
  return {
    headers,
    version: headers.VERSION ?? null,
    title,
    artist,
    audioFile,
    bpm,
    gapMs,
    beatDurationSec: 15 / bpm,
    videoFile: headers.VIDEO || null,
    videoGapSec: optionalNumber('VIDEOGAP') ?? 0,
    coverFile: headers.COVER || null,
    backgroundFile: headers.BACKGROUND || null,
    vocalsFile: headers.VOCALS || null,
    instrumentalFile: headers.INSTRUMENTAL || null,
    startSec: optionalNumber('START') ?? 0,
    endSec: headers.END ? optionalNumber('END')! / 1000 : null,
    language: headers.LANGUAGE || null,
    year: yearValue === null ? null : Math.trunc(yearValue),
    genre: headers.GENRE || null,
    relative,
    voices,
    warnings,
  };
}

/** Every note's length and end, in seconds, within SONG_LIMITS (after #BPM and #GAP are known). */
function checkDurations(voiceNotes: readonly (readonly SongNote[])[], timing: Pick<UltraStarSong, 'gapMs' | 'beatDurationSec'>): void {
  for (const notes of voiceNotes) {
    for (const note of notes) {
      const lengthSec = note.lengthBeats * timing.beatDurationSec;
      if (lengthSec > SONG_LIMITS.maxNoteSec) {
        throw new SongParseError(note.lineNumber, `a note of ${note.lengthBeats} beat${note.lengthBeats === 1 ? '' : 's'} lasts ${describeSeconds(lengthSec)}; a note can last at most ${SONG_LIMITS.maxNoteSec} seconds`);
      }
      const endSec = noteStartSec(timing, note.startBeat + note.lengthBeats);
      if (endSec > SONG_LIMITS.maxSongSec) {
        throw new SongParseError(note.lineNumber, `this note ends ${describeSeconds(endSec)} into the song; a song can last at most ${SONG_LIMITS.maxSongSec / 60} minutes`);
      }
    }
  }
}

function describeSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  return seconds < 86400 * 365 ? `${Math.round(seconds / 3600)} hours` : 'years';
}

/** Groups notes into sung lines at the break beats. */
function splitIntoLines(notes: readonly SongNote[], breaks: readonly number[]): SongLine[] {
  const sortedBreaks = [...breaks].sort((a, b) => a - b);
  const lines: SongLine[] = [];
  let current: SongNote[] = [];
  let breakIndex = 0;
  const close = (): void => {
    if (current.length === 0) return;
    const last = current[current.length - 1]!;
    lines.push({ notes: current, startBeat: current[0]!.startBeat, endBeat: last.startBeat + last.lengthBeats });
    current = [];
  };
  for (const note of notes) {
    while (breakIndex < sortedBreaks.length && sortedBreaks[breakIndex]! <= note.startBeat) {
      close();
      breakIndex += 1;
    }
    current.push(note);
  }
  close();
  return lines;
}
