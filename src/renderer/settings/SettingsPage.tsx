import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { CheckIcon } from '../shell/icons';
import { AppearanceSection } from './AppearanceSection';
import { AudioSection } from './AudioSection';
import { FoldersSection } from './FoldersSection';
import { ControllersSection } from '../midi/ControllersSection';
import { RemoteSection } from '../remote/RemoteSection';

function SaveIndicator() {
  const status = useShell((state) => state.saveStatus);
  const words = {
    idle: 'Changes save automatically',
    saving: 'Saving…',
    saved: 'Saved',
    error: 'Not saved — see the message below',
  }[status];
  return (
    <p className={`save-indicator save-${status}`} role="status" data-testid="save-status" data-status={status}>
      {status === 'saved' ? <CheckIcon size={14} /> : <span className="save-indicator-dot" aria-hidden="true" />}
      {words}
    </p>
  );
}

export function SettingsPage() {
  const settings = useShell((state) => state.settings);
  const loadError = useShell((state) => state.settingsLoadError);
  const reload = useShell((state) => state.reloadSettings);

  return (
    <>
      <AreaHeader area="settings" subtitle="Audio, folders and appearance for this machine." actions={<SaveIndicator />} />
      <div className="area-body settings-body" data-testid="settings-page">
        {settings ? (
          <>
            <AudioSection audio={settings.audio} />
            <FoldersSection folders={settings.folders} />
            <AppearanceSection appearance={settings.appearance} />
            <ControllersSection />
            <RemoteSection />
          </>
        ) : loadError ? (
          <div className="panel load-error" role="alert">
            <p>Mixdeck could not read its settings: {loadError}</p>
            <button type="button" className="button" onClick={() => void reload()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="muted">Loading settings…</p>
        )}
      </div>
    </>
  );
}
