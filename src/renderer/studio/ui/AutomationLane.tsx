import { useRef, useState, type PointerEvent } from 'react';
import { clamp, snapBeat } from './timeline';
import type { AutomationPointInput, StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import { DEVICE_SPECS, LIMITS, type DeviceType } from '../../../shared/studio/schema';

export interface AutomationRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly current: number;
}

const PARAM_LABELS: Record<string, string> = {
  lowDb: 'Low',
  midDb: 'Mid',
  highDb: 'High',
  lowFrequencyHz: 'Low freq',
  highFrequencyHz: 'High freq',
  thresholdDb: 'Threshold',
  ratio: 'Ratio',
  attackSec: 'Attack',
  releaseSec: 'Release',
  makeupDb: 'Makeup',
  decaySec: 'Decay',
  preDelaySec: 'Pre-delay',
  wet: 'Mix',
  delayBeats: 'Time',
  feedback: 'Feedback',
  mode: 'Mode',
  frequencyHz: 'Cutoff',
  q: 'Resonance',
};

export function paramLabel(param: string): string {
  return PARAM_LABELS[param] ?? param;
}

export const DEVICE_NAMES: Record<DeviceType, string> = {
  eq3: 'EQ Three',
  compressor: 'Compressor',
  reverb: 'Reverb',
  delay: 'Delay',
  filter: 'Filter',
};

/** The parameters of a track that can be automated, with words for the lane's menu. */
export function automationTargets(track: Track): { target: string; label: string }[] {
  const list = [
    { target: 'volumeDb', label: 'Volume' },
    { target: 'pan', label: 'Pan' },
  ];
  for (const device of track.devices) {
    for (const param of Object.keys(DEVICE_SPECS[device.type])) {
      list.push({ target: `device:${device.id}:${param}`, label: `${DEVICE_NAMES[device.type]} · ${paramLabel(param)}` });
    }
  }
  return list;
}

/** The value range of an automation target, and the value it has without automation. */
export function automationRange(track: Track, target: string): AutomationRange {
  if (target === 'volumeDb') return { min: LIMITS.volumeDb.min, max: LIMITS.volumeDb.max, unit: 'dB', current: track.volumeDb };
  if (target === 'pan') return { min: -1, max: 1, unit: '', current: track.pan };
  const [, deviceId, param] = target.split(':');
  const device = track.devices.find((entry) => entry.id === deviceId);
  if (device && param) {
    const specs: Record<string, { min: number; max: number; unit: string; defaultValue: number }> = DEVICE_SPECS[device.type];
    const spec = specs[param];
    if (spec) return { min: spec.min, max: spec.max, unit: spec.unit, current: device.params[param] ?? spec.defaultValue };
  }
  return { min: 0, max: 1, unit: '', current: 0 };
}

/**
 * One automation lane: a breakpoint line over the timeline. Click to add a point, drag a
 * point to move it, double-click a point to remove it. Each gesture writes the lane once.
 */
export function AutomationLane({
  track,
  target,
  width,
  height,
  pxPerBeat,
  gridBeats,
  editor,
  range,
}: {
  track: Track;
  target: string;
  width: number;
  height: number;
  pxPerBeat: number;
  gridBeats: number;
  editor: StudioEditor;
  range: AutomationRange;
}) {
  const lane = track.automation.find((entry) => entry.target === target);
  const stored: AutomationPointInput[] = (lane?.points ?? []).map((point) => ({ beat: point.beat, value: point.value }));
  const [draft, setDraft] = useState<AutomationPointInput[] | null>(null);
  const dragIndex = useRef<number | null>(null);
  const points = [...(draft ?? stored)].sort((a, b) => a.beat - b.beat);
  const pad = 5;
  const toY = (value: number): number => pad + (1 - (value - range.min) / (range.max - range.min)) * (height - pad * 2);
  const fromY = (y: number): number => clamp(range.min + (1 - (y - pad) / (height - pad * 2)) * (range.max - range.min), range.min, range.max);
  const color = trackColor(track);

  const position = (event: PointerEvent<SVGSVGElement>): AutomationPointInput => {
    const box = event.currentTarget.getBoundingClientRect();
    const beat = Math.max(0, snapBeat((event.clientX - box.left) / pxPerBeat, event.altKey ? 0 : gridBeats));
    const value = fromY(event.clientY - box.top);
    return { beat, value: Math.round(value * 1000) / 1000 };
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>): void => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    const target = event.target as Element;
    const hit = target.getAttribute('data-point-index');
    const working = [...points];
    if (hit !== null) dragIndex.current = Number(hit);
    else {
      working.push(position(event));
      working.sort((a, b) => a.beat - b.beat);
      const added = position(event);
      dragIndex.current = working.findIndex((point) => point.beat === added.beat && point.value === added.value);
    }
    setDraft(working);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (dragIndex.current === null || !draft) return;
    const next = [...draft];
    next[dragIndex.current] = position(event);
    setDraft(next);
  };
  const onPointerUp = (): void => {
    if (draft) editor.setAutomation(track.id, target, [...draft].sort((a, b) => a.beat - b.beat));
    dragIndex.current = null;
    setDraft(null);
  };

  const path =
    points.length === 0
      ? ''
      : `M0 ${toY(points[0]!.value)} ` + points.map((point) => `L${point.beat * pxPerBeat} ${toY(point.value)}`).join(' ') + ` L${width} ${toY(points.at(-1)!.value)}`;

  return (
    <svg
      className="st-automation-lane"
      width={width}
      height={height}
      data-testid="automation-lane"
      data-target={target}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={(event) => {
        const hit = (event.target as Element).getAttribute('data-point-index');
        if (hit === null) return;
        editor.setAutomation(track.id, target, points.filter((_, index) => index !== Number(hit)));
      }}
    >
      {points.length === 0 ? (
        <line x1={0} x2={width} y1={toY(range.current)} y2={toY(range.current)} className="st-automation-idle" />
      ) : (
        <>
          <path d={`${path} L${width} ${height} L0 ${height} Z`} fill={color} opacity={0.12} />
          <path d={path} stroke={color} className="st-automation-line" />
        </>
      )}
      {points.map((point, index) => (
        <circle key={`${index}-${point.beat}`} data-point-index={index} cx={point.beat * pxPerBeat} cy={toY(point.value)} r={4} className="st-automation-point" stroke={color} />
      ))}
    </svg>
  );
}
