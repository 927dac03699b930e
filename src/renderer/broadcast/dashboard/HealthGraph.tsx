import type { BroadcastPlatform } from '../../../shared/contract';
import { formatBitrate, sparklinePoints } from '../format';
import { HISTORY_SEC } from '../store';
import { useBroadcast } from '../use-broadcast';

export const PLATFORM_COLOURS: Readonly<Record<BroadcastPlatform, string>> = {
  twitch: '#a970ff',
  youtube: '#ff4e45',
  facebook: '#4d8dff',
  tiktok: '#25f4ee',
  kick: '#53fc18',
  custom: '#c9d1dc',
};

const WIDTH = 600;
const HEIGHT = 120;

/** Every target's outgoing bitrate over the last minute on one scale, with the encoders' speed and drops. */
export function HealthGraph() {
  const targets = useBroadcast((state) => state.targets);
  const history = useBroadcast((state) => state.bitrateHistory);
  const health = useBroadcast((state) => state.health);
  const peak = Math.max(1000, ...Object.values(history).flat());
  const scaleKbps = Math.ceil(peak / 1000) * 1000;
  const latest = health.at(-1);
  const droppedNow = latest?.droppedFrames ?? 0;

  return (
    <section className="panel bc-panel" aria-labelledby="bc-health-title" data-testid="health-graph">
      <header className="bc-panel-header">
        <h2 className="panel-title" id="bc-health-title">
          Health · last {HISTORY_SEC} s
        </h2>
        <dl className="bc-inline-stats">
          <div>
            <dt>Total out</dt>
            <dd className="numeric">{formatBitrate(latest?.totalKbps ?? 0)}</dd>
          </div>
          <div>
            <dt>Encoder speed</dt>
            <dd className={`numeric${latest && latest.speed > 0 && latest.speed < 0.97 ? ' bc-text-warn' : ''}`}>
              {latest && latest.speed > 0 ? `${latest.speed.toFixed(2)}×` : '—'}
            </dd>
          </div>
          <div>
            <dt>Dropped</dt>
            <dd className={`numeric${droppedNow > 0 ? ' bc-text-warn' : ''}`}>{droppedNow}</dd>
          </div>
        </dl>
      </header>
      <div className="bc-graph">
        <span className="bc-graph-scale numeric" aria-hidden="true">
          <span>{formatBitrate(scaleKbps)}</span>
          <span>{formatBitrate(scaleKbps / 2)}</span>
          <span>0</span>
        </span>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Outgoing bitrate per target over the last minute">
          {[0.25, 0.5, 0.75].map((fraction) => (
            <line key={fraction} x1="0" x2={WIDTH} y1={HEIGHT * fraction} y2={HEIGHT * fraction} className="bc-graph-grid" />
          ))}
          {targets.map((target) => {
            const points = sparklinePoints(history[target.id] ?? [], WIDTH, HEIGHT, HISTORY_SEC, scaleKbps);
            return points ? (
              <polyline key={target.id} points={points} className="bc-graph-line" style={{ stroke: PLATFORM_COLOURS[target.platform] }} />
            ) : null;
          })}
        </svg>
      </div>
      <ul className="bc-legend" aria-label="Legend">
        {targets.map((target) => (
          <li key={target.id}>
            <span className="bc-legend-swatch" style={{ background: PLATFORM_COLOURS[target.platform] }} aria-hidden="true" />
            {target.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
