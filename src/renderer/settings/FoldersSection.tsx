import { useState } from 'react';
import type { Settings } from '../../shared/contract';
import { useShell } from '../app/store-context';
import { PickPathButton } from '../files/PathPicker';
import { CloseIcon, FolderIcon, PlusIcon } from '../shell/icons';
import { SettingRow, SettingsSection, useFieldProps } from './controls';

/**
 * Folders are picked, never typed: the native dialog in the desktop app, main's folder browser
 * in a web page. Main lists only a folder the user picked, and says why when it refuses one.
 */
function MusicFolders({ music }: { music: readonly string[] }) {
  const save = useShell((state) => state.saveSettings);
  const fieldProps = useFieldProps('folders.music');
  const [duplicate, setDuplicate] = useState(false);

  const add = async (path: string): Promise<boolean> => {
    if (music.includes(path)) {
      setDuplicate(true);
      return false;
    }
    setDuplicate(false);
    return save({ folders: { music: [...music, path] } });
  };

  return (
    <SettingRow
      field="folders.music"
      label="Music folders"
      description="Folders Mixdeck reads your tracks from. Nothing is moved or changed."
    >
      {music.length === 0 ? (
        <p className="folder-empty muted">No music folders yet.</p>
      ) : (
        <ul className="folder-list" data-testid="music-folders" {...fieldProps}>
          {music.map((path) => (
            <li key={path} className="folder-item">
              <FolderIcon size={16} className="folder-item-icon" />
              <span className="folder-path" title={path}>
                {path}
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${path}`}
                onClick={() => void save({ folders: { music: music.filter((item) => item !== path) } })}
              >
                <CloseIcon size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <PickPathButton kind="folder" purpose="music-folder" title="Add a music folder" onPicked={(path) => void add(path)} testId="music-folder-add">
        <PlusIcon size={16} /> Add a music folder…
      </PickPathButton>
      {duplicate ? <p className="field-status field-error">That folder is already in the list.</p> : null}
    </SettingRow>
  );
}

function RecordingsFolder({ recordings }: { recordings: string | null }) {
  const save = useShell((state) => state.saveSettings);
  const fieldProps = useFieldProps('folders.recordings');
  const commit = async (value: string | null): Promise<void> => {
    await save({ folders: { recordings: value } });
  };

  return (
    <SettingRow field="folders.recordings" label="Recordings folder" description="Where broadcasts and studio takes are saved.">
      <div className="inline-form">
        <span className="folder-path mono" title={recordings ?? undefined} data-testid="recordings-folder" {...fieldProps}>
          {recordings ?? 'Not set'}
        </span>
        <PickPathButton kind="folder" purpose="recordings-folder" title="Choose the recordings folder" onPicked={(path) => void commit(path)} testId="recordings-folder-choose">
          Choose…
        </PickPathButton>
        <button type="button" className="button button-ghost" disabled={recordings === null} onClick={() => void commit(null)}>
          Clear
        </button>
      </div>
    </SettingRow>
  );
}

export function FoldersSection({ folders }: { folders: Settings['folders'] }) {
  return (
    <SettingsSection section="folders" description="Where your music lives and where recordings go.">
      <MusicFolders music={folders.music} />
      <RecordingsFolder recordings={folders.recordings} />
    </SettingsSection>
  );
}
