import type { BroadcastTargetState } from '../../shared/contract';

/** 0:07, 12:34, 1:02:03: a set timer and uptimes, tabular. */
export function formatDuration(totalSec: number): string {
  const whole = Math.max(0, Math.floor(totalSec));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = whole % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** 850 kbps, 3.52 Mbps. */
export function formatBitrate(kbps: number): string {
  if (!Number.isFinite(kbps) || kbps <= 0) return '0 kbps';
  if (kbps >= 1000) return `${(kbps / 1000).toFixed(2)} Mbps`;
  return `${Math.round(kbps)} kbps`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.max(0, Math.round(bytes))} B`;
}

/** dBFS as the meters print it; silence is "−∞". */
export function formatDb(db: number): string {
  if (db <= -90) return '−∞';
  return `${db > 0 ? '+' : db < 0 ? '−' : ''}${Math.abs(db).toFixed(1)}`;
}

export const STATE_LABELS: Readonly<Record<BroadcastTargetState, string>> = {
  idle: 'Idle',
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  failed: 'Failed',
};

/** Position of a dBFS level on a meter from `floorDb` to 0, as 0…1. */
export function meterFraction(db: number, floorDb = -60): number {
  if (!(db > floorDb)) return 0;
  if (db >= 0) return 1;
  return (db - floorDb) / -floorDb;
}

/** SVG polyline points for values over a fixed window, newest on the right; empty when there is nothing to draw. */
export function sparklinePoints(values: readonly number[], width: number, height: number, windowSize: number, maxValue?: number): string {
  if (values.length === 0) return '';
  const max = maxValue ?? Math.max(1, ...values);
  const step = width / Math.max(1, windowSize - 1);
  const offset = windowSize - values.length;
  return values
    .map((value, index) => {
      const x = (offset + index) * step;
      const y = height - (Math.min(value, max) / max) * (height - 1) - 0.5;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
