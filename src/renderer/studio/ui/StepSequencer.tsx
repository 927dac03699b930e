import { useRef, useState, type CSSProperties, type PointerEvent } from 'react';
import { Playhead } from './Playhead';
import type { PlayheadClock } from './presence';
import { beatsPerBar, type TimeSignature } from './timeline';
import type { NoteClip, StudioEditor, Track } from '../view';
import { trackColor } from '../view';
import { DRUM_NOTES } from '../../../shared/studio/schema';

const ROW_LABELS: Record<keyof typeof DRUM_NOTES, string> = {
  kick: 'Kick',
  rimshot: 'Rim',
  snare: 'Snare',
  clap: 'Clap',
  closedHat: 'Closed hat',
  lowTom: 'Low tom',
  openHat: 'Open hat',
  midTom: 'Mid tom',
  crash: 'Crash',
  highTom: 'High tom',
};

/** Top to bottom as drum machines lay them out: cymbals up, kick at the bottom. */
const ROWS = (['crash', 'openHat', 'closedHat', 'highTom', 'midTom', 'lowTom', 'clap', 'rimshot', 'snare', 'kick'] as const).map((key) => ({
  key,
  label: ROW_LABELS[key],
  pitch: DRUM_NOTES[key],
}));

const STEP_BEATS = 0.25;
const STEP_WIDTH = 30;
const LABEL_WIDTH = 104;

/**
 * The step sequencer for drum clips: one row per drum of the built-in kit, one column per
 * sixteenth. Click a step to set or clear it; drag across to paint; Shift sets an accent.
 */
export function StepSequencer({
  clip,
  track,
  signature,
  editor,
  clock,
  onAudition,
}: {
  clip: NoteClip;
  track: Track | undefined;
  signature: TimeSignature;
  editor: StudioEditor;
  clock: PlayheadClock;
  onAudition?: (pitch: number, velocity: number) => void;
}) {
  const steps = Math.max(1, Math.round(clip.lengthBeats / STEP_BEATS));
  const stepsPerBeat = Math.round(1 / STEP_BEATS);
  const stepsPerBar = Math.round(beatsPerBar(signature) / STEP_BEATS);
  const paint = useRef<{ on: boolean; accent: boolean; visited: Set<string> } | null>(null);
  const [pending, setPending] = useState<Map<string, boolean>>(new Map());
  const color = trackColor(track);

  const notesAt = (pitch: number, step: number) =>
    clip.notes.filter((note) => note.pitch === pitch && note.startBeat >= step * STEP_BEATS - 1e-6 && note.startBeat < (step + 1) * STEP_BEATS - 1e-6);

  const cellKey = (pitch: number, step: number): string => `${pitch}:${step}`;

  const visit = (pitch: number, step: number): void => {
    const state = paint.current;
    if (!state || state.visited.has(cellKey(pitch, step))) return;
    state.visited.add(cellKey(pitch, step));
    setPending((previous) => new Map(previous).set(cellKey(pitch, step), state.on));
    if (state.on) onAudition?.(pitch, state.accent ? 1 : 0.75);
  };

  const finish = (): void => {
    const state = paint.current;
    paint.current = null;
    if (!state) return;
    const toAdd: { pitch: number; startBeat: number; lengthBeats: number; velocity: number }[] = [];
    const toRemove: string[] = [];
    for (const key of state.visited) {
      const [pitch, step] = key.split(':').map(Number) as [number, number];
      const existing = notesAt(pitch, step);
      if (state.on && existing.length === 0) toAdd.push({ pitch, startBeat: step * STEP_BEATS, lengthBeats: STEP_BEATS, velocity: state.accent ? 1 : 0.75 });
      if (!state.on) toRemove.push(...existing.map((note) => note.id));
    }
    // One gesture, one undo step: the editor batches adds and removes.
    if (toRemove.length > 0) editor.removeNotes(clip.id, toRemove);
    if (toAdd.length > 0) editor.addNotes(clip.id, toAdd);
    setPending(new Map());
  };

  const onCellDown = (event: PointerEvent<HTMLButtonElement>, pitch: number, step: number): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget.parentElement?.parentElement as HTMLElement | null)?.setPointerCapture(event.pointerId);
    paint.current = { on: notesAt(pitch, step).length === 0, accent: event.shiftKey, visited: new Set() };
    visit(pitch, step);
  };
  const onGridMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (!paint.current) return;
    const element = document.elementFromPoint(event.clientX, event.clientY);
    const cell = element?.closest('[data-step]');
    if (!cell) return;
    visit(Number(cell.getAttribute('data-pitch')), Number(cell.getAttribute('data-step')));
  };

  return (
    <div className="st-steps" data-testid="step-sequencer" style={{ '--note-color': color } as CSSProperties}>
      <div className="st-steps-scroll">
        <div className="st-steps-grid" onPointerMove={onGridMove} onPointerUp={finish} onPointerCancel={finish} style={{ width: LABEL_WIDTH + steps * STEP_WIDTH }}>
          <div className="st-steps-header" style={{ paddingLeft: LABEL_WIDTH }}>
            {Array.from({ length: steps }, (_, step) => (
              <span key={step} className={`st-steps-number${step % stepsPerBeat === 0 ? ' is-beat' : ''}`} style={{ width: STEP_WIDTH }}>
                {step % stepsPerBar === 0 ? `${Math.floor(step / stepsPerBar) + 1}` : step % stepsPerBeat === 0 ? '·' : ''}
              </span>
            ))}
          </div>
          {ROWS.map((row) => (
            <div key={row.key} className="st-steps-row" data-testid="step-row" data-pitch={row.pitch}>
              <button type="button" className="st-steps-label" style={{ width: LABEL_WIDTH }} onClick={() => onAudition?.(row.pitch, 0.9)}>
                {row.label}
              </button>
              {Array.from({ length: steps }, (_, step) => {
                const notes = notesAt(row.pitch, step);
                const key = cellKey(row.pitch, step);
                const on = pending.has(key) ? pending.get(key)! : notes.length > 0;
                const velocity = notes[0]?.velocity ?? 0.75;
                const beatGroup = Math.floor(step / stepsPerBeat) % 2 === 1;
                return (
                  <button
                    key={step}
                    type="button"
                    className={`st-step${on ? ' is-on' : ''}${beatGroup ? ' is-alt' : ''}${step % stepsPerBar === 0 ? ' is-bar' : ''}`}
                    style={{ width: STEP_WIDTH - 3, '--velocity': velocity } as CSSProperties}
                    data-step={step}
                    data-pitch={row.pitch}
                    aria-pressed={on}
                    aria-label={`${row.label}, step ${step + 1}`}
                    onPointerDown={(event) => onCellDown(event, row.pitch, step)}
                  />
                );
              })}
            </div>
          ))}
          <div className="st-steps-playhead" style={{ left: LABEL_WIDTH }}>
            <Playhead clock={clock} pxPerBeat={STEP_WIDTH / STEP_BEATS} originBeat={clip.startBeat} />
          </div>
        </div>
      </div>
    </div>
  );
}
