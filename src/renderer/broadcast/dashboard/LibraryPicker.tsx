import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { useShell } from '../../app/store-context';
import { useBroadcast } from '../use-broadcast';

type TrackRow = CallOutput<'library.search'>['rows'][number];
const SEARCH_DELAY_MS = 200;
const MAX_ROWS = 6;

/** Picks now playing from the library with its search language (artist:, bpm:120-128, key:8A…). */
export function LibraryPicker() {
  const client = useShell((state) => state.client);
  const setNowPlayingTrack = useBroadcast((state) => state.setNowPlayingTrack);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ query: string; rows: readonly TrackRow[]; total: number; error: string | null } | null>(null);

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      client.call('library.search', { query: trimmed, limit: MAX_ROWS }).then(
        (answer) => !cancelled && setResult({ query: trimmed, rows: answer.rows, total: answer.total, error: answer.problems[0] ?? null }),
        (error: unknown) => !cancelled && setResult({ query: trimmed, rows: [], total: 0, error: error instanceof Error ? error.message : 'The library did not answer.' }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, query]);

  const shown = query.trim() && result?.query === query.trim() ? result : null;
  return (
    <div className="bc-library-picker">
      <label className="visually-hidden" htmlFor="bc-library-search">
        Find the track in the library
      </label>
      <input
        id="bc-library-search"
        className="bc-input"
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="From the library: artist, title, bpm:120-128, key:8A"
        data-testid="now-playing-library"
      />
      {shown?.error ? <p className="bc-field-help bc-text-warn">{shown.error}</p> : null}
      {shown && shown.rows.length === 0 && !shown.error ? <p className="bc-field-help">No track matches.</p> : null}
      {shown && shown.rows.length > 0 ? (
        <ul className="bc-plan" aria-label="Library matches">
          {shown.rows.map((track) => (
            <li key={track.id}>
              <span className="bc-plan-index numeric">{track.bpm ? Math.round(track.bpm) : ''}</span>
              <span className="bc-plan-text">
                {track.artist || 'Unknown artist'} — {track.title}
                {track.keyCamelot ? <span className="muted"> · {track.keyCamelot}</span> : null}
              </span>
              <button
                type="button"
                className="button button-small button-ghost"
                onClick={() => {
                  void setNowPlayingTrack({ artist: track.artist, title: track.title });
                  setQuery('');
                }}
                aria-label={`Now playing: ${track.artist} — ${track.title}`}
              >
                Play
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
