import { useState, type FormEvent } from 'react';
import { isMixdeckError, type Settings } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';
import { CloseIcon, FolderIcon, PlusIcon } from '../shell/icons';
import { SettingRow, SettingsSection, useFieldProps } from './controls';

/**
 * Native folder dialogs exist only in the desktop app. In a browser the user types an
 * absolute path; main checks it and its refusal is shown under the field.
 */
function useFolderPicker(): { canPick: boolean; pick(title: string): Promise<string | null> } {
  const client = useShell((state) => state.client);
  const notify = useShell((state) => state.notify);
  const nativeDialogs = useShell((state) => state.info?.nativeDialogs ?? false);
  const [unsupported, setUnsupported] = useState(false);
  return {
    canPick: nativeDialogs && !unsupported,
    async pick(title) {
      try {
        return (await client.call('system.pickFolder', { title })).path;
      } catch (error) {
        if (isMixdeckError(error) && error.code === 'not-supported') setUnsupported(true);
        else notify('error', `Could not open the folder picker: ${errorMessage(error)}`);
        return null;
      }
    },
  };
}

function pathPlaceholder(platform: string | undefined): string {
  if (platform === 'win32') return 'C:\\Users\\you\\Music';
  if (platform === 'darwin') return '/Users/you/Music';
  return '/home/you/Music';
}

function MusicFolders({ music }: { music: readonly string[] }) {
  const save = useShell((state) => state.saveSettings);
  const platform = useShell((state) => state.info?.platform);
  const picker = useFolderPicker();
  const fieldProps = useFieldProps('folders.music');
  const [draft, setDraft] = useState('');
  const [duplicate, setDuplicate] = useState(false);

  const add = async (path: string): Promise<boolean> => {
    if (music.includes(path)) {
      setDuplicate(true);
      return false;
    }
    setDuplicate(false);
    return save({ folders: { music: [...music, path] } });
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const path = draft.trim();
    if (path === '') return;
    // On failure the typed path stays, so a typo can be fixed rather than retyped.
    if (await add(path)) setDraft('');
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
        <ul className="folder-list" data-testid="music-folders">
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
      {picker.canPick ? (
        <button
          type="button"
          className="button"
          onClick={async () => {
            const path = await picker.pick('Add a music folder');
            if (path) await add(path);
          }}
        >
          <PlusIcon size={16} /> Add folder…
        </button>
      ) : (
        <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
          <input
            className="text-input mono"
            type="text"
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              setDuplicate(false);
            }}
            placeholder={pathPlaceholder(platform)}
            aria-label="Absolute path of a music folder"
            spellCheck={false}
            autoComplete="off"
            data-testid="music-folder-input"
            {...fieldProps}
          />
          <button type="submit" className="button" disabled={draft.trim() === ''} data-testid="music-folder-add">
            <PlusIcon size={16} /> Add
          </button>
        </form>
      )}
      {duplicate ? <p className="field-status field-error">That folder is already in the list.</p> : null}
    </SettingRow>
  );
}

function RecordingsFolder({ recordings }: { recordings: string | null }) {
  const save = useShell((state) => state.saveSettings);
  const picker = useFolderPicker();
  const fieldProps = useFieldProps('folders.recordings');
  /** What the user is typing; null shows the saved value, which is also how a refused path reverts. */
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? recordings ?? '';
  const changed = draft !== null && draft.trim() !== (recordings ?? '');

  const commit = async (value: string | null): Promise<void> => {
    await save({ folders: { recordings: value } });
    setDraft(null);
  };

  return (
    <SettingRow
      field="folders.recordings"
      label="Recordings folder"
      htmlFor="recordings-folder"
      description="Where broadcasts and studio takes are saved."
    >
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (changed) void commit(draft.trim() === '' ? null : draft.trim());
        }}
      >
        <input
          id="recordings-folder"
          className="text-input mono"
          type="text"
          value={shown}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="Not set"
          spellCheck={false}
          autoComplete="off"
          readOnly={picker.canPick}
          data-testid="recordings-folder-input"
          {...fieldProps}
        />
        {picker.canPick ? (
          <button
            type="button"
            className="button"
            onClick={async () => {
              const path = await picker.pick('Choose the recordings folder');
              if (path) await commit(path);
            }}
          >
            Choose…
          </button>
        ) : (
          <button type="submit" className="button" disabled={!changed} data-testid="recordings-folder-save">
            Save
          </button>
        )}
        <button type="button" className="button button-ghost" disabled={recordings === null} onClick={() => void commit(null)}>
          Clear
        </button>
      </form>
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
