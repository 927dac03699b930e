import { useState } from 'react';
import { formatBitrate, formatBytes, formatDuration } from '../format';
import { useBroadcast } from '../use-broadcast';
import { ConfirmDialog } from './ConfirmDialog';
import { useGoLiveChecklist } from './use-go-live-checklist';

/** The set's state, timer, recording and tempo, with Go Live / End behind a confirmation. */
export function SetControls() {
  const setInfo = useBroadcast((state) => state.set);
  const targets = useBroadcast((state) => state.targets);
  const bandwidth = useBroadcast((state) => state.bandwidth);
  const tempo = useBroadcast((state) => state.tempo);
  const busy = useBroadcast((state) => state.busy);
  const goLive = useBroadcast((state) => state.goLive);
  const endSet = useBroadcast((state) => state.endSet);
  const [asking, setAsking] = useState<'go-live' | 'end' | null>(null);
  const setState = setInfo?.state ?? 'idle';
  const running = setState !== 'idle';
  const enabled = targets.filter((target) => target.enabled);
  const recording = setInfo?.recording;
  const checklist = useGoLiveChecklist(asking === 'go-live' && !running);
  const ready = !checklist.listening && checklist.items.length === 0;

  return (
    <div className="bc-setbar" data-testid="set-controls" data-set-state={setState}>
      <span className={`bc-onair bc-onair-${setState}`} data-testid="set-state">
        <span className="bc-light" aria-hidden="true" />
        {setState === 'live' ? 'On air' : setState === 'starting' ? 'Starting…' : setState === 'ending' ? 'Ending…' : 'Off air'}
      </span>
      <span className="bc-timer numeric" data-testid="set-timer" aria-label="Set time">
        {formatDuration(setInfo?.elapsedSec ?? 0)}
      </span>
      <span className={`bc-rec${recording?.active ? ' bc-rec-on' : ''}`} data-testid="recording-indicator" title={recording?.path ?? undefined}>
        <span className="bc-rec-dot" aria-hidden="true" />
        {recording?.active ? `REC ${formatBytes(recording.bytes)}` : 'REC off'}
      </span>
      <span className="bc-tempo numeric" data-testid="tempo" aria-label="Tempo">
        {tempo.tempoBpm === null ? '— BPM' : `${tempo.tempoBpm.toFixed(1)} BPM`}
      </span>
      {running ? (
        <button type="button" className="button button-danger bc-big-button" onClick={() => setAsking('end')} disabled={(busy !== null && busy !== 'remedy') || setState === 'ending'} data-testid="end-set">
          End set
        </button>
      ) : (
        <button type="button" className="button button-live bc-big-button" onClick={() => setAsking('go-live')} disabled={busy !== null} data-testid="go-live">
          {busy === 'going-live' ? 'Going live…' : 'Go Live'}
        </button>
      )}

      <ConfirmDialog
        open={asking === 'go-live'}
        title={`Go live on ${enabled.length} ${enabled.length === 1 ? 'target' : 'targets'}?`}
        confirmLabel={checklist.items.length > 0 ? 'Go live anyway' : 'Go live now'}
        busy={busy !== null}
        testId="go-live-dialog"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void goLive();
        }}
      >
        <ul className="bc-dialog-list">
          {enabled.map((target) => (
            <li key={target.id}>
              <strong>{target.name}</strong>{' '}
              <span className="muted">
                {target.profile.width}×{target.profile.height} · {formatBitrate(target.profile.videoBitrateKbps + target.profile.audioBitrateKbps)}
              </span>
            </li>
          ))}
        </ul>
        <div className="bc-checklist" data-testid="go-live-checklist" data-listening={checklist.listening} data-ready={ready}>
          {checklist.items.length > 0 ? (
            <ul className="bc-checklist-items" aria-label="What is not ready">
              {checklist.items.map((item) => (
                <li key={`${item.id}:${item.message}`} className="bc-alert bc-alert-warn" data-testid="go-live-check" data-check={item.id}>
                  {item.message}
                </li>
              ))}
            </ul>
          ) : null}
          {checklist.listening ? (
            <p className="muted" data-testid="go-live-listening" role="status">
              Listening to the input…
            </p>
          ) : ready ? (
            <p className="bc-check-ready" data-testid="go-live-ready" role="status">
              Ready: sound on the input, a picture, every target has its key and the upload is enough.
            </p>
          ) : (
            <p className="muted">You can still go live; each of these will happen as said.</p>
          )}
        </div>
        {checklist.items.some((item) => item.id === 'upload') ? null : bandwidth?.warning ? (
          <p className="bc-alert bc-alert-warn" data-testid="bandwidth-warning">
            {bandwidth.warning}
          </p>
        ) : (
          <p className="muted">
            Needs about {formatBitrate(bandwidth?.requiredKbps ?? 0)} of upload
            {bandwidth?.uploadKbps ? ` of your ${formatBitrate(bandwidth.uploadKbps)}` : ''}. The set is recorded on this computer.
          </p>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={asking === 'end'}
        title="End the set?"
        confirmLabel="End set"
        danger
        busy={busy !== null}
        testId="end-dialog"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void endSet();
        }}
      >
        <p>Every target goes off air now, the recording is finished as MP4 and the tracklist is saved beside it.</p>
      </ConfirmDialog>
    </div>
  );
}
