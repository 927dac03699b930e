import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { EmptyState } from '../shell/EmptyState';
import { LibraryIcon, SettingsIcon } from '../shell/icons';

export function LibraryArea() {
  const navigate = useShell((state) => state.navigate);
  const folderCount = useShell((state) => state.settings?.folders.music.length ?? 0);
  return (
    <>
      <AreaHeader area="library" subtitle="Every track on this machine, playable offline." />
      <div className="area-body">
        <EmptyState
          icon={<LibraryIcon size={40} />}
          title="Your library is empty"
          testId="empty-library"
          actions={
            <button type="button" className="button button-primary" onClick={() => navigate('settings')} data-testid="library-open-settings">
              <SettingsIcon size={16} />
              Open Settings
            </button>
          }
        >
          {folderCount === 0 ? (
            <p>Add a music folder in Settings.</p>
          ) : (
            <p>
              {folderCount === 1 ? 'One music folder is' : `${folderCount} music folders are`} set in Settings. Scanning
              folders into the library is not available in this version yet.
            </p>
          )}
        </EmptyState>
      </div>
    </>
  );
}
