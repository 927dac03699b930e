import { HISTORY_SEC } from '../store';
import { sparklinePoints } from '../format';

/** Outgoing bitrate over the last minute, newest on the right. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const width = 72;
  const height = 22;
  const points = sparklinePoints(values, width, height, HISTORY_SEC);
  return (
    <svg className="bc-sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} className="bc-sparkline-base" />
      {points ? <polyline points={points} className="bc-sparkline-line" /> : null}
    </svg>
  );
}
