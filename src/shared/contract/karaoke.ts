import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/** The karaoke capability's calls and events (renderer/karaoke ↔ main/services/karaoke). */

export const KARAOKE_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const KARAOKE_NOTE_KINDS = ['normal', 'golden', 'rap', 'golden-rap', 'freestyle'] as const;
export const LINE_RATINGS = ['Perfect', 'Great', 'Good', 'OK', 'Poor', 'Missed'] as const;
/** Until the user calibrates, the microphone is assumed to hear the singer this late. */
export const DEFAULT_MIC_DELAY_MS = 140;

const songId = z.number().int().positive();
const folderPath = z
  .string()
  .min(1, 'Give the folder’s full path')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');

export const KaraokeRefusalSchema = z.object({
  /** Path relative to the imported folder. */
  file: z.string(),
  line: z.number().int().positive().nullable(),
  reason: z.string(),
  /** "Broken/bad.txt, line 12: a note must last at least one beat" */
  message: z.string(),
});
export type KaraokeRefusal = z.infer<typeof KaraokeRefusalSchema>;

export const KaraokeImportResultSchema = z.object({
  folder: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  refused: z.array(KaraokeRefusalSchema),
  warnings: z.array(z.string()),
});
export type KaraokeImportResult = z.infer<typeof KaraokeImportResultSchema>;

export const KaraokeSongSummarySchema = z.object({
  id: songId,
  title: z.string(),
  artist: z.string(),
  format: z.enum(['ultrastar', 'lrc']),
  isDuet: z.boolean(),
  coverUrl: z.string().nullable(),
  bestScore: z.number().int().nullable(),
});
export type KaraokeSongSummary = z.infer<typeof KaraokeSongSummarySchema>;

export const KaraokeNoteSchema = z.object({
  kind: z.enum(KARAOKE_NOTE_KINDS),
  startBeat: z.number().int(),
  lengthBeats: z.number().int().positive(),
  midi: z.number().int(),
  text: z.string(),
});
export const KaraokeLineSchema = z.object({ startBeat: z.number().int(), endBeat: z.number().int(), notes: z.array(KaraokeNoteSchema) });
export const KaraokeVoiceSchema = z.object({ name: z.string().nullable(), lines: z.array(KaraokeLineSchema) });
export const LrcLineSchema = z.object({
  startSec: z.number(),
  text: z.string(),
  words: z.array(z.object({ startSec: z.number(), text: z.string() })),
});

export const KaraokeSongSchema = z.object({
  id: songId,
  title: z.string(),
  artist: z.string(),
  format: z.enum(['ultrastar', 'lrc']),
  /** Raw UltraStar headers (upper-case keys). */
  headers: z.record(z.string(), z.string()),
  bpm: z.number(),
  gapMs: z.number(),
  beatDurationSec: z.number(),
  startSec: z.number(),
  endSec: z.number().nullable(),
  videoGapSec: z.number(),
  /** UltraStar voices (one, or two for a duet); empty for LRC. */
  voices: z.array(KaraokeVoiceSchema),
  /** Lyrics-only songs (sing-along, no scoring). */
  lrcLines: z.array(LrcLineSchema),
  audioUrl: z.string(),
  instrumentalUrl: z.string().nullable(),
  videoUrl: z.string().nullable(),
  backgroundUrl: z.string().nullable(),
  coverUrl: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type KaraokeSong = z.infer<typeof KaraokeSongSchema>;

export const KaraokeScoreEntrySchema = z.object({
  id: z.number().int(),
  songId,
  singerName: z.string(),
  difficulty: z.enum(KARAOKE_DIFFICULTIES),
  voiceIndex: z.number().int(),
  score: z.number().int(),
  sungAtMs: z.number().int(),
  /** 1-based place on this song's board for this difficulty. */
  rank: z.number().int().positive(),
});
export type KaraokeScoreEntry = z.infer<typeof KaraokeScoreEntrySchema>;

export const MicDelaySchema = z.object({
  delayMs: z.number().int(),
  calibrated: z.boolean(),
  calibratedAtMs: z.number().int().nullable(),
});
export type MicDelay = z.infer<typeof MicDelaySchema>;

export const karaokeCalls = {
  'karaoke.importFolder': defineCall({
    input: z.object({ folderPath }).strict(),
    output: KaraokeImportResultSchema,
    summary: 'Import every UltraStar/LRC song under a folder as library tracks; broken files are listed with their line and reason and the import goes on.',
  }),
  'karaoke.listSongs': defineCall({
    input: z.object({ search: z.string().max(200).optional() }).strict(),
    output: z.object({ songs: z.array(KaraokeSongSummarySchema) }),
    summary: 'The karaoke songs in the library, by artist and title.',
  }),
  'karaoke.openSong': defineCall({
    input: z.object({ songId }).strict(),
    output: KaraokeSongSchema,
    summary: 'A song’s notes, lines and headers, parsed afresh from its file, with URLs for its audio, video and images.',
  }),
  'karaoke.saveScore': defineCall({
    input: z
      .object({
        songId,
        singerName: z.string().trim().min(1, 'Give the singer a name').max(60, 'A name of at most 60 characters'),
        difficulty: z.enum(KARAOKE_DIFFICULTIES),
        voiceIndex: z.number().int().min(0).max(1).default(0),
        score: z.number().int().min(0).max(10_000),
        notes: z.number().int().min(0).max(10_000),
        golden: z.number().int().min(0).max(10_000),
        lineBonus: z.number().int().min(0).max(1_000),
        lineRatings: z.array(z.object({ index: z.number().int().min(0), rating: z.enum(LINE_RATINGS).nullable(), points: z.number().int().min(0) })).max(2000),
      })
      .strict(),
    output: KaraokeScoreEntrySchema,
    summary: 'Keep a score; answers with its place on the song’s leaderboard.',
  }),
  'karaoke.leaderboard': defineCall({
    input: z.object({ songId, difficulty: z.enum(KARAOKE_DIFFICULTIES).optional(), limit: z.number().int().min(1).max(100).default(10) }).strict(),
    output: z.object({ entries: z.array(KaraokeScoreEntrySchema) }),
    summary: 'The best scores for a song, best first.',
  }),
  'karaoke.getMicDelay': defineCall({
    input: z.object({}).strict(),
    output: MicDelaySchema,
    summary: 'How late the microphone hears the singer (140 ms until calibrated).',
  }),
  'karaoke.setMicDelay': defineCall({
    input: z.object({ delayMs: z.number().int().min(0, 'A delay cannot be negative').max(1000, 'A delay over one second means the calibration heard something else') }).strict(),
    output: MicDelaySchema,
    summary: 'Store the measured microphone delay.',
  }),
};

export const karaokeEvents = {
  'karaoke.importProgress': defineEvent({
    payload: z.object({ folder: z.string(), filesDone: z.number().int(), currentFile: z.string() }),
    summary: 'A song folder import moved on by one file.',
  }),
};
