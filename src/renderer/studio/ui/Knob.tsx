import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clamp } from './timeline';

export interface KnobProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly defaultValue: number;
  readonly onChange: (value: number) => void;
  /** Called once when a drag or key press ends, so a gesture can be one undo step. */
  readonly onCommit?: (value: number) => void;
  readonly format?: (value: number) => string;
  /** Frequencies and times turn on a log scale. */
  readonly log?: boolean;
  /** A pan knob fills from the centre. */
  readonly bipolar?: boolean;
  readonly size?: number;
  readonly color?: string;
  readonly testId?: string;
}

const SWEEP_DEG = 270;

function toNormal(value: number, min: number, max: number, log: boolean): number {
  if (log && min > 0) return Math.log(value / min) / Math.log(max / min);
  return (value - min) / (max - min);
}

function fromNormal(normal: number, min: number, max: number, log: boolean): number {
  const n = clamp(normal, 0, 1);
  if (log && min > 0) return min * Math.pow(max / min, n);
  return min + n * (max - min);
}

function arcPath(cx: number, cy: number, radius: number, fromDeg: number, toDeg: number): string {
  const toPoint = (deg: number): [number, number] => {
    const rad = ((deg - 90) * Math.PI) / 180;
    return [cx + radius * Math.cos(rad), cy + radius * Math.sin(rad)];
  };
  const [x1, y1] = toPoint(fromDeg);
  const [x2, y2] = toPoint(toDeg);
  const large = Math.abs(toDeg - fromDeg) > 180 ? 1 : 0;
  const sweep = toDeg > fromDeg ? 1 : 0;
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${radius} ${radius} 0 ${large} ${sweep} ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

/**
 * A rotary control: drag up/down (shift for fine), arrows and Page keys, Home/End,
 * double-click for the default. It is an ARIA slider, so screen readers and tests can use it.
 */
export function Knob({
  label,
  value,
  min,
  max,
  defaultValue,
  onChange,
  onCommit,
  format = (v) => v.toFixed(1),
  log = false,
  bipolar = false,
  size = 34,
  color = 'var(--studio-accent)',
  testId,
}: KnobProps) {
  const drag = useRef<{ startY: number; startNormal: number; last: number } | null>(null);
  const normal = clamp(toNormal(value, min, max, log), 0, 1);
  const start = -SWEEP_DEG / 2;
  const angle = start + normal * SWEEP_DEG;
  const radius = size / 2 - 3;
  const centre = size / 2;
  const fromAngle = bipolar ? 0 : start;

  const set = (next: number, commit: boolean): void => {
    const bounded = clamp(next, min, max);
    onChange(bounded);
    if (commit) onCommit?.(bounded);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { startY: event.clientY, startNormal: normal, last: value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    if (!state) return;
    const travel = event.shiftKey ? 600 : 150;
    const next = fromNormal(state.startNormal + (state.startY - event.clientY) / travel, min, max, log);
    state.last = next;
    set(next, false);
  };
  const onPointerUp = (): void => {
    const state = drag.current;
    drag.current = null;
    if (state) onCommit?.(state.last);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.shiftKey ? 0.002 : 0.02;
    let next: number | null = null;
    if (event.key === 'ArrowUp' || event.key === 'ArrowRight') next = fromNormal(normal + step, min, max, log);
    else if (event.key === 'ArrowDown' || event.key === 'ArrowLeft') next = fromNormal(normal - step, min, max, log);
    else if (event.key === 'PageUp') next = fromNormal(normal + 0.1, min, max, log);
    else if (event.key === 'PageDown') next = fromNormal(normal - 0.1, min, max, log);
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = max;
    else if (event.key === 'Delete' || event.key === 'Backspace') next = defaultValue;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    set(next, true);
  };

  return (
    <div className="st-knob" data-testid={testId}>
      <div
        className="st-knob-dial"
        role="slider"
        tabIndex={0}
        aria-label={label}
        aria-valuemin={min}
        aria-valuemax={max}
        aria-valuenow={Number(value.toFixed(4))}
        aria-valuetext={format(value)}
        style={{ width: size, height: size }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={() => set(defaultValue, true)}
        onKeyDown={onKeyDown}
        title={`${label}: ${format(value)} — drag, arrows, double-click to reset`}
      >
        <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
          <circle cx={centre} cy={centre} r={radius - 3.5} className="st-knob-body" />
          <path d={arcPath(centre, centre, radius, start, start + SWEEP_DEG)} className="st-knob-track" />
          {Math.abs(angle - fromAngle) > 0.5 ? (
            <path
              d={arcPath(centre, centre, radius, Math.min(fromAngle, angle), Math.max(fromAngle, angle))}
              className="st-knob-value"
              style={{ stroke: color }}
            />
          ) : null}
          <line
            x1={centre}
            y1={centre}
            x2={centre + (radius - 5) * Math.sin((angle * Math.PI) / 180)}
            y2={centre - (radius - 5) * Math.cos((angle * Math.PI) / 180)}
            className="st-knob-pointer"
          />
        </svg>
      </div>
      <span className="st-knob-label">{label}</span>
      <span className="st-knob-readout">{format(value)}</span>
    </div>
  );
}
