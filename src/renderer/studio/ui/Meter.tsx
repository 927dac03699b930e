import { useEffect, useRef } from 'react';

/** Peak levels in dBFS for a strip, read each frame; null when nothing is playing. */
export type LevelSource = () => { leftDb: number; rightDb: number } | null;

const FLOOR_DB = -60;

function heightFor(db: number, height: number): number {
  if (!Number.isFinite(db) || db <= FLOOR_DB) return 0;
  return Math.min(1, (db - FLOOR_DB) / -FLOOR_DB) * height;
}

/**
 * A stereo peak meter on a canvas, redrawn each animation frame from `read`, with a falling
 * peak hold. Green to −12 dB, amber to −3 dB, red above.
 */
export function Meter({ read, height = 150, testId }: { read: LevelSource; height?: number; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const readRef = useRef(read);
  useEffect(() => {
    readRef.current = read;
  }, [read]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const ratio = window.devicePixelRatio || 1;
    const width = 14;
    element.width = width * ratio;
    element.height = height * ratio;
    const context = element.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const gradient = context.createLinearGradient(0, height, 0, 0);
    gradient.addColorStop(0, '#1fae6a');
    gradient.addColorStop(0.78, '#3ecf8e');
    gradient.addColorStop(0.8, '#e6c34a');
    gradient.addColorStop(0.94, '#f5a623');
    gradient.addColorStop(0.95, '#ff5a52');
    gradient.addColorStop(1, '#ff5a52');
    const holds = [0, 0];
    let frame = 0;
    const paint = (): void => {
      const levels = readRef.current();
      context.clearRect(0, 0, width, height);
      const channels = [levels?.leftDb ?? -Infinity, levels?.rightDb ?? -Infinity];
      channels.forEach((db, index) => {
        const x = index * 7;
        context.fillStyle = '#0a0c0f';
        context.fillRect(x, 0, 6, height);
        const h = heightFor(db, height);
        context.fillStyle = gradient;
        context.fillRect(x, height - h, 6, h);
        holds[index] = Math.max(h, (holds[index] ?? 0) - 0.8);
        if ((holds[index] ?? 0) > 1) {
          context.fillStyle = '#e8edf2';
          context.fillRect(x, height - (holds[index] ?? 0), 6, 1);
        }
      });
      frame = requestAnimationFrame(paint);
    };
    frame = requestAnimationFrame(paint);
    return () => cancelAnimationFrame(frame);
  }, [height]);

  return <canvas ref={canvas} className="st-meter" style={{ width: 14, height }} data-testid={testId} aria-hidden="true" />;
}
