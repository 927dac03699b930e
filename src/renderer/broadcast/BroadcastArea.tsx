import { useState } from 'react';
import { AudioSummary } from '../settings/AudioSummary';
import { AreaHeader } from '../shell/AreaHeader';
import { EmptyState } from '../shell/EmptyState';
import { BroadcastIcon } from '../shell/icons';
import { AddTargetDialog } from './dashboard/AddTargetDialog';
import { AudioPanel } from './dashboard/AudioPanel';
import { HealthGraph } from './dashboard/HealthGraph';
import { NowPlayingPanel } from './dashboard/NowPlayingPanel';
import { OverloadPanel } from './dashboard/OverloadPanel';
import { ScenePanel } from './dashboard/ScenePanel';
import { SetControls } from './dashboard/SetControls';
import { TargetsPanel } from './dashboard/TargetsPanel';
import { useBroadcast } from './use-broadcast';
import './broadcast.css';

/** The live-set dashboard: targets and their health, the scene, audio, now playing, Go Live / End. */
export function BroadcastArea() {
  const loaded = useBroadcast((state) => state.loaded);
  const loadError = useBroadcast((state) => state.loadError);
  const hasTargets = useBroadcast((state) => state.targets.length > 0);
  const error = useBroadcast((state) => state.error);
  const clearError = useBroadcast((state) => state.clearError);
  const lastRecording = useBroadcast((state) => state.lastRecording);
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = useBroadcast((state) => state.targets.find((target) => target.id === editingId) ?? null);

  return (
    <>
      <AreaHeader area="broadcast" subtitle="One mix to every platform at once, recorded on this computer." actions={<SetControls />} />
      <div className="area-body bc-body" data-testid="broadcast-dashboard" data-loaded={loaded}>
        {loadError ? (
          <p className="bc-alert bc-alert-banner" role="alert">
            The broadcast service did not answer: {loadError}
          </p>
        ) : null}
        {error ? (
          <div className="bc-alert bc-alert-banner" role="alert" data-testid="broadcast-error">
            <span>{error}</span>
            <button type="button" className="button button-small button-ghost" onClick={clearError}>
              Dismiss
            </button>
          </div>
        ) : null}
        <OverloadPanel />
        {lastRecording ? (
          <p className="bc-note" data-testid="last-recording">
            Last set saved to <span className="mono">{lastRecording}</span>
          </p>
        ) : null}
        <div className="bc-columns">
          <div className="bc-column">
            {hasTargets ? (
              <>
                <TargetsPanel onAdd={() => setAdding(true)} onEdit={(target) => setEditingId(target.id)} />
                <HealthGraph />
              </>
            ) : (
              <EmptyState
                icon={<BroadcastIcon size={40} />}
                title="No targets yet"
                testId="empty-broadcast"
                actions={
                  <button type="button" className="button button-primary" onClick={() => setAdding(true)} data-testid="add-first-target">
                    Add a target
                  </button>
                }
              >
                <p>Add Twitch, YouTube, Facebook, TikTok, Kick or any RTMP/RTMPS server. Keys are stored encrypted and never shown again.</p>
              </EmptyState>
            )}
            <NowPlayingPanel />
          </div>
          <div className="bc-column bc-side">
            <ScenePanel />
            <AudioPanel />
            <section className="panel bc-panel" aria-labelledby="bc-path-title">
              <h2 className="panel-title" id="bc-path-title">
                Audio path
              </h2>
              <AudioSummary />
            </section>
          </div>
        </div>
      </div>
      <AddTargetDialog open={adding} onClose={() => setAdding(false)} />
      {editing ? <AddTargetDialog key={editing.id} open editing={editing} onClose={() => setEditingId(null)} /> : null}
    </>
  );
}
