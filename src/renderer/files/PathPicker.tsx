import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { BrowseEntry, BrowseRoot, PickKind, PickPurpose } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';
import { CloseIcon, FolderIcon } from '../shell/icons';
import { baseName, formatSize, isChoosable, visibleEntries } from './picker-model';
import './files.css';

/**
 * What to pick. Main grants the picked path to the page for this run, for what `purpose` says
 * (only `export-folder` and `recordings-folder` can be written into); the page cannot use a path
 * it typed itself.
 */
export interface PickRequest {
  kind: PickKind;
  purpose: PickPurpose;
  /** The dialog's title: "Add a music folder". */
  title: string;
  /** For a file: the types to offer, lowercase extensions without the dot (["m3u8", "m3u"]). */
  accept?: readonly string[];
}

export interface PickPathButtonProps extends PickRequest {
  /** Called with the picked path (already granted by main); not called when the user cancels. */
  onPicked: (path: string) => void;
  /** What the button says. */
  children: ReactNode;
  className?: string;
  disabled?: boolean;
  testId?: string;
  /** For a button that shows only an icon: its name for screen readers, and its tooltip. */
  ariaLabel?: string;
}

/**
 * A button that lets the user pick a file or folder: the native dialog in the desktop app,
 * main's own folder browser (home and mounted volumes) in a web page.
 */
export function PickPathButton({ onPicked, children, className, disabled, testId, ariaLabel, ...request }: PickPathButtonProps) {
  const client = useShell((state) => state.client);
  const nativeDialogs = useShell((state) => state.info?.nativeDialogs ?? false);
  const notify = useShell((state) => state.notify);
  const [browsing, setBrowsing] = useState(false);

  const open = async (): Promise<void> => {
    if (!nativeDialogs) return setBrowsing(true);
    try {
      const { path } = await client.call('files.nativeDialog', {
        kind: request.kind,
        purpose: request.purpose,
        title: request.title,
        ...(request.accept ? { extensions: [...request.accept] } : {}),
      });
      if (path) onPicked(path);
    } catch (error) {
      notify('error', `Could not open the ${request.kind} picker: ${errorMessage(error)}`);
    }
  };

  return (
    <>
      <button type="button" className={className ?? 'button'} disabled={disabled} onClick={() => void open()} data-testid={testId} aria-label={ariaLabel} title={ariaLabel}>
        {children}
      </button>
      {browsing ? (
        <PathBrowserDialog
          {...request}
          onCancel={() => setBrowsing(false)}
          onPicked={(path) => {
            setBrowsing(false);
            onPicked(path);
          }}
        />
      ) : null}
    </>
  );
}

export interface PathBrowserDialogProps extends PickRequest {
  onPicked: (path: string) => void;
  onCancel: () => void;
}

/** Main's folder browser as a dialog: walk folders, then choose the folder you are in, or a file. */
export function PathBrowserDialog({ kind, purpose, title, accept, onPicked, onCancel }: PathBrowserDialogProps) {
  const client = useShell((state) => state.client);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement | null>(null);
  const [roots, setRoots] = useState<BrowseRoot[]>([]);
  const [listing, setListing] = useState<{ path: string; parent: string | null; entries: BrowseEntry[]; truncated: boolean } | null>(null);
  const [selectedFile, setSelectedFile] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const go = async (path?: string): Promise<void> => {
    setBusy(true);
    try {
      setListing(await client.call('files.browse', path === undefined ? {} : { path }));
      setSelectedFile(null);
      setProblem(null);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (path: string): Promise<void> => {
    setBusy(true);
    try {
      const picked = await client.call('files.pick', { path, kind, purpose });
      onPicked(picked.path);
    } catch (error) {
      setProblem(errorMessage(error));
      setBusy(false);
    }
  };

  useEffect(() => {
    // Opens at home; later moves are the user's.
    let live = true;
    Promise.all([client.call('files.browse', {}), client.call('files.roots', {})]).then(
      ([home, places]) => {
        if (!live) return;
        setListing(home);
        setRoots(places.roots);
      },
      (error: unknown) => live && setProblem(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  useEffect(() => {
    const previouslyFocused = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      event.preventDefault();
      onCancel();
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previouslyFocused?.focus();
    };
  }, [onCancel]);

  const shown = listing ? visibleEntries(listing.entries, kind, accept) : [];
  const chooseLabel = kind === 'folder' ? (listing ? `Choose “${baseName(listing.path)}”` : 'Choose this folder') : 'Open';
  const target = kind === 'folder' ? (listing?.path ?? null) : selectedFile;

  return createPortal(
    <div
      className="overlay-backdrop picker-backdrop"
      onMouseDown={(event) => {
        if (!dialog.current?.contains(event.target as Node)) onCancel();
      }}
    >
      <div ref={dialog} tabIndex={-1} className="overlay-dialog picker-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="path-picker" data-kind={kind}>
        <header className="overlay-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Cancel" onClick={onCancel}>
            <CloseIcon size={18} />
          </button>
        </header>
        <div className="picker-places" aria-label="Places">
          {roots.map((root) => (
            <button key={root.path} type="button" className="button button-small button-ghost" onClick={() => void go(root.path)} title={root.path}>
              {root.label}
            </button>
          ))}
        </div>
        <div className="picker-location">
          <button type="button" className="button button-small" disabled={!listing?.parent || busy} onClick={() => listing?.parent && void go(listing.parent)} data-testid="path-picker-up" aria-label="Up one folder">
            ↑ Up
          </button>
          <span className="picker-path mono" data-testid="path-picker-path" data-path={listing?.path} title={listing?.path}>
            {/* Marks keep a path's slashes in place in the right-to-left box that cuts long paths at the start. */}
            {listing ? `\u200E${listing.path}\u200E` : 'Loading…'}
          </span>
        </div>
        <ul className="picker-entries" aria-label={listing ? `In ${baseName(listing.path)}` : 'Loading'} data-testid="path-picker-entries">
          {listing && shown.length === 0 ? <li className="picker-empty muted">{kind === 'folder' ? 'No folders here.' : 'Nothing here to open.'}</li> : null}
          {shown.map((entry) => {
            const choosable = isChoosable(entry, kind, accept);
            const selected = entry.kind === 'file' && entry.path === selectedFile;
            return (
              <li key={entry.path}>
                <button
                  type="button"
                  className={`picker-entry${selected ? ' is-selected' : ''}`}
                  aria-pressed={entry.kind === 'file' ? selected : undefined}
                  data-testid="path-picker-entry"
                  data-name={entry.name}
                  data-kind={entry.kind}
                  disabled={busy}
                  onClick={() => (entry.kind === 'folder' ? void go(entry.path) : setSelectedFile(entry.path))}
                  onDoubleClick={() => entry.kind === 'file' && choosable && void choose(entry.path)}
                >
                  {entry.kind === 'folder' ? <FolderIcon size={16} className="picker-icon" /> : <span className="picker-icon picker-file-icon" aria-hidden="true" />}
                  <span className="picker-name">{entry.name}</span>
                  <span className="picker-size muted">{formatSize(entry.sizeBytes)}</span>
                </button>
              </li>
            );
          })}
          {listing?.truncated ? <li className="picker-empty muted">This folder holds more than can be shown; open a folder inside it.</li> : null}
        </ul>
        {problem ? (
          <p className="field-status field-error picker-problem" role="alert" data-testid="path-picker-problem">
            {problem}
          </p>
        ) : null}
        <footer className="picker-footer">
          <span className="picker-note muted">Only your home folder and mounted drives are shown; hidden files are left out.</span>
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={!target || busy} onClick={() => target && void choose(target)} data-testid="path-picker-choose">
            {chooseLabel}
          </button>
        </footer>
      </div>
    </div>,
    document.body,
  );
}
