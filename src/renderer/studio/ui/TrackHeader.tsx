import { useState } from 'react';
import { Knob } from './Knob';
import { automationTargets } from './AutomationLane';
import { clamp, dbToFader, faderToDb, formatDb, formatPan } from './timeline';
import type { StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import { LIMITS } from '../../../shared/studio/schema';

const KIND_LABEL = { audio: 'Audio', instrument: 'Instrument', bus: 'Bus' } as const;

/** One track's header in the arrangement: name, mute, solo, arm, volume, pan, automation. */
export function TrackHeader({
  track,
  height,
  selected,
  automationOpen,
  editor,
  onSelect,
  onToggleAutomation,
}: {
  track: Track;
  height: number;
  selected: boolean;
  automationOpen: boolean;
  editor: StudioEditor;
  onSelect: () => void;
  onToggleAutomation: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [volumeDraft, setVolumeDraft] = useState<number | null>(null);
  const [panDraft, setPanDraft] = useState<number | null>(null);
  const volume = volumeDraft ?? track.volumeDb;
  const pan = panDraft ?? track.pan;
  const color = trackColor(track);
  const kindLabel = track.instrument ? (track.instrument.type === 'drums' ? 'Drums' : `Synth · ${track.instrument.preset}`) : KIND_LABEL[track.kind];

  return (
    <div
      className={`st-track-header${selected ? ' is-selected' : ''}`}
      style={{ height, '--track-color': color } as React.CSSProperties}
      data-testid="track-header"
      data-track-id={track.id}
      onPointerDown={onSelect}
    >
      <div className="st-track-header-color" />
      <div className="st-track-header-main">
        <div className="st-track-header-top">
          {renaming ? (
            <input
              className="st-track-name-input"
              defaultValue={track.name}
              aria-label="Track name"
              autoFocus
              onBlur={(event) => {
                setRenaming(false);
                const name = event.currentTarget.value.trim();
                if (name && name !== track.name) editor.setTrack(track.id, { name });
              }}
              onKeyDown={(event) => {
                event.stopPropagation();
                if (event.key === 'Enter') event.currentTarget.blur();
                if (event.key === 'Escape') setRenaming(false);
              }}
            />
          ) : (
            <span className="st-track-name" title={`${track.name} — double-click to rename`} onDoubleClick={() => setRenaming(true)}>
              {track.name}
            </span>
          )}
          <span className="st-track-kind">{kindLabel}</span>
          <button
            type="button"
            className="st-track-remove"
            aria-label={`Remove ${track.name}`}
            title="Remove the track (Ctrl+Z brings it back)"
            onClick={(event) => {
              event.stopPropagation();
              editor.removeTrack(track.id);
            }}
          >
            ✕
          </button>
        </div>
        <div className="st-track-header-controls">
          <button
            type="button"
            className={`st-tbtn st-tbtn-mute${track.mute ? ' is-on' : ''}`}
            aria-pressed={track.mute}
            aria-label={`Mute ${track.name}`}
            title="Mute"
            onClick={() => editor.setTrack(track.id, { mute: !track.mute })}
          >
            M
          </button>
          <button
            type="button"
            className={`st-tbtn st-tbtn-solo${track.solo ? ' is-on' : ''}`}
            aria-pressed={track.solo}
            aria-label={`Solo ${track.name}`}
            title="Solo"
            onClick={() => editor.setTrack(track.id, { solo: !track.solo })}
          >
            S
          </button>
          {track.kind !== 'bus' ? (
            <button
              type="button"
              className={`st-tbtn st-tbtn-arm${track.armed ? ' is-on' : ''}`}
              aria-pressed={track.armed}
              aria-label={`Arm ${track.name} for recording`}
              title="Arm for recording"
              onClick={() => editor.setTrack(track.id, { armed: !track.armed })}
            >
              ●
            </button>
          ) : (
            <span className="st-tbtn-spacer" />
          )}
          <button
            type="button"
            className={`st-tbtn st-tbtn-auto${automationOpen ? ' is-on' : ''}`}
            aria-pressed={automationOpen}
            aria-label={`Show automation of ${track.name}`}
            title="Automation lanes"
            onClick={onToggleAutomation}
          >
            A
          </button>
          <input
            type="range"
            className="st-track-volume"
            min={0}
            max={1}
            step={0.001}
            value={dbToFader(volume)}
            aria-label={`Volume of ${track.name}`}
            aria-valuetext={`${formatDb(volume)} dB`}
            title={`Volume ${formatDb(volume)} dB`}
            onChange={(event) => setVolumeDraft(clamp(Math.round(faderToDb(Number(event.currentTarget.value)) * 10) / 10, LIMITS.volumeDb.min, LIMITS.volumeDb.max))}
            onPointerUp={() => {
              if (volumeDraft !== null) editor.setTrack(track.id, { volumeDb: volumeDraft });
              setVolumeDraft(null);
            }}
            onKeyUp={() => {
              if (volumeDraft !== null) editor.setTrack(track.id, { volumeDb: volumeDraft });
              setVolumeDraft(null);
            }}
            onDoubleClick={() => editor.setTrack(track.id, { volumeDb: 0 })}
          />
          <span className="st-track-volume-readout">{formatDb(volume)}</span>
          <Knob
            label={`Pan of ${track.name}`}
            value={pan}
            min={-1}
            max={1}
            defaultValue={0}
            bipolar
            size={22}
            color="var(--studio-accent)"
            format={formatPan}
            onChange={setPanDraft}
            onCommit={(value) => {
              setPanDraft(null);
              editor.setTrack(track.id, { pan: Math.round(value * 100) / 100 });
            }}
          />
        </div>
      </div>
    </div>
  );
}

/** The header of one automation lane: which parameter it draws. */
export function AutomationHeader({ track, target, height, editor }: { track: Track; target: string; height: number; editor: StudioEditor }) {
  const targets = automationTargets(track);
  return (
    <div className="st-automation-header" style={{ height, '--track-color': trackColor(track) } as React.CSSProperties}>
      <select
        className="st-automation-target"
        value={target}
        aria-label={`Automation parameter of ${track.name}`}
        onChange={(event) => {
          const next = event.currentTarget.value;
          const current = track.automation.find((lane) => lane.target === target);
          // Moving the lane to another parameter starts it empty; the old lane's points stay unless cleared.
          if (!track.automation.some((lane) => lane.target === next)) editor.setAutomation(track.id, next, []);
          if (current && current.points.length === 0) editor.setAutomation(track.id, target, []);
        }}
      >
        {targets.map((entry) => (
          <option key={entry.target} value={entry.target}>
            {entry.label}
          </option>
        ))}
      </select>
      <button type="button" className="st-tbtn" title="Clear this lane" aria-label={`Clear ${target} automation`} onClick={() => editor.setAutomation(track.id, target, [])}>
        ✕
      </button>
    </div>
  );
}
