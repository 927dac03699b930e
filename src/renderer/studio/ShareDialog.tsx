import { useEffect, useId, useRef, useState } from 'react';
import type { PeerPresence } from './ui/presence';
import type { CollabUser } from './session/collab';
import { PEER_COLORS } from './session/collab';
import type { ProjectSession, SessionSnapshot } from './session/project-session';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** Who is in the project: me first, then everyone the room's awareness tells about. */
export function PresenceBar({ user, peers }: { user: CollabUser; peers: readonly PeerPresence[] }) {
  return (
    <div className="st-presence" data-testid="presence" aria-label={`${peers.length + 1} here`}>
      <span className="st-avatar is-me" style={{ background: user.color }} title={`${user.name} (you)`}>
        {initials(user.name)}
      </span>
      {peers.map((peer) => (
        <span key={peer.clientId} className="st-avatar" style={{ background: peer.color }} title={peer.name} data-testid="peer-avatar" data-peer-name={peer.name}>
          {initials(peer.name)}
        </span>
      ))}
    </div>
  );
}

/**
 * Share a project to a y-websocket room: server address and room, my name and colour, go
 * offline and back. The same dialog joins a room someone else shared.
 */
export function ShareDialog({
  session,
  snapshot,
  user,
  onUserChange,
  onClose,
}: {
  session: ProjectSession;
  snapshot: SessionSnapshot;
  user: CollabUser;
  onUserChange: (user: CollabUser) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [serverUrl, setServerUrl] = useState(snapshot.share?.serverUrl ?? localStorage.getItem('mixdeck.studio.collabServer') ?? 'ws://127.0.0.1:1234');
  const [room, setRoom] = useState(snapshot.share?.room ?? `mixdeck-${session.id.replace(/[^A-Za-z0-9._-]/g, '').slice(-12)}`);
  const [name, setName] = useState(user.name);
  const [problem, setProblem] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    dialog.current?.querySelector<HTMLInputElement>('input')?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  const link = snapshot.link;
  const connect = (): void => {
    const trimmedName = name.trim().slice(0, 40) || user.name;
    if (trimmedName !== user.name) onUserChange({ ...user, name: trimmedName });
    const result = session.share(serverUrl, room.trim(), { ...user, name: trimmedName });
    if (result) setProblem(result.message);
    else {
      setProblem(null);
      localStorage.setItem('mixdeck.studio.collabServer', serverUrl.trim());
    }
  };

  return (
    <div className="studio-backdrop" onPointerDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={dialog} className="studio-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="share-dialog">
        <h2 id={titleId}>Collaborate on “{snapshot.project.name}”</h2>
        <p className="st-dialog-note">
          Everyone who opens the same room on the same server edits this project with you, live. Run your own server with{' '}
          <code>npx @y/websocket-server</code>.
        </p>
        <label className="st-dialog-field">
          <span>Server</span>
          <input value={serverUrl} onChange={(event) => setServerUrl(event.currentTarget.value)} spellCheck={false} data-testid="share-server" />
        </label>
        <label className="st-dialog-field">
          <span>Room</span>
          <input value={room} onChange={(event) => setRoom(event.currentTarget.value)} spellCheck={false} data-testid="share-room" />
        </label>
        <label className="st-dialog-field">
          <span>Your name</span>
          <input value={name} onChange={(event) => setName(event.currentTarget.value)} data-testid="share-name" />
        </label>
        <div className="st-dialog-colors" role="radiogroup" aria-label="Your colour">
          {PEER_COLORS.map((color) => (
            <button
              key={color}
              type="button"
              role="radio"
              aria-checked={user.color === color}
              aria-label={`Colour ${color}`}
              className={`st-color-swatch${user.color === color ? ' is-on' : ''}`}
              style={{ background: color }}
              onClick={() => {
                onUserChange({ ...user, color });
                session.collab?.setUser({ ...user, color });
              }}
            />
          ))}
        </div>
        {problem ? (
          <p className="st-dialog-error" role="alert" data-testid="share-error">
            {problem}
          </p>
        ) : null}
        {link ? (
          <div className="st-dialog-status" data-testid="share-status">
            <span className={`st-link-status is-${link.status}`}>
              <span className="st-link-dot" />
              {link.status === 'connected' ? `Live in room ${snapshot.share?.room}` : link.status === 'offline' ? 'Offline — your edits are kept and merge when you go back online' : 'Connecting…'}
            </span>
            <span>{link.peers.length === 0 ? 'Nobody else here yet' : `${link.peers.map((peer) => peer.name).join(', ')} ${link.peers.length === 1 ? 'is' : 'are'} here`}</span>
          </div>
        ) : null}
        <div className="st-dialog-actions">
          {link ? (
            <>
              {link.status === 'offline' ? (
                <button type="button" className="st-sbtn" onClick={() => session.collab?.goOnline()} data-testid="go-online">
                  Go online
                </button>
              ) : (
                <button type="button" className="st-sbtn" onClick={() => session.collab?.goOffline()} data-testid="go-offline">
                  Work offline
                </button>
              )}
              <button type="button" className="st-sbtn" onClick={() => session.unshare()}>
                Stop sharing
              </button>
            </>
          ) : null}
          <span className="st-tool-grow" />
          <button type="button" className="st-sbtn" onClick={onClose}>
            Close
          </button>
          <button type="button" className="st-sbtn st-sbtn-primary" onClick={connect} data-testid="share-connect">
            {link ? 'Reconnect' : 'Connect'}
          </button>
        </div>
      </div>
    </div>
  );
}
