import { useState, type CSSProperties } from 'react';
import { Fader } from './Fader';
import { Knob } from './Knob';
import { Meter, type LevelSource } from './Meter';
import { DEVICE_NAMES } from './AutomationLane';
import { formatDb, formatPan } from './timeline';
import type { StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import { LIMITS } from '../../../shared/studio/schema';

const NO_LEVEL: LevelSource = () => null;

/** The mixer: one channel strip per track, then the master. */
export function Mixer({
  tracks,
  masterVolumeDb,
  editor,
  selectedTrackId,
  onSelectTrack,
  levelsFor,
}: {
  tracks: readonly Track[];
  masterVolumeDb: number;
  editor: StudioEditor;
  selectedTrackId: string | null;
  onSelectTrack: (trackId: string) => void;
  levelsFor?: (trackId: string | 'master') => LevelSource;
}) {
  const buses = tracks.filter((track) => track.kind === 'bus');
  return (
    <div className="st-mixer" data-testid="mixer">
      <div className="st-mixer-strips">
        {tracks.map((track) => (
          <ChannelStrip
            key={track.id}
            track={track}
            buses={buses}
            editor={editor}
            selected={selectedTrackId === track.id}
            onSelect={() => onSelectTrack(track.id)}
            levels={levelsFor?.(track.id) ?? NO_LEVEL}
          />
        ))}
      </div>
      <MasterStrip volumeDb={masterVolumeDb} editor={editor} levels={levelsFor?.('master') ?? NO_LEVEL} />
    </div>
  );
}

function ChannelStrip({
  track,
  buses,
  editor,
  selected,
  onSelect,
  levels,
}: {
  track: Track;
  buses: readonly Track[];
  editor: StudioEditor;
  selected: boolean;
  onSelect: () => void;
  levels: LevelSource;
}) {
  const [volumeDraft, setVolumeDraft] = useState<number | null>(null);
  const [panDraft, setPanDraft] = useState<number | null>(null);
  const [sendDrafts, setSendDrafts] = useState<Record<string, number>>({});
  const volume = volumeDraft ?? track.volumeDb;
  const pan = panDraft ?? track.pan;
  const sendTargets = track.kind === 'bus' ? [] : buses;
  return (
    <section
      className={`st-strip${selected ? ' is-selected' : ''}`}
      style={{ '--track-color': trackColor(track) } as CSSProperties}
      data-testid="mixer-strip"
      data-track-id={track.id}
      aria-label={`${track.name} channel`}
      onPointerDown={onSelect}
    >
      <header className="st-strip-name" title={track.name}>
        {track.name}
      </header>
      <div className="st-strip-inserts">
        {track.devices.length === 0 ? <span className="st-strip-empty">No inserts</span> : null}
        {track.devices.map((device) => (
          <span key={device.id} className={`st-strip-insert${device.bypass ? ' is-bypassed' : ''}`}>
            {DEVICE_NAMES[device.type]}
          </span>
        ))}
      </div>
      <div className="st-strip-sends">
      <Knob
          label={`Pan of ${track.name}`}
          value={pan}
          min={-1}
          max={1}
          defaultValue={0}
          bipolar
          size={28}
          format={formatPan}
          onChange={setPanDraft}
          onCommit={(value) => {
            setPanDraft(null);
            editor.setTrack(track.id, { pan: Math.round(value * 100) / 100 });
          }}
        />

        {sendTargets.map((bus) => {
          const send = track.sends.find((entry) => entry.busId === bus.id);
          const level = sendDrafts[bus.id] ?? send?.levelDb ?? LIMITS.sendDb.min;
          return (
            <Knob
              key={bus.id}
              label={`Send to ${bus.name}`}
              value={level}
              min={LIMITS.sendDb.min}
              max={LIMITS.sendDb.max}
              defaultValue={-12}
              size={24}
              color={trackColor(bus)}
              format={(value) => (value <= LIMITS.sendDb.min ? '−∞' : `${formatDb(value)}`)}
              onChange={(value) => setSendDrafts((drafts) => ({ ...drafts, [bus.id]: value }))}
              onCommit={(value) => {
                setSendDrafts((drafts) => {
                  const next = { ...drafts };
                  delete next[bus.id];
                  return next;
                });
                editor.setSendLevel(track.id, bus.id, Math.round(value * 10) / 10);
              }}
            />
          );
        })}
      </div>
      <div className="st-strip-fader">
        <Fader
          label={`Volume of ${track.name}`}
          volumeDb={volume}
          height={118}
          testId="strip-fader"
          onChange={setVolumeDraft}
          onCommit={(value) => {
            setVolumeDraft(null);
            editor.setTrack(track.id, { volumeDb: Math.max(LIMITS.volumeDb.min, value) });
          }}
        />
        <Meter read={levels} height={118} />
      </div>
      <div className="st-strip-readout">{formatDb(volume)} dB</div>
      <div className="st-strip-buttons">
        <button type="button" className={`st-tbtn st-tbtn-mute${track.mute ? ' is-on' : ''}`} aria-pressed={track.mute} aria-label={`Mute ${track.name}`} onClick={() => editor.setTrack(track.id, { mute: !track.mute })}>
          M
        </button>
        <button type="button" className={`st-tbtn st-tbtn-solo${track.solo ? ' is-on' : ''}`} aria-pressed={track.solo} aria-label={`Solo ${track.name}`} onClick={() => editor.setTrack(track.id, { solo: !track.solo })}>
          S
        </button>
        {track.kind !== 'bus' ? (
          <button type="button" className={`st-tbtn st-tbtn-arm${track.armed ? ' is-on' : ''}`} aria-pressed={track.armed} aria-label={`Arm ${track.name}`} onClick={() => editor.setTrack(track.id, { armed: !track.armed })}>
            ●
          </button>
        ) : null}
      </div>
      {track.kind !== 'bus' && buses.length > 0 ? (
        <select
          className="st-strip-output"
          value={track.outputBusId ?? ''}
          aria-label={`Output of ${track.name}`}
          onChange={(event) => editor.setOutputBus(track.id, event.currentTarget.value || null)}
        >
          <option value="">Master</option>
          {buses.map((bus) => (
            <option key={bus.id} value={bus.id}>
              {bus.name}
            </option>
          ))}
        </select>
      ) : (
        <div className="st-strip-output is-static">Master</div>
      )}
    </section>
  );
}

function MasterStrip({ volumeDb, editor, levels }: { volumeDb: number; editor: StudioEditor; levels: LevelSource }) {
  const [draft, setDraft] = useState<number | null>(null);
  const volume = draft ?? volumeDb;
  return (
    <section className="st-strip st-strip-master" aria-label="Master channel" data-testid="master-strip">
      <header className="st-strip-name">Master</header>
      <div className="st-strip-inserts">
        <span className="st-strip-insert">Limiter</span>
      </div>
      <div className="st-strip-spacer" />
      <div className="st-strip-fader">
        <Fader
          label="Master volume"
          volumeDb={volume}
          height={118}
          onChange={setDraft}
          onCommit={(value) => {
            setDraft(null);
            editor.setMasterVolume(Math.max(LIMITS.volumeDb.min, value));
          }}
        />
        <Meter read={levels} height={118} />
      </div>
      <div className="st-strip-readout">{formatDb(volume)} dB</div>
      <div className="st-strip-output is-static">Out 1–2</div>
    </section>
  );
}
