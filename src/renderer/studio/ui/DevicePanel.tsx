import { useState, type CSSProperties } from 'react';
import { Knob } from './Knob';
import { DEVICE_NAMES, paramLabel } from './AutomationLane';
import type { StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import { DEVICE_SPECS, DEVICE_TYPES, DRUM_KITS, FILTER_MODES, SYNTH_PRESETS, type Device, type DeviceType } from '../../../shared/studio/schema';

function formatParam(value: number, unit: string, param: string): string {
  if (param === 'mode') return FILTER_MODES[Math.round(value)] ?? String(value);
  if (unit === 'Hz') return value >= 1000 ? `${(value / 1000).toFixed(value >= 10000 ? 1 : 2)} kHz` : `${Math.round(value)} Hz`;
  if (unit === 's') return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
  if (unit === 'dB') return `${value > 0 ? '+' : ''}${value.toFixed(1)} dB`;
  if (unit === ':1') return `${value.toFixed(1)}:1`;
  if (unit === 'beats') return `${value.toFixed(3)} beats`;
  if (unit === '') return `${Math.round(value * 100)}%`;
  return `${value.toFixed(2)} ${unit}`;
}

const LOG_UNITS = new Set(['Hz', 's']);

/** The device chain of the selected track: its instrument, then each effect with knobs. */
export function DevicePanel({ track, editor }: { track: Track | undefined; editor: StudioEditor }) {
  const [adding, setAdding] = useState<DeviceType>('eq3');
  if (!track) return <div className="st-devices-empty">Select a track to see its devices.</div>;
  return (
    <div className="st-devices" data-testid="device-panel" style={{ '--track-color': trackColor(track) } as CSSProperties}>
      <div className="st-devices-track">
        <span className="st-devices-track-name">{track.name}</span>
        <span className="st-devices-track-kind">{track.kind}</span>
      </div>
      <div className="st-devices-chain">
        {track.instrument ? (
          <section className="st-device st-device-instrument" aria-label="Instrument">
            <header className="st-device-head">
              <span className="st-device-name">{track.instrument.type === 'drums' ? 'Drum Machine' : 'Poly Synth'}</span>
            </header>
            <label className="st-device-field">
              <span>{track.instrument.type === 'drums' ? 'Kit' : 'Preset'}</span>
              <select
                value={track.instrument.preset}
                onChange={(event) => editor.setInstrument(track.id, { type: track.instrument!.type, preset: event.currentTarget.value })}
              >
                {(track.instrument.type === 'drums' ? DRUM_KITS : SYNTH_PRESETS).map((preset) => (
                  <option key={preset} value={preset}>
                    {preset}
                  </option>
                ))}
              </select>
            </label>
          </section>
        ) : null}
        {track.devices.map((device) => (
          <DeviceCard key={device.id} track={track} device={device} editor={editor} />
        ))}
        <div className="st-device-add">
          <select value={adding} aria-label="Effect to add" onChange={(event) => setAdding(event.currentTarget.value as DeviceType)}>
            {DEVICE_TYPES.map((type) => (
              <option key={type} value={type}>
                {DEVICE_NAMES[type]}
              </option>
            ))}
          </select>
          <button type="button" className="st-sbtn" onClick={() => editor.addDevice(track.id, adding)}>
            + Add effect
          </button>
        </div>
      </div>
    </div>
  );
}

function DeviceCard({ track, device, editor }: { track: Track; device: Device; editor: StudioEditor }) {
  const [drafts, setDrafts] = useState<Record<string, number>>({});
  const specs: Record<string, { min: number; max: number; defaultValue: number; unit: string }> = DEVICE_SPECS[device.type];
  return (
    <section className={`st-device${device.bypass ? ' is-bypassed' : ''}`} aria-label={DEVICE_NAMES[device.type]} data-testid="device">
      <header className="st-device-head">
        <button
          type="button"
          className={`st-device-power${device.bypass ? '' : ' is-on'}`}
          aria-pressed={!device.bypass}
          aria-label={`${DEVICE_NAMES[device.type]} on`}
          title={device.bypass ? 'Bypassed — click to switch on' : 'On — click to bypass'}
          onClick={() => editor.setDeviceBypass(track.id, device.id, !device.bypass)}
        />
        <span className="st-device-name">{DEVICE_NAMES[device.type]}</span>
        <button type="button" className="st-device-remove" aria-label={`Remove ${DEVICE_NAMES[device.type]}`} title="Remove" onClick={() => editor.removeDevice(track.id, device.id)}>
          ✕
        </button>
      </header>
      <div className="st-device-knobs">
        {Object.entries(specs).map(([param, spec]) => {
          const value = drafts[param] ?? device.params[param] ?? spec.defaultValue;
          return (
            <Knob
              key={param}
              label={paramLabel(param)}
              value={value}
              min={spec.min}
              max={spec.max}
              defaultValue={spec.defaultValue}
              log={LOG_UNITS.has(spec.unit) && spec.min > 0}
              bipolar={spec.unit === 'dB' && spec.min < 0}
              size={38}
              format={(v) => formatParam(v, spec.unit, param)}
              onChange={(v) => setDrafts((all) => ({ ...all, [param]: param === 'mode' ? Math.round(v) : v }))}
              onCommit={(v) => {
                setDrafts((all) => {
                  const next = { ...all };
                  delete next[param];
                  return next;
                });
                editor.setDeviceParam(track.id, device.id, param, param === 'mode' ? Math.round(v) : v);
              }}
            />
          );
        })}
      </div>
    </section>
  );
}
