import { describe, expect, it } from 'vitest';
import { degradedReason, EncodeHealthMonitor, nextRemedy, type HealthChange } from './overload';
import { LANDSCAPE_PROFILE, type EncodeProfile } from './presets';

const HD: EncodeProfile = { ...LANDSCAPE_PROFILE, width: 1920, height: 1080, fps: 30, x264Preset: 'medium' };

/** One progress sample a second, `encodedFps` frames a second encoded, media time at `speed`. */
function feed(
  monitor: EncodeHealthMonitor,
  fromSec: number,
  seconds: number,
  encodedFps: number,
  state: { frames: number; outTimeSec: number; missing: number },
  options: { speed?: number; rendererMissingFps?: number } = {},
): HealthChange[] {
  const changes: HealthChange[] = [];
  for (let second = fromSec; second < fromSec + seconds; second++) {
    state.frames += encodedFps;
    state.outTimeSec += options.speed ?? 1;
    state.missing += options.rendererMissingFps ?? 0;
    changes.push(monitor.observe({ atMs: second * 1000, frames: state.frames, outTimeSec: state.outTimeSec, rendererMissingFrames: state.missing }));
  }
  return changes.filter((change) => change !== null);
}

describe('the remedy ladder', () => {
  it('goes to a faster preset first, then a smaller picture, then fewer frames', () => {
    const first = nextRemedy(HD)!;
    expect(first.step).toBe('preset');
    expect(first.changes).toEqual({ x264Preset: 'veryfast' });
    expect(first.description).toContain('"medium"');

    const second = nextRemedy({ ...HD, ...first.changes })!;
    expect(second).toMatchObject({ step: 'resolution', changes: { width: 1280, height: 720 } });
    expect(second.description).toContain('1280×720 instead of 1920×1080');

    expect(nextRemedy({ ...HD, x264Preset: 'veryfast', width: 1280, height: 720 })!.changes).toEqual({ width: 960, height: 540 });
    // Portrait keeps its shape: the short side is the width.
    expect(nextRemedy({ ...HD, x264Preset: 'veryfast', width: 720, height: 1280 })!.changes).toEqual({ width: 540, height: 960 });

    const smallest = { ...HD, x264Preset: 'veryfast' as const, width: 640, height: 360 };
    expect(nextRemedy(smallest)).toMatchObject({ step: 'frame-rate', changes: { fps: 24 } });
    expect(nextRemedy({ ...smallest, fps: 60 })!.changes).toEqual({ fps: 30 });
    expect(nextRemedy({ ...smallest, fps: 24 })).toBeNull();
  });

  it('leaves a preset that is already fast alone', () => {
    expect(nextRemedy({ ...HD, x264Preset: 'ultrafast' })!.step).toBe('resolution');
  });
});

describe('EncodeHealthMonitor', () => {
  it('says nothing while the encoder keeps up', () => {
    const monitor = new EncodeHealthMonitor(HD);
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    expect(feed(monitor, 0, 30, 30, state)).toEqual([]);
    const health = monitor.health();
    expect(health).toMatchObject({ overloaded: false, reason: null, remedy: null, encoderDroppedFrames: 0 });
    expect(health.encodedFps).toBeCloseTo(30, 5);
  });

  it('reports overload in words after a few seconds of frames dropped, offers the remedy, and clears it once caught up', () => {
    const monitor = new EncodeHealthMonitor(HD);
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    feed(monitor, 0, 10, 30, state);
    // Media time keeps pace (the late frames are dropped), but only 9 of 30 frames a second are encoded.
    const changes = feed(monitor, 10, 10, 9, state);
    expect(changes).toEqual(['overloaded']);
    const health = monitor.health();
    expect(health.overloaded).toBe(true);
    expect(health.reason).toMatch(/^Encoding overloaded: the computer cannot encode 1920×1080 at 30 fps fast enough \(9\.0 fps encoded/);
    expect(health.reason).toContain('The sound stays whole');
    expect(health.reason).toContain('Suggested: Switch x264 from the "medium" preset to "veryfast"');
    expect(health.remedy?.step).toBe('preset');
    expect(health.encoderDroppedFrames).toBe(10 * 21);

    // A second of keeping up is not enough; five are.
    expect(feed(monitor, 20, 3, 30, state)).toEqual([]);
    expect(monitor.health().overloaded).toBe(true);
    expect(feed(monitor, 23, 12, 30, state)).toEqual(['recovered']);
    expect(monitor.health()).toMatchObject({ overloaded: false, reason: null, remedy: null });
  });

  it('keeps an inherited overload (a remedy restarted the encoder) until the new encoder has kept up for a while', () => {
    const monitor = new EncodeHealthMonitor({ ...HD, x264Preset: 'veryfast' });
    monitor.inheritOverload(0);
    expect(monitor.health()).toMatchObject({ overloaded: true, remedy: { step: 'resolution' } });
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    expect(feed(monitor, 0, 6, 30, state)).toEqual([]);
    expect(feed(monitor, 6, 6, 30, state)).toEqual(['recovered']);
  });

  it('does not ask for more frames while the muxer catches up on buffered sound (media time faster than the wall clock)', () => {
    const monitor = new EncodeHealthMonitor(HD);
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    expect(feed(monitor, 0, 12, 30, state, { speed: 1.2 })).toEqual([]);
  });

  it('counts a slow media clock as overload too', () => {
    const monitor = new EncodeHealthMonitor(HD);
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    expect(feed(monitor, 0, 12, 15, state, { speed: 0.5 })).toEqual(['overloaded']);
    expect(monitor.health().speed).toBeCloseTo(0.5, 5);
  });

  it('does not blame the encoder for frames the renderer never sent', () => {
    const monitor = new EncodeHealthMonitor(HD);
    const state = { frames: 0, outTimeSec: 0, missing: 0 };
    expect(feed(monitor, 0, 20, 0, state, { rendererMissingFps: 30 })).toEqual([]);
    expect(monitor.health()).toMatchObject({ overloaded: false, encoderDroppedFrames: 0, rendererMissingFrames: 600 });
  });
});

describe('degradedReason', () => {
  it('flags a target far below its bitrate, with the likely cause', () => {
    expect(degradedReason('Twitch', 3400, 3660, false)).toBeNull();
    expect(degradedReason('Twitch', 600, 3660, false)).toBe('Twitch receives 600 kbps of the 3660 kbps it should: the connection cannot carry it.');
    expect(degradedReason('Twitch', 600, 3660, true)).toContain('the encoder cannot keep up');
  });
});
