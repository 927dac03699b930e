import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import {
  DEFAULT_MIC_DELAY_MS,
  MixdeckError,
  type KaraokeImportResult,
  type KaraokeScoreEntry,
  type KaraokeSong,
  type KaraokeSongSummary,
  type MicDelay,
} from '../../../shared/contract';
import { parseLrc } from '../../../audio-engine/karaoke/lrc';
import { decodeSongText } from '../../../audio-engine/karaoke/text-decoding';
import { SongParseError } from '../../../audio-engine/karaoke/ultrastar';
import { systemFolderReason } from '../files/system-folders';
import { describeReadFailure, describeRefusal, readSongFile, scanSongFolder, type FoundSong } from './song-folder';

/** The files of a song the page may load, by the name used in its media URL. */
export const KARAOKE_MEDIA_KINDS = ['audio', 'instrumental', 'video', 'background', 'cover'] as const;
export type KaraokeMediaKind = (typeof KARAOKE_MEDIA_KINDS)[number];

/** `/media/karaoke/12/audio`: served by the web host (see main/host/karaoke-media.ts). */
export function karaokeMediaUrl(songId: number, kind: KaraokeMediaKind): string {
  return `/media/karaoke/${songId}/${kind}`;
}

interface TrackRow {
  id: number;
  path: string;
  title: string;
  artist: string;
  karaoke_song_path: string;
  karaoke_format: 'ultrastar' | 'lrc';
  karaoke_is_duet: number;
}

export interface ScoreToSave {
  songId: number;
  singerName: string;
  difficulty: 'easy' | 'medium' | 'hard';
  voiceIndex: number;
  score: number;
  notes: number;
  golden: number;
  lineBonus: number;
  lineRatings: { index: number; rating: string | null; points: number }[];
}

const MIC_DELAY_KEY = 'mic-delay';

/**
 * Karaoke songs as library tracks: the track is the song's audio file, flagged with the song
 * file (UltraStar .txt or .lrc) that holds its notes or lyrics. Scores and the measured
 * microphone delay live beside them in SQLite. Song files are re-read when opened, so a fix
 * made in a text editor shows up without re-importing.
 */
export class KaraokeLibrary {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** The folders the imported songs live in: the song files and their media are read from these. */
  songFolders(): string[] {
    const songPaths = this.db.prepare('SELECT DISTINCT karaoke_song_path FROM tracks WHERE karaoke_song_path IS NOT NULL').pluck().all() as string[];
    return [...new Set(songPaths.map((path) => dirname(path)))];
  }

  async importFolder(folderPath: string, onProgress?: (filesDone: number, currentFile: string) => void): Promise<KaraokeImportResult> {
    const folder = resolve(folderPath);
    const info = await stat(folder).catch(() => null);
    if (!info) throw new MixdeckError('not-found', `The folder "${folderPath}" does not exist.`);
    if (!info.isDirectory()) throw new MixdeckError('invalid-input', `"${folderPath}" is a file, not a folder.`);
    const systemReason = systemFolderReason(folder);
    if (systemReason) throw new MixdeckError('invalid-input', systemReason);

    const scan = await scanSongFolder(folder, onProgress);
    const refused = scan.refused.map((refusal) => ({
      file: relative(folder, refusal.path),
      line: refusal.line,
      reason: refusal.reason,
      message: describeRefusal(refusal, folder),
    }));
    const warnings: string[] = [];
    let added = 0;
    let updated = 0;
    const findByAudio = this.db.prepare<[string], { id: number; karaoke_song_path: string | null }>('SELECT id, karaoke_song_path FROM tracks WHERE path = ?');
    const insert = this.db.prepare(
      `INSERT INTO tracks (path, kind, title, artist, genre, year, file_size, file_mtime_ms, added_at, karaoke_song_path, karaoke_format, karaoke_is_duet, karaoke_imported_at)
       VALUES (@path, 'karaoke', @title, @artist, @genre, @year, @fileSize, @mtimeMs, @now, @songPath, @format, @isDuet, @now)`,
    );
    const flag = this.db.prepare(
      `UPDATE tracks SET karaoke_song_path = @songPath, karaoke_format = @format, karaoke_is_duet = @isDuet, karaoke_imported_at = @now,
         title = CASE WHEN title = '' THEN @title ELSE title END, artist = CASE WHEN artist = '' THEN @artist ELSE artist END
       WHERE id = @id`,
    );
    const sizes = new Map<string, { size: number; mtimeMs: number }>();
    for (const song of scan.songs) {
      const audio = await stat(song.audioPath);
      sizes.set(song.audioPath, { size: audio.size, mtimeMs: Math.round(audio.mtimeMs) });
    }
    const write = this.db.transaction((songs: FoundSong[]) => {
      for (const song of songs) {
        const values = {
          path: song.audioPath,
          title: song.title,
          artist: song.artist,
          genre: song.song?.genre ?? '',
          year: song.song?.year ?? null,
          fileSize: sizes.get(song.audioPath)!.size,
          mtimeMs: sizes.get(song.audioPath)!.mtimeMs,
          now: this.now(),
          songPath: song.path,
          format: song.format,
          isDuet: song.isDuet ? 1 : 0,
        };
        const existing = findByAudio.get(song.audioPath);
        if (!existing) {
          insert.run(values);
          added += 1;
        } else if (existing.karaoke_song_path !== null && existing.karaoke_song_path !== song.path) {
          refused.push({
            file: relative(folder, song.path),
            line: null,
            reason: `its audio file is already used by ${relative(folder, existing.karaoke_song_path)}`,
            message: `${relative(folder, song.path)}: its audio file is already used by ${relative(folder, existing.karaoke_song_path)}`,
          });
        } else {
          // A music track already in the library (or this song imported before): flag it.
          flag.run({ ...values, id: existing.id });
          updated += 1;
        }
        for (const warning of song.warnings) warnings.push(`${relative(folder, song.path)}: ${warning}`);
      }
    });
    write(scan.songs);
    return { folder, added, updated, refused, warnings };
  }

  listSongs(search?: string): KaraokeSongSummary[] {
    const pattern = search?.trim() ? `%${search.trim().replace(/[%_\\]/g, (match) => `\\${match}`)}%` : null;
    const rows = this.db
      .prepare<[string | null, string | null, string | null], TrackRow & { best: number | null; has_cover: number }>(
        `SELECT t.id, t.path, t.title, t.artist, t.karaoke_song_path, t.karaoke_format, t.karaoke_is_duet,
                (SELECT max(score) FROM karaoke_scores s WHERE s.track_id = t.id) AS best
         FROM tracks t
         WHERE t.karaoke_song_path IS NOT NULL
           AND (? IS NULL OR t.title LIKE ? ESCAPE '\\' OR t.artist LIKE ? ESCAPE '\\')
         ORDER BY t.artist COLLATE NOCASE, t.title COLLATE NOCASE`,
      )
      .all(pattern, pattern, pattern);
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      artist: row.artist,
      format: row.karaoke_format,
      isDuet: row.karaoke_is_duet === 1,
      coverUrl: null,
      bestScore: row.best,
    }));
  }

  private track(songId: number): TrackRow {
    const row = this.db
      .prepare<[number], TrackRow>('SELECT id, path, title, artist, karaoke_song_path, karaoke_format, karaoke_is_duet FROM tracks WHERE id = ? AND karaoke_song_path IS NOT NULL')
      .get(songId);
    if (!row) throw new MixdeckError('not-found', `There is no karaoke song number ${songId} in the library.`);
    return row;
  }

  private async readSong(songId: number): Promise<FoundSong> {
    const row = this.track(songId);
    // Read afresh with every check of the import, so an edit in a text editor shows at once.
    const { song, refused } = await readSongOrReason(row.karaoke_song_path);
    if (!song) throw new MixdeckError('invalid-input', `${row.karaoke_song_path} cannot be sung: ${refused}`);
    return song;
  }

  async openSong(songId: number): Promise<KaraokeSong> {
    const found = await this.readSong(songId);
    const song = found.song;
    const url = (kind: KaraokeMediaKind, path: string | null): string | null => (path ? karaokeMediaUrl(songId, kind) : null);
    const base = {
      id: songId,
      title: found.title,
      artist: found.artist,
      format: found.format,
      audioUrl: karaokeMediaUrl(songId, 'audio'),
      instrumentalUrl: url('instrumental', found.instrumentalPath),
      videoUrl: url('video', found.videoPath),
      backgroundUrl: url('background', found.backgroundPath),
      coverUrl: url('cover', found.coverPath),
      warnings: found.warnings,
    };
    if (!song) {
      const lyrics = parseLrc(decodeSongText(new Uint8Array(await readFile(found.path))).text);
      return { ...base, headers: {}, bpm: 0, gapMs: 0, beatDurationSec: 0, startSec: 0, endSec: null, videoGapSec: 0, voices: [], lrcLines: lyrics.lines };
    }
    return {
      ...base,
      headers: { ...song.headers },
      bpm: song.bpm,
      gapMs: song.gapMs,
      beatDurationSec: song.beatDurationSec,
      startSec: song.startSec,
      endSec: song.endSec,
      videoGapSec: song.videoGapSec,
      voices: song.voices.map((voice) => ({
        name: voice.name,
        lines: voice.lines.map((line) => ({
          startBeat: line.startBeat,
          endBeat: line.endBeat,
          notes: line.notes.map((note) => ({ kind: note.kind, startBeat: note.startBeat, lengthBeats: note.lengthBeats, midi: note.midi, text: note.text })),
        })),
      })),
      lrcLines: [],
    };
  }

  /** The file behind a media URL, or null when the song has none of that kind. */
  async mediaPath(songId: number, kind: KaraokeMediaKind): Promise<string | null> {
    const row = this.track(songId);
    if (kind === 'audio') return row.path;
    const { song } = await readSongOrReason(row.karaoke_song_path);
    if (!song) return null;
    return { instrumental: song.instrumentalPath, video: song.videoPath, background: song.backgroundPath, cover: song.coverPath }[kind];
  }

  saveScore(score: ScoreToSave): KaraokeScoreEntry {
    this.track(score.songId);
    const sungAtMs = this.now();
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO karaoke_scores (track_id, singer_name, difficulty, voice_index, score, notes, golden, line_bonus, line_ratings, sung_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(score.songId, score.singerName, score.difficulty, score.voiceIndex, score.score, score.notes, score.golden, score.lineBonus, JSON.stringify(score.lineRatings), sungAtMs);
    const id = Number(lastInsertRowid);
    const entry = this.leaderboard(score.songId, score.difficulty, 10_000).find((candidate) => candidate.id === id);
    return entry!;
  }

  /** Best first; ties go to whoever sang it first. */
  leaderboard(songId: number, difficulty: ScoreToSave['difficulty'] | undefined, limit: number): KaraokeScoreEntry[] {
    this.track(songId);
    const rows = this.db
      .prepare<[number, string | null, string | null, number], { id: number; singer_name: string; difficulty: ScoreToSave['difficulty']; voice_index: number; score: number; sung_at: number }>(
        `SELECT id, singer_name, difficulty, voice_index, score, sung_at FROM karaoke_scores
         WHERE track_id = ? AND (? IS NULL OR difficulty = ?)
         ORDER BY score DESC, sung_at ASC, id ASC LIMIT ?`,
      )
      .all(songId, difficulty ?? null, difficulty ?? null, limit);
    return rows.map((row, index) => ({
      id: row.id,
      songId,
      singerName: row.singer_name,
      difficulty: row.difficulty,
      voiceIndex: row.voice_index,
      score: row.score,
      sungAtMs: row.sung_at,
      rank: index + 1,
    }));
  }

  getMicDelay(): MicDelay {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM karaoke_settings WHERE key = ?').get(MIC_DELAY_KEY);
    if (!row) return { delayMs: DEFAULT_MIC_DELAY_MS, calibrated: false, calibratedAtMs: null };
    const stored = JSON.parse(row.value) as { delayMs: number; calibratedAtMs: number };
    return { delayMs: stored.delayMs, calibrated: true, calibratedAtMs: stored.calibratedAtMs };
  }

  setMicDelay(delayMs: number): MicDelay {
    const value = JSON.stringify({ delayMs, calibratedAtMs: this.now() });
    this.db.prepare('INSERT INTO karaoke_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(MIC_DELAY_KEY, value);
    return this.getMicDelay();
  }
}

/** Reads one song file with the folder scanner's checks: the song, or the reason it is refused. */
async function readSongOrReason(songPath: string): Promise<{ song: FoundSong | null; refused: string | null }> {
  try {
    return { song: await readSongFile(songPath), refused: null };
  } catch (error) {
    if (error instanceof SongParseError) return { song: null, refused: error.message };
    return { song: null, refused: describeReadFailure(error) };
  }
}
