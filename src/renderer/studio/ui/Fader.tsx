import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clamp, dbToFader, faderToDb, formatDb } from './timeline';

export interface FaderProps {
  readonly label: string;
  readonly volumeDb: number;
  readonly onChange: (volumeDb: number) => void;
  readonly onCommit?: (volumeDb: number) => void;
  readonly height?: number;
  readonly testId?: string;
}

/** A vertical channel fader in dB (−∞ … +6), 0 dB at three quarters of the travel. */
export function Fader({ label, volumeDb, onChange, onCommit, height = 150, testId }: FaderProps) {
  const drag = useRef<{ startY: number; startPosition: number; last: number } | null>(null);
  const position = dbToFader(volumeDb);
  const capHeight = 26;
  const travel = height - capHeight;

  const round = (db: number): number => (Number.isFinite(db) ? Math.round(db * 10) / 10 : -96);
  const setPosition = (next: number, commit: boolean): void => {
    const db = round(faderToDb(clamp(next, 0, 1)));
    onChange(db);
    if (commit) onCommit?.(db);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    const box = event.currentTarget.getBoundingClientRect();
    const capTop = box.top + (1 - position) * travel;
    const onCap = event.clientY >= capTop && event.clientY <= capTop + capHeight;
    // A click beside the cap jumps there; a drag on the cap moves relative to where it was grabbed.
    const startPosition = onCap ? position : clamp(1 - (event.clientY - box.top - capHeight / 2) / travel, 0, 1);
    drag.current = { startY: event.clientY, startPosition, last: volumeDb };
    if (!onCap) setPosition(startPosition, false);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    if (!state) return;
    const scale = event.shiftKey ? 0.2 : 1;
    const next = clamp(state.startPosition + ((state.startY - event.clientY) / travel) * scale, 0, 1);
    state.last = round(faderToDb(next));
    onChange(state.last);
  };
  const onPointerUp = (): void => {
    const state = drag.current;
    drag.current = null;
    if (state) onCommit?.(state.last);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const current = Number.isFinite(volumeDb) ? volumeDb : -96;
    let next: number | null = null;
    if (event.key === 'ArrowUp') next = Math.min(6, current + (event.shiftKey ? 0.1 : 1));
    else if (event.key === 'ArrowDown') next = Math.max(-96, current - (event.shiftKey ? 0.1 : 1));
    else if (event.key === 'PageUp') next = Math.min(6, current + 6);
    else if (event.key === 'PageDown') next = Math.max(-96, current - 6);
    else if (event.key === 'Home' || event.key === 'Delete' || event.key === 'Backspace') next = 0;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    onChange(round(next));
    onCommit?.(round(next));
  };

  const marks = [6, 0, -6, -12, -24, -48];
  return (
    <div
      className="st-fader"
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-orientation="vertical"
      aria-valuemin={-96}
      aria-valuemax={6}
      aria-valuenow={Number.isFinite(volumeDb) ? volumeDb : -96}
      aria-valuetext={`${formatDb(volumeDb)} dB`}
      data-testid={testId}
      style={{ height }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => {
        onChange(0);
        onCommit?.(0);
      }}
      onKeyDown={onKeyDown}
    >
      <div className="st-fader-slot" style={{ top: capHeight / 2, bottom: capHeight / 2 }} />
      {marks.map((db) => (
        <div key={db} className="st-fader-mark" style={{ top: capHeight / 2 + (1 - dbToFader(db)) * travel }}>
          <span>{db > 0 ? `+${db}` : db}</span>
        </div>
      ))}
      <div className="st-fader-cap" style={{ top: (1 - position) * travel, height: capHeight }} />
    </div>
  );
}
