import { useStore } from 'zustand';
import { fileName, formatTimeLeft } from './format';
import type { LibraryStore } from './library-store';

export function ScanBar({ library }: { library: LibraryStore }) {
  const scan = useStore(library, (state) => state.scan);
  if (!scan) return null;
  const running = scan.state === 'running';
  const fraction = scan.filesTotal > 0 ? scan.filesDone / scan.filesTotal : 0;
  return (
    <div className={`scan-bar is-${scan.state}`} data-testid="scan-bar" data-state={scan.state} role="status" aria-live="polite">
      <div className="scan-track" aria-hidden="true">
        <div className="scan-fill" style={{ width: `${(running && scan.phase === 'listing' ? 0.02 : fraction) * 100}%` }} />
      </div>
      <div className="scan-text">
        {running ? (
          <>
            <strong>{scan.phase === 'listing' ? 'Listing files…' : `Scanning ${scan.filesDone.toLocaleString('en-US')} / ${scan.filesTotal.toLocaleString('en-US')}`}</strong>
            {scan.currentFile ? <span className="scan-file" title={scan.currentFile}>{fileName(scan.currentFile)}</span> : null}
            {scan.phase === 'reading' ? <span className="scan-eta">{formatTimeLeft(scan.timeLeftSec)}</span> : null}
          </>
        ) : (
          <strong>
            {scan.state === 'done' ? 'Scan finished' : scan.state === 'cancelled' ? 'Scan cancelled' : `Scan failed: ${scan.failure ?? 'unknown reason'}`}
            {` · ${scan.added} added, ${scan.updated} updated, ${scan.removed} removed`}
          </strong>
        )}
        {scan.errorCount > 0 ? (
          <span className="scan-errors" title={scan.errors.map((error) => `${error.path}: ${error.reason}`).join('\n')}>
            {scan.errorCount} unreadable
          </span>
        ) : null}
      </div>
      {running ? (
        <button type="button" className="button button-small" onClick={() => void library.getState().cancelScan()} data-testid="scan-cancel">
          Cancel
        </button>
      ) : (
        <button type="button" className="button button-small button-ghost" onClick={() => void library.getState().scanAll()} data-testid="scan-again">
          Rescan
        </button>
      )}
    </div>
  );
}
