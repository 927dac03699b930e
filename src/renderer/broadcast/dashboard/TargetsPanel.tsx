import { useState } from 'react';
import type { BroadcastTarget, BroadcastTargetStatus } from '../../../shared/contract';
import { CloseIcon, PlusIcon } from '../../shell/icons';
import { formatBitrate, formatDuration, STATE_LABELS } from '../format';
import { shownTargetState } from '../overload-notices';
import { useBroadcast } from '../use-broadcast';
import { ConfirmDialog } from './ConfirmDialog';
import { PLATFORM_COLOURS } from './HealthGraph';
import { Sparkline } from './Sparkline';

const NO_HISTORY: readonly number[] = [];

function profileLine(target: BroadcastTarget): string {
  const { profile } = target;
  return `${profile.width}×${profile.height} ${profile.fps} fps · ${formatBitrate(profile.videoBitrateKbps + profile.audioBitrateKbps)}`;
}

function TargetRow({
  target,
  status,
  setRunning,
  onEdit,
}: {
  target: BroadcastTarget;
  status: BroadcastTargetStatus | undefined;
  setRunning: boolean;
  onEdit(target: BroadcastTarget): void;
}) {
  const history = useBroadcast((state) => state.bitrateHistory[target.id] ?? NO_HISTORY);
  const updateTarget = useBroadcast((state) => state.updateTarget);
  const removeTarget = useBroadcast((state) => state.removeTarget);
  const setTargetLive = useBroadcast((state) => state.setTargetLive);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const state = status?.state ?? 'idle';
  const onAir = state === 'live' || state === 'connecting' || state === 'reconnecting';
  // Live but far below its bitrate is not plain green: the light and the words say so.
  const shown = shownTargetState(status);
  const reason = shown.reason;
  const problems = target.problems.filter((problem) => problem.severity === 'error');
  const reasonId = `target-reason-${target.id}`;

  return (
    <>
      <tr className={`bc-target-row bc-state-${shown.state}${target.enabled ? '' : ' bc-target-disabled'}`} data-testid="target-row" data-target-id={target.id} data-state={state} data-shown-state={shown.state}>
        <td>
          <span className="bc-state" data-testid={`target-state-${target.id}`} aria-describedby={reason ? reasonId : undefined}>
            <span className="bc-light" aria-hidden="true" />
            {shown.state === 'degraded' ? 'Live, low bitrate' : STATE_LABELS[state]}
            {state === 'reconnecting' && status?.nextRetryInSec != null ? (
              <span className="bc-retry numeric"> · {Math.ceil(status.nextRetryInSec)} s</span>
            ) : null}
          </span>
        </td>
        <th scope="row">
          <div className="bc-target-name">
            <span className="bc-platform-dot" style={{ background: PLATFORM_COLOURS[target.platform] }} aria-hidden="true" />
            <span className="bc-target-title">{target.name}</span>
            <span className="bc-target-sub" title={target.server}>
              {hostOf(target.server) || status?.host} · {profileLine(target)}
            </span>
          </div>
        </th>
        <td className="bc-key" title={target.keySet ? 'The stream key is stored encrypted and never shown again.' : undefined}>
          {target.keySet ? (
            <span className="bc-key-set" aria-label={`Stream key set, ending ${target.keyHint?.slice(-2) ?? ''}`}>
              key set ••{target.keyHint?.slice(-2) ?? ''}
            </span>
          ) : (
            <span className="bc-text-warn">no key</span>
          )}
        </td>
        <td className="bc-bitrate">
          <Sparkline values={history} label={`${target.name} outgoing bitrate over the last minute`} />
          <span className="numeric">{formatBitrate(status?.bitrateKbps ?? 0)}</span>
        </td>
        <td className={`numeric bc-num${(status?.droppedFrames ?? 0) > 0 ? ' bc-text-warn' : ''}`}>{status?.droppedFrames ?? 0}</td>
        <td className="numeric bc-num">{status && status.uptimeSec > 0 ? formatDuration(status.uptimeSec) : '—'}</td>
        <td className="bc-actions">
          {setRunning ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => void setTargetLive(target.id, !onAir || state === 'reconnecting')}
              aria-label={`${onAir && state !== 'reconnecting' ? 'Take off air' : 'Put on air'}: ${target.name}`}
            >
              {onAir && state !== 'reconnecting' ? 'Off air' : state === 'failed' || state === 'reconnecting' ? 'Retry' : 'On air'}
            </button>
          ) : (
            <label className="bc-switch">
              <input
                type="checkbox"
                checked={target.enabled}
                onChange={(event) => void updateTarget(target.id, { enabled: event.target.checked })}
                aria-label={`Include ${target.name} when going live`}
              />
              <span aria-hidden="true" />
            </label>
          )}
          <button
            type="button"
            className="button button-small button-ghost"
            onClick={() => onEdit(target)}
            aria-label={`Edit ${target.name}`}
            title={onAir ? 'Change the server, key or encoding; saving restarts this target on air' : 'Change the server, key or encoding'}
            data-testid="edit-target"
          >
            Edit
          </button>
          <button type="button" className="icon-button bc-remove" onClick={() => setConfirmRemove(true)} aria-label={`Remove ${target.name}`} title="Remove target">
            <CloseIcon size={14} />
          </button>
          <ConfirmDialog
            open={confirmRemove}
            title={`Remove ${target.name}?`}
            confirmLabel="Remove target"
            danger
            testId={`remove-dialog-${target.id}`}
            onCancel={() => setConfirmRemove(false)}
            onConfirm={() => {
              setConfirmRemove(false);
              void removeTarget(target.id);
            }}
          >
            <p>
              Mixdeck forgets this target and its stream key{onAir ? ', and takes it off air now; the other targets stay live' : ''}.
            </p>
          </ConfirmDialog>
        </td>
      </tr>
      {reason || problems.length > 0 ? (
        <tr className={`bc-reason-row bc-state-${shown.state}`}>
          <td />
          <td colSpan={6} id={reasonId} role={state === 'failed' ? 'alert' : undefined} data-testid={`target-reason-${target.id}`}>
            {reason ?? problems.map((problem) => problem.message).join(' ')}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The ingest's host and port, never the path (where some platforms put the key). */
function hostOf(server: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(server.trim())?.[1] ?? '';
}

export function TargetsPanel({ onAdd, onEdit }: { onAdd(): void; onEdit(target: BroadcastTarget): void }) {
  const targets = useBroadcast((state) => state.targets);
  const statuses = useBroadcast((state) => state.statuses);
  const setRunning = useBroadcast((state) => state.set !== null && state.set.state !== 'idle');
  const live = targets.filter((target) => statuses[target.id]?.state === 'live').length;

  return (
    <section className="panel bc-panel" aria-labelledby="bc-targets-title">
      <header className="bc-panel-header">
        <h2 className="panel-title" id="bc-targets-title">
          Targets <span className="bc-count numeric">{setRunning ? `${live}/${targets.length} live` : targets.length}</span>
        </h2>
        <button type="button" className="button button-small" onClick={onAdd} data-testid="add-target">
          <PlusIcon size={14} />
          Add target
        </button>
      </header>
      <table className="bc-targets" data-testid="targets">
        <colgroup>
          <col className="bc-col-state" />
          <col />
          <col className="bc-col-key" />
          <col className="bc-col-bitrate" />
          <col className="bc-col-num" />
          <col className="bc-col-num" />
          <col className="bc-col-actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Target</th>
            <th scope="col">Key</th>
            <th scope="col">Outgoing</th>
            <th scope="col" className="bc-num" title="Video frames skipped because the connection could not keep up">Drops</th>
            <th scope="col" className="bc-num">Uptime</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <TargetRow key={target.id} target={target} status={statuses[target.id]} setRunning={setRunning} onEdit={onEdit} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
