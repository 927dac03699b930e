/**
 * Runs the renderer's studio engine (Tone.js) under Node for headless rendering and export:
 * node-web-audio-api's classes are put on globalThis (and `window = globalThis`, which Tone
 * checks) before Tone is first imported, then the very same engine module is loaded.
 * Why Node rather than headless Chromium: no browser process to start and stop, renders are
 * sample-identical from run to run, and the CLI works where Chromium is absent
 * (src/renderer/studio/engine/README.md).
 */
import type * as EngineModule from '../../renderer/studio/engine';

let enginePromise: Promise<typeof EngineModule> | null = null;

export function loadNodeStudioEngine(): Promise<typeof EngineModule> {
  enginePromise ??= (async () => {
    const webAudio = (await import('node-web-audio-api')) as unknown as Record<string, unknown>;
    const globals = globalThis as Record<string, unknown>;
    for (const [name, value] of Object.entries(webAudio)) if (!(name in globals)) globals[name] = value;
    globals.window ??= globalThis;
    // Tone's Draw (disposed with a context) uses animation frames, which Node lacks.
    globals.requestAnimationFrame ??= (callback: (time: number) => void) => setTimeout(() => callback(performance.now()), 16);
    globals.cancelAnimationFrame ??= (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle);
    return import('../../renderer/studio/engine');
  })();
  return enginePromise;
}

/** A realtime AudioContext that renders without a sound card (for benchmarks and live tests). */
export async function createSilentRealtimeContext(options: { latencyHint?: number | 'interactive'; sampleRate?: number } = {}): Promise<AudioContext> {
  const webAudio = (await import('node-web-audio-api')) as unknown as { AudioContext: new (options: unknown) => AudioContext };
  return new webAudio.AudioContext({ sinkId: { type: 'none' }, latencyHint: options.latencyHint ?? 'interactive', sampleRate: options.sampleRate ?? 48_000 });
}
