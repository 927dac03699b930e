import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type CSSProperties } from 'react';
import { useStore } from 'zustand';
import { Arrangement } from './ui/Arrangement';
import { DevicePanel } from './ui/DevicePanel';
import { Mixer } from './ui/Mixer';
import { PianoRoll } from './ui/PianoRoll';
import { StepSequencer } from './ui/StepSequencer';
import { TransportBar } from './ui/TransportBar';
import { ShareDialog, PresenceBar } from './ShareDialog';
import { InOutDialog } from './InOutDialog';
import type { MixdeckClient } from '../../shared/contract';
import { ARRANGE_ZOOM, GRID_CHOICES, PIANO_ZOOM, beatsPerBar, gridBeats, snapBeat, zoomBy, type GridLabel } from './ui/timeline';
import type { ProjectSession } from './session/project-session';
import type { StudioUiStore } from './ui-store';
import { isDrumTrack, isNoteClip, trackColor } from './view';
import type { CollabUser } from './session/collab';
import type { StudioRecorder } from './recording/recorder';
import type { StudioAudio } from './session/audio';

export interface WorkspaceProps {
  readonly session: ProjectSession;
  readonly ui: StudioUiStore;
  readonly user: CollabUser;
  readonly recorder: StudioRecorder;
  readonly audio: StudioAudio;
  readonly client: MixdeckClient;
  readonly onUserChange: (user: CollabUser) => void;
  readonly onClose: () => void;
  readonly notify: (level: 'info' | 'warning' | 'error', message: string) => void;
  readonly onDropAudioFiles?: (files: File[], trackId: string | null, beat: number) => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button'].includes(target.type);
}

/** An open project: transport, arrangement, and the editor/mixer/devices panel below. */
export function Workspace({ session, ui, user, recorder, audio, client, onUserChange, onClose, notify, onDropAudioFiles }: WorkspaceProps) {
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const { project } = snapshot;
  const editor = session.editor;
  const transport = session.transport;
  const state = useStore(ui);
  const subscribeTransport = useCallback((listener: () => void) => transport.subscribe(listener), [transport]);
  const playing = useSyncExternalStore(subscribeTransport, () => transport.isPlaying());
  const recording = useSyncExternalStore(recorder.subscribe, () => recorder.isRecording());
  const [metronome, setMetronome] = useState(false);
  const [countIn, setCountIn] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const [inOutOpen, setInOutOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const region = useRef<'arrange' | 'editor'>('arrange');
  useEffect(() => transport.setMetronome(metronome), [transport, metronome]);
  const signature = project.timeSignature;
  const grid = state.snap ? gridBeats(state.grid, signature) : 0;
  const peers = snapshot.link?.peers ?? [];

  const editingClip = useMemo(() => {
    const clip = project.clips.find((entry) => entry.id === state.editingClipId);
    return isNoteClip(clip) ? clip : undefined;
  }, [project.clips, state.editingClipId]);
  const editingTrack = project.tracks.find((track) => track.id === editingClip?.trackId);
  const selectedTrack = project.tracks.find((track) => track.id === state.selectedTrackId) ?? project.tracks[0];

  // Share where my playhead is and what I selected.
  const link = session.collab;
  useEffect(() => {
    link?.setPresence({ selectedClipIds: state.selectedClipIds, editingClipId: state.editingClipId, selectedNoteIds: state.selectedNoteIds });
  }, [link, state.selectedClipIds, state.editingClipId, state.selectedNoteIds]);
  useEffect(() => {
    if (!link) return;
    let frame = 0;
    let last = Number.NaN;
    const tick = (): void => {
      const beat = Math.round(transport.getBeat() * 100) / 100;
      if (beat !== last) {
        last = beat;
        link.setPresence({ playheadBeat: beat });
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [link, transport]);

  // A clip that a collaborator deleted closes in the editor, and its selection goes.
  useEffect(() => {
    const ids = new Set(project.clips.map((clip) => clip.id));
    const current = ui.getState();
    if (current.editingClipId && !ids.has(current.editingClipId)) current.openClip(null);
    if (current.selectedClipIds.some((id) => !ids.has(id))) current.set({ selectedClipIds: current.selectedClipIds.filter((id) => ids.has(id)) });
  }, [project.clips, ui]);

  const togglePlay = useCallback(() => {
    if (transport.isPlaying()) {
      if (recorder.isRecording()) void recorder.stop();
      transport.stop();
    } else void transport.play();
  }, [transport, recorder]);

  const toggleRecord = useCallback(() => {
    if (recorder.isRecording()) {
      void recorder.stop();
      transport.stop();
      return;
    }
    void recorder.start({ countIn, metronome }).catch((error: unknown) => notify('error', error instanceof Error ? error.message : String(error)));
  }, [recorder, transport, countIn, metronome, notify]);

  const zoom = useCallback(
    (factor: number, where: 'arrange' | 'editor' = region.current) => {
      const current = ui.getState();
      if (where === 'editor') current.set({ pianoZoom: zoomBy(current.pianoZoom, factor, PIANO_ZOOM) });
      else current.set({ arrangeZoom: zoomBy(current.arrangeZoom, factor, ARRANGE_ZOOM) });
    },
    [ui],
  );

  // The shortcuts a producer expects. They act on the panel the pointer was last in.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const current = ui.getState();
      const inEditor = region.current === 'editor' && current.editingClipId !== null && current.bottomPanel === 'editor';
      const editing = project.clips.find((clip) => clip.id === current.editingClipId);
      const key = event.key.toLowerCase();
      const gridNow = gridBeats(current.grid, signature) || 0.25;
      let handled = true;
      if (key === ' ' && !mod) togglePlay();
      else if (mod && key === 'z' && !event.shiftKey) editor.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y')) editor.redo();
      else if (mod && key === 'd') {
        if (inEditor && isNoteClip(editing) && current.selectedNoteIds.length > 0) {
          const notes = editing.notes.filter((note) => current.selectedNoteIds.includes(note.id));
          const span = Math.max(...notes.map((note) => note.startBeat + note.lengthBeats)) - Math.min(...notes.map((note) => note.startBeat));
          const ids = editor.addNotes(editing.id, notes.map((note) => ({ pitch: note.pitch, startBeat: note.startBeat + Math.ceil(span / gridNow) * gridNow, lengthBeats: note.lengthBeats, velocity: note.velocity })));
          current.set({ selectedNoteIds: ids });
        } else if (current.selectedClipIds.length > 0) current.selectClips(editor.duplicateClips(current.selectedClipIds));
      } else if (mod && key === 'e') {
        const at = transport.getBeat();
        for (const id of current.selectedClipIds) {
          const clip = project.clips.find((entry) => entry.id === id);
          if (clip && at > clip.startBeat && at < clip.startBeat + clip.lengthBeats) editor.splitClip(id, at);
        }
      } else if (mod && key === 'a') {
        if (inEditor && isNoteClip(editing)) current.set({ selectedNoteIds: editing.notes.map((note) => note.id) });
        else current.selectClips(project.clips.map((clip) => clip.id));
      } else if (key === 'delete' || key === 'backspace') {
        if (inEditor && isNoteClip(editing) && current.selectedNoteIds.length > 0) {
          editor.removeNotes(editing.id, current.selectedNoteIds);
          current.set({ selectedNoteIds: [] });
        } else if (current.selectedClipIds.length > 0) {
          editor.removeClips(current.selectedClipIds);
          current.selectClips([]);
        } else handled = false;
      } else if (key.startsWith('arrow')) {
        const direction = key === 'arrowleft' || key === 'arrowdown' ? -1 : 1;
        const vertical = key === 'arrowup' || key === 'arrowdown';
        if (inEditor && isNoteClip(editing) && current.selectedNoteIds.length > 0) {
          const notes = editing.notes.filter((note) => current.selectedNoteIds.includes(note.id));
          editor.updateNotes(
            editing.id,
            notes.map((note) => ({
              noteId: note.id,
              patch: vertical ? { pitch: note.pitch + direction * (event.shiftKey ? 12 : 1) } : { startBeat: Math.max(0, note.startBeat + direction * (event.shiftKey ? beatsPerBar(signature) : gridNow)) },
            })),
          );
        } else if (!vertical && current.selectedClipIds.length > 0) {
          const step = event.shiftKey ? beatsPerBar(signature) : gridNow;
          editor.moveClips(
            project.clips
              .filter((clip) => current.selectedClipIds.includes(clip.id))
              .map((clip) => ({ clipId: clip.id, trackId: clip.trackId, startBeat: Math.max(0, clip.startBeat + direction * step) })),
          );
        } else if (!vertical) transport.seek(Math.max(0, snapBeat(transport.getBeat(), gridNow) + direction * gridNow));
        else handled = false;
      } else if (!mod && (key === '+' || key === '=')) zoom(1.25);
      else if (!mod && (key === '-' || key === '_')) zoom(1 / 1.25);
      else if (!mod && key === 'r') toggleRecord();
      else if (!mod && key === 'l') editor.setLoop({ enabled: !project.loop.enabled });
      else if (!mod && key === 'c') setMetronome((on) => !on);
      else if (!mod && key === 'q' && inEditor && isNoteClip(editing)) editor.quantizeNotes(editing.id, gridNow, current.selectedNoteIds);
      else if (!mod && key === 'home') transport.seek(0);
      else if (!mod && key === 'v') current.set({ tool: 'pointer' });
      else if (!mod && key === 'b') current.set({ tool: 'draw' });
      else if (!mod && key === 'x') current.set({ tool: 'split' });
      else if (!mod && key === 'tab') current.set({ bottomPanel: current.bottomPanel === 'mixer' ? 'editor' : 'mixer', bottomOpen: true });
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [editor, project, signature, transport, ui, togglePlay, toggleRecord, zoom]);

  const audition = useCallback((pitch: number, velocity: number) => audio.audition(editingTrack?.id ?? null, pitch, velocity), [audio, editingTrack?.id]);

  const statusLabel = !snapshot.link
    ? null
    : snapshot.link.status === 'connected'
      ? 'Live'
      : snapshot.link.status === 'offline'
        ? 'Offline'
        : snapshot.link.status === 'reconnecting'
          ? 'Reconnecting…'
          : 'Connecting…';

  return (
    <div className="studio" data-testid="studio-workspace" data-project-name={project.name} data-version={snapshot.version}>
      <header className="studio-top">
        <div className="studio-title">
          <button type="button" className="st-sbtn st-sbtn-ghost" onClick={onClose} aria-label="Back to projects" title="Back to projects">
            ‹
          </button>
          <h1 id="heading-studio" className="studio-h1">
            Studio
          </h1>
          {renaming ? (
            <input
              className="st-track-name-input studio-project-rename"
              defaultValue={project.name}
              aria-label="Project name"
              autoFocus
              maxLength={200}
              onBlur={(event) => {
                setRenaming(false);
                const name = event.currentTarget.value.trim();
                if (name && name !== project.name) editor.setProjectName(name);
              }}
              onKeyDown={(event) => {
                event.stopPropagation();
                if (event.key === 'Enter') event.currentTarget.blur();
                if (event.key === 'Escape') setRenaming(false);
              }}
            />
          ) : (
            <span className="studio-project-name" title={`${project.name} — double-click to rename`} data-testid="project-name" onDoubleClick={() => setRenaming(true)}>
              {project.name}
            </span>
          )}
          <span className={`studio-save is-${snapshot.saveState}`} data-testid="project-save-state" title={snapshot.saveState === 'memory' ? 'Not saved to disk: main has no studio storage' : undefined}>
            {snapshot.saveState === 'saved' ? 'Saved' : snapshot.saveState === 'pending' ? 'Saving…' : snapshot.saveState === 'error' ? 'Not saved' : 'Unsaved'}
          </span>
        </div>
        <TransportBar
          state={{ playing, recording, metronome, countIn }}
          tempoBpm={project.tempoBpm}
          signature={signature}
          loopEnabled={project.loop.enabled}
          clock={transport}
          onPlay={() => (transport.isPlaying() ? undefined : void transport.play())}
          onStop={() => {
            if (recorder.isRecording()) void recorder.stop();
            if (transport.isPlaying()) transport.stop();
            else transport.seek(0);
          }}
          onRecord={toggleRecord}
          onToggleLoop={() => editor.setLoop({ enabled: !project.loop.enabled })}
          onToggleMetronome={() => setMetronome((on) => !on)}
          onToggleCountIn={() => setCountIn((on) => !on)}
          onTempo={(tempo) => editor.setTempo(tempo)}
          onSignature={(next) => editor.setSignature(next)}
          onRewind={() => transport.seek(0)}
        />
        <div className="studio-collab">
          <PresenceBar user={user} peers={peers} />
          {statusLabel ? (
            <span className={`st-link-status is-${snapshot.link?.status ?? 'none'}`} data-testid="link-status" data-status={snapshot.link?.status}>
              <span className="st-link-dot" />
              {statusLabel}
            </span>
          ) : null}
          <button type="button" className={`st-sbtn${snapshot.share ? ' is-on' : ''}`} onClick={() => setShareOpen(true)} data-testid="share-open">
            {snapshot.share ? 'Shared' : 'Share'}
          </button>
        </div>
      </header>
      <div className="studio-tools" role="toolbar" aria-label="Editing tools">
        <div className="st-seg" role="radiogroup" aria-label="Tool">
          {(
            [
              ['pointer', 'Pointer (V)', 'M3 2l9 5-4 1.2L6 12z'],
              ['draw', 'Draw (B)', 'M2 12l1-3 6.5-6.5 2 2L5 11zM10.5 1.5l2 2'],
              ['split', 'Split (X)', 'M4 2v10M10 2v10M2 7h10'],
            ] as const
          ).map(([tool, label, path]) => (
            <button key={tool} type="button" role="radio" aria-checked={state.tool === tool} aria-label={label} title={label} className={`st-seg-btn${state.tool === tool ? ' is-on' : ''}`} onClick={() => state.set({ tool })}>
              <svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">
                <path d={path} stroke="currentColor" strokeWidth="1.4" fill={tool === 'pointer' ? 'currentColor' : 'none'} strokeLinejoin="round" />
              </svg>
            </button>
          ))}
        </div>
        <label className="st-tool-field">
          <span>Grid</span>
          <select value={state.grid} aria-label="Grid" onChange={(event) => state.set({ grid: event.currentTarget.value as GridLabel })}>
            {GRID_CHOICES.map((choice) => (
              <option key={choice.label} value={choice.label}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={`st-sbtn st-sbtn-small${state.snap ? ' is-on' : ''}`} aria-pressed={state.snap} onClick={() => state.set({ snap: !state.snap })} title="Snap to grid (hold Alt to ignore)">
          Snap
        </button>
        <span className="st-tool-sep" />
        <button type="button" className="st-sbtn st-sbtn-small" onClick={() => editor.addTrack('instrument')} data-testid="add-instrument-track">
          + Synth
        </button>
        <button type="button" className="st-sbtn st-sbtn-small" onClick={() => editor.addTrack('instrument', { drums: true })} data-testid="add-drum-track">
          + Drums
        </button>
        <button type="button" className="st-sbtn st-sbtn-small" onClick={() => editor.addTrack('audio')} data-testid="add-audio-track">
          + Audio
        </button>
        <button type="button" className="st-sbtn st-sbtn-small" onClick={() => editor.addTrack('bus')}>
          + Bus
        </button>
        <span className="st-tool-sep" />
        <button type="button" className="st-sbtn st-sbtn-small" disabled={!snapshot.canUndo} onClick={() => editor.undo()} title="Undo my last edit (Ctrl+Z)" data-testid="undo">
          Undo
        </button>
        <button type="button" className="st-sbtn st-sbtn-small" disabled={!snapshot.canRedo} onClick={() => editor.redo()} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
          Redo
        </button>
        <span className="st-tool-sep" />
        <button type="button" className="st-sbtn st-sbtn-small" onClick={() => setInOutOpen(true)} data-testid="inout-open">
          Import / Export
        </button>
        <span className="st-tool-grow" />
        <span className="st-tool-zoom">
          <button type="button" className="st-sbtn st-sbtn-small" aria-label="Zoom out" onClick={() => zoom(1 / 1.25, 'arrange')}>
            −
          </button>
          <button type="button" className="st-sbtn st-sbtn-small" aria-label="Zoom in" onClick={() => zoom(1.25, 'arrange')}>
            +
          </button>
        </span>
        <button type="button" className={`st-sbtn st-sbtn-small${state.followPlayhead ? ' is-on' : ''}`} aria-pressed={state.followPlayhead} onClick={() => state.set({ followPlayhead: !state.followPlayhead })}>
          Follow
        </button>
      </div>
      <div className="studio-arrange" onPointerDownCapture={() => (region.current = 'arrange')}>
        {project.tracks.length === 0 ? (
          <div className="studio-empty-arrange">
            <p>An empty project. Add a track to start.</p>
            <div>
              <button type="button" className="st-sbtn" onClick={() => editor.addTrack('instrument', { drums: true })}>
                + Drum track
              </button>
              <button type="button" className="st-sbtn" onClick={() => editor.addTrack('instrument')}>
                + Synth track
              </button>
              <button type="button" className="st-sbtn" onClick={() => editor.addTrack('audio')}>
                + Audio track
              </button>
            </div>
          </div>
        ) : (
          <Arrangement
            project={project}
            editor={editor}
            clock={transport}
            peers={peers}
            pxPerBeat={state.arrangeZoom}
            gridBeats={grid}
            tool={state.tool}
            selectedTrackId={selectedTrack?.id ?? null}
            selectedClipIds={state.selectedClipIds}
            editingClipId={state.editingClipId}
            automationOpen={state.automationOpen}
            onSeek={(beat) => transport.seek(beat)}
            onSelectTrack={(trackId) => state.set({ selectedTrackId: trackId })}
            onSelectClips={(ids, mode) => state.selectClips(ids, mode)}
            onOpenClip={(clipId) => state.openClip(clipId)}
            onToggleAutomation={(trackId) => state.toggleAutomation(trackId)}
            onZoom={(factor) => zoom(factor, 'arrange')}
            peaksFor={audio.peaksFor}
            onDropFiles={onDropAudioFiles}
          />
        )}
      </div>
      <section
        className={`studio-bottom${state.bottomOpen ? '' : ' is-closed'}`}
        style={state.bottomOpen ? { height: state.bottomHeight } : undefined}
        onPointerDownCapture={() => (region.current = 'editor')}
        aria-label="Editor, mixer and devices"
      >
        {state.bottomOpen ? <PanelSplitter height={state.bottomHeight} onHeight={(bottomHeight) => state.set({ bottomHeight })} /> : null}
        <div className="st-bottom-tabs" role="tablist">
          {(
            [
              ['editor', editingClip ? (isDrumTrack(editingTrack) ? 'Step sequencer' : 'Piano roll') : 'Clip'],
              ['mixer', 'Mixer'],
              ['devices', 'Devices'],
            ] as const
          ).map(([panel, label]) => (
            <button
              key={panel}
              type="button"
              role="tab"
              aria-selected={state.bottomPanel === panel && state.bottomOpen}
              className={`st-bottom-tab${state.bottomPanel === panel && state.bottomOpen ? ' is-on' : ''}`}
              onClick={() => state.set({ bottomPanel: panel, bottomOpen: !(state.bottomOpen && state.bottomPanel === panel) })}
              data-testid={`bottom-tab-${panel}`}
            >
              {label}
            </button>
          ))}
          {state.bottomPanel === 'editor' && editingClip ? (
            <div className="st-bottom-clip" style={{ '--track-color': trackColor(editingTrack) } as CSSProperties}>
              <span className="st-bottom-clip-dot" />
              <span className="bottom-clip-name">
                {editingTrack?.name}
                {editingClip.name && editingClip.name !== editingTrack?.name ? ` · ${editingClip.name}` : ''} · {editingClip.notes.length} notes
              </span>
              {!isDrumTrack(editingTrack) ? (
                <>
                  <button type="button" className="st-sbtn st-sbtn-small" onClick={() => editor.quantizeNotes(editingClip.id, gridBeats(state.grid, signature) || 0.25, state.selectedNoteIds)} title="Quantize the selected notes (all when none is selected) to the grid (Q)" data-testid="quantize">
                    Quantize {state.grid}
                  </button>
                  <span className="st-tool-zoom">
                    <button type="button" className="st-sbtn st-sbtn-small" aria-label="Zoom out the piano roll" onClick={() => zoom(1 / 1.25, 'editor')}>
                      −
                    </button>
                    <button type="button" className="st-sbtn st-sbtn-small" aria-label="Zoom in the piano roll" onClick={() => zoom(1.25, 'editor')}>
                      +
                    </button>
                  </span>
                </>
              ) : null}
            </div>
          ) : null}
        </div>
        {state.bottomOpen ? (
          <div className="st-bottom-body">
            {state.bottomPanel === 'editor' ? (
              editingClip ? (
                isDrumTrack(editingTrack) ? (
                  <StepSequencer clip={editingClip} track={editingTrack} signature={signature} editor={editor} clock={transport} onAudition={audition} />
                ) : (
                  <PianoRoll
                    clip={editingClip}
                    track={editingTrack}
                    signature={signature}
                    editor={editor}
                    clock={transport}
                    peers={peers}
                    pxPerBeat={state.pianoZoom}
                    rowHeight={state.pianoRowHeight}
                    gridBeats={grid}
                    tool={state.tool}
                    selectedNoteIds={state.selectedNoteIds}
                    onSelectNotes={(ids) => state.set({ selectedNoteIds: ids })}
                    onAudition={audition}
                    onZoom={(factor) => zoom(factor, 'editor')}
                  />
                )
              ) : (
                <div className="st-bottom-empty">Double-click a MIDI clip to edit its notes, or double-click an empty spot on an instrument track to make one.</div>
              )
            ) : state.bottomPanel === 'mixer' ? (
              <Mixer
                tracks={project.tracks}
                masterVolumeDb={project.masterVolumeDb}
                editor={editor}
                selectedTrackId={selectedTrack?.id ?? null}
                onSelectTrack={(trackId) => state.set({ selectedTrackId: trackId })}
                levelsFor={audio.levelsFor}
              />
            ) : (
              <DevicePanel track={selectedTrack} editor={editor} />
            )}
          </div>
        ) : null}
      </section>
      {snapshot.repairs.length > 0 ? (
        <div className="studio-repair" role="status">
          A collaborator's change clashed with this one; the studio fixed it: {snapshot.repairs[0]}
        </div>
      ) : null}
      {inOutOpen ? <InOutDialog session={session} client={client} onClose={() => setInOutOpen(false)} /> : null}
      {shareOpen ? (
        <ShareDialog
          session={session}
          snapshot={snapshot}
          user={user}
          onUserChange={onUserChange}
          onClose={() => setShareOpen(false)}
        />
      ) : null}
    </div>
  );
}

/** The top edge of the bottom panel: drag it to give the editor or the arrangement more room. */
function PanelSplitter({ height, onHeight }: { height: number; onHeight: (height: number) => void }) {
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  const limit = (value: number): number => Math.round(Math.min(window.innerHeight - 240, Math.max(180, value)));
  return (
    <div
      className="studio-splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the editor panel"
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { startY: event.clientY, startHeight: height };
      }}
      onPointerMove={(event) => {
        if (drag.current) onHeight(limit(drag.current.startHeight + drag.current.startY - event.clientY));
      }}
      onPointerUp={() => (drag.current = null)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
          event.preventDefault();
          event.stopPropagation();
          onHeight(limit(height + (event.key === 'ArrowUp' ? 24 : -24)));
        }
      }}
    />
  );
}
