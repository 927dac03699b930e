/**
 * Where each element of the scene goes, for the two shapes platforms take: 16:9 (Twitch,
 * YouTube, Facebook, Kick) and 9:16 (TikTok). Rectangles are computed once per layout in output
 * pixels, so the drawing loop only reads numbers.
 */

export type SceneLayoutId = 'landscape' | 'portrait';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SceneLayout {
  id: SceneLayoutId;
  width: number;
  height: number;
  camera: Rect;
  visualizer: Rect;
  logo: Rect;
  tempo: Rect;
  banner: Rect;
  nowPlaying: Rect;
  /** Text sizes in pixels, derived from the short side so both shapes read alike on a phone. */
  fontPx: { label: number; title: number; tempo: number; banner: number };
  /** Inner padding of the boxes. */
  paddingPx: number;
}

export const LAYOUT_SIZES: Readonly<Record<SceneLayoutId, { width: number; height: number }>> = {
  landscape: { width: 1280, height: 720 },
  portrait: { width: 720, height: 1280 },
};

interface Fractions {
  camera: Rect;
  visualizer: Rect;
  logo: Rect;
  tempo: Rect;
  banner: Rect;
  nowPlaying: Rect;
}

// In fractions of the output's width and height.
const FRACTIONS: Readonly<Record<SceneLayoutId, Fractions>> = {
  landscape: {
    camera: { x: 0, y: 0, width: 1, height: 1 },
    visualizer: { x: 0, y: 0.7, width: 1, height: 0.24 },
    logo: { x: 0.03, y: 0.05, width: 0.16, height: 0.1 },
    tempo: { x: 0.83, y: 0.05, width: 0.14, height: 0.1 },
    banner: { x: 0, y: 0.94, width: 1, height: 0.06 },
    nowPlaying: { x: 0.03, y: 0.72, width: 0.55, height: 0.14 },
  },
  portrait: {
    camera: { x: 0, y: 0, width: 1, height: 1 },
    visualizer: { x: 0, y: 0.74, width: 1, height: 0.2 },
    logo: { x: 0.05, y: 0.04, width: 0.36, height: 0.06 },
    tempo: { x: 0.65, y: 0.04, width: 0.3, height: 0.06 },
    banner: { x: 0, y: 0.94, width: 1, height: 0.06 },
    nowPlaying: { x: 0.05, y: 0.62, width: 0.9, height: 0.1 },
  },
};

function toPixels(rect: Rect, width: number, height: number): Rect {
  return {
    x: Math.round(rect.x * width),
    y: Math.round(rect.y * height),
    width: Math.round(rect.width * width),
    height: Math.round(rect.height * height),
  };
}

export function computeLayout(id: SceneLayoutId, width = LAYOUT_SIZES[id].width, height = LAYOUT_SIZES[id].height): SceneLayout {
  if (!(width > 0 && height > 0)) throw new RangeError(`A scene needs a positive size, not ${width}×${height}.`);
  const fractions = FRACTIONS[id];
  const shortSide = Math.min(width, height);
  return {
    id,
    width,
    height,
    camera: toPixels(fractions.camera, width, height),
    visualizer: toPixels(fractions.visualizer, width, height),
    logo: toPixels(fractions.logo, width, height),
    tempo: toPixels(fractions.tempo, width, height),
    banner: toPixels(fractions.banner, width, height),
    nowPlaying: toPixels(fractions.nowPlaying, width, height),
    fontPx: {
      label: Math.round(shortSide * 0.024),
      title: Math.round(shortSide * 0.045),
      tempo: Math.round(shortSide * 0.05),
      banner: Math.round(shortSide * 0.03),
    },
    paddingPx: Math.round(shortSide * 0.02),
  };
}

/**
 * The size to draw the scene at for a set: the largest target of the scene's shape, so the
 * encoders never upscale and the browser never draws (and VP8-encodes) pixels no target keeps.
 * Capped at 1920 on the long side; even numbers, as video encoders want.
 */
export function sceneSizeFor(layoutId: SceneLayoutId, profiles: readonly { width: number; height: number }[]): { width: number; height: number } {
  const portrait = layoutId === 'portrait';
  const sameShape = profiles.filter((profile) => (profile.height > profile.width) === portrait);
  const candidates = sameShape.length ? sameShape : profiles;
  if (candidates.length === 0) return { ...LAYOUT_SIZES[layoutId] };
  const longSide = Math.min(1920, Math.max(...candidates.map((profile) => Math.max(profile.width, profile.height))));
  const shortSide = Math.round((longSide * 9) / 16 / 2) * 2;
  const even = Math.round(longSide / 2) * 2;
  return portrait ? { width: shortSide, height: even } : { width: even, height: shortSide };
}

/**
 * The part of a source of `sourceWidth`×`sourceHeight` to draw so it covers `target` without
 * distortion (centre crop), written into `out` so the drawing loop allocates nothing.
 */
export function coverCrop(sourceWidth: number, sourceHeight: number, target: Rect, out: Rect): Rect {
  if (sourceWidth <= 0 || sourceHeight <= 0) {
    out.x = 0;
    out.y = 0;
    out.width = 0;
    out.height = 0;
    return out;
  }
  const sourceAspect = sourceWidth / sourceHeight;
  const targetAspect = target.width / target.height;
  if (sourceAspect > targetAspect) {
    out.height = sourceHeight;
    out.width = sourceHeight * targetAspect;
    out.x = (sourceWidth - out.width) / 2;
    out.y = 0;
  } else {
    out.width = sourceWidth;
    out.height = sourceWidth / targetAspect;
    out.x = 0;
    out.y = (sourceHeight - out.height) / 2;
  }
  return out;
}

/** Shortens `text` with an ellipsis until `measure` says it fits in `maxWidth`. */
export function fitText(text: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(`${text.slice(0, middle).trimEnd()}…`) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '…' : `${text.slice(0, low).trimEnd()}…`;
}
