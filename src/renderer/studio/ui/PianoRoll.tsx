import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type PointerEvent } from 'react';
import { Playhead } from './Playhead';
import type { PeerPresence, PlayheadClock } from './presence';
import { beatsPerBar, clamp, floorToGrid, isBlackKey, noteName, snapBeat, visibleGrid, type TimeSignature } from './timeline';
import { useCanvasDrawing, useElementSize } from './use-canvas';
import type { NewNote, Note, NoteClip, NotePatch, StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import type { StudioTool } from '../ui-store';

const KEYS_WIDTH = 68;
const VELOCITY_HEIGHT = 84;
const EDGE_PX = 6;
const LOWEST = 0;
const HIGHEST = 127;

export interface PianoRollProps {
  readonly clip: NoteClip;
  readonly track: Track | undefined;
  readonly signature: TimeSignature;
  readonly editor: StudioEditor;
  readonly clock: PlayheadClock;
  readonly peers: readonly PeerPresence[];
  readonly pxPerBeat: number;
  readonly rowHeight: number;
  readonly gridBeats: number;
  readonly tool: StudioTool;
  readonly selectedNoteIds: readonly string[];
  readonly onSelectNotes: (noteIds: readonly string[]) => void;
  readonly onAudition?: (pitch: number, velocity: number) => void;
  readonly onZoom: (factor: number) => void;
}

type Drag =
  | { mode: 'move'; noteIds: string[]; anchor: Note; startX: number; startY: number; copy: boolean; moved: boolean }
  | { mode: 'resize'; noteIds: string[]; anchor: Note; startX: number; moved: boolean }
  | { mode: 'draw'; pitch: number; startBeat: number; moved: boolean }
  | { mode: 'select'; x0: number; y0: number; x1: number; y1: number; additive: boolean }
  | { mode: 'velocity'; noteIds: string[]; anchor: Note; startY: number; startVelocity: number };

interface Draft {
  /** The gesture being previewed, kept in state so rendering never reads the ref. */
  readonly drag: Drag;
  readonly deltaBeats: number;
  readonly deltaPitch: number;
  readonly deltaLength: number;
  readonly velocityDelta: number;
  readonly drawEnd?: number;
}

/** One octave of rows as a tiled image (black keys shaded, B/C and E/F lines), for the grid's background. */
function rowsBackground(rowHeight: number): string {
  let rects = '';
  for (let index = 0; index < 12; index += 1) {
    const pitch = 11 - index; // top row of the tile is B
    const y = index * rowHeight;
    if (isBlackKey(pitch)) rects += `<rect x='0' y='${y}' width='8' height='${rowHeight}' fill='%23000000' fill-opacity='0.3'/>`;
    const line = pitch === 0 ? '%23303845' : pitch === 5 ? '%23262c35' : '%231b2027';
    rects += `<rect x='0' y='${y + rowHeight - 1}' width='8' height='1' fill='${line}'/>`;
  }
  return `url("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='8' height='${rowHeight * 12}'>${rects}</svg>")`;
}

function beatLines(pxPerBeat: number, grid: number, signature: TimeSignature): { image: string; size: string } {
  const { minor } = visibleGrid(pxPerBeat, grid, signature);
  const barPx = beatsPerBar(signature) * pxPerBeat;
  const beatPx = (4 / signature.denominator) * pxPerBeat;
  const images = ['linear-gradient(to right, #4a5260 1px, transparent 1px)', 'linear-gradient(to right, #2f3640 1px, transparent 1px)'];
  const sizes = [`${barPx}px 100%`, `${beatPx}px 100%`];
  if (minor < 4 / signature.denominator) {
    images.push('linear-gradient(to right, #20262e 1px, transparent 1px)');
    sizes.push(`${minor * pxPerBeat}px 100%`);
  }
  return { image: images.join(', '), size: sizes.join(', ') };
}

/**
 * The piano roll of one note clip: keys, a grid of bars and beats, notes you draw, move and
 * resize (snapped to the grid unless Alt is held), a rubber band, and the velocity lane.
 */
export function PianoRoll(props: PianoRollProps) {
  const { clip, editor, pxPerBeat, rowHeight, gridBeats: grid, signature } = props;
  const [scrollRef, viewport] = useElementSize<HTMLDivElement>();
  const [scroll, setScroll] = useState({ left: 0, top: 0 });
  const gridRef = useRef<HTMLDivElement | null>(null);
  const drag = useRef<Drag | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [band, setBand] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const lastLength = useRef(0.25);
  const color = trackColor(props.track);
  const perBar = beatsPerBar(signature);
  const contentBeats = Math.max(Math.ceil((clip.lengthBeats + perBar) / perBar) * perBar, perBar * 4);
  const width = contentBeats * pxPerBeat;
  const height = (HIGHEST - LOWEST + 1) * rowHeight;
  const selected = useMemo(() => new Set(props.selectedNoteIds), [props.selectedNoteIds]);

  // Open scrolled to the notes (or to middle C), once per clip.
  const scrolledFor = useRef<string | null>(null);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || viewport.height === 0 || scrolledFor.current === clip.id) return;
    scrolledFor.current = clip.id;
    const pitches = clip.notes.map((note) => note.pitch);
    const centre = pitches.length > 0 ? (Math.max(...pitches) + Math.min(...pitches)) / 2 : 64;
    element.scrollTop = clamp((HIGHEST - centre) * rowHeight - viewport.height / 2, 0, height);
  }, [clip.id, clip.notes, rowHeight, viewport.height, height, scrollRef]);

  const drawKeys = useCallback(
    (context: CanvasRenderingContext2D, w: number, h: number) => {
      context.font = '500 9.5px Inter, "Segoe UI", system-ui, sans-serif';
      context.textBaseline = 'middle';
      const first = Math.max(LOWEST, HIGHEST - Math.ceil((scroll.top + h) / rowHeight));
      const last = Math.min(HIGHEST, HIGHEST - Math.floor(scroll.top / rowHeight));
      for (let pitch = first; pitch <= last; pitch += 1) {
        const y = (HIGHEST - pitch) * rowHeight - scroll.top;
        const black = isBlackKey(pitch);
        // White keys run the full width; black keys are shorter, drawn over the left part.
        context.fillStyle = '#d6dae0';
        context.fillRect(0, y, w, rowHeight);
        if (black) {
          context.fillStyle = '#16191e';
          context.fillRect(0, y, w * 0.6, rowHeight);
          context.fillStyle = '#b9bec6';
          context.fillRect(w * 0.6, y + rowHeight / 2, w * 0.4, 1);
        } else if (pitch % 12 === 0 || pitch % 12 === 5) {
          context.fillStyle = '#9299a3';
          context.fillRect(0, y + rowHeight - 1, w, 1);
        }
        if (pitch % 12 === 0) {
          context.fillStyle = '#2b313a';
          context.fillText(noteName(pitch), w - 26, y + rowHeight / 2);
        }
      }
    },
    [scroll.top, rowHeight],
  );
  const keysCanvas = useCanvasDrawing(KEYS_WIDTH, viewport.height, drawKeys);

  const noteAt = (id: string): Note | undefined => clip.notes.find((note) => note.id === id);
  const snapOf = (beat: number, alt: boolean): number => (alt ? beat : snapBeat(beat, grid));
  const point = (event: PointerEvent<Element>): { x: number; y: number; beat: number; pitch: number } => {
    const box = gridRef.current!.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    return { x, y, beat: Math.max(0, x / pxPerBeat), pitch: clamp(HIGHEST - Math.floor(y / rowHeight), LOWEST, HIGHEST) };
  };

  const startNoteDrag = (event: PointerEvent<HTMLDivElement>, note: Note): void => {
    if (event.button !== 0) return;
    event.stopPropagation();
    // Capture on the note, so a double-click still reaches it (and removes it).
    event.currentTarget.setPointerCapture(event.pointerId);
    let ids = props.selectedNoteIds.includes(note.id) ? [...props.selectedNoteIds] : [note.id];
    if (event.shiftKey) {
      ids = selected.has(note.id) ? props.selectedNoteIds.filter((id) => id !== note.id) : [...props.selectedNoteIds, note.id];
      props.onSelectNotes(ids);
      return;
    }
    if (!selected.has(note.id)) props.onSelectNotes(ids);
    const box = event.currentTarget.getBoundingClientRect();
    if (box.right - event.clientX <= EDGE_PX) drag.current = { mode: 'resize', noteIds: ids, anchor: note, startX: event.clientX, moved: false };
    else {
      drag.current = { mode: 'move', noteIds: ids, anchor: note, startX: event.clientX, startY: event.clientY, copy: event.ctrlKey || event.metaKey, moved: false };
      props.onAudition?.(note.pitch, note.velocity);
    }
    lastLength.current = note.lengthBeats;
  };

  const onGridPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    gridRef.current?.setPointerCapture(event.pointerId);
    const at = point(event);
    if (props.tool === 'draw') {
      const start = event.altKey ? at.beat : floorToGrid(at.beat, grid);
      drag.current = { mode: 'draw', pitch: at.pitch, startBeat: start, moved: false };
      setDraft({ drag: drag.current!, deltaBeats: 0, deltaPitch: 0, deltaLength: 0, velocityDelta: 0, drawEnd: start + (grid > 0 ? Math.max(grid, lastLength.current) : lastLength.current) });
      props.onAudition?.(at.pitch, 0.8);
    } else {
      drag.current = { mode: 'select', x0: at.x, y0: at.y, x1: at.x, y1: at.y, additive: event.shiftKey };
      if (!event.shiftKey) props.onSelectNotes([]);
    }
  };

  const onGridPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    if (!state || state.mode === 'velocity') return;
    const at = point(event);
    if (state.mode === 'select') {
      state.x1 = at.x;
      state.y1 = at.y;
      setBand({ x0: state.x0, y0: state.y0, x1: at.x, y1: at.y });
    } else if (state.mode === 'move') {
      if (!state.moved && Math.abs(event.clientX - state.startX) < 3 && Math.abs(event.clientY - state.startY) < 3) return;
      state.moved = true;
      const box = gridRef.current!.getBoundingClientRect();
      const rawStart = state.anchor.startBeat + (event.clientX - state.startX) / pxPerBeat;
      const notes = state.noteIds.map(noteAt).filter((note): note is Note => note !== undefined);
      const minStart = Math.min(...notes.map((note) => note.startBeat));
      const deltaBeats = Math.max(snapOf(rawStart, event.altKey) - state.anchor.startBeat, -minStart);
      const pitchUnder = HIGHEST - Math.floor((event.clientY - box.top) / rowHeight);
      const maxPitch = Math.max(...notes.map((note) => note.pitch));
      const minPitch = Math.min(...notes.map((note) => note.pitch));
      const deltaPitch = clamp(pitchUnder - state.anchor.pitch, LOWEST - minPitch, HIGHEST - maxPitch);
      if (draft?.deltaPitch !== deltaPitch && deltaPitch !== 0) props.onAudition?.(state.anchor.pitch + deltaPitch, state.anchor.velocity);
      setDraft({ drag: state, deltaBeats, deltaPitch, deltaLength: 0, velocityDelta: 0 });
    } else if (state.mode === 'resize') {
      state.moved = true;
      const end = snapOf(state.anchor.startBeat + state.anchor.lengthBeats + (event.clientX - state.startX) / pxPerBeat, event.altKey);
      const minimum = grid > 0 ? grid : 1 / 32;
      const deltaLength = Math.max(end - state.anchor.startBeat, minimum) - state.anchor.lengthBeats;
      setDraft({ drag: drag.current!, deltaBeats: 0, deltaPitch: 0, deltaLength, velocityDelta: 0 });
    } else if (state.mode === 'draw') {
      state.moved = true;
      const minimum = grid > 0 ? grid : 1 / 32;
      const end = Math.max(state.startBeat + minimum, event.altKey ? at.beat : snapBeat(at.beat, grid));
      setDraft({ drag: drag.current!, deltaBeats: 0, deltaPitch: 0, deltaLength: 0, velocityDelta: 0, drawEnd: end });
    }
  };

  const onGridPointerUp = (): void => {
    const state = drag.current;
    const current = draft;
    drag.current = null;
    setDraft(null);
    setBand(null);
    if (!state) return;
    if (state.mode === 'select') {
      const x0 = Math.min(state.x0, state.x1);
      const x1 = Math.max(state.x0, state.x1);
      const y0 = Math.min(state.y0, state.y1);
      const y1 = Math.max(state.y0, state.y1);
      if (x1 - x0 < 2 && y1 - y0 < 2) return;
      const hits = clip.notes
        .filter((note) => {
          const nx0 = note.startBeat * pxPerBeat;
          const nx1 = (note.startBeat + note.lengthBeats) * pxPerBeat;
          const ny0 = (HIGHEST - note.pitch) * rowHeight;
          return nx1 >= x0 && nx0 <= x1 && ny0 + rowHeight >= y0 && ny0 <= y1;
        })
        .map((note) => note.id);
      props.onSelectNotes(state.additive ? [...new Set([...props.selectedNoteIds, ...hits])] : hits);
    } else if (state.mode === 'move' && state.moved && current && (current.deltaBeats !== 0 || current.deltaPitch !== 0)) {
      const notes = state.noteIds.map(noteAt).filter((note): note is Note => note !== undefined);
      if (state.copy) {
        const ids = editor.addNotes(
          clip.id,
          notes.map((note) => ({ pitch: note.pitch + current.deltaPitch, startBeat: note.startBeat + current.deltaBeats, lengthBeats: note.lengthBeats, velocity: note.velocity })),
        );
        props.onSelectNotes(ids);
      } else {
        editor.updateNotes(
          clip.id,
          notes.map((note) => ({ noteId: note.id, patch: { startBeat: note.startBeat + current.deltaBeats, pitch: note.pitch + current.deltaPitch } })),
        );
      }
    } else if (state.mode === 'resize' && state.moved && current) {
      const notes = state.noteIds.map(noteAt).filter((note): note is Note => note !== undefined);
      const minimum = grid > 0 ? grid : 1 / 32;
      editor.updateNotes(
        clip.id,
        notes.map((note) => ({ noteId: note.id, patch: { lengthBeats: Math.max(minimum, note.lengthBeats + current.deltaLength) } })),
      );
      lastLength.current = Math.max(minimum, state.anchor.lengthBeats + current.deltaLength);
    } else if (state.mode === 'draw') {
      const end = current?.drawEnd ?? state.startBeat + lastLength.current;
      const note: NewNote = { pitch: state.pitch, startBeat: state.startBeat, lengthBeats: end - state.startBeat, velocity: 0.8 };
      lastLength.current = note.lengthBeats;
      const ids = editor.addNotes(clip.id, [note]);
      props.onSelectNotes(ids);
    }
  };

  const onGridDoubleClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    if (props.tool === 'draw') return;
    const target = event.target as HTMLElement;
    const noteId = target.closest('[data-note-id]')?.getAttribute('data-note-id');
    if (noteId) {
      editor.removeNotes(clip.id, [noteId]);
      props.onSelectNotes([]);
      return;
    }
    const box = gridRef.current!.getBoundingClientRect();
    const beat = Math.max(0, (event.clientX - box.left) / pxPerBeat);
    const pitch = clamp(HIGHEST - Math.floor((event.clientY - box.top) / rowHeight), LOWEST, HIGHEST);
    const ids = editor.addNotes(clip.id, [{ pitch, startBeat: event.altKey ? beat : floorToGrid(beat, grid), lengthBeats: grid > 0 ? Math.max(grid, lastLength.current) : lastLength.current, velocity: 0.8 }]);
    props.onSelectNotes(ids);
  };

  const shown = (note: Note): { startBeat: number; pitch: number; lengthBeats: number; velocity: number } => {
    const state = draft?.drag;
    if (!draft || !state || !('noteIds' in state) || !state.noteIds.includes(note.id)) return note;
    if (state.mode === 'move' && !state.copy) return { ...note, startBeat: note.startBeat + draft.deltaBeats, pitch: note.pitch + draft.deltaPitch };
    if (state.mode === 'resize') return { ...note, lengthBeats: Math.max(1 / 32, note.lengthBeats + draft.deltaLength) };
    if (state.mode === 'velocity') return { ...note, velocity: clamp(note.velocity + draft.velocityDelta, 0.01, 1) };
    return note;
  };

  const peerNotes = new Map<string, PeerPresence>();
  for (const peer of props.peers) if (peer.editingClipId === clip.id) for (const id of peer.selectedNoteIds) peerNotes.set(id, peer);

  // ---- velocity lane ----
  const onVelocityPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - box.left + scroll.left;
    const hit = [...clip.notes].reverse().find((note) => Math.abs(note.startBeat * pxPerBeat - x) <= 5);
    if (!hit) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const ids = selected.has(hit.id) ? [...props.selectedNoteIds] : [hit.id];
    if (!selected.has(hit.id)) props.onSelectNotes(ids);
    const velocity = clamp(1 - (event.clientY - box.top - 6) / (VELOCITY_HEIGHT - 12), 0.01, 1);
    drag.current = { mode: 'velocity', noteIds: ids, anchor: hit, startY: event.clientY, startVelocity: hit.velocity };
    setDraft({ drag: drag.current!, deltaBeats: 0, deltaPitch: 0, deltaLength: 0, velocityDelta: velocity - hit.velocity });
  };
  const onVelocityPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    if (state?.mode !== 'velocity') return;
    const box = event.currentTarget.getBoundingClientRect();
    const velocity = clamp(1 - (event.clientY - box.top - 6) / (VELOCITY_HEIGHT - 12), 0.01, 1);
    setDraft({ drag: drag.current!, deltaBeats: 0, deltaPitch: 0, deltaLength: 0, velocityDelta: velocity - state.anchor.velocity });
  };
  const onVelocityPointerUp = (): void => {
    const state = drag.current;
    const current = draft;
    drag.current = null;
    setDraft(null);
    if (state?.mode !== 'velocity' || !current) return;
    const patches: { noteId: string; patch: NotePatch }[] = state.noteIds.flatMap((id) => {
      const note = noteAt(id);
      return note ? [{ noteId: id, patch: { velocity: Math.round(clamp(note.velocity + current.velocityDelta, 0.01, 1) * 127) / 127 } }] : [];
    });
    editor.updateNotes(clip.id, patches);
  };

  const lines = beatLines(pxPerBeat, grid, signature);
  // The row tile starts at B; row 0 of the grid is pitch 127 (G), so shift the tile up to match.
  const tileShift = -(11 - (HIGHEST % 12)) * rowHeight;
  const gridStyle = {
    width,
    height,
    backgroundImage: `${lines.image}, ${rowsBackground(rowHeight)}`,
    backgroundSize: `${lines.size}, 8px ${rowHeight * 12}px`,
    backgroundPosition: [...lines.size.split(', ').map(() => '0 0'), `0 ${tileShift}px`].join(', '),
    '--note-color': color,
  } as CSSProperties;

  return (
    <div className="st-pr" data-testid="piano-roll" data-clip-id={clip.id} style={{ '--note-color': color } as CSSProperties}>
      <div className="st-pr-main">
        <div className="st-pr-keys" style={{ width: KEYS_WIDTH }}>
          <canvas
            ref={keysCanvas}
            style={{ width: KEYS_WIDTH, height: viewport.height }}
            onPointerDown={(event) => {
              const box = event.currentTarget.getBoundingClientRect();
              const pitch = clamp(HIGHEST - Math.floor((event.clientY - box.top + scroll.top) / rowHeight), LOWEST, HIGHEST);
              props.onAudition?.(pitch, 0.8);
            }}
          />
        </div>
        <div
          ref={scrollRef}
          className="st-pr-scroll"
          onScroll={(event) => setScroll({ left: event.currentTarget.scrollLeft, top: event.currentTarget.scrollTop })}
          onWheel={(event) => {
            if (!(event.ctrlKey || event.metaKey)) return;
            event.preventDefault();
            props.onZoom(event.deltaY < 0 ? 1.15 : 1 / 1.15);
          }}
        >
          <div
            ref={gridRef}
            className="st-pr-grid"
            data-testid="piano-roll-grid"
            data-tool={props.tool}
            style={gridStyle}
            onPointerDown={onGridPointerDown}
            onPointerMove={onGridPointerMove}
            onPointerUp={onGridPointerUp}
            onPointerCancel={onGridPointerUp}
            onDoubleClick={onGridDoubleClick}
          >
            <div className="st-pr-outside" style={{ left: clip.lengthBeats * pxPerBeat }} />
            {clip.notes.map((note) => {
              const view = shown(note);
              const peer = peerNotes.get(note.id);
              return (
                <div
                  key={note.id}
                  className={`st-pr-note${selected.has(note.id) ? ' is-selected' : ''}${note.startBeat >= clip.lengthBeats ? ' is-outside' : ''}${peer ? ' has-peer' : ''}`}
                  data-testid="note"
                  data-note-id={note.id}
                  data-pitch={note.pitch}
                  data-start-beat={note.startBeat}
                  style={
                    {
                      left: view.startBeat * pxPerBeat,
                      top: (HIGHEST - view.pitch) * rowHeight,
                      width: Math.max(3, view.lengthBeats * pxPerBeat - 1),
                      height: rowHeight - 1,
                      '--velocity': view.velocity,
                      ...(peer ? { '--peer-color': peer.color } : {}),
                    } as CSSProperties
                  }
                  title={`${noteName(note.pitch)} · velocity ${Math.round(note.velocity * 127)}`}
                  onPointerDown={(event) => startNoteDrag(event, note)}
                >
                  {view.lengthBeats * pxPerBeat > 30 && rowHeight >= 11 ? <span>{noteName(view.pitch)}</span> : null}
                </div>
              );
            })}
            {draft?.drag.mode === 'draw' && draft.drawEnd !== undefined ? (
              <div
                className="st-pr-note is-ghost"
                style={{
                  left: draft.drag.startBeat * pxPerBeat,
                  top: (HIGHEST - draft.drag.pitch) * rowHeight,
                  width: (draft.drawEnd - draft.drag.startBeat) * pxPerBeat - 1,
                  height: rowHeight - 1,
                }}
              />
            ) : null}
            {draft?.drag.mode === 'move' && draft.drag.copy
              ? draft.drag.noteIds.map((id) => {
                  const note = noteAt(id);
                  if (!note) return null;
                  return (
                    <div
                      key={`copy-${id}`}
                      className="st-pr-note is-ghost"
                      style={{ left: (note.startBeat + draft.deltaBeats) * pxPerBeat, top: (HIGHEST - note.pitch - draft.deltaPitch) * rowHeight, width: note.lengthBeats * pxPerBeat - 1, height: rowHeight - 1 }}
                    />
                  );
                })
              : null}
            {band ? (
              <div
                className="st-pr-band"
                style={{ left: Math.min(band.x0, band.x1), top: Math.min(band.y0, band.y1), width: Math.abs(band.x1 - band.x0), height: Math.abs(band.y1 - band.y0) }}
              />
            ) : null}
            <Playhead clock={props.clock} pxPerBeat={pxPerBeat} originBeat={clipStartOf(props)} className="st-playhead" />
          </div>
        </div>
      </div>
      <div className="st-pr-velocity">
        <div className="st-pr-velocity-label" style={{ width: KEYS_WIDTH }}>
          Velocity
        </div>
        <div
          className="st-pr-velocity-lane"
          data-testid="velocity-lane"
          onPointerDown={onVelocityPointerDown}
          onPointerMove={onVelocityPointerMove}
          onPointerUp={onVelocityPointerUp}
          onPointerCancel={onVelocityPointerUp}
        >
          <div style={{ transform: `translateX(${-scroll.left}px)`, width, height: '100%', position: 'relative' }}>
            {clip.notes.map((note) => {
              const view = shown(note);
              return (
                <div
                  key={note.id}
                  className={`st-pr-velocity-bar${selected.has(note.id) ? ' is-selected' : ''}`}
                  style={{ left: note.startBeat * pxPerBeat, height: `${view.velocity * 100}%` }}
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

/** The playhead in a piano roll runs in the clip's own time. */
function clipStartOf(props: PianoRollProps): number {
  return props.clip.startBeat;
}
