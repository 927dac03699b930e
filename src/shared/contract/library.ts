/**
 * The library capability's calls and events (renderer/library ↔ main/services/library).
 *
 * Audio and cover art never travel through these calls: the renderer asks for a track by
 * id and gets a URL (`library.mediaUrls`, `library.track`'s audioUrl/coverUrl), which main serves
 * only for files of library tracks inside the library's folders. The URL is the same in both hosts,
 * a path on the page's own origin (so no CSP, CORS or CORP exception is needed):
 *   GET /media/track/<id>   audio, with HTTP Range (206 + Content-Range; 416 past the end)
 *   GET /media/cover/<id>   the cover art extracted at scan time
 * The web host serves it over HTTP; Electron's app://mixdeck protocol handler serves the same paths.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './define';

/** Columns the track list can be sorted by (the search compiles each to an indexed column). */
export const LIBRARY_SORT_COLUMNS = ['title', 'artist', 'album', 'genre', 'year', 'bpm', 'key', 'duration', 'rating', 'plays', 'lastPlayed', 'added', 'lufs'] as const;
export type LibrarySortColumn = (typeof LIBRARY_SORT_COLUMNS)[number];

export const MEDIA_KINDS = ['track', 'cover'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The page-relative path of a track's audio or cover, in the web host and in Electron alike. */
export function mediaPath(kind: MediaKind, trackId: number): string {
  return `/media/${kind}/${trackId}`;
}

const TrackIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const PlaylistIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const pathSchema = z
  .string()
  .min(1, 'A path cannot be empty')
  .max(4096, 'That path is too long')
  .refine((value) => !value.includes('\0'), 'A path cannot contain a NUL character');

const playlistName = z.string().trim().min(1, 'A name cannot be empty').max(200, 'A name can be at most 200 characters');

/** One row of the track list. */
export const TrackSummarySchema = z.object({
  id: z.number().int(),
  path: z.string(),
  title: z.string(),
  artist: z.string(),
  album: z.string(),
  genre: z.string(),
  year: z.number().int().nullable(),
  trackNumber: z.number().int().nullable(),
  bpm: z.number().nullable(),
  /** "8A" */
  keyCamelot: z.string().nullable(),
  /** "A minor" */
  keyName: z.string().nullable(),
  durationSec: z.number().nullable(),
  /** EBU R128 integrated loudness. */
  lufs: z.number().nullable(),
  truePeakDbtp: z.number().nullable(),
  rating: z.number().int().min(0).max(5),
  liked: z.boolean(),
  playCount: z.number().int(),
  /** Epoch ms. */
  lastPlayedAt: z.number().nullable(),
  hasCover: z.boolean(),
});
export type TrackSummary = z.infer<typeof TrackSummarySchema>;

export const CuePointSchema = z.object({
  kind: z.enum(['cue', 'hot', 'loop']),
  slot: z.number().int().min(0).max(31).nullable(),
  positionSec: z.number().min(0),
  /** Loops only: where the loop ends. */
  endSec: z.number().min(0).nullable(),
  label: z.string().max(200),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i, 'A colour is #rrggbb')
    .nullable(),
});
export type CuePoint = z.infer<typeof CuePointSchema>;

/** Everything about one track, for the player and the details panel. */
export const TrackDetailsSchema = TrackSummarySchema.extend({
  status: z.enum(['ok', 'unreadable', 'missing']),
  statusReason: z.string().nullable(),
  albumArtist: z.string(),
  discNumber: z.number().int().nullable(),
  codec: z.string().nullable(),
  sampleRate: z.number().int().nullable(),
  channels: z.number().int().nullable(),
  bitrateKbps: z.number().nullable(),
  fileSizeBytes: z.number().int(),
  /** Priming samples the encoder put before the music (MP3 LAME / AAC iTunSMPB), at `sampleRate`; skip them for gapless joins. */
  encoderDelaySamples: z.number().int().nullable(),
  /** Samples the encoder appended after the music; drop them for gapless joins. */
  encoderPaddingSamples: z.number().int().nullable(),
  bpmConfidence: z.number().nullable(),
  keyConfidence: z.number().nullable(),
  replayGain: z.object({
    trackGainDb: z.number().nullable(),
    trackPeak: z.number().nullable(),
    albumGainDb: z.number().nullable(),
    albumPeak: z.number().nullable(),
  }),
  /** Album loudness (mean of the album's tracks' integrated LUFS), for album-mode normalisation. */
  albumLufs: z.number().nullable(),
  /** Plain (unsynchronised) lyrics, from tags. */
  lyrics: z.string(),
  /** LRC text: from a .lrc file beside the audio, or the tags' synchronised lyrics turned into LRC. */
  syncedLyrics: z.string().nullable(),
  /** Waveform overview: per bucket min/max over all channels and RMS, each in [-1, 1]. Null until analysed. */
  waveform: z
    .object({
      bucketCount: z.number().int(),
      /** Seconds of audio per bucket. */
      bucketSec: z.number(),
      min: z.array(z.number()),
      max: z.array(z.number()),
      rms: z.array(z.number()),
    })
    .nullable(),
  cuePoints: z.array(CuePointSchema),
  audioUrl: z.string(),
  coverUrl: z.string().nullable(),
  coverMime: z.string().nullable(),
  /** Epoch ms. */
  addedAt: z.number(),
  analysedAt: z.number().nullable(),
});
export type TrackDetails = z.infer<typeof TrackDetailsSchema>;

export const LibraryFolderSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  watching: z.boolean(),
  trackCount: z.number().int(),
  addedAt: z.number(),
});
export type LibraryFolder = z.infer<typeof LibraryFolderSchema>;

export const ScanFileErrorSchema = z.object({ path: z.string(), reason: z.string() });
export type ScanFileError = z.infer<typeof ScanFileErrorSchema>;

export const ScanProgressSchema = z.object({
  jobId: z.number().int(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** listing: walking folders; reading: tags and analysis. */
  phase: z.enum(['listing', 'reading', 'finished']),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  /** The file being read now (null while listing or when finished). */
  currentFile: z.string().nullable(),
  /** Estimated from the pace so far; null until a few files are done. */
  timeLeftSec: z.number().nullable(),
  added: z.number().int(),
  updated: z.number().int(),
  /** Files no longer on disk, taken out of the library. */
  removed: z.number().int(),
  errorCount: z.number().int(),
  /** Unreadable files with their reason (the most recent 200). */
  errors: z.array(ScanFileErrorSchema),
  /** Why the whole scan failed, when state is 'failed'. */
  failure: z.string().nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

export const PlaylistKindSchema = z.enum(['playlist', 'crate', 'smart']);
export const PlaylistSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: PlaylistKindSchema,
  /** Smart playlists: the saved search. */
  smartQuery: z.string().nullable(),
  smartSort: z.enum(LIBRARY_SORT_COLUMNS).nullable(),
  smartDescending: z.boolean(),
  trackCount: z.number().int(),
  durationSec: z.number(),
  position: z.number().int(),
  updatedAt: z.number(),
});
export type Playlist = z.infer<typeof PlaylistSchema>;

export const PlaylistEntrySchema = TrackSummarySchema.extend({
  /** The entry's own id (a track may be in a playlist twice); null in smart playlists. */
  entryId: z.number().int().nullable(),
  position: z.number().int(),
});
export type PlaylistEntry = z.infer<typeof PlaylistEntrySchema>;

export const HistoryEntrySchema = z.object({
  id: z.number().int(),
  trackId: z.number().int(),
  title: z.string(),
  artist: z.string(),
  playedAt: z.number(),
  playedSec: z.number(),
  outcome: z.enum(['played', 'skipped']),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

const windowInput = {
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
};

export const librarySearchInput = z
  .object({
    query: z.string().max(2000, 'A search can be at most 2000 characters').default(''),
    sort: z.enum(LIBRARY_SORT_COLUMNS).default('artist'),
    descending: z.boolean().default(false),
    ...windowInput,
  })
  .strict();

export const libraryCalls = {
  'library.search': defineCall({
    input: librarySearchInput,
    output: z.object({
      /** How many tracks match in all. */
      total: z.number().int(),
      rows: z.array(TrackSummarySchema),
      /** Sentences about parts of the query that were not understood (they were left out). */
      problems: z.array(z.string()),
    }),
    summary: 'Search the library with the search language (artist: bpm:120-128 key:~8A -term "phrase" …); one window of rows and the total.',
  }),
  'library.track': defineCall({
    input: z.object({ id: TrackIdSchema }).strict(),
    output: TrackDetailsSchema,
    summary: 'Everything about one track: tags, analysis, ReplayGain, encoder delay/padding, lyrics, waveform, cue points, media URLs.',
  }),
  'library.mediaUrls': defineCall({
    input: z.object({ id: TrackIdSchema }).strict(),
    output: z.object({ audioUrl: z.string(), coverUrl: z.string().nullable() }),
    summary: 'Where this page can load a track’s audio and cover: /media/track/<id> and /media/cover/<id> on the page’s own origin.',
  }),
  'library.mediaFile': defineCall({
    input: z.object({ kind: z.enum(MEDIA_KINDS), id: TrackIdSchema }).strict(),
    output: z.object({ path: z.string(), contentType: z.string(), sizeBytes: z.number().int(), modifiedMs: z.number() }),
    summary:
      'The checked file behind /media/<kind>/<id> (used by the web host’s /media route and Electron’s app:// handler): only files of library tracks inside the library’s folders, symlinks resolved.',
  }),
  'library.browse': defineCall({
    input: z.object({ by: z.enum(['artist', 'album', 'genre']), ...windowInput }).strict(),
    output: z.object({
      total: z.number().int(),
      items: z.array(z.object({ name: z.string(), artist: z.string().nullable(), trackCount: z.number().int() })),
    }),
    summary: 'Artists, albums or genres with their track counts.',
  }),

  'library.folders.list': defineCall({
    input: empty,
    output: z.object({ folders: z.array(LibraryFolderSchema) }),
    summary: 'The music folders the library reads and watches.',
  }),
  'library.folders.add': defineCall({
    input: z.object({ path: pathSchema, scan: z.boolean().default(true) }).strict(),
    output: z.object({ folder: LibraryFolderSchema, folders: z.array(LibraryFolderSchema) }),
    summary: 'Add a music folder (absolute path), start watching it and, unless scan is false, scan it.',
  }),
  'library.folders.remove': defineCall({
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ folders: z.array(LibraryFolderSchema), removedTracks: z.number().int() }),
    summary: 'Stop reading a folder; its tracks leave the library (the files stay on disk).',
  }),

  'library.scan': defineCall({
    input: z.object({ folderIds: z.array(z.number().int().positive()).max(64).optional() }).strict(),
    output: ScanProgressSchema,
    summary: 'Scan all folders (or these): new, changed and deleted files. Progress comes as library.scanProgress events; an unfinished scan resumes after a restart.',
  }),
  'library.cancelScan': defineCall({
    input: empty,
    output: z.object({ cancelled: z.boolean() }),
    summary: 'Stop the running scan; what was read stays in the library.',
  }),
  'library.scanStatus': defineCall({
    input: empty,
    output: z.object({ progress: ScanProgressSchema.nullable() }),
    summary: 'The running (or last) scan’s progress, for a page opened mid-scan.',
  }),
  'library.unreadable': defineCall({
    input: z.object({ ...windowInput }).strict(),
    output: z.object({ total: z.number().int(), files: z.array(ScanFileErrorSchema) }),
    summary: 'Files in the folders that could not be read, with the reason.',
  }),

  'library.playlists.list': defineCall({
    input: empty,
    output: z.object({ playlists: z.array(PlaylistSchema) }),
    summary: 'Playlists, crates and smart playlists, in the user’s order.',
  }),
  'library.playlists.create': defineCall({
    input: z
      .object({
        name: playlistName,
        kind: z.enum(['playlist', 'crate']).default('playlist'),
        trackIds: z.array(TrackIdSchema).max(10_000).default([]),
      })
      .strict(),
    output: PlaylistSchema,
    summary: 'A new playlist or crate, optionally with tracks.',
  }),
  'library.playlists.createSmart': defineCall({
    input: z
      .object({
        name: playlistName,
        query: z.string().min(1, 'A smart playlist needs a search').max(2000),
        sort: z.enum(LIBRARY_SORT_COLUMNS).default('artist'),
        descending: z.boolean().default(false),
      })
      .strict(),
    output: PlaylistSchema,
    summary: 'A smart playlist saved from a search: its tracks are always the search’s current answer.',
  }),
  'library.playlists.update': defineCall({
    input: z
      .object({
        id: PlaylistIdSchema,
        name: playlistName.optional(),
        query: z.string().min(1).max(2000).optional(),
        sort: z.enum(LIBRARY_SORT_COLUMNS).optional(),
        descending: z.boolean().optional(),
      })
      .strict(),
    output: PlaylistSchema,
    summary: 'Rename a playlist, or change a smart playlist’s search.',
  }),
  'library.playlists.delete': defineCall({
    input: z.object({ id: PlaylistIdSchema }).strict(),
    output: ok,
    summary: 'Delete a playlist (its tracks stay in the library).',
  }),
  'library.playlists.reorder': defineCall({
    input: z.object({ ids: z.array(PlaylistIdSchema).min(1).max(10_000) }).strict(),
    output: z.object({ playlists: z.array(PlaylistSchema) }),
    summary: 'Put the playlists in this order (every playlist id, each once).',
  }),
  'library.playlists.tracks': defineCall({
    input: z.object({ id: PlaylistIdSchema, ...windowInput }).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(PlaylistEntrySchema) }),
    summary: 'A window of a playlist’s tracks in order (smart: the saved search’s answer).',
  }),
  'library.playlists.addTracks': defineCall({
    input: z
      .object({
        id: PlaylistIdSchema,
        trackIds: z.array(TrackIdSchema).min(1).max(10_000),
        /** Where to insert (0 = top); default the end. */
        atIndex: z.number().int().min(0).optional(),
      })
      .strict(),
    output: PlaylistSchema,
    summary: 'Add tracks (by drag or shortcut) at a position or at the end.',
  }),
  'library.playlists.removeEntries': defineCall({
    input: z.object({ id: PlaylistIdSchema, entryIds: z.array(z.number().int().positive()).min(1).max(10_000) }).strict(),
    output: PlaylistSchema,
    summary: 'Take entries out of a playlist.',
  }),
  'library.playlists.moveEntries': defineCall({
    input: z
      .object({
        id: PlaylistIdSchema,
        entryIds: z.array(z.number().int().positive()).min(1).max(10_000),
        /** Index in the list without the moved entries where they land, in the order given. */
        toIndex: z.number().int().min(0),
      })
      .strict(),
    output: PlaylistSchema,
    summary: 'Reorder by drag: move entries to a new position.',
  }),
  'library.playlists.importM3u8': defineCall({
    input: z
      .object({
        name: playlistName.optional(),
        /** The playlist's text (from a file picked in the page)… */
        text: z.string().max(10_000_000).optional(),
        /** …whose relative entries are resolved against this folder; or an .m3u8 file on disk to read. */
        basePath: pathSchema.optional(),
        path: pathSchema.optional(),
      })
      .strict()
      .refine((value) => (value.text === undefined) !== (value.path === undefined), 'Give either the playlist text or the path of an .m3u8 file'),
    output: z.object({ playlist: PlaylistSchema, matched: z.number().int(), missing: z.array(z.string()) }),
    summary: 'Import an M3U/M3U8 playlist; entries not in the library are listed as missing.',
  }),
  'library.playlists.exportM3u8': defineCall({
    input: z.object({ id: PlaylistIdSchema, relativeTo: pathSchema.optional() }).strict(),
    output: z.object({ fileName: z.string(), text: z.string() }),
    summary: 'A playlist as M3U8 text (#EXTM3U with #EXTINF), paths absolute or relative to a folder.',
  }),

  'library.history.record': defineCall({
    input: z
      .object({
        trackId: TrackIdSchema,
        outcome: z.enum(['played', 'skipped']),
        playedSec: z.number().min(0).max(86_400),
        context: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ playCount: z.number().int(), skipCount: z.number().int() }),
    summary: 'Record that a track was played (counts as a play) or skipped.',
  }),
  'library.history.list': defineCall({
    input: z.object({ ...windowInput }).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(HistoryEntrySchema) }),
    summary: 'Play history, newest first.',
  }),
  'library.nowPlaying': defineCall({
    input: z.object({ trackId: TrackIdSchema.nullable() }).strict(),
    output: ok,
    summary: 'The player started (or stopped) a track; broadcast overlays follow library.nowPlayingChanged.',
  }),
  'library.rate': defineCall({
    input: z.object({ trackId: TrackIdSchema, rating: z.number().int().min(0).max(5) }).strict(),
    output: TrackSummarySchema,
    summary: 'Rate a track 0–5 stars (0 = unrated).',
  }),
  'library.like': defineCall({
    input: z.object({ trackId: TrackIdSchema, liked: z.boolean() }).strict(),
    output: TrackSummarySchema,
    summary: 'Like or unlike a track.',
  }),
  'library.cuePoints.save': defineCall({
    input: z.object({ trackId: TrackIdSchema, cuePoints: z.array(CuePointSchema).max(256) }).strict(),
    output: z.object({ cuePoints: z.array(CuePointSchema) }),
    summary: 'Replace a track’s cue points, hot cues and loops.',
  }),
};

export const libraryEvents = {
  'library.scanProgress': defineEvent({
    payload: ScanProgressSchema,
    summary: 'Scan progress: files done/total, current file, time left, errors (at most ~5 a second, and once at the end).',
  }),
  'library.changed': defineEvent({
    payload: z.object({
      what: z.enum(['tracks', 'folders', 'playlists', 'history']),
      /** Tracks that changed, when few; absent means "reload what you show". */
      trackIds: z.array(z.number().int()).max(500).optional(),
    }),
    summary: 'Library content changed (scan, folder watcher, playlists, ratings): reload what is shown.',
  }),
  'library.nowPlayingChanged': defineEvent({
    payload: z.object({ track: TrackSummarySchema.nullable(), startedAt: z.number().nullable() }),
    summary: 'What the player is playing now (for overlays and the broadcaster).',
  }),
};
