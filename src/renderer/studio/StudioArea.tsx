import './studio.css';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { EmptyState } from '../shell/EmptyState';
import { PlusIcon, StudioIcon } from '../shell/icons';
import { Workspace } from './Workspace';
import { checkShareTarget, PEER_COLORS, type CollabUser } from './session/collab';
import type { ProjectSummary } from './session/storage';
import { getStudioRuntime, type StudioRuntime } from './runtime';

function loadUser(): CollabUser {
  try {
    const saved = JSON.parse(localStorage.getItem('mixdeck.studio.user') ?? 'null') as Partial<CollabUser> | null;
    if (saved && typeof saved.name === 'string' && typeof saved.color === 'string') return { name: saved.name.slice(0, 40), color: saved.color };
  } catch {
    // A damaged entry is replaced below.
  }
  const index = Math.floor(Math.random() * PEER_COLORS.length);
  return { name: `Producer ${100 + Math.floor(Math.random() * 900)}`, color: PEER_COLORS[index]! };
}

function timeAgo(iso: string): string {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** The studio: the project list, or the open project. */
export function StudioArea() {
  const client = useShell((state) => state.client);
  const notify = useShell((state) => state.notify);
  const runtime = getStudioRuntime(client, notify);
  const open = useSyncExternalStore(runtime.subscribe, runtime.getOpen);
  const [user, setUser] = useState<CollabUser>(loadUser);
  const changeUser = useCallback((next: CollabUser) => {
    setUser(next);
    localStorage.setItem('mixdeck.studio.user', JSON.stringify(next));
  }, []);

  if (open) {
    return (
      <Workspace
        key={open.session.id}
        session={open.session}
        ui={open.ui}
        user={user}
        recorder={runtime.recorder}
        audio={open.audio}
        client={client}
        onUserChange={changeUser}
        onClose={() => runtime.close()}
        notify={notify}
        onDropAudioFiles={(files, trackId, beat) => void runtime.importAudioFiles(files, trackId, beat)}
      />
    );
  }
  return <ProjectList runtime={runtime} user={user} onUserChange={changeUser} />;
}

function ProjectList({ runtime, user, onUserChange }: { runtime: StudioRuntime; user: CollabUser; onUserChange: (user: CollabUser) => void }) {
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [joining, setJoining] = useState(false);
  const [server, setServer] = useState(() => localStorage.getItem('mixdeck.studio.collabServer') ?? 'ws://127.0.0.1:1234');
  const [room, setRoom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const connection = useShell((state) => state.connection);

  // Read the list once main is reachable (a page can open before its connection is up), and
  // again after a reconnect.
  useEffect(() => {
    if (connection !== 'connected') return;
    let live = true;
    runtime.storage
      .list()
      .then((list) => {
        if (!live) return;
        setProjects(list);
        setListError(null);
      })
      .catch((error: unknown) => live && setListError(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
    };
  }, [runtime, connection]);

  const create = async (): Promise<void> => {
    const projectName = name.trim() || 'Untitled project';
    await runtime.create(projectName);
    setCreating(false);
    setName('');
  };
  const join = async (): Promise<void> => {
    const found = checkShareTarget(server, room.trim());
    if (found) {
      setProblem(found.message);
      return;
    }
    localStorage.setItem('mixdeck.studio.collabServer', server.trim());
    await runtime.join(server.trim(), room.trim(), user);
  };

  return (
    <>
      <AreaHeader
        area="studio"
        subtitle="Arrange, record and mix multitrack projects — alone or live with others."
        actions={
          <>
            <button type="button" className="button" onClick={() => setJoining(true)} data-testid="join-project">
              Join a shared project
            </button>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="new-project">
              <PlusIcon size={16} />
              New project
            </button>
          </>
        }
      />
      <div className="area-body">
        {creating || joining ? (
          <form
            className="studio-create panel"
            onSubmit={(event) => {
              event.preventDefault();
              void (creating ? create() : join());
            }}
          >
            {creating ? (
              <label className="st-dialog-field">
                <span>Project name</span>
                <input autoFocus value={name} onChange={(event) => setName(event.currentTarget.value)} placeholder="Untitled project" data-testid="new-project-name" maxLength={200} />
              </label>
            ) : (
              <>
                <label className="st-dialog-field">
                  <span>Server</span>
                  <input autoFocus value={server} onChange={(event) => setServer(event.currentTarget.value)} spellCheck={false} data-testid="join-server" />
                </label>
                <label className="st-dialog-field">
                  <span>Room</span>
                  <input value={room} onChange={(event) => setRoom(event.currentTarget.value)} spellCheck={false} data-testid="join-room" />
                </label>
                <label className="st-dialog-field">
                  <span>Your name</span>
                  <input value={user.name} onChange={(event) => onUserChange({ ...user, name: event.currentTarget.value.slice(0, 40) })} data-testid="join-name" />
                </label>
              </>
            )}
            {problem ? (
              <p className="st-dialog-error" role="alert">
                {problem}
              </p>
            ) : null}
            <div className="st-dialog-actions">
              <button type="button" className="button" onClick={() => (setCreating(false), setJoining(false), setProblem(null))}>
                Cancel
              </button>
              <button type="submit" className="button button-primary" data-testid={creating ? 'create-project' : 'join-room-submit'}>
                {creating ? 'Create' : 'Join'}
              </button>
            </div>
          </form>
        ) : null}
        {listError ? (
          <p className="st-dialog-error" role="alert">
            The projects could not be listed: {listError}
          </p>
        ) : null}
        {projects === null ? null : projects.length === 0 ? (
          <EmptyState icon={<StudioIcon size={40} />} title="No projects yet" testId="empty-studio">
            <p>Projects you create or open will be listed here, most recent first.</p>
          </EmptyState>
        ) : (
          <ul className="st-project-list" data-testid="project-list">
            {projects.map((project) => (
              <li key={project.id}>
                <button type="button" className="st-project-row" onClick={() => void runtime.open(project, user)} data-testid="project-row">
                  <span className="st-project-row-icon" aria-hidden="true">
                    <StudioIcon size={18} />
                  </span>
                  <span className="st-project-row-name">{project.name}</span>
                  {project.room ? <span className="st-project-row-room">Shared · {project.room.room}</span> : null}
                  <span className="st-project-row-time">{timeAgo(project.updatedAt)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
