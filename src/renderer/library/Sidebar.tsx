import { useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Playlist } from '../../shared/contract';
import { formatDuration } from './format';
import { CrateIcon, FolderIcon, ListIcon, MusicIcon, PlusIcon, SmartIcon } from './icons';
import type { LibraryStore } from './library-store';
import { TRACK_DRAG_TYPE } from './TrackTable';
import { PickPathButton } from '../files/PathPicker';

const PLAYLIST_DRAG_TYPE = 'application/x-mixdeck-playlist';

/** A one-line name field that replaces a button while the user names something (Electron has no window.prompt). */
export function InlineName({
  initial,
  label,
  onDone,
  testId,
}: {
  initial: string;
  label: string;
  onDone: (name: string | null) => void;
  testId?: string;
}) {
  const [value, setValue] = useState(initial);
  const finished = useRef(false);
  const finish = (name: string | null): void => {
    if (finished.current) return;
    finished.current = true;
    onDone(name && name.trim() ? name.trim() : null);
  };
  return (
    <form
      className="inline-name"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        finish(value);
      }}
    >
      <input
        // Focus goes straight to the field the user just asked for.
        autoFocus
        aria-label={label}
        value={value}
        maxLength={200}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => finish(value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') finish(null);
        }}
        data-testid={testId}
      />
    </form>
  );
}

function kindIcon(kind: Playlist['kind']) {
  return kind === 'crate' ? <CrateIcon size={14} /> : kind === 'smart' ? <SmartIcon size={14} /> : <ListIcon size={14} />;
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'audio/x-mpegurl;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function PlaylistItem({ library, playlist, onDragTo }: { library: LibraryStore; playlist: Playlist; onDragTo: (id: number) => void }) {
  const view = useStore(library, (state) => state.view);
  const target = useStore(library, (state) => state.addTargetId);
  const [renaming, setRenaming] = useState(false);
  const [dropping, setDropping] = useState(false);
  const active = view.kind === 'playlist' && view.id === playlist.id;
  const acceptsTracks = playlist.kind !== 'smart';
  return (
    <li
      className={`side-item${active ? ' is-active' : ''}${dropping ? ' is-drop' : ''}`}
      draggable={!renaming}
      onDragStart={(event) => event.dataTransfer.setData(PLAYLIST_DRAG_TYPE, String(playlist.id))}
      onDragOver={(event) => {
        const types = event.dataTransfer.types;
        if ((acceptsTracks && types.includes(TRACK_DRAG_TYPE)) || types.includes(PLAYLIST_DRAG_TYPE)) {
          event.preventDefault();
          setDropping(true);
        }
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(event) => {
        setDropping(false);
        const tracks = event.dataTransfer.getData(TRACK_DRAG_TYPE);
        if (tracks && acceptsTracks) {
          event.preventDefault();
          void library.getState().addToPlaylist(playlist.id, JSON.parse(tracks) as number[]);
          return;
        }
        const moved = Number(event.dataTransfer.getData(PLAYLIST_DRAG_TYPE));
        if (Number.isInteger(moved) && moved !== playlist.id) {
          event.preventDefault();
          onDragTo(moved);
        }
      }}
      data-testid="playlist-item"
      data-playlist-id={playlist.id}
    >
      {renaming ? (
        <InlineName
          initial={playlist.name}
          label={`New name for ${playlist.name}`}
          onDone={(name) => {
            setRenaming(false);
            if (name && name !== playlist.name) void library.getState().renamePlaylist(playlist.id, name);
          }}
        />
      ) : (
        <button
          type="button"
          className="side-link"
          onClick={() => library.getState().setView({ kind: 'playlist', id: playlist.id })}
          onDoubleClick={() => setRenaming(true)}
          title={`${playlist.trackCount} tracks, ${formatDuration(playlist.durationSec)}${playlist.smartQuery ? ` · ${playlist.smartQuery}` : ''} — double-click to rename`}
        >
          {kindIcon(playlist.kind)}
          <span className="side-name">{playlist.name}</span>
          {target === playlist.id ? <span className="side-target" title="Ctrl+Shift+A adds the selection here">+</span> : null}
          <span className="side-count">{playlist.trackCount}</span>
        </button>
      )}
      <details
        className="side-menu"
        onBlur={(event) => {
          // Closes when focus leaves the menu, like a native menu.
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) event.currentTarget.open = false;
        }}
      >
        <summary aria-label={`More for ${playlist.name}`}>⋯</summary>
        <div
          className="side-menu-body"
          onClick={(event) => {
            if ((event.target as HTMLElement).closest('button')) (event.currentTarget.parentElement as HTMLDetailsElement).open = false;
          }}
        >
          {acceptsTracks ? <button type="button" onClick={() => library.getState().setAddTarget(playlist.id)}>Add selection here with Ctrl+Shift+A</button> : null}
          <button type="button" onClick={() => setRenaming(true)}>Rename</button>
          <button
            type="button"
            onClick={async () => {
              const exported = await library.getState().exportM3u8(playlist.id);
              if (exported) download(exported.fileName, exported.text);
            }}
          >
            Export M3U8
          </button>
          <button type="button" className="is-danger" onClick={() => void library.getState().deletePlaylist(playlist.id)}>
            Delete
          </button>
        </div>
      </details>
    </li>
  );
}

export function Sidebar({ library }: { library: LibraryStore }) {
  const view = useStore(library, (state) => state.view);
  const playlists = useStore(library, (state) => state.playlists);
  const folders = useStore(library, (state) => state.folders);
  const libraryTotal = useStore(library, (state) => state.libraryTotal);
  const [creating, setCreating] = useState<'playlist' | 'crate' | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const moveBefore = (movedId: number, beforeId: number): void => {
    const ids = playlists.map((list) => list.id).filter((id) => id !== movedId);
    ids.splice(ids.indexOf(beforeId), 0, movedId);
    void library.getState().reorderPlaylists(ids);
  };

  const lists = playlists.filter((list) => list.kind !== 'crate');
  const crates = playlists.filter((list) => list.kind === 'crate');
  const section = (title: string, items: Playlist[], kind: 'playlist' | 'crate') => (
    <section className="side-section" aria-label={title}>
      <div className="side-heading">
        <span>{title}</span>
        <button type="button" className="side-add" aria-label={`New ${kind}`} title={`New ${kind}`} onClick={() => setCreating(kind)} data-testid={`new-${kind}`}>
          <PlusIcon size={14} />
        </button>
      </div>
      <ul className="side-list">
        {items.map((playlist) => (
          <PlaylistItem key={playlist.id} library={library} playlist={playlist} onDragTo={(moved) => moveBefore(moved, playlist.id)} />
        ))}
        {creating === kind ? (
          <li className="side-item">
            <InlineName
              initial=""
              label={`Name of the new ${kind}`}
              testId={`new-${kind}-name`}
              onDone={(name) => {
                setCreating(null);
                if (name) void library.getState().createPlaylist(name, kind, library.getState().selectedRows().map((row) => row.id));
              }}
            />
          </li>
        ) : null}
        {items.length === 0 && creating !== kind ? <li className="side-hint">{kind === 'crate' ? 'Crates group tracks for a set.' : 'Drag tracks onto a playlist to add them.'}</li> : null}
      </ul>
    </section>
  );

  return (
    <nav className="library-nav" aria-label="Library sections">
      <ul className="side-list">
        <li className={`side-item${view.kind === 'library' ? ' is-active' : ''}`}>
          <button type="button" className="side-link" onClick={() => library.getState().setView({ kind: 'library' })} data-testid="view-library">
            <MusicIcon size={14} />
            <span className="side-name">All tracks</span>
            <span className="side-count">{libraryTotal ?? ''}</span>
          </button>
        </li>
      </ul>
      {section('Playlists', lists, 'playlist')}
      {section('Crates', crates, 'crate')}
      <section className="side-section" aria-label="Folders">
        <div className="side-heading">
          <span>Folders</span>
          <PickPathButton
            kind="folder"
            purpose="music-folder"
            title="Add a music folder"
            className="side-add"
            ariaLabel="Add a music folder"
            testId="add-folder"
            onPicked={(path) => void library.getState().addFolder(path)}
          >
            <PlusIcon size={14} />
          </PickPathButton>
        </div>
        <ul className="side-list">
          {folders.map((folder) => (
            <li key={folder.id} className="side-item side-folder" title={folder.path}>
              <FolderIcon size={14} />
              <span className="side-name">{folder.path.split(/[\\/]/).filter(Boolean).pop() ?? folder.path}</span>
              <span className="side-count">{folder.trackCount}</span>
            </li>
          ))}
        </ul>
      </section>
      <div className="side-footer">
        <button type="button" className="button button-small button-ghost" onClick={() => fileRef.current?.click()} data-testid="import-m3u8">
          Import M3U8…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".m3u8,.m3u,audio/x-mpegurl"
          hidden
          onChange={async (event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) await library.getState().importM3u8(file.name, await file.text());
          }}
        />
      </div>
    </nav>
  );
}
