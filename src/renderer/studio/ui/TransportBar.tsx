import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PlayheadClock } from './presence';
import { formatBarsBeats, formatClock, type TimeSignature } from './timeline';
import { LIMITS } from '../../../shared/studio/schema';

export interface TransportState {
  readonly playing: boolean;
  readonly recording: boolean;
  readonly metronome: boolean;
  readonly countIn: boolean;
}

/**
 * The transport: play/stop/record, loop, metronome, tempo, time signature and the position
 * in bars.beats.sixteenths and minutes (updated each frame, outside React).
 */
export function TransportBar({
  state,
  tempoBpm,
  signature,
  loopEnabled,
  clock,
  onPlay,
  onStop,
  onRecord,
  onToggleLoop,
  onToggleMetronome,
  onToggleCountIn,
  onTempo,
  onSignature,
  onRewind,
  children,
}: {
  state: TransportState;
  tempoBpm: number;
  signature: TimeSignature;
  loopEnabled: boolean;
  clock: PlayheadClock;
  onPlay: () => void;
  onStop: () => void;
  onRecord: () => void;
  onToggleLoop: () => void;
  onToggleMetronome: () => void;
  onToggleCountIn: () => void;
  onTempo: (tempoBpm: number) => void;
  onSignature: (signature: TimeSignature) => void;
  onRewind: () => void;
  children?: ReactNode;
}) {
  const bars = useRef<HTMLSpanElement | null>(null);
  const time = useRef<HTMLSpanElement | null>(null);
  const tempoRef = useRef(tempoBpm);
  useEffect(() => {
    tempoRef.current = tempoBpm;
  }, [tempoBpm]);
  useEffect(() => {
    let frame = 0;
    let last = Number.NaN;
    const paint = (): void => {
      const beat = clock.getBeat();
      if (beat !== last) {
        last = beat;
        if (bars.current) bars.current.textContent = formatBarsBeats(beat, signature);
        if (time.current) time.current.textContent = formatClock((beat * 60) / tempoRef.current);
      }
      frame = requestAnimationFrame(paint);
    };
    frame = requestAnimationFrame(paint);
    return () => cancelAnimationFrame(frame);
  }, [clock, signature]);

  return (
    <div className="st-transport" role="toolbar" aria-label="Transport" data-testid="transport-bar">
      <div className="st-transport-buttons">
        <button type="button" className="st-xbtn" aria-label="Go to start" title="Go to start (Home)" onClick={onRewind}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M3 3h2v10H3zM13 3v10L6 8z" fill="currentColor" />
          </svg>
        </button>
        <button type="button" className="st-xbtn" aria-label="Stop" title="Stop (Space)" onClick={onStop} data-testid="transport-stop">
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <rect x="3" y="3" width="10" height="10" rx="1" fill="currentColor" />
          </svg>
        </button>
        <button
          type="button"
          className={`st-xbtn st-xbtn-play${state.playing ? ' is-on' : ''}`}
          aria-label="Play"
          aria-pressed={state.playing}
          title="Play (Space)"
          onClick={onPlay}
          data-testid="transport-play"
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 2.5v11l9.5-5.5z" fill="currentColor" />
          </svg>
        </button>
        <button
          type="button"
          className={`st-xbtn st-xbtn-rec${state.recording ? ' is-on' : ''}`}
          aria-label="Record"
          aria-pressed={state.recording}
          title="Record onto armed tracks (R)"
          onClick={onRecord}
          data-testid="transport-record"
        >
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <circle cx="8" cy="8" r="5" fill="currentColor" />
          </svg>
        </button>
        <button type="button" className={`st-xbtn${loopEnabled ? ' is-on' : ''}`} aria-label="Loop" aria-pressed={loopEnabled} title="Loop (L)" onClick={onToggleLoop}>
          <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
            <path d="M4 5h7l-1.5-1.5M12 11H5l1.5 1.5M12 11a3 3 0 0 0 0-6M4 5a3 3 0 0 0 0 6" stroke="currentColor" strokeWidth="1.5" fill="none" strokeLinecap="round" />
          </svg>
        </button>
        <button
          type="button"
          className={`st-xbtn${state.metronome ? ' is-on' : ''}`}
          aria-label="Metronome"
          aria-pressed={state.metronome}
          title="Metronome (C)"
          onClick={onToggleMetronome}
        >
          <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
            <path d="M6 2h4l3 12H3zM8 11l3.5-6" stroke="currentColor" strokeWidth="1.4" fill="none" strokeLinejoin="round" />
          </svg>
        </button>
        <button
          type="button"
          className={`st-xbtn st-xbtn-text${state.countIn ? ' is-on' : ''}`}
          aria-label="Count-in"
          aria-pressed={state.countIn}
          title="One bar of count-in before recording"
          onClick={onToggleCountIn}
        >
          1 bar
        </button>
      </div>
      <div className="st-transport-lcd" aria-live="off">
        <span className="st-lcd-main" ref={bars} data-testid="position-bars">
          1.1.1
        </span>
        <span className="st-lcd-sub" ref={time}>
          0:00.000
        </span>
      </div>
      <TempoField tempoBpm={tempoBpm} onTempo={onTempo} />
      <div className="st-transport-field">
        <span className="st-transport-field-label">Sig</span>
        <select
          className="st-transport-sig"
          aria-label="Time signature"
          data-testid="time-signature"
          value={`${signature.numerator}/${signature.denominator}`}
          onChange={(event) => {
            const [numerator, denominator] = event.currentTarget.value.split('/').map(Number) as [number, number];
            onSignature({ numerator, denominator });
          }}
        >
          {['2/4', '3/4', '4/4', '5/4', '6/8', '7/8', '9/8', '12/8'].map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
          {['2/4', '3/4', '4/4', '5/4', '6/8', '7/8', '9/8', '12/8'].includes(`${signature.numerator}/${signature.denominator}`) ? null : (
            <option value={`${signature.numerator}/${signature.denominator}`}>{`${signature.numerator}/${signature.denominator}`}</option>
          )}
        </select>
      </div>
      {children}
    </div>
  );
}

/** Tempo: type a number, drag up/down, or use the arrows (Shift for 0.1 BPM). */
function TempoField({ tempoBpm, onTempo }: { tempoBpm: number; onTempo: (tempoBpm: number) => void }) {
  const [text, setText] = useState<string | null>(null);
  const drag = useRef<{ startY: number; start: number; last: number } | null>(null);
  const [dragValue, setDragValue] = useState<number | null>(null);
  const shown = dragValue ?? tempoBpm;
  const commit = (value: number): void => {
    if (!Number.isFinite(value)) return;
    const bounded = Math.min(LIMITS.tempoBpm.max, Math.max(LIMITS.tempoBpm.min, Math.round(value * 100) / 100));
    if (bounded !== tempoBpm) onTempo(bounded);
  };
  return (
    <div className="st-transport-field transport-tempo">
      <span
        className="st-transport-field-label is-draggable"
        title="Drag up or down to change the tempo"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          drag.current = { startY: event.clientY, start: tempoBpm, last: tempoBpm };
        }}
        onPointerMove={(event) => {
          const state = drag.current;
          if (!state) return;
          state.last = Math.round(Math.min(LIMITS.tempoBpm.max, Math.max(LIMITS.tempoBpm.min, state.start + (state.startY - event.clientY) / (event.shiftKey ? 10 : 2))) * 10) / 10;
          setDragValue(state.last);
        }}
        onPointerUp={() => {
          const state = drag.current;
          drag.current = null;
          setDragValue(null);
          if (state) commit(state.last);
        }}
      >
        BPM
      </span>
      <input
        className="st-transport-tempo-input"
        aria-label="Tempo in BPM"
        data-testid="tempo-input"
        inputMode="decimal"
        value={text ?? (Number.isInteger(shown) ? shown.toFixed(0) : shown.toFixed(2).replace(/0$/, ''))}
        onFocus={(event) => {
          setText(event.currentTarget.value);
          event.currentTarget.select();
        }}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={() => {
          if (text !== null) commit(Number(text));
          setText(null);
        }}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === 'Enter') event.currentTarget.blur();
          else if (event.key === 'Escape') {
            setText(null);
            event.currentTarget.blur();
          } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
            event.preventDefault();
            const step = (event.shiftKey ? 0.1 : 1) * (event.key === 'ArrowUp' ? 1 : -1);
            commit(tempoBpm + step);
            setText(null);
          }
        }}
      />
    </div>
  );
}
