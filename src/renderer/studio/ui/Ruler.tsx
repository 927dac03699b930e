import { useCallback, useRef, useState, type PointerEvent } from 'react';
import { Playhead } from './Playhead';
import type { PlayheadClock } from './presence';
import { beatsPerBar, snapBeat, visibleGrid } from './timeline';
import { useCanvasDrawing } from './use-canvas';
import type { Project, StudioEditor } from '../view';

const LOOP_STRIP = 16;

/**
 * The timeline ruler over the arrangement: bar and beat numbers (canvas, only the visible
 * part is drawn), the loop brace and markers in the top strip. Click or drag the numbers to
 * move the playhead; drag in the top strip to set the loop; double-click it to add a marker.
 */
export function Ruler({
  project,
  pxPerBeat,
  scrollLeft,
  width,
  gridBeats,
  clock,
  editor,
  onSeek,
}: {
  project: Project;
  pxPerBeat: number;
  scrollLeft: number;
  width: number;
  gridBeats: number;
  clock: PlayheadClock;
  editor: StudioEditor;
  onSeek: (beat: number) => void;
}) {
  const height = 42;
  const signature = project.timeSignature;
  const drag = useRef<{ mode: 'seek' } | { mode: 'loop'; anchor: number } | { mode: 'loop-start' | 'loop-end' } | null>(null);
  const [loopPreview, setLoopPreview] = useState<{ startBeat: number; endBeat: number } | null>(null);

  const draw = useCallback(
    (context: CanvasRenderingContext2D, w: number, h: number) => {
      const perBar = beatsPerBar(signature);
      const beatUnit = 4 / signature.denominator;
      const { barEvery } = visibleGrid(pxPerBeat, gridBeats, signature);
      context.font = '600 10.5px Inter, "Segoe UI", system-ui, sans-serif';
      context.textBaseline = 'middle';
      const firstBar = Math.max(0, Math.floor(scrollLeft / pxPerBeat / perBar) - 1);
      const lastBar = Math.ceil((scrollLeft + w) / pxPerBeat / perBar) + 1;
      context.fillStyle = '#0f1216';
      context.fillRect(0, LOOP_STRIP, w, h - LOOP_STRIP);
      for (let bar = firstBar; bar <= lastBar; bar += 1) {
        const x = Math.round(bar * perBar * pxPerBeat - scrollLeft) + 0.5;
        if (bar % barEvery === 0) {
          context.strokeStyle = '#59626f';
          context.beginPath();
          context.moveTo(x, LOOP_STRIP);
          context.lineTo(x, h);
          context.stroke();
          context.fillStyle = '#b8c0cb';
          context.fillText(String(bar + 1), x + 4, LOOP_STRIP + 8);
        }
        if (barEvery === 1 && beatUnit * pxPerBeat >= 12) {
          for (let beat = 1; beat < perBar / beatUnit; beat += 1) {
            const bx = Math.round((bar * perBar + beat * beatUnit) * pxPerBeat - scrollLeft) + 0.5;
            context.strokeStyle = '#3a414b';
            context.beginPath();
            context.moveTo(bx, h - 8);
            context.lineTo(bx, h);
            context.stroke();
            if (beatUnit * pxPerBeat >= 48) {
              context.fillStyle = '#6b7480';
              context.font = '500 9.5px Inter, "Segoe UI", system-ui, sans-serif';
              context.fillText(`${bar + 1}.${beat + 1}`, bx + 3, LOOP_STRIP + 8);
              context.font = '600 10.5px Inter, "Segoe UI", system-ui, sans-serif';
            }
          }
        }
      }
      context.strokeStyle = '#2a3038';
      context.beginPath();
      context.moveTo(0, h - 0.5);
      context.lineTo(w, h - 0.5);
      context.moveTo(0, LOOP_STRIP + 0.5);
      context.lineTo(w, LOOP_STRIP + 0.5);
      context.stroke();
    },
    [signature, pxPerBeat, gridBeats, scrollLeft],
  );
  const canvas = useCanvasDrawing(width, height, draw);

  const beatAt = (event: PointerEvent<HTMLDivElement>, snap = true): number => {
    const box = event.currentTarget.getBoundingClientRect();
    const beat = Math.max(0, (event.clientX - box.left + scrollLeft) / pxPerBeat);
    return snap && !event.altKey ? snapBeat(beat, gridBeats > 0 ? gridBeats : 0) : beat;
  };

  const loop = loopPreview ?? project.loop;
  const loopLeft = loop.startBeat * pxPerBeat - scrollLeft;
  const loopWidth = (loop.endBeat - loop.startBeat) * pxPerBeat;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const y = event.clientY - event.currentTarget.getBoundingClientRect().top;
    if (y < LOOP_STRIP) {
      const x = event.clientX - event.currentTarget.getBoundingClientRect().left;
      if (Math.abs(x - loopLeft) < 6) drag.current = { mode: 'loop-start' };
      else if (Math.abs(x - (loopLeft + loopWidth)) < 6) drag.current = { mode: 'loop-end' };
      else drag.current = { mode: 'loop', anchor: beatAt(event) };
    } else {
      drag.current = { mode: 'seek' };
      onSeek(beatAt(event));
    }
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const state = drag.current;
    if (!state) return;
    const beat = beatAt(event);
    const minimum = gridBeats > 0 ? gridBeats : 0.25;
    if (state.mode === 'seek') onSeek(beat);
    else if (state.mode === 'loop') {
      if (Math.abs(beat - state.anchor) >= minimum) setLoopPreview({ startBeat: Math.min(beat, state.anchor), endBeat: Math.max(beat, state.anchor) });
    } else if (state.mode === 'loop-start') setLoopPreview({ startBeat: Math.min(beat, project.loop.endBeat - minimum), endBeat: project.loop.endBeat });
    else setLoopPreview({ startBeat: project.loop.startBeat, endBeat: Math.max(beat, project.loop.startBeat + minimum) });
  };
  const onPointerUp = (): void => {
    const state = drag.current;
    drag.current = null;
    if (state && state.mode !== 'seek' && loopPreview) editor.setLoop({ ...loopPreview, enabled: true });
    setLoopPreview(null);
  };

  return (
    <div
      className="st-ruler"
      data-testid="ruler"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={(event) => {
        const y = event.clientY - event.currentTarget.getBoundingClientRect().top;
        if (y >= LOOP_STRIP) return;
        const box = event.currentTarget.getBoundingClientRect();
        const beat = snapBeat(Math.max(0, (event.clientX - box.left + scrollLeft) / pxPerBeat), beatsPerBar(signature));
        editor.addMarker(beat, `Marker ${project.markers.length + 1}`);
      }}
    >
      <canvas ref={canvas} className="st-ruler-canvas" style={{ width, height }} />
      <div
        className={`st-ruler-loop${project.loop.enabled || loopPreview ? ' is-on' : ''}`}
        data-testid="loop-brace"
        style={{ left: loopLeft, width: loopWidth }}
      />
      {project.markers.map((marker) => (
        <div
          key={marker.id}
          className="st-ruler-marker"
          style={{ left: marker.beat * pxPerBeat - scrollLeft }}
          title={`${marker.name} — right-click to remove`}
          onContextMenu={(event) => {
            event.preventDefault();
            editor.removeMarker(marker.id);
          }}
        >
          {marker.name}
        </div>
      ))}
      <div className="st-ruler-playhead-layer" style={{ transform: `translateX(${-scrollLeft}px)` }}>
        <Playhead clock={clock} pxPerBeat={pxPerBeat} className="st-ruler-playhead" />
      </div>
    </div>
  );
}
