import { useEffect, useId, useState } from 'react';
import { isMixdeckError, type MixdeckClient } from '../../shared/contract';
import { PickPathButton } from '../files/PathPicker';
import { baseName, pathInFolder } from '../files/picker-model';
import type { StudioExportProgress } from '../../shared/contract/studio';
import type { ProjectSession } from './session/project-session';
import { base64ToBytes } from './session/storage';

type ExportChoice = 'wav16' | 'wav24' | 'flac' | 'mp3';
/** What the studio can import: MIDI, and audio in the formats main decodes. */
const IMPORT_EXTENSIONS = ['mid', 'midi', 'smf', 'wav', 'mp3', 'flac', 'ogg', 'opus', 'm4a', 'aiff', 'aif'];

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
  const [exportFolder, setExportFolder] = useState<string | null>(null);
  const [exportName, setExportName] = useState('mix');
  /** The file that is in the way, once main said so: exporting again replaces it. */
  const [replacing, setReplacing] = useState<string | null>(null);
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

  const runImport = async (path: string): Promise<void> => {
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

  const runExport = async (overwrite: boolean): Promise<void> => {
    if (!exportFolder) return;
    const { format, bits } = CHOICES[choice];
    const target = pathInFolder(exportFolder, withExtension(exportName.trim(), format));
    if ('problem' in target) return setMessage({ kind: 'error', text: target.problem });
    const path = target.path;
    setBusy('export');
    setMessage(null);
    setProgress(null);
    try {
      await session.saveNow();
      const result = await client.call('studio.export', { projectId: session.id, outPath: path, format, ...(bits ? { bits } : {}), stems, exportId, ...(overwrite ? { overwrite } : {}) });
      setReplacing(null);
      setMessage({ kind: 'ok', text: `Wrote ${result.files.map((file) => file.path.split(/[\\/]/).pop()).join(', ')} (${result.files[0]?.durationSec.toFixed(1) ?? 0} s).` });
    } catch (error) {
      // A file in the way is replaced only after the user says so.
      if (isMixdeckError(error) && error.code === 'conflict') setReplacing(path);
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
        <div className="st-dialog-actions">
          <PickPathButton kind="file" purpose="studio-import" title="Import a MIDI or audio file" accept={IMPORT_EXTENSIONS} className="st-sbtn" disabled={busy !== null} onPicked={(path) => void runImport(path)} testId="import-run">
            {busy === 'import' ? 'Importing…' : 'Import a MIDI or audio file…'}
          </PickPathButton>
        </div>
        <div className="st-dialog-field">
          <span>Export into</span>
          <PickPathButton kind="folder" purpose="export-folder" title="Choose the folder to export into" className="st-sbtn" disabled={busy !== null} onPicked={(path) => { setExportFolder(path); setReplacing(null); }} testId="export-folder">
            {exportFolder ? baseName(exportFolder) : 'Choose a folder…'}
          </PickPathButton>
        </div>
        <label className="st-dialog-field">
          <span>File name</span>
          <input value={exportName} onChange={(event) => { setExportName(event.currentTarget.value); setReplacing(null); }} placeholder="mix" spellCheck={false} data-testid="export-name" />
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
          <button type="button" className="st-sbtn st-sbtn-primary" disabled={busy !== null || !exportFolder || !exportName.trim()} onClick={() => void runExport(replacing !== null)} data-testid="export-run">
            {busy === 'export' ? 'Exporting…' : replacing ? `Replace ${baseName(replacing)}` : 'Export'}
          </button>
        </div>
      </div>
    </div>
  );
}
