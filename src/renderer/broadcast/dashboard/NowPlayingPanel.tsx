import { useState, type FormEvent } from 'react';
import { formatDuration } from '../format';
import { useBroadcast } from '../use-broadcast';
import { LibraryPicker } from './LibraryPicker';

/** Now playing: typed in, or picked from a tracklist pasted before the set. Each change is stamped with the set time. */
export function NowPlayingPanel() {
  const nowPlaying = useBroadcast((state) => state.nowPlaying);
  const tracklist = useBroadcast((state) => state.tracklist);
  const planned = useBroadcast((state) => state.plannedTracks);
  const setNowPlaying = useBroadcast((state) => state.setNowPlaying);
  const setPlannedTracks = useBroadcast((state) => state.setPlannedTracks);
  const [typed, setTyped] = useState('');
  const [editingPlan, setEditingPlan] = useState(false);
  const [planText, setPlanText] = useState('');
  const played = new Set(tracklist.map((entry) => entry.text));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await setNowPlaying(typed, 'typed')) setTyped('');
  };

  return (
    <section className="panel bc-panel" aria-labelledby="bc-now-title">
      <header className="bc-panel-header">
        <h2 className="panel-title" id="bc-now-title">
          Now playing
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={() => { setPlanText(planned.join('\n')); setEditingPlan(!editingPlan); }} aria-expanded={editingPlan}>
          {editingPlan ? 'Close tracklist' : 'Tracklist…'}
        </button>
      </header>
      <p className="bc-now" data-testid="now-playing">
        {nowPlaying ? (
          <>
            <span className="bc-now-text">{nowPlaying.text}</span>
            {nowPlaying.setElapsedSec !== null ? <span className="muted numeric"> · at {formatDuration(nowPlaying.setElapsedSec)}</span> : null}
          </>
        ) : (
          <span className="muted">Nothing yet: type the track, or pick it from your tracklist.</span>
        )}
      </p>
      <form className="bc-now-form" onSubmit={(event) => void submit(event)}>
        <label className="visually-hidden" htmlFor="bc-now-input">
          Track playing now
        </label>
        <input id="bc-now-input" className="bc-input" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="Artist — Title" maxLength={300} data-testid="now-playing-input" />
        <button type="submit" className="button button-small" disabled={!typed.trim()} data-testid="now-playing-set">
          Set
        </button>
      </form>
      <LibraryPicker />
      {editingPlan ? (
        <div className="bc-plan-edit">
          <label className="bc-field-label" htmlFor="bc-plan">
            One track per line
          </label>
          <textarea id="bc-plan" className="bc-input bc-textarea" rows={5} value={planText} onChange={(event) => setPlanText(event.target.value)} />
          <button type="button" className="button button-small" onClick={() => { setPlannedTracks(planText.split('\n')); setEditingPlan(false); }}>
            Use this tracklist
          </button>
        </div>
      ) : null}
      {planned.length ? (
        <ol className="bc-plan" aria-label="Planned tracks">
          {planned.map((line, index) => (
            <li key={`${index}-${line}`} className={played.has(line) ? 'bc-played' : ''}>
              <span className="bc-plan-index numeric">{index + 1}</span>
              <span className="bc-plan-text">{line}</span>
              <button type="button" className="button button-small button-ghost" onClick={() => void setNowPlaying(line, 'tracklist')} aria-label={`Now playing: ${line}`}>
                Play
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      {tracklist.length ? (
        <ol className="bc-played-list" aria-label="Played this set" data-testid="played-list">
          {tracklist.slice(-6).map((entry) => (
            <li key={`${entry.setElapsedSec}-${entry.text}`}>
              <span className="numeric muted">{formatDuration(entry.setElapsedSec)}</span> {entry.text}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
