/**
 * Seeded pseudo-random numbers for reproducible test signals (never Math.random).
 * mulberry32: 32-bit state, good enough for audio noise and parameter jitter.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  between(low: number, high: number): number;
  /** Standard normal (mean 0, deviation 1), Box–Muller. */
  gaussian(): number;
  /** Uniform integer in [0, count). */
  integer(count: number): number;
}

export function createRandom(seed: number): SeededRandom {
  let state = seed >>> 0 || 0x9e3779b9;
  let spareGaussian = Number.NaN;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    between: (low, high) => low + (high - low) * next(),
    integer: (count) => Math.floor(next() * count),
    gaussian: () => {
      if (!Number.isNaN(spareGaussian)) {
        const value = spareGaussian;
        spareGaussian = Number.NaN;
        return value;
      }
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareGaussian = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
  };
}
