import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_LUFS, normalisationGain, type NormalisationSettings, type TrackLoudness } from './normalisation';

const none: TrackLoudness = {
  lufs: null,
  truePeakDbtp: null,
  replayGainTrackGainDb: null,
  replayGainTrackPeak: null,
  replayGainAlbumGainDb: null,
  replayGainAlbumPeak: null,
};
const track: NormalisationSettings = { mode: 'track', targetLufs: DEFAULT_TARGET_LUFS, truePeakCeilingDbtp: -1 };

describe('loudness normalisation', () => {
  it('turns a loud master down to the target', () => {
    const gain = normalisationGain({ ...none, lufs: -8, truePeakDbtp: 0.5 }, track);
    expect(gain.gainDb).toBeCloseTo(-6, 10);
    expect(gain.linearGain).toBeCloseTo(0.501, 3);
    expect(gain).toMatchObject({ source: 'measured', limitedByPeak: false });
  });

  it('boosts a quiet track only as far as the true-peak ceiling allows', () => {
    // Wants +8 dB, but a peak at −4 dBTP leaves 3 dB under the −1 dBTP ceiling.
    const gain = normalisationGain({ ...none, lufs: -22, truePeakDbtp: -4 }, track);
    expect(gain.gainDb).toBeCloseTo(3, 10);
    expect(gain.limitedByPeak).toBe(true);
    expect(normalisationGain({ ...none, lufs: -22, truePeakDbtp: -12 }, track).gainDb).toBeCloseTo(8, 10);
  });

  it('never boosts a quiet track that already peaks past the ceiling, and never cuts it for that alone', () => {
    const gain = normalisationGain({ ...none, lufs: -20, truePeakDbtp: 0.2 }, track);
    expect(gain.gainDb).toBe(0);
    expect(gain.limitedByPeak).toBe(true);
  });

  it('falls back to ReplayGain tags, shifted from their −18 LUFS reference to the target', () => {
    const gain = normalisationGain({ ...none, replayGainTrackGainDb: -5, replayGainTrackPeak: 0.5 }, track);
    // −5 dB reaches −18 LUFS, so −14 LUFS needs −1 dB.
    expect(gain.gainDb).toBeCloseTo(-1, 10);
    expect(gain.source).toBe('replaygain-track');
  });

  it('uses the album gain in album mode so tracks of one album keep their relative levels', () => {
    const albumMode: NormalisationSettings = { ...track, mode: 'album' };
    const quietTrack = normalisationGain({ ...none, lufs: -20, albumLufs: -11, truePeakDbtp: -3 }, albumMode);
    const loudTrack = normalisationGain({ ...none, lufs: -10, albumLufs: -11, truePeakDbtp: -0.5 }, albumMode);
    expect(quietTrack.gainDb).toBeCloseTo(-3, 10);
    expect(loudTrack.gainDb).toBeCloseTo(-3, 10);
    const tagged = normalisationGain({ ...none, replayGainAlbumGainDb: 2, replayGainAlbumPeak: 0.25 }, albumMode);
    // +2 + 4 = +6 wanted; album peak 0.25 is −12 dBFS, so +6 fits under −1.
    expect(tagged).toMatchObject({ source: 'replaygain-album', limitedByPeak: false });
    expect(tagged.gainDb).toBeCloseTo(6, 10);
  });

  it('leaves tracks alone when off or when nothing is known', () => {
    expect(normalisationGain({ ...none, lufs: -8 }, { ...track, mode: 'off' }).gainDb).toBe(0);
    expect(normalisationGain(none, track)).toMatchObject({ gainDb: 0, linearGain: 1, source: 'none' });
  });
});
