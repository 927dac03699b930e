/**
 * Ticks for the scene while the page is hidden (window minimised, another tab): browsers pause
 * requestAnimationFrame and slow page timers to once a second there, but not a worker's timers,
 * and the stream must keep its frame rate whoever looks at the window.
 */
let timer: ReturnType<typeof setInterval> | null = null;

self.addEventListener('message', (event: MessageEvent<{ intervalMs: number | null }>) => {
  if (timer !== null) clearInterval(timer);
  timer = null;
  const { intervalMs } = event.data;
  if (intervalMs !== null && intervalMs > 0) timer = setInterval(() => self.postMessage(0), intervalMs);
});
