import { useEffect, useState, type ChangeEvent } from 'react';
import {
  MIDI_ACTIONS,
  midiActionInfo,
  type MidiActionId,
  type MidiBindingInput,
  type MidiLearned,
  type MidiMapping,
  type MidiStatus,
  type MixdeckClient,
  type MixxxImportReport,
} from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';

const AREA_LABELS: Record<string, string> = { broadcast: 'Broadcast', player: 'Player', studio: 'Studio', karaoke: 'Karaoke', controller: 'Controller' };

function describeBinding(binding: MidiMapping['bindings'][number]): string {
  const channel = (binding.status & 0x0f) + 1;
  const kind = binding.status >> 4;
  const control = kind === 0xe ? 'Pitch bend' : kind === 0x9 || kind === 0x8 ? (binding.midino === null ? 'Every note' : `Note ${binding.midino}`) : `CC ${binding.midino}`;
  return `${control} · ch ${channel}${binding.lsbMidino !== undefined ? ` (14-bit, LSB CC ${binding.lsbMidino})` : ''}`;
}

function actionLabel(action: MidiActionId, slot: number | undefined): string {
  const info = midiActionInfo(action);
  return `${AREA_LABELS[info.area]}: ${info.label}${slot !== undefined ? ` ${slot}` : ''}`;
}

/** main's view of MIDI, kept current by midi.devices events. */
function useMidiStatus(client: MixdeckClient): { status: MidiStatus | null; error: string | null } {
  const [status, setStatus] = useState<MidiStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    client.call('midi.status', {}).then(
      (answer) => current && setStatus(answer),
      (failure: unknown) => current && setError(errorMessage(failure)),
    );
    const off = client.on('midi.devices', (answer) => setStatus(answer));
    return () => {
      current = false;
      off();
    };
  }, [client]);
  return { status, error };
}

function LearnPanel({ client, device, onAssigned }: { client: MixdeckClient; device: string; onAssigned(mapping: MidiMapping): void }) {
  const [learning, setLearning] = useState(false);
  const [heard, setHeard] = useState<MidiLearned | null>(null);
  const [action, setAction] = useState<MidiActionId>('broadcast.goLive');
  const [slot, setSlot] = useState(1);
  const [layer, setLayer] = useState<'any' | 'normal' | 'shift'>('any');
  const [buttonMode, setButtonMode] = useState<'momentary' | 'toggle'>('momentary');
  const [softTakeover, setSoftTakeover] = useState(true);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => client.on('midi.learned', (learned) => learned.device === device && setHeard(learned)), [client, device]);
  useEffect(
    () => () => {
      void client.call('midi.learn', { device: null }).catch(() => {});
    },
    [client, device],
  );

  const toggleLearn = async (): Promise<void> => {
    try {
      const answer = await client.call('midi.learn', { device: learning ? null : device });
      setLearning(answer.learning !== null);
      setHeard(null);
      setMessage(answer.learning ? 'Move a control on the controller.' : null);
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };

  const info = midiActionInfo(action);
  const assign = async (): Promise<void> => {
    if (!heard) return;
    const binding: MidiBindingInput = {
      status: heard.status,
      midino: action === 'studio.note' ? null : heard.midino,
      action,
      layer,
      control: heard.control,
      buttonMode: info.kind === 'toggle' ? buttonMode : 'momentary',
      softTakeover: heard.control === 'absolute' ? softTakeover : false,
      ...(info.slots ? { slot } : {}),
      ...(heard.encoding ? { encoding: heard.encoding } : {}),
      ...(heard.lsbMidino !== null ? { lsbMidino: heard.lsbMidino } : {}),
    };
    try {
      onAssigned(await client.call('midi.assign', { device, binding }));
      setMessage(`${heard.description} now does “${actionLabel(action, info.slots ? slot : undefined)}”.`);
      setHeard(null);
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };

  return (
    <div className="midi-learn" data-testid="midi-learn">
      <button type="button" className={`button${learning ? ' button-primary' : ''}`} onClick={() => void toggleLearn()} data-testid="midi-learn-toggle">
        {learning ? 'Stop learning' : 'MIDI learn'}
      </button>
      {learning ? (
        <p className="muted" data-testid="midi-heard" role="status">
          {heard ? `Heard: ${heard.description}` : 'Waiting for a control…'}
        </p>
      ) : null}
      {heard ? (
        <div className="midi-assign">
          <label>
            Action{' '}
            <select className="select" value={action} onChange={(event) => setAction(event.target.value as MidiActionId)} data-testid="midi-action">
              {Object.keys(AREA_LABELS).map((area) => (
                <optgroup key={area} label={AREA_LABELS[area]}>
                  {MIDI_ACTIONS.filter((candidate) => candidate.area === area).map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          {info.slots ? (
            <label>
              {info.area === 'player' ? 'Deck' : info.id === 'broadcast.scene' ? 'Scene' : 'Track'}{' '}
              <select className="select" value={slot} onChange={(event) => setSlot(Number(event.target.value))}>
                {Array.from({ length: info.slots }, (_, index) => (
                  <option key={index} value={index + 1}>
                    {index + 1}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            Layer{' '}
            <select className="select" value={layer} onChange={(event) => setLayer(event.target.value as typeof layer)}>
              <option value="any">With or without shift</option>
              <option value="normal">Without shift</option>
              <option value="shift">With shift held</option>
            </select>
          </label>
          {heard.control === 'button' && info.kind === 'toggle' ? (
            <label>
              Button{' '}
              <select className="select" value={buttonMode} onChange={(event) => setButtonMode(event.target.value as typeof buttonMode)}>
                <option value="momentary">Momentary (on while held)</option>
                <option value="toggle">Toggle (press on, press off)</option>
              </select>
            </label>
          ) : null}
          {heard.control === 'absolute' ? (
            <label>
              <input type="checkbox" checked={softTakeover} onChange={(event) => setSoftTakeover(event.target.checked)} /> Soft takeover
            </label>
          ) : null}
          <button type="button" className="button button-primary" onClick={() => void assign()} data-testid="midi-assign">
            Assign
          </button>
        </div>
      ) : null}
      {message ? (
        <p className="field-status" role="status" data-testid="midi-message">
          {message}
        </p>
      ) : null}
    </div>
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function MappingPanel({ client, device }: { client: MixdeckClient; device: string }) {
  const [mapping, setMapping] = useState<MidiMapping | null>(null);
  const [report, setReport] = useState<MixxxImportReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.call('midi.getMapping', { device }).then(
      (answer) => current && setMapping(answer),
      (error: unknown) => current && setMessage(errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, device]);

  const importFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const text = await file.text();
      if (file.name.toLowerCase().endsWith('.xml')) {
        const answer = await client.call('midi.importMixxx', { device, xml: text });
        setMapping(answer.mapping);
        setReport(answer.report);
        setMessage(`Imported “${answer.mapping.name}”: ${answer.report.mapped.length} controls mapped, ${answer.report.unmapped.length} not.`);
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          setMessage(`${file.name} is not a Mixdeck mapping (it is not JSON).`);
          return;
        }
        setMapping(await client.call('midi.saveMapping', { device, mapping: parsed as MidiMapping }));
        setReport(null);
        setMessage(`Imported ${file.name}.`);
      }
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };

  const remove = async (index: number): Promise<void> => {
    try {
      setMapping(await client.call('midi.removeBinding', { device, index }));
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };

  return (
    <div className="midi-mapping" data-testid="midi-mapping">
      <LearnPanel client={client} device={device} onAssigned={setMapping} />
      <div className="midi-mapping-actions">
        <label className="button">
          Import Mixxx (.midi.xml) or Mixdeck (.json) mapping…
          <input type="file" accept=".xml,.json" hidden onChange={(event) => void importFile(event)} data-testid="midi-import" />
        </label>
        <button type="button" className="button" disabled={!mapping} onClick={() => mapping && download(`${mapping.name}.mixdeck-mapping.json`, `${JSON.stringify(mapping, null, 2)}\n`)}>
          Export as JSON
        </button>
      </div>
      {message ? (
        <p className="field-status" role="status">
          {message}
        </p>
      ) : null}
      {report && report.unmapped.length > 0 ? (
        <details>
          <summary>{report.unmapped.length} Mixxx controls not mapped</summary>
          <ul>
            {report.unmapped.map((entry) => (
              <li key={entry.key}>
                {entry.key}: {entry.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {mapping ? (
        mapping.bindings.length === 0 ? (
          <p className="muted">No controls mapped yet. Use MIDI learn, or import a mapping.</p>
        ) : (
          <table className="midi-bindings" data-testid="midi-bindings">
            <thead>
              <tr>
                <th>Control</th>
                <th>Action</th>
                <th>Layer</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {mapping.bindings.map((binding, index) => (
                <tr key={`${binding.status}-${binding.midino}-${binding.layer}-${index}`}>
                  <td>{describeBinding(binding)}</td>
                  <td>
                    {actionLabel(binding.action, binding.slot)}
                    {binding.control === 'relative' ? ` (encoder, ${binding.encoding ?? 'twos-complement'})` : ''}
                    {binding.control === 'button' && binding.buttonMode === 'toggle' ? ' (toggle)' : ''}
                    {binding.softTakeover ? ' (soft takeover)' : ''}
                  </td>
                  <td>{binding.layer === 'any' ? '' : binding.layer === 'shift' ? 'Shift' : 'No shift'}</td>
                  <td>
                    <button type="button" className="button button-ghost button-small" onClick={() => void remove(index)} aria-label={`Remove ${describeBinding(binding)}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </div>
  );
}

/** Settings › Controllers: the MIDI controllers main sees, MIDI learn, and each one's mapping. */
export function ControllersSection() {
  const client = useShell((state) => state.client);
  const { status, error } = useMidiStatus(client);
  const [chosen, setChosen] = useState<string | null>(null);
  const devices = status?.devices ?? [];
  const device = chosen !== null && devices.some((candidate) => candidate.name === chosen) ? chosen : (devices[0]?.name ?? null);

  return (
    <section className="panel settings-section" aria-labelledby="settings-controllers-title" data-testid="settings-controllers">
      <header className="settings-section-header">
        <div>
          <h2 className="panel-title" id="settings-controllers-title">
            Controllers
          </h2>
          <p className="settings-section-description">MIDI controllers: what each control does, learned by moving it or imported from Mixxx.</p>
        </div>
      </header>
      <div className="settings-rows">
        {error ? (
          <p role="alert">{error}</p>
        ) : !status ? (
          <p className="muted">Looking for controllers…</p>
        ) : !status.available ? (
          <p role="status" data-testid="midi-unavailable">
            {status.reason}
          </p>
        ) : devices.length === 0 ? (
          <p className="muted" data-testid="midi-no-devices">
            No MIDI controller is connected. Plug one in; it shows up here by itself.
          </p>
        ) : (
          <>
            <label>
              Controller{' '}
              <select className="select" value={device ?? ''} onChange={(event) => setChosen(event.target.value)} data-testid="midi-device">
                {devices.map((candidate) => (
                  <option key={candidate.name} value={candidate.name}>
                    {candidate.name}
                    {candidate.connected ? '' : ' (unplugged)'} — {candidate.mappingName ?? 'no mapping'}, {candidate.bindingCount} controls
                  </option>
                ))}
              </select>
            </label>
            {device ? <MappingPanel key={device} client={client} device={device} /> : null}
          </>
        )}
      </div>
    </section>
  );
}
