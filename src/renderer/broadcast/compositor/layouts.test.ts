import { describe, expect, it } from 'vitest';
import { computeLayout, coverCrop, fitText, sceneSizeFor, type Rect } from './layouts';

const inside = (inner: Rect, outer: { width: number; height: number }): boolean =>
  inner.x >= 0 && inner.y >= 0 && inner.x + inner.width <= outer.width && inner.y + inner.height <= outer.height;

describe('scene layouts', () => {
  it('lays the scene out at 1280×720 for 16:9 and 720×1280 for 9:16, every element on the canvas', () => {
    for (const id of ['landscape', 'portrait'] as const) {
      const layout = computeLayout(id);
      expect(layout.width / layout.height).toBeCloseTo(id === 'landscape' ? 16 / 9 : 9 / 16, 3);
      for (const rect of [layout.camera, layout.visualizer, layout.logo, layout.tempo, layout.banner, layout.nowPlaying]) {
        expect(inside(rect, layout)).toBe(true);
        expect(rect.width).toBeGreaterThan(0);
        expect(rect.height).toBeGreaterThan(0);
      }
    }
  });

  it('keeps text the same size on a phone whichever way the stream is shaped', () => {
    expect(computeLayout('landscape').fontPx).toEqual(computeLayout('portrait').fontPx);
  });

  it('refuses a scene with no area', () => {
    expect(() => computeLayout('landscape', 0, 720)).toThrow(/positive size/);
  });

  it('crops a 16:9 camera to fill a 9:16 scene from its centre, without stretching', () => {
    const out: Rect = { x: 0, y: 0, width: 0, height: 0 };
    const crop = coverCrop(1280, 720, { x: 0, y: 0, width: 720, height: 1280 }, out);
    expect(crop).toBe(out);
    expect(crop.height).toBe(720);
    expect(crop.width).toBeCloseTo(405, 0);
    expect(crop.x).toBeCloseTo((1280 - 405) / 2, 0);
    const tall = coverCrop(720, 1280, { x: 0, y: 0, width: 1280, height: 720 }, out);
    expect(tall.width).toBe(720);
    expect(tall.height).toBeCloseTo(405, 0);
  });

  it('shortens a long now-playing line with an ellipsis so it fits its box', () => {
    const measure = (text: string): number => text.length * 10;
    expect(fitText('Short', 100, measure)).toBe('Short');
    const fitted = fitText('Daft Punk — Around the World (Live 1997)', 150, measure);
    expect(fitted.endsWith('…')).toBe(true);
    expect(measure(fitted)).toBeLessThanOrEqual(150);
  });

  it('draws the scene at the size of the largest target of its shape, never above 1080p', () => {
    const landscape = { width: 640, height: 360 };
    const portrait = { width: 360, height: 640 };
    expect(sceneSizeFor('landscape', [landscape, portrait])).toEqual({ width: 640, height: 360 });
    expect(sceneSizeFor('portrait', [landscape, portrait])).toEqual({ width: 360, height: 640 });
    expect(sceneSizeFor('landscape', [{ width: 1280, height: 720 }, landscape])).toEqual({ width: 1280, height: 720 });
    expect(sceneSizeFor('landscape', [{ width: 3840, height: 2160 }])).toEqual({ width: 1920, height: 1080 });
    // Only portrait targets: the landscape scene is still as sharp as they are.
    expect(sceneSizeFor('landscape', [{ width: 720, height: 1280 }])).toEqual({ width: 1280, height: 720 });
    expect(sceneSizeFor('landscape', [])).toEqual({ width: 1280, height: 720 });
  });
});
