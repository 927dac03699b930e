import { useEffect, useRef } from 'react';
import type { PlayheadClock } from './presence';

/**
 * The playhead line over an editor: moved each animation frame with a transform, so React
 * never re-renders the editor while the transport runs. `originBeat` is the beat at x = 0.
 */
export function Playhead({
  clock,
  pxPerBeat,
  originBeat = 0,
  onFollow,
  className = 'st-playhead',
}: {
  clock: PlayheadClock;
  pxPerBeat: number;
  originBeat?: number;
  onFollow?: (x: number) => void;
  className?: string;
}) {
  const line = useRef<HTMLDivElement | null>(null);
  const follow = useRef(onFollow);
  useEffect(() => {
    follow.current = onFollow;
  }, [onFollow]);
  useEffect(() => {
    let frame = 0;
    let lastX = Number.NaN;
    const paint = (): void => {
      const x = (clock.getBeat() - originBeat) * pxPerBeat;
      if (x !== lastX && line.current) {
        line.current.style.transform = `translateX(${x}px)`;
        line.current.style.visibility = x < 0 ? 'hidden' : 'visible';
        lastX = x;
        if (clock.isPlaying()) follow.current?.(x);
      }
      frame = requestAnimationFrame(paint);
    };
    frame = requestAnimationFrame(paint);
    return () => cancelAnimationFrame(frame);
  }, [clock, pxPerBeat, originBeat]);
  return <div ref={line} className={className} data-testid="playhead" aria-hidden="true" />;
}
