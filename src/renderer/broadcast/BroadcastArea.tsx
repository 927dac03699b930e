import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { ComingSoonButton, EmptyState } from '../shell/EmptyState';
import { BroadcastIcon, PlusIcon } from '../shell/icons';
import { AudioSummary } from '../settings/AudioSummary';

const PLATFORMS = ['Twitch', 'YouTube', 'Facebook', 'TikTok', 'Custom RTMP'] as const;

export function BroadcastArea() {
  const navigate = useShell((state) => state.navigate);
  return (
    <>
      <AreaHeader
        area="broadcast"
        subtitle="Stream one mix to every platform at once, with a local recording."
        actions={
          <ComingSoonButton primary>
            <PlusIcon size={16} />
            Add target
          </ComingSoonButton>
        }
      />
      <div className="area-body area-body-split">
        <EmptyState icon={<BroadcastIcon size={40} />} title="No targets yet" testId="empty-broadcast">
          <p>Add Twitch, YouTube, Facebook, TikTok or a custom RTMP server.</p>
          <div className="platform-grid">
            {PLATFORMS.map((platform) => (
              <ComingSoonButton key={platform}>{platform}</ComingSoonButton>
            ))}
          </div>
        </EmptyState>
        <aside className="panel side-panel" aria-labelledby="broadcast-audio-title">
          <h2 className="panel-title" id="broadcast-audio-title">
            Audio path
          </h2>
          <AudioSummary />
          <button type="button" className="button button-small" onClick={() => navigate('settings')}>
            Change in Settings
          </button>
        </aside>
      </div>
    </>
  );
}
