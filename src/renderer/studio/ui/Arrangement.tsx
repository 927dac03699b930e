import { useCallback, useMemo, useRef, useState, type CSSProperties, type PointerEvent, type ReactNode } from 'react';
import { AutomationLane, automationRange } from './AutomationLane';
import { Playhead } from './Playhead';
import type { PeerPresence, PlayheadClock } from './presence';
import { Ruler } from './Ruler';
import { TrackHeader, AutomationHeader } from './TrackHeader';
import { beatsPerBar, clamp, floorToGrid, snapBeat, visibleGrid, type TimeSignature } from './timeline';
import { useElementSize } from './use-canvas';
import type { Clip, Project, StudioEditor, Track } from '../view';
import { isNoteClip, trackColor } from '../view';
import type { StudioTool } from '../ui-store';

export const HEADER_WIDTH = 236;
export const TRACK_HEIGHT = 72;
export const AUTOMATION_HEIGHT = 56;
export const RULER_HEIGHT = 42;
const EDGE_PX = 7;

export interface ArrangementProps {
  readonly project: Project;
  readonly editor: StudioEditor;
  readonly clock: PlayheadClock;
  readonly peers: readonly PeerPresence[];
  readonly pxPerBeat: number;
  /** Snap size in beats, 0 for none. */
  readonly gridBeats: number;
  readonly tool: StudioTool;
  readonly selectedTrackId: string | null;
  readonly selectedClipIds: readonly string[];
  readonly editingClipId: string | null;
  readonly automationOpen: readonly string[];
  readonly levels?: (trackId: string) => number;
  readonly onSeek: (beat: number) => void;
  readonly onSelectTrack: (trackId: string) => void;
  readonly onSelectClips: (clipIds: readonly string[], mode: 'replace' | 'toggle' | 'add') => void;
  readonly onOpenClip: (clipId: string) => void;
  readonly onToggleAutomation: (trackId: string) => void;
  readonly onZoom: (factor: number) => void;
  readonly peaksFor?: (clip: Clip) => Float32Array | null;
  /** Audio files dropped on the lanes: the audio track under the drop (or null) and the snapped beat. */
  readonly onDropFiles?: (files: File[], trackId: string | null, beat: number) => void;
}

interface Row {
  readonly kind: 'track' | 'automation';
  readonly track: Track;
  readonly laneTarget?: string;
  readonly top: number;
  readonly height: number;
}

type Drag =
  | {
      readonly mode: 'move';
      readonly clipIds: readonly string[];
      readonly anchorClip: Clip;
      readonly startX: number;
      readonly startY: number;
      readonly copy: boolean;
      moved: boolean;
    }
  | { readonly mode: 'trim-start' | 'trim-end'; readonly clip: Clip; readonly startX: number; moved: boolean }
  | { readonly mode: 'create'; readonly trackId: string; readonly startBeat: number; moved: boolean };

interface Preview {
  /** The gesture being previewed (the ref's object, kept in state so rendering never reads the ref). */
  readonly drag: Drag;
  readonly deltaBeats: number;
  readonly deltaRows: number;
  readonly trimBeat?: number;
  readonly createEndBeat?: number;
}

/** The project's length for scrolling: everything there is, plus room to keep writing. */
function projectEndBeat(project: Project): number {
  const perBar = beatsPerBar(project.timeSignature);
  let end = 64 * perBar;
  for (const clip of project.clips) end = Math.max(end, clip.startBeat + clip.lengthBeats + 16 * perBar);
  for (const marker of project.markers) end = Math.max(end, marker.beat + 16 * perBar);
  return end;
}

function gridBackground(pxPerBeat: number, grid: number, signature: TimeSignature): CSSProperties {
  const { minor, barEvery } = visibleGrid(pxPerBeat, grid, signature);
  const barPx = beatsPerBar(signature) * pxPerBeat * barEvery;
  const beatPx = pxPerBeat * (4 / signature.denominator);
  const layers: string[] = ['linear-gradient(to right, var(--arr-bar-line) 1px, transparent 1px)'];
  const sizes: string[] = [`${barPx}px 100%`];
  if (beatPx >= 10 && barEvery === 1) {
    layers.push('linear-gradient(to right, var(--arr-beat-line) 1px, transparent 1px)');
    sizes.push(`${beatPx}px 100%`);
  }
  if (minor * pxPerBeat >= 7 && minor < 4 / signature.denominator) {
    layers.push('linear-gradient(to right, var(--arr-minor-line) 1px, transparent 1px)');
    sizes.push(`${minor * pxPerBeat}px 100%`);
  }
  // Every other bar a shade lighter, as most DAWs draw it, so bars read at a glance.
  layers.push('linear-gradient(to right, var(--arr-bar-shade) 50%, transparent 50%)');
  sizes.push(`${barPx * 2}px 100%`);
  return { backgroundImage: layers.join(', '), backgroundSize: sizes.join(', ') };
}

/** The arrangement: track headers, the ruler, clip lanes with automation, playheads. */
export function Arrangement(props: ArrangementProps) {
  const { project, editor, pxPerBeat, gridBeats: grid, tool } = props;
  const [scroll, setScroll] = useState({ left: 0, top: 0 });
  const [scrollRef, viewport] = useElementSize<HTMLDivElement>();
  const drag = useRef<Drag | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const signature = project.timeSignature;
  const endBeat = projectEndBeat(project);
  const width = Math.ceil(endBeat * pxPerBeat);

  const rows = useMemo(() => {
    const list: Row[] = [];
    let top = 0;
    for (const track of project.tracks) {
      list.push({ kind: 'track', track, top, height: TRACK_HEIGHT });
      top += TRACK_HEIGHT;
      if (props.automationOpen.includes(track.id)) {
        const targets = track.automation.length > 0 ? track.automation.map((lane) => lane.target) : ['volumeDb'];
        for (const target of targets) {
          list.push({ kind: 'automation', track, laneTarget: target, top, height: AUTOMATION_HEIGHT });
          top += AUTOMATION_HEIGHT;
        }
      }
    }
    return list;
  }, [project.tracks, props.automationOpen]);
  const trackRows = rows.filter((row) => row.kind === 'track');
  const contentHeight = Math.max((rows.at(-1)?.top ?? 0) + (rows.at(-1)?.height ?? 0) + TRACK_HEIGHT * 2, viewport.height);
  const rowOfTrack = new Map(trackRows.map((row, index) => [row.track.id, index]));

  const beatAt = (clientX: number, element: Element): number => {
    const box = element.getBoundingClientRect();
    return Math.max(0, (clientX - box.left) / pxPerBeat);
  };
  const lanesRef = useRef<HTMLDivElement | null>(null);

  const snapOf = (beat: number, noSnap: boolean): number => (noSnap ? beat : snapBeat(beat, grid));

  const onClipPointerDown = (event: PointerEvent<HTMLDivElement>, clip: Clip): void => {
    if (event.button !== 0) return;
    event.stopPropagation();
    const element = event.currentTarget;
    const lanes = lanesRef.current;
    if (!lanes) return;
    props.onSelectTrack(clip.trackId);
    if (tool === 'split') {
      const at = snapOf(beatAt(event.clientX, lanes), event.altKey);
      if (at > clip.startBeat && at < clip.startBeat + clip.lengthBeats) editor.splitClip(clip.id, at);
      return;
    }
    const selected = props.selectedClipIds.includes(clip.id);
    if (event.shiftKey || event.metaKey || (event.ctrlKey && !selected)) {
      props.onSelectClips([clip.id], 'toggle');
      if (event.shiftKey) return;
    } else if (!selected) {
      props.onSelectClips([clip.id], 'replace');
    }
    const box = element.getBoundingClientRect();
    const xIn = event.clientX - box.left;
    // Capture on the clip, not the lanes: a double-click must still reach the clip to open it.
    element.setPointerCapture(event.pointerId);
    if (xIn <= EDGE_PX) drag.current = { mode: 'trim-start', clip, startX: event.clientX, moved: false };
    else if (box.width - xIn <= EDGE_PX) drag.current = { mode: 'trim-end', clip, startX: event.clientX, moved: false };
    else {
      const clipIds = selected || event.ctrlKey ? [...new Set([...props.selectedClipIds, clip.id])] : [clip.id];
      drag.current = { mode: 'move', clipIds, anchorClip: clip, startX: event.clientX, startY: event.clientY, copy: event.ctrlKey || event.metaKey, moved: false };
    }
  };

  const onLanePointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    const lanes = lanesRef.current;
    if (!lanes) return;
    const y = event.clientY - lanes.getBoundingClientRect().top;
    const row = rows.find((entry) => y >= entry.top && y < entry.top + entry.height);
    if (!row) {
      props.onSelectClips([], 'replace');
      return;
    }
    if (row.kind !== 'track') return;
    props.onSelectTrack(row.track.id);
    props.onSelectClips([], 'replace');
    if (tool === 'draw' && row.track.kind === 'instrument') {
      lanes.setPointerCapture(event.pointerId);
      const start = floorToGrid(beatAt(event.clientX, lanes), grid > 0 ? grid : 1);
      drag.current = { mode: 'create', trackId: row.track.id, startBeat: start, moved: false };
      setPreview({ drag: drag.current, deltaBeats: 0, deltaRows: 0, createEndBeat: start + beatsPerBar(signature) });
    } else if (tool === 'pointer') {
      props.onSeek(snapOf(beatAt(event.clientX, lanes), event.altKey));
    }
  };

  const onLanePointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    const lanes = lanesRef.current;
    if (!state || !lanes) return;
    if (state.mode === 'move') {
      const raw = (event.clientX - state.startX) / pxPerBeat;
      if (!state.moved && Math.abs(event.clientX - state.startX) < 3 && Math.abs(event.clientY - state.startY) < 3) return;
      state.moved = true;
      const anchorStart = snapOf(state.anchorClip.startBeat + raw, event.altKey);
      const minStart = Math.min(...state.clipIds.map((id) => project.clips.find((clip) => clip.id === id)?.startBeat ?? 0));
      const deltaBeats = Math.max(anchorStart - state.anchorClip.startBeat, -minStart);
      const fromRow = rowOfTrack.get(state.anchorClip.trackId) ?? 0;
      const y = event.clientY - lanes.getBoundingClientRect().top;
      const overRow = trackRows.findIndex((row) => y >= row.top && y < row.top + row.height);
      const deltaRows = state.clipIds.length === 1 && overRow >= 0 ? overRow - fromRow : 0;
      setPreview({ drag: state, deltaBeats, deltaRows });
    } else if (state.mode === 'trim-start' || state.mode === 'trim-end') {
      state.moved = true;
      const beat = snapOf(beatAt(event.clientX, lanes), event.altKey);
      const { clip } = state;
      const minLength = Math.max(grid, 1 / 16);
      const trimBeat =
        state.mode === 'trim-start'
          ? clamp(beat, 0, clip.startBeat + clip.lengthBeats - minLength)
          : Math.max(beat, clip.startBeat + minLength);
      setPreview({ drag: state, deltaBeats: 0, deltaRows: 0, trimBeat });
    } else if (state.mode === 'create') {
      state.moved = true;
      const end = Math.max(state.startBeat + (grid > 0 ? grid : 0.25), snapBeat(beatAt(event.clientX, lanes), grid > 0 ? grid : 0.25));
      setPreview({ drag: state, deltaBeats: 0, deltaRows: 0, createEndBeat: end });
    }
  };

  const onLanePointerUp = (): void => {
    const state = drag.current;
    const current = preview;
    drag.current = null;
    setPreview(null);
    if (!state) return;
    if (state.mode === 'move' && state.moved && current) {
      if (current.deltaBeats === 0 && current.deltaRows === 0) return;
      const targetTrack = trackRows[(rowOfTrack.get(state.anchorClip.trackId) ?? 0) + current.deltaRows]?.track;
      const moveKindOk = (clip: Clip, track: Track | undefined): boolean =>
        track !== undefined && (clip.kind === 'audio' ? track.kind === 'audio' : track.kind === 'instrument');
      // A Ctrl-drag leaves the originals and moves copies; duplicateClips answers ids in the same order.
      const ids = state.copy ? editor.duplicateClips(state.clipIds) : state.clipIds;
      const moves = ids.flatMap((id, index) => {
        const source = project.clips.find((entry) => entry.id === state.clipIds[index]);
        if (!source) return [];
        const trackId = current.deltaRows !== 0 && moveKindOk(source, targetTrack) ? targetTrack!.id : source.trackId;
        return [{ clipId: id, startBeat: Math.max(0, source.startBeat + current.deltaBeats), trackId }];
      });
      editor.moveClips(moves);
      if (state.copy) props.onSelectClips(ids, 'replace');
    } else if ((state.mode === 'trim-start' || state.mode === 'trim-end') && state.moved && current?.trimBeat !== undefined) {
      editor.trimClip(state.clip.id, state.mode === 'trim-start' ? 'start' : 'end', current.trimBeat);
    } else if (state.mode === 'create') {
      const end = current?.createEndBeat ?? state.startBeat + beatsPerBar(signature);
      const id = editor.addNoteClip(state.trackId, state.startBeat, end - state.startBeat);
      if (id) {
        props.onSelectClips([id], 'replace');
        props.onOpenClip(id);
      }
    }
  };

  const onLaneDoubleClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    const lanes = lanesRef.current;
    if (!lanes || event.target !== lanes) return;
    const y = event.clientY - lanes.getBoundingClientRect().top;
    const row = rows.find((entry) => entry.kind === 'track' && y >= entry.top && y < entry.top + entry.height);
    if (!row || row.track.kind !== 'instrument') return;
    const perBar = beatsPerBar(signature);
    const start = floorToGrid(beatAt(event.clientX, lanes), perBar);
    const id = editor.addNoteClip(row.track.id, start, perBar);
    if (id) {
      props.onSelectClips([id], 'replace');
      props.onOpenClip(id);
    }
  };

  const onWheel = (event: React.WheelEvent<HTMLDivElement>): void => {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    props.onZoom(event.deltaY < 0 ? 1.15 : 1 / 1.15);
  };

  const followPlayhead = useCallback(
    (x: number) => {
      const element = scrollRef.current;
      if (!element) return;
      if (x > element.scrollLeft + element.clientWidth - 40 || x < element.scrollLeft) element.scrollLeft = Math.max(0, x - 60);
    },
    [scrollRef],
  );

  const clipBox = (clip: Clip): { left: number; top: number; width: number; trackId: string } | null => {
    const rowIndex = rowOfTrack.get(clip.trackId);
    if (rowIndex === undefined) return null;
    let start = clip.startBeat;
    let length = clip.lengthBeats;
    let index = rowIndex;
    const state = preview?.drag;
    if (preview && state) {
      if (state.mode === 'move' && state.clipIds.includes(clip.id) && !state.copy) {
        start += preview.deltaBeats;
        if (state.clipIds.length === 1) index = clamp(rowIndex + preview.deltaRows, 0, trackRows.length - 1);
      } else if (state.mode === 'trim-start' && state.clip.id === clip.id && preview.trimBeat !== undefined) {
        length = clip.startBeat + clip.lengthBeats - preview.trimBeat;
        start = preview.trimBeat;
      } else if (state.mode === 'trim-end' && state.clip.id === clip.id && preview.trimBeat !== undefined) {
        length = preview.trimBeat - clip.startBeat;
      }
    }
    const row = trackRows[index];
    if (!row) return null;
    return { left: start * pxPerBeat, top: row.top, width: Math.max(4, length * pxPerBeat), trackId: row.track.id };
  };

  const peerSelection = new Map<string, PeerPresence>();
  for (const peer of props.peers) for (const id of peer.selectedClipIds) peerSelection.set(id, peer);

  const copyGhosts: ReactNode[] = [];
  const state = preview?.drag;
  if (state?.mode === 'move' && state.copy && preview && state.moved) {
    for (const id of state.clipIds) {
      const clip = project.clips.find((entry) => entry.id === id);
      const rowIndex = clip ? rowOfTrack.get(clip.trackId) : undefined;
      if (!clip || rowIndex === undefined) continue;
      const row = trackRows[clamp(rowIndex + (state.clipIds.length === 1 ? preview.deltaRows : 0), 0, trackRows.length - 1)];
      copyGhosts.push(
        <div
          key={`ghost-${id}`}
          className="st-clip st-clip-ghost"
          style={{ left: (clip.startBeat + preview.deltaBeats) * pxPerBeat, top: (row?.top ?? 0) + 1, width: clip.lengthBeats * pxPerBeat, height: TRACK_HEIGHT - 2 }}
        />,
      );
    }
  }

  return (
    <div className="st-arr" data-testid="arrangement" data-tool={tool}>
      <div className="st-arr-corner">
        <span className="arr-corner-title">Tracks</span>
        <span className="st-arr-corner-count">{project.tracks.length}</span>
      </div>
      <Ruler
        project={project}
        pxPerBeat={pxPerBeat}
        scrollLeft={scroll.left}
        width={viewport.width}
        gridBeats={grid}
        clock={props.clock}
        editor={editor}
        onSeek={props.onSeek}
      />
      <div className="st-arr-headers" onWheel={(event) => scrollRef.current?.scrollBy({ top: event.deltaY })}>
        <div style={{ transform: `translateY(${-scroll.top}px)`, height: contentHeight }}>
          {rows.map((row) =>
            row.kind === 'track' ? (
              <TrackHeader
                key={row.track.id}
                track={row.track}
                height={row.height}
                selected={props.selectedTrackId === row.track.id}
                automationOpen={props.automationOpen.includes(row.track.id)}
                editor={editor}
                onSelect={() => props.onSelectTrack(row.track.id)}
                onToggleAutomation={() => props.onToggleAutomation(row.track.id)}
              />
            ) : (
              <AutomationHeader key={`${row.track.id}-${row.laneTarget}`} track={row.track} target={row.laneTarget ?? 'volumeDb'} height={row.height} editor={editor} />
            ),
          )}
        </div>
      </div>
      <div
        ref={scrollRef}
        className="st-arr-scroll"
        data-testid="arrangement-scroll"
        onScroll={(event) => setScroll({ left: event.currentTarget.scrollLeft, top: event.currentTarget.scrollTop })}
        onWheel={onWheel}
      >
        <div
          ref={lanesRef}
          className="st-arr-lanes"
          data-testid="arrangement-lanes"
          style={{ width, height: contentHeight, ...gridBackground(pxPerBeat, grid, signature) }}
          onPointerDown={onLanePointerDown}
          onPointerMove={onLanePointerMove}
          onPointerUp={onLanePointerUp}
          onPointerCancel={onLanePointerUp}
          onDoubleClick={onLaneDoubleClick}
          onDragOver={(event) => {
            if (!props.onDropFiles || !event.dataTransfer.types.includes('Files')) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
          }}
          onDrop={(event) => {
            const lanes = lanesRef.current;
            if (!props.onDropFiles || !lanes || event.dataTransfer.files.length === 0) return;
            event.preventDefault();
            const y = event.clientY - lanes.getBoundingClientRect().top;
            const row = rows.find((entry) => y >= entry.top && y < entry.top + entry.height);
            const trackId = row?.kind === 'track' && row.track.kind === 'audio' ? row.track.id : null;
            props.onDropFiles([...event.dataTransfer.files], trackId, Math.max(0, snapOf(beatAt(event.clientX, lanes), event.altKey)));
          }}
        >
          {project.loop.enabled ? (
            <div
              className="st-arr-loop-shade"
              style={{ left: project.loop.startBeat * pxPerBeat, width: (project.loop.endBeat - project.loop.startBeat) * pxPerBeat }}
            />
          ) : null}
          {rows.map((row) => (
            <div
              key={`row-${row.track.id}-${row.laneTarget ?? ''}`}
              className={`st-arr-row st-arr-row-${row.kind}${props.selectedTrackId === row.track.id && row.kind === 'track' ? ' is-selected' : ''}`}
              style={{ top: row.top, height: row.height }}
            >
              {row.kind === 'automation' ? (
                <AutomationLane
                  track={row.track}
                  target={row.laneTarget ?? 'volumeDb'}
                  width={width}
                  height={row.height}
                  pxPerBeat={pxPerBeat}
                  gridBeats={grid}
                  editor={editor}
                  range={automationRange(row.track, row.laneTarget ?? 'volumeDb')}
                />
              ) : null}
            </div>
          ))}
          {project.clips.map((clip) => {
            const box = clipBox(clip);
            if (!box) return null;
            const track = project.tracks.find((entry) => entry.id === box.trackId);
            const peer = peerSelection.get(clip.id);
            return (
              <ClipBlock
                key={clip.id}
                clip={clip}
                color={trackColor(track)}
                left={box.left}
                top={box.top}
                width={box.width}
                height={TRACK_HEIGHT}
                pxPerBeat={pxPerBeat}
                selected={props.selectedClipIds.includes(clip.id)}
                editing={props.editingClipId === clip.id}
                peer={peer}
                peaks={props.peaksFor?.(clip) ?? null}
                onPointerDown={(event) => onClipPointerDown(event, clip)}
                onDoubleClick={() => (clip.kind === 'notes' ? props.onOpenClip(clip.id) : undefined)}
              />
            );
          })}
          {copyGhosts}
          {preview?.drag.mode === 'create' && preview.createEndBeat !== undefined ? (
            <div
              className="st-clip st-clip-ghost"
              style={{
                left: preview.drag.startBeat * pxPerBeat,
                top: (trackRows[rowOfTrack.get(preview.drag.trackId) ?? 0]?.top ?? 0) + 1,
                width: (preview.createEndBeat - preview.drag.startBeat) * pxPerBeat,
                height: TRACK_HEIGHT - 2,
              }}
            />
          ) : null}
          {project.markers.map((marker) => (
            <div key={marker.id} className="st-arr-marker-line" style={{ left: marker.beat * pxPerBeat }} />
          ))}
          {props.peers.map((peer) =>
            peer.playheadBeat === null ? null : (
              <div
                key={peer.clientId}
                className="st-peer-playhead"
                data-testid="peer-playhead"
                style={{ left: peer.playheadBeat * pxPerBeat, borderColor: peer.color }}
              />
            ),
          )}
          <Playhead clock={props.clock} pxPerBeat={pxPerBeat} onFollow={followPlayhead} />
        </div>
      </div>
    </div>
  );
}

function ClipBlock({
  clip,
  color,
  left,
  top,
  width,
  height,
  pxPerBeat,
  selected,
  editing,
  peer,
  peaks,
  onPointerDown,
  onDoubleClick,
}: {
  clip: Clip;
  color: string;
  left: number;
  top: number;
  width: number;
  height: number;
  pxPerBeat: number;
  selected: boolean;
  editing: boolean;
  peer: PeerPresence | undefined;
  peaks: Float32Array | null;
  onPointerDown: (event: PointerEvent<HTMLDivElement>) => void;
  onDoubleClick: () => void;
}) {
  const style = {
    left,
    top: top + 1,
    width,
    height: height - 2,
    '--clip-color': color,
    ...(peer ? { '--peer-color': peer.color } : {}),
  } as CSSProperties;
  return (
    <div
      className={`st-clip is-${clip.kind}${selected ? ' is-selected' : ''}${editing ? ' is-editing' : ''}${peer ? ' has-peer' : ''}`}
      style={style}
      data-testid="clip"
      data-clip-id={clip.id}
      data-clip-name={clip.name}
      onPointerDown={onPointerDown}
      onDoubleClick={onDoubleClick}
      title={`${clip.name} — drag to move (Ctrl copies, Alt ignores the grid), drag an edge to trim`}
    >
      <div className="st-clip-title">
        <span>{clip.name || (clip.kind === 'notes' ? 'MIDI' : 'Audio')}</span>
        {peer ? (
          <span className="st-clip-peer" style={{ background: peer.color }}>
            {peer.name}
          </span>
        ) : null}
      </div>
      <div className="st-clip-body">
        {isNoteClip(clip) ? <NotePreview clip={clip} width={width} height={height - 20} pxPerBeat={pxPerBeat} /> : <WavePreview peaks={peaks} width={width} height={height - 20} />}
      </div>
      <div className="st-clip-edge st-clip-edge-start" />
      <div className="st-clip-edge st-clip-edge-end" />
    </div>
  );
}

function NotePreview({ clip, width, height, pxPerBeat }: { clip: Extract<Clip, { kind: 'notes' }>; width: number; height: number; pxPerBeat: number }) {
  if (clip.notes.length === 0) return null;
  let low = 127;
  let high = 0;
  for (const note of clip.notes) {
    low = Math.min(low, note.pitch);
    high = Math.max(high, note.pitch);
  }
  const span = Math.max(high - low + 1, 8);
  const rowHeight = Math.max(1.5, Math.min(5, (height - 6) / span));
  const mid = (low + high) / 2;
  return (
    <svg className="st-clip-notes" width={width} height={height} aria-hidden="true">
      {clip.notes.map((note) => {
        if (note.startBeat >= clip.lengthBeats) return null;
        const y = height / 2 - (note.pitch - mid) * rowHeight - rowHeight / 2;
        const w = Math.max(1.5, Math.min(note.lengthBeats, clip.lengthBeats - note.startBeat) * pxPerBeat - 1);
        return <rect key={note.id} x={note.startBeat * pxPerBeat} y={clamp(y, 1, height - rowHeight - 1)} width={w} height={rowHeight} rx={0.8} />;
      })}
    </svg>
  );
}

function WavePreview({ peaks, width, height }: { peaks: Float32Array | null; width: number; height: number }) {
  if (!peaks || peaks.length < 2) {
    return (
      <svg className="st-clip-wave" width={width} height={height} aria-hidden="true">
        <line x1={0} x2={width} y1={height / 2} y2={height / 2} />
      </svg>
    );
  }
  const pairs = peaks.length / 2;
  const columns = Math.max(1, Math.min(Math.floor(width), 2000));
  let path = '';
  for (let column = 0; column < columns; column += 1) {
    const index = Math.floor((column / columns) * pairs);
    const min = peaks[index * 2] ?? 0;
    const max = peaks[index * 2 + 1] ?? 0;
    const y1 = height / 2 - max * (height / 2 - 2);
    const y2 = height / 2 - min * (height / 2 - 2);
    path += `M${column + 0.5} ${y1.toFixed(1)}V${Math.max(y2, y1 + 0.8).toFixed(1)}`;
  }
  return (
    <svg className="st-clip-wave" width={width} height={height} aria-hidden="true">
      <path d={path} />
    </svg>
  );
}
