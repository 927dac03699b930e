/**
 * Loudness normalisation: the gain that brings a track (or its album) to a target loudness,
 * from our own EBU R128 measurement or, failing that, the file's ReplayGain tags, and never so
 * much that the track's true peak would rise past a ceiling (−1 dBTP by default), because a
 * player has no limiter and a boosted peak would clip.
 */

export const DEFAULT_TARGET_LUFS = -14;
export const DEFAULT_TRUE_PEAK_CEILING_DBTP = -1;
/** ReplayGain 2.0 gains are relative to a −18 LUFS reference. */
export const REPLAYGAIN_REFERENCE_LUFS = -18;

export type NormalisationMode = 'off' | 'track' | 'album';

export interface TrackLoudness {
  /** Integrated loudness we measured (EBU R128), if analysed. */
  readonly lufs: number | null;
  readonly truePeakDbtp: number | null;
  readonly replayGainTrackGainDb: number | null;
  /** Linear sample peak (1.0 = full scale), as ReplayGain tags store it. */
  readonly replayGainTrackPeak: number | null;
  readonly replayGainAlbumGainDb: number | null;
  readonly replayGainAlbumPeak: number | null;
  /** The album's integrated loudness, when the library knows it (album mode). */
  readonly albumLufs?: number | null;
}

export interface NormalisationSettings {
  readonly mode: NormalisationMode;
  readonly targetLufs: number;
  readonly truePeakCeilingDbtp: number;
}

export interface NormalisationGain {
  readonly gainDb: number;
  readonly linearGain: number;
  /** Where the loudness came from; 'none' means the track plays as it is. */
  readonly source: 'measured' | 'replaygain-track' | 'replaygain-album' | 'measured-album' | 'none';
  /** True when the peak ceiling cut the gain below what the loudness alone asked for. */
  readonly limitedByPeak: boolean;
}

export function dbToLinear(gainDb: number): number {
  return 10 ** (gainDb / 20);
}

export function linearToDb(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}

const UNCHANGED: NormalisationGain = { gainDb: 0, linearGain: 1, source: 'none', limitedByPeak: false };

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function normalisationGain(track: TrackLoudness, settings: NormalisationSettings): NormalisationGain {
  if (settings.mode === 'off') return UNCHANGED;
  let wantedDb: number | null = null;
  let peakDbtp: number | null = null;
  let source: NormalisationGain['source'] = 'none';

  if (settings.mode === 'album' && finite(track.albumLufs)) {
    wantedDb = settings.targetLufs - track.albumLufs;
    source = 'measured-album';
  } else if (settings.mode === 'album' && finite(track.replayGainAlbumGainDb)) {
    // The tag's gain reaches −18 LUFS; shift it to our target.
    wantedDb = track.replayGainAlbumGainDb + (settings.targetLufs - REPLAYGAIN_REFERENCE_LUFS);
    source = 'replaygain-album';
    if (finite(track.replayGainAlbumPeak)) peakDbtp = linearToDb(track.replayGainAlbumPeak);
  } else if (finite(track.lufs)) {
    wantedDb = settings.targetLufs - track.lufs;
    source = 'measured';
  } else if (finite(track.replayGainTrackGainDb)) {
    wantedDb = track.replayGainTrackGainDb + (settings.targetLufs - REPLAYGAIN_REFERENCE_LUFS);
    source = 'replaygain-track';
  }
  if (wantedDb === null) return UNCHANGED;

  // The track's own true peak is what gets boosted, whichever loudness we aimed by.
  if (finite(track.truePeakDbtp)) peakDbtp = track.truePeakDbtp;
  else if (peakDbtp === null && finite(track.replayGainTrackPeak)) peakDbtp = linearToDb(track.replayGainTrackPeak);

  let gainDb = wantedDb;
  let limitedByPeak = false;
  if (peakDbtp !== null && Number.isFinite(peakDbtp)) {
    const headroomDb = settings.truePeakCeilingDbtp - peakDbtp;
    if (gainDb > headroomDb) {
      // Cutting to reach the target is always allowed; only a boost is capped by the headroom.
      // A track already past the ceiling is left at unity rather than pulled below its target.
      gainDb = Math.min(wantedDb, Math.max(Math.min(wantedDb, 0), headroomDb));
      limitedByPeak = gainDb < wantedDb;
    }
  }
  return { gainDb, linearGain: dbToLinear(gainDb), source, limitedByPeak };
}
