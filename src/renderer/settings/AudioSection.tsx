import { useEffect, useState } from 'react';
import { SAMPLE_RATES, type AudioDevice, type MixdeckClient, type Settings } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';
import { RefreshIcon } from '../shell/icons';
import { bufferLatencyMs, formatSampleRate } from './audio-format';
import { SettingRow, SettingsSection, useFieldProps } from './controls';

type BufferFrames = Settings['audio']['bufferFrames'];
const BUFFER_SIZES: readonly BufferFrames[] = [128, 256, 512, 1024];

interface DeviceList {
  devices: AudioDevice[];
  error: string | null;
}

/** The devices main can open; null while asking. `refresh` asks again (after plugging in an interface). */
function useAudioDevices(client: MixdeckClient): { list: DeviceList | null; refresh(): void } {
  const [list, setList] = useState<DeviceList | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    client.call('audio.listDevices', {}).then(
      (answer) => current && setList(answer),
      (error: unknown) => current && setList({ devices: [], error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, generation]);
  return {
    list,
    refresh() {
      setList(null);
      setGeneration((value) => value + 1);
    },
  };
}

/** Settings store a device by name; `null` is the system default. A saved device that is unplugged stays listed. */
function DeviceSelect({
  id,
  direction,
  value,
  list,
  onChange,
}: {
  id: string;
  direction: 'input' | 'output';
  value: string | null;
  list: DeviceList | null;
  onChange(value: string | null): void;
}) {
  const fieldProps = useFieldProps(direction === 'input' ? 'audio.inputDevice' : 'audio.outputDevice');
  const usable = (list?.devices ?? []).filter((device) =>
    direction === 'input' ? device.maxInputChannels > 0 : device.maxOutputChannels > 0,
  );
  const names = [...new Set(usable.map((device) => device.name))];
  return (
    <select
      id={id}
      className="select"
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      {...fieldProps}
    >
      <option value="">System default</option>
      {value !== null && !names.includes(value) ? <option value={value}>{value} (not available)</option> : null}
      {names.map((name) => {
        const device = usable.find((candidate) => candidate.name === name)!;
        const channels = direction === 'input' ? device.maxInputChannels : device.maxOutputChannels;
        return (
          <option key={name} value={name}>
            {name} — {device.hostApi}, {channels} ch
          </option>
        );
      })}
    </select>
  );
}

export function AudioSection({ audio }: { audio: Settings['audio'] }) {
  const client = useShell((state) => state.client);
  const save = useShell((state) => state.saveSettings);
  const { list, refresh } = useAudioDevices(client);
  const sampleRateProps = useFieldProps('audio.sampleRate');
  const bufferProps = useFieldProps('audio.bufferFrames');

  return (
    <SettingsSection section="audio" description="The interface your mixer or microphone is plugged into.">
      <div className="device-status" data-testid="device-status">
        {list === null ? (
          <span className="muted">Looking for audio devices…</span>
        ) : list.error ? (
          <span className="inline-error" role="alert" data-testid="device-error">
            {list.error}
          </span>
        ) : (
          <span className="muted">
            {list.devices.length === 0 ? 'No audio devices found.' : `${list.devices.length} audio devices found.`}
          </span>
        )}
        <button type="button" className="button button-ghost button-small" onClick={refresh} disabled={list === null}>
          <RefreshIcon size={14} /> Refresh
        </button>
      </div>
      <SettingRow field="audio.inputDevice" label="Input device" htmlFor="input-device" description="Where your mix comes in.">
        <DeviceSelect
          id="input-device"
          direction="input"
          value={audio.inputDevice}
          list={list}
          onChange={(inputDevice) => void save({ audio: { inputDevice } })}
        />
      </SettingRow>
      <SettingRow field="audio.outputDevice" label="Output device" htmlFor="output-device" description="Monitoring and playback.">
        <DeviceSelect
          id="output-device"
          direction="output"
          value={audio.outputDevice}
          list={list}
          onChange={(outputDevice) => void save({ audio: { outputDevice } })}
        />
      </SettingRow>
      <SettingRow field="audio.sampleRate" label="Sample rate" htmlFor="sample-rate" description="48 kHz suits streaming.">
        <select
          id="sample-rate"
          className="select"
          value={audio.sampleRate}
          onChange={(event) => {
            const sampleRate = SAMPLE_RATES.find((rate) => rate === Number(event.target.value));
            if (sampleRate) void save({ audio: { sampleRate } });
          }}
          {...sampleRateProps}
        >
          {SAMPLE_RATES.map((rate) => (
            <option key={rate} value={rate}>
              {formatSampleRate(rate)}
            </option>
          ))}
        </select>
      </SettingRow>
      <SettingRow
        field="audio.bufferFrames"
        label="Buffer size"
        htmlFor="buffer-size"
        description="Smaller is more responsive; larger is safer against dropouts."
      >
        <select
          id="buffer-size"
          className="select"
          value={audio.bufferFrames}
          onChange={(event) => {
            const bufferFrames = BUFFER_SIZES.find((size) => size === Number(event.target.value));
            if (bufferFrames) void save({ audio: { bufferFrames } });
          }}
          {...bufferProps}
        >
          {BUFFER_SIZES.map((size) => (
            <option key={size} value={size}>
              {size} frames · {bufferLatencyMs(size, audio.sampleRate).toFixed(1)} ms
            </option>
          ))}
        </select>
      </SettingRow>
    </SettingsSection>
  );
}
