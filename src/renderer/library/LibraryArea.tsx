import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { isTypingTarget } from '../app/shortcuts';
import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { EmptyState } from '../shell/EmptyState';
import { LibraryIcon, SettingsIcon } from '../shell/icons';
import { PlayerBar } from './PlayerBar';
import { libraryRuntime, type LibraryRuntime } from './runtime';
import { ScanBar } from './ScanBar';
import { SearchBar } from './SearchBar';
import { SidePanel } from './SidePanel';
import { Sidebar } from './Sidebar';
import { PickPathButton } from '../files/PathPicker';
import { TrackTable } from './TrackTable';
import './library.css';

const SEEK_STEP_SEC = 5;
const SEEK_BIG_STEP_SEC = 30;

/** The library's keys; they act only while the Library area is on screen, and never while typing. */
function bindLibraryKeys({ library, player }: LibraryRuntime, focusSearch: () => void): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.shiftKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      focusSearch();
      return;
    }
    const target = event.target;
    if (isTypingTarget(target)) return;
    // Range inputs and selects keep their own arrow keys.
    const ownsArrows = target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
    const state = library.getState();
    if (event.key === ' ' && !mod) {
      event.preventDefault();
      void player.togglePlay();
    } else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && !ownsArrows) {
      event.preventDefault();
      const forward = event.key === 'ArrowRight';
      if (mod) void (forward ? player.next() : player.previous());
      else {
        const step = event.shiftKey ? SEEK_BIG_STEP_SEC : SEEK_STEP_SEC;
        void player.seek(player.positionSec() + (forward ? step : -step));
      }
    } else if (event.key.toLowerCase() === 'q' && !mod) {
      const rows = state.selectedRows();
      if (rows.length > 0) {
        player.enqueue(rows, event.shiftKey ? 'next' : 'end');
        state.say('info', `${event.shiftKey ? 'Playing next' : 'Queued'}: ${rows.length === 1 ? 'one track' : `${rows.length} tracks`}.`);
      }
    } else if (event.key.toLowerCase() === 's' && !mod && !event.shiftKey) {
      player.toggleShuffle();
    } else if (event.key.toLowerCase() === 'r' && !mod && !event.shiftKey) {
      player.cycleRepeat();
    } else if (mod && event.shiftKey && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      const targetId = state.addTargetId;
      if (targetId === null) state.say('error', 'Choose a playlist to add to first: its ⋯ menu, “Add selection here”.');
      else void state.addToPlaylist(targetId, state.selectedRows().map((row) => row.id));
    }
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}

const LIBRARY_KEYS: readonly [string, string][] = [
  ['Space', 'Play / pause'],
  ['← →', 'Seek 5 s (Shift: 30 s)'],
  ['Ctrl ← →', 'Previous / next track'],
  ['Ctrl F', 'Search'],
  ['↑ ↓  Enter', 'Move in the list, play'],
  ['Q', 'Queue the selection (Shift: play next)'],
  ['S / R', 'Shuffle / repeat'],
  ['Ctrl Shift A', 'Add the selection to the target playlist'],
  ['Delete', 'Remove from the open playlist'],
];

function KeysHelp() {
  return (
    <details className="library-keys">
      <summary className="button button-small button-ghost">Keys</summary>
      <dl className="library-keys-list" aria-label="Library keys">
        {LIBRARY_KEYS.map(([keys, action]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function EmptyLibrary({ runtime }: { runtime: LibraryRuntime }) {
  const navigate = useShell((state) => state.navigate);
  const settingsFolders = useShell((state) => state.settings?.folders.music ?? null);
  return (
    <EmptyState
      icon={<LibraryIcon size={40} />}
      title="Your library is empty"
      testId="empty-library"
      actions={
        <>
          <PickPathButton
            kind="folder"
            purpose="music-folder"
            title="Add a music folder"
            className="button button-primary"
            testId="library-add-folder"
            onPicked={(path) => void runtime.library.getState().addFolder(path)}
          >
            Add a music folder…
          </PickPathButton>
          {settingsFolders && settingsFolders.length > 0 ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                for (const path of settingsFolders) void runtime.library.getState().addFolder(path);
              }}
              data-testid="library-scan-settings-folders"
            >
              Scan {settingsFolders.length === 1 ? 'the folder' : `the ${settingsFolders.length} folders`} from Settings
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => navigate('settings')} data-testid="library-open-settings">
            <SettingsIcon size={16} />
            Open Settings
          </button>
        </>
      }
    >
      <p>Point Mixdeck at the folders your music lives in. It reads tags, tempo, key and loudness once, then plays everything offline.</p>
    </EmptyState>
  );
}

function MessageLine({ runtime }: { runtime: LibraryRuntime }) {
  const message = useStore(runtime.library, (state) => state.message);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => runtime.library.setState({ message: null }), message.level === 'error' ? 9000 : 4000);
    return () => clearTimeout(timer);
  }, [message, runtime]);
  if (!message) return null;
  return (
    <div className={`library-message is-${message.level}`} role={message.level === 'error' ? 'alert' : 'status'} data-testid="library-message">
      {message.text}
    </div>
  );
}

export function LibraryArea() {
  const client = useShell((state) => state.client);
  const runtime = useMemo(() => libraryRuntime(client), [client]);
  const { library, player } = runtime;
  const searchRef = useRef<HTMLInputElement>(null);
  const libraryTotal = useStore(library, (state) => state.libraryTotal);
  const folderCount = useStore(library, (state) => state.folders.length);
  const scanning = useStore(library, (state) => state.scan?.state === 'running');
  const empty = libraryTotal === 0 && folderCount === 0 && !scanning;

  useEffect(
    () =>
      bindLibraryKeys(runtime, () => {
        searchRef.current?.focus();
        searchRef.current?.select();
      }),
    [runtime],
  );

  return (
    <div className="library-area" data-testid="library-area">
      <AreaHeader area="library" subtitle="Every track on this machine, playable offline." actions={empty ? undefined : <KeysHelp />} />
      {empty ? (
        <div className="area-body">
          <EmptyLibrary runtime={runtime} />
          <MessageLine runtime={runtime} />
        </div>
      ) : (
        <div className="library-layout">
          <Sidebar library={library} />
          <section className="library-main" aria-label="Tracks">
            <SearchBar library={library} ref={searchRef} />
            <ScanBar library={library} />
            <MessageLine runtime={runtime} />
            <TrackTable library={library} player={player} />
          </section>
          <SidePanel player={player} />
          <PlayerBar player={player} />
        </div>
      )}
    </div>
  );
}
