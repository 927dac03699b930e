import { useEffect, useState } from 'react';
import type { AudioDevice, BroadcastAudioInputConfig } from '../../../shared/contract';
import { useShell } from '../../app/store-context';
import { formatBitrate, formatDb, meterFraction } from '../format';
import { useBroadcast } from '../use-broadcast';

/** What the DJ picks; "System output" is a device source whose device carries what this computer plays. */
type SourceChoice = BroadcastAudioInputConfig['source'] | 'system';
const SOURCES: readonly { value: SourceChoice; label: string }[] = [
  { value: 'device', label: 'Audio device (mixer)' },
  { value: 'system', label: 'System output (what this computer plays)' },
  { value: 'player', label: 'Mixdeck’s player (library queue)' },
  { value: 'file', label: 'Audio file (rehearsal)' },
  { value: 'tone', label: 'Test tone 440 Hz' },
  { value: 'none', label: 'Silence' },
];
const SCALE_DB = [-48, -36, -24, -12, -6, 0] as const;

function Meter({ label, peakDb, holdDb, rmsDb }: { label: string; peakDb: number; holdDb: number; rmsDb: number }) {
  return (
    <div className="bc-meter" role="meter" aria-label={`${label} level`} aria-valuemin={-60} aria-valuemax={0} aria-valuenow={Math.max(-60, Math.round(peakDb))} aria-valuetext={`${formatDb(peakDb)} dBFS`}>
      <span className="bc-meter-label">{label}</span>
      <span className="bc-meter-track">
        <span className="bc-meter-rms" style={{ transform: `scaleX(${meterFraction(rmsDb)})` }} />
        <span className="bc-meter-peak" style={{ transform: `scaleX(${meterFraction(peakDb)})` }} />
        <span className={`bc-meter-hold${holdDb > -1 ? ' bc-meter-hot' : ''}`} style={{ left: `${meterFraction(holdDb) * 100}%` }} />
      </span>
      <span className="bc-meter-value numeric">{formatDb(holdDb)}</span>
    </div>
  );
}

/** Broadcast level meters with peak hold, the limiter, the tempo, the input and the upload check. */
export function AudioPanel() {
  const client = useShell((state) => state.client);
  const levels = useBroadcast((state) => state.levels);
  const tempo = useBroadcast((state) => state.tempo);
  const audioInput = useBroadcast((state) => state.audioInput);
  const setAudioInput = useBroadcast((state) => state.setAudioInput);
  const bandwidth = useBroadcast((state) => state.bandwidth);
  const setUploadBandwidth = useBroadcast((state) => state.setUploadBandwidth);
  const audioState = useBroadcast((state) => state.set?.audioInput ?? null);
  const [devices, setDevices] = useState<readonly AudioDevice[]>([]);
  const [systemOutputNote, setSystemOutputNote] = useState<string | null>(null);
  const [wantsSystemOutput, setWantsSystemOutput] = useState(false);
  const [filePathText, setFilePathText] = useState<string | null>(null);
  const [fileMessage, setFileMessage] = useState<string | null>(null);
  const [uploadEdit, setUploadEdit] = useState<string | null>(null);
  const uploadText = uploadEdit ?? (bandwidth?.uploadKbps ? String(bandwidth.uploadKbps) : '');
  const setUploadText = setUploadEdit;
  const mixerInputs = devices.filter((device) => !device.systemOutput);
  const systemInputs = devices.filter((device) => device.systemOutput);
  const onSystemDevice = audioInput?.source === 'device' && systemInputs.some((device) => device.name === audioInput.deviceName);
  const choice: SourceChoice = onSystemDevice || (wantsSystemOutput && audioInput?.source === 'device') ? 'system' : (audioInput?.source ?? 'device');

  const chooseSource = (next: SourceChoice): void => {
    setWantsSystemOutput(next === 'system');
    if (next === 'system') {
      // The first input that carries the system's output; without one the note says what to do.
      const first = systemInputs[0];
      void setAudioInput(first ? { source: 'device', deviceName: first.name, channels: [1, 2] } : { source: 'device' });
    } else if (next === 'device') {
      void setAudioInput({ source: 'device', deviceName: onSystemDevice ? null : (audioInput?.deviceName ?? null) });
    } else if (next === 'file' && !audioInput?.filePath) {
      // Main needs the file before it takes the source: the field below asks for it.
      setFileMessage('Choose the rehearsal file below.');
      setFilePathText('');
    } else {
      void setAudioInput({ source: next });
    }
  };

  const applyRehearsalFile = async (path: string): Promise<void> => {
    const trimmed = path.trim();
    if (!trimmed) return setFileMessage('Type the full path of an audio file, or browse for it.');
    try {
      // Main lets the page use a path only once the user picked it (this run of the app).
      const picked = await client.call('files.pick', { path: trimmed, kind: 'file', purpose: 'rehearsal-audio' });
      if (await setAudioInput({ source: 'file', filePath: picked.path })) {
        setFileMessage(null);
        setFilePathText(null);
      }
    } catch (error) {
      setFileMessage(error instanceof Error ? error.message : 'That file cannot be used.');
    }
  };

  const browseRehearsalFile = async (): Promise<void> => {
    try {
      const { path } = await client.call('files.nativeDialog', { kind: 'file', purpose: 'rehearsal-audio', title: 'Choose the rehearsal audio file', extensions: ['wav', 'flac', 'mp3', 'm4a', 'aac', 'ogg', 'opus'] });
      if (path && (await setAudioInput({ source: 'file', filePath: path }))) {
        setFileMessage(null);
        setFilePathText(null);
      }
    } catch (error) {
      setFileMessage(error instanceof Error ? error.message : 'The file dialog could not be opened; type the path instead.');
    }
  };
  const left = levels?.channels[0];
  const right = levels?.channels[1] ?? left;

  useEffect(() => {
    let cancelled = false;
    client.call('audio.listDevices', {}).then(
      (answer) => {
        if (cancelled) return;
        setDevices(answer.devices.filter((device) => device.maxInputChannels > 0));
        setSystemOutputNote(answer.systemOutputNote ?? null);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  return (
    <section className="panel bc-panel" aria-labelledby="bc-audio-title">
      <header className="bc-panel-header">
        <h2 className="panel-title" id="bc-audio-title">
          Audio
        </h2>
        <span className="bc-tempo-big numeric" aria-label="Live tempo">
          {tempo.tempoBpm === null ? '—' : tempo.tempoBpm.toFixed(1)} <small>BPM</small>
        </span>
      </header>
      <div className="bc-meters" data-testid="level-meters">
        <Meter label="L" peakDb={left?.peakDb ?? -120} holdDb={left?.peakHoldDb ?? -120} rmsDb={left?.rmsDb ?? -120} />
        <Meter label="R" peakDb={right?.peakDb ?? -120} holdDb={right?.peakHoldDb ?? -120} rmsDb={right?.rmsDb ?? -120} />
        <div className="bc-meter-scale numeric" aria-hidden="true">
          {SCALE_DB.map((db) => (
            <span key={db} style={{ left: `${meterFraction(db) * 100}%` }}>
              {db}
            </span>
          ))}
        </div>
      </div>
      <dl className="bc-inline-stats">
        <div>
          <dt>Limiter</dt>
          <dd className={`numeric${(levels?.limiterReductionDb ?? 0) > 3 ? ' bc-text-warn' : ''}`}>
            {levels && levels.limiterReductionDb > 0.05 ? `−${levels.limiterReductionDb.toFixed(1)} dB` : '0 dB'}
          </dd>
        </div>
        <div>
          <dt>Clips caught</dt>
          <dd className="numeric">{levels?.clipsPrevented ?? 0}</dd>
        </div>
        <div>
          <dt>Tempo confidence</dt>
          <dd className="numeric">{Math.round(tempo.confidence * 100)} %</dd>
        </div>
      </dl>
      {audioState?.state === 'error' && audioState.message ? (
        <p className="bc-alert" role="alert">
          {audioState.message}
        </p>
      ) : null}
      <div className="bc-form-grid bc-form-compact">
        <label className="bc-field">
          <span className="bc-field-label">Source</span>
          <select
            className="bc-input"
            value={choice}
            onChange={(event) => chooseSource(event.target.value as SourceChoice)}
            data-testid="audio-source"
          >
            {SOURCES.map((source) => (
              <option key={source.value} value={source.value}>
                {source.label}
              </option>
            ))}
          </select>
        </label>
        {audioInput?.source === 'device' && choice === 'system' && systemInputs.length > 0 ? (
          <label className="bc-field">
            <span className="bc-field-label">Output to capture</span>
            <select className="bc-input" value={audioInput.deviceName ?? ''} onChange={(event) => void setAudioInput({ deviceName: event.target.value })} data-testid="system-output-device">
              {systemInputs.map((device) => (
                <option key={device.id} value={device.name}>
                  {device.name.replace(/^Monitor of /i, '')}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {audioInput?.source === 'device' && choice === 'device' ? (
          <label className="bc-field">
            <span className="bc-field-label">Device</span>
            <select className="bc-input" value={audioInput.deviceName ?? ''} onChange={(event) => void setAudioInput({ deviceName: event.target.value || null })} data-testid="audio-device">
              <option value="">System default</option>
              {mixerInputs.map((device) => (
                <option key={device.id} value={device.name}>
                  {device.name} ({device.maxInputChannels} ch)
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {audioInput?.source === 'device' && choice === 'device' ? (
          <label className="bc-field">
            <span className="bc-field-label">Channels</span>
            <select
              className="bc-input"
              value={audioInput.channels.join('-')}
              onChange={(event) => {
                const [first, second] = event.target.value.split('-').map(Number) as [number, number];
                void setAudioInput({ channels: [first, second] });
              }}
            >
              {[1, 3, 5, 7].map((first) => (
                <option key={first} value={`${first}-${first + 1}`}>
                  {first} + {first + 1}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {choice === 'file' || filePathText !== null ? (
          <div className="bc-field bc-field-wide">
            <label className="bc-field-label" htmlFor="bc-rehearsal-file">
              Rehearsal file
            </label>
            <span className="bc-input-unit">
              <input
                id="bc-rehearsal-file"
                className="bc-input mono"
                value={filePathText ?? audioInput?.filePath ?? ''}
                placeholder="/home/me/Music/rehearsal.flac"
                spellCheck={false}
                onChange={(event) => setFilePathText(event.target.value)}
                onKeyDown={(event) => event.key === 'Enter' && void applyRehearsalFile(event.currentTarget.value)}
                data-testid="rehearsal-file"
              />
              <button type="button" className="button button-small" onClick={() => void applyRehearsalFile(filePathText ?? audioInput?.filePath ?? '')} data-testid="rehearsal-file-use">
                Use
              </button>
              {client.transport === 'ipc' ? (
                <button type="button" className="button button-small" onClick={() => void browseRehearsalFile()}>
                  Browse…
                </button>
              ) : null}
            </span>
            {fileMessage ? <span className="bc-field-error" role="status">{fileMessage}</span> : <span className="bc-field-help">Played in a loop, at its own pace.</span>}
          </div>
        ) : null}
        <label className="bc-field">
          <span className="bc-field-label">Upload speed</span>
          <span className="bc-input-unit">
            <input
              className="bc-input numeric"
              inputMode="numeric"
              value={uploadText}
              placeholder="unknown"
              onChange={(event) => setUploadText(event.target.value)}
              onBlur={() => {
                const value = Number(uploadText.trim());
                void setUploadBandwidth(uploadText.trim() === '' ? null : Number.isFinite(value) ? Math.round(value) : -1);
              }}
              data-testid="upload-kbps"
            />
            <span className="muted">kbps</span>
          </span>
        </label>
      </div>
      {choice === 'system' && systemInputs.length === 0 && systemOutputNote ? (
        <p className="bc-field-help bc-text-warn" data-testid="system-output-note">
          {systemOutputNote}
        </p>
      ) : null}
      {choice === 'player' ? (
        <p className="bc-field-help" data-testid="player-source-note">
          What the Library’s player plays goes on air: its queue, with its crossfades, at its volume. While it is paused the stream carries silence.
        </p>
      ) : null}
      <p className={`bc-field-help${bandwidth?.warning ? ' bc-text-warn' : ''}`} data-testid="bandwidth-line">
        {bandwidth?.warning ?? `Targets need ${formatBitrate(bandwidth?.requiredKbps ?? 0)} of upload.`}
      </p>
    </section>
  );
}
