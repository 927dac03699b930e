import { useEffect, useId, useState } from 'react';
import type { MixdeckClient } from '../../shared/contract';
import type { StudioExportProgress } from '../../shared/contract/studio';
import type { ProjectSession } from './session/project-session';
import { base64ToBytes } from './session/storage';

type ExportChoice = 'wav16' | 'wav24' | 'flac' | 'mp3';
const CHOICES: Record<ExportChoice, { label: string; format: 'wav' | 'flac' | 'mp3'; bits?: 16 | 24 }> = {
  wav16: { label: 'WAV 16-bit', format: 'wav', bits: 16 },
  wav24: { label: 'WAV 24-bit', format: 'wav', bits: 24 },
  flac: { label: 'FLAC', format: 'flac' },
  mp3: { label: 'MP3', format: 'mp3' },
};

function withExtension(path: string, format: 'wav' | 'flac' | 'mp3'): string {
  return /\.(wav|flac|mp3)$/i.test(path) ? path.replace(/\.(wav|flac|mp3)$/i, `.${format}`) : `${path}.${format}`;
}

/**
 * Import a MIDI or audio file onto new tracks, and export the mix (and stems) as WAV, FLAC or
 * MP3 with a progress bar. Main does the work (`studio.importMidi`, `studio.importAudio`,
 * `studio.export`); imports come back as a Yjs update applied to the open document, so
 * collaborators get them too.
 */
export function InOutDialog({ session, client, onClose }: { session: ProjectSession; client: MixdeckClient; onClose: () => void }) {
  const titleId = useId();
  const [importPath, setImportPath] = useState('');
  const [exportPath, setExportPath] = useState('');
  const [choice, setChoice] = useState<ExportChoice>('wav24');
  const [stems, setStems] = useState(false);
  const [busy, setBusy] = useState<'import' | 'export' | null>(null);
  const [progress, setProgress] = useState<StudioExportProgress | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [exportId] = useState(() => `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);

  useEffect(() => client.on('studio.exportProgress', (event) => (event.exportId === exportId ? setProgress(event) : undefined)), [client, exportId]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !busy) {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [busy, onClose]);

  const runImport = async (): Promise<void> => {
    const path = importPath.trim();
    if (!path) return;
    setBusy('import');
    setMessage(null);
    try {
      // Main edits its saved copy; everything typed so far must be there first.
      await session.saveNow();
      const midi = /\.midi?$/i.test(path);
      const answer = midi
        ? await client.call('studio.importMidi', { projectId: session.id, source: { path } })
        : await client.call('studio.importAudio', { projectId: session.id, source: { path }, startBeat: session.transport.getBeat() });
      session.project.applyRemoteUpdate(base64ToBytes(answer.updateBase64), 'import');
      setMessage({ kind: 'ok', text: 'noteCount' in answer ? `Imported ${answer.noteCount} notes on ${answer.trackIds.length} tracks.` : `Imported ${answer.durationSec.toFixed(1)} s of audio.` });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  };

  const runExport = async (): Promise<void> => {
    const path = exportPath.trim();
    if (!path) return;
    const { format, bits } = CHOICES[choice];
    setBusy('export');
    setMessage(null);
    setProgress(null);
    try {
      await session.saveNow();
      const result = await client.call('studio.export', { projectId: session.id, outPath: withExtension(path, format), format, ...(bits ? { bits } : {}), stems, exportId });
      setMessage({ kind: 'ok', text: `Wrote ${result.files.map((file) => file.path.split(/[\\/]/).pop()).join(', ')} (${result.files[0]?.durationSec.toFixed(1) ?? 0} s).` });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  };

  const fraction = progress?.fraction ?? (busy === 'export' ? 0 : null);
  return (
    <div className="studio-backdrop" onPointerDown={(event) => event.target === event.currentTarget && !busy && onClose()}>
      <div className="studio-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="inout-dialog">
        <h2 id={titleId}>Import and export</h2>
        <label className="st-dialog-field">
          <span>Import file</span>
          <input value={importPath} onChange={(event) => setImportPath(event.currentTarget.value)} placeholder="/path/to/song.mid or take.wav" spellCheck={false} data-testid="import-path" />
        </label>
        <div className="st-dialog-actions">
          <button type="button" className="st-sbtn" disabled={busy !== null || !importPath.trim()} onClick={() => void runImport()} data-testid="import-run">
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </div>
        <label className="st-dialog-field">
          <span>Export to</span>
          <input value={exportPath} onChange={(event) => setExportPath(event.currentTarget.value)} placeholder="/path/to/mix.wav" spellCheck={false} data-testid="export-path" />
        </label>
        <label className="st-dialog-field">
          <span>Format</span>
          <select value={choice} onChange={(event) => setChoice(event.currentTarget.value as ExportChoice)} data-testid="export-format">
            {(Object.keys(CHOICES) as ExportChoice[]).map((key) => (
              <option key={key} value={key}>
                {CHOICES[key].label}
              </option>
            ))}
          </select>
        </label>
        <label className="st-dialog-check">
          <input type="checkbox" checked={stems} onChange={(event) => setStems(event.currentTarget.checked)} />
          <span>Also one file per track (stems)</span>
        </label>
        {fraction !== null ? (
          <div className="st-progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} data-testid="export-progress">
            <div className="st-progress-bar" style={{ width: `${Math.round(fraction * 100)}%` }} />
            <span>{progress?.stage === 'encode' ? 'Encoding' : progress?.stage === 'done' ? 'Done' : 'Rendering'} {Math.round(fraction * 100)}%</span>
          </div>
        ) : null}
        {message ? (
          <p className={message.kind === 'error' ? 'st-dialog-error' : 'st-dialog-ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="inout-message">
            {message.text}
          </p>
        ) : null}
        <div className="st-dialog-actions">
          <button type="button" className="st-sbtn" onClick={onClose} disabled={busy !== null}>
            Close
          </button>
          <button type="button" className="st-sbtn st-sbtn-primary" disabled={busy !== null || !exportPath.trim()} onClick={() => void runExport()} data-testid="export-run">
            {busy === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
    </div>
  );
}
