import { forwardRef, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { SearchIcon, SmartIcon } from './icons';
import { InlineName } from './Sidebar';
import type { LibraryStore } from './library-store';

const SEARCH_DEBOUNCE_MS = 120;
const HELP =
  'Words match artist, title, album, genre and lyrics. Filters: artist: title: album: genre: year:1990-1999 bpm:120-128 bpm:>170 key:8A key:~8A duration:<4:00 rating:>=4 played:never, -word to leave out, "a phrase".';

export const SearchBar = forwardRef<HTMLInputElement, { library: LibraryStore }>(function SearchBar({ library }, ref) {
  const query = useStore(library, (state) => state.query);
  const total = useStore(library, (state) => state.total);
  const problems = useStore(library, (state) => state.problems);
  const searchError = useStore(library, (state) => state.searchError);
  const view = useStore(library, (state) => state.view);
  const playlists = useStore(library, (state) => state.playlists);
  const [text, setText] = useState(query);
  const [naming, setNaming] = useState(false);

  useEffect(() => setText(query), [query]);
  useEffect(() => {
    if (text === library.getState().query) return;
    const timer = setTimeout(() => library.getState().setQuery(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, library]);

  const viewName = view.kind === 'playlist' ? (playlists.find((list) => list.id === view.id)?.name ?? 'Playlist') : null;
  return (
    <div className="library-search">
      <div className="search-row">
        <label className="search-box">
          <SearchIcon />
          <input
            ref={ref}
            type="search"
            value={text}
            placeholder="Search   artist:daft bpm:120-128 key:~8A -live"
            spellCheck={false}
            autoComplete="off"
            aria-label="Search the library"
            aria-describedby="search-problems"
            title={HELP}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setText('');
                library.getState().setQuery('');
              } else if (event.key === 'Enter') {
                library.getState().setQuery(text);
              } else if (event.key === 'ArrowDown') {
                event.preventDefault();
                document.querySelector<HTMLElement>('[data-testid="track-scroller"]')?.focus();
              }
            }}
            data-testid="library-search"
          />
        </label>
        <span className="search-count" data-testid="search-count" aria-live="polite">
          {viewName ? `${viewName} · ` : ''}
          {total === null ? 'Searching…' : `${total.toLocaleString('en-US')} ${total === 1 ? 'track' : 'tracks'}`}
        </span>
        {naming ? (
          <InlineName
            initial={query.slice(0, 60)}
            label="Name of the smart playlist"
            testId="smart-name"
            onDone={(name) => {
              setNaming(false);
              if (name) void library.getState().createSmartPlaylist(name);
            }}
          />
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={query.trim() === '' || view.kind !== 'library'}
            title="Save this search as a smart playlist that follows the library"
            onClick={() => setNaming(true)}
            data-testid="save-smart"
          >
            <SmartIcon size={14} />
            Save search
          </button>
        )}
      </div>
      <div id="search-problems" className="search-problems" role="status" data-testid="search-problems">
        {searchError ? <span className="search-problem">{searchError}</span> : null}
        {problems.map((problem) => (
          <span key={problem} className="search-problem">
            {problem}
          </span>
        ))}
      </div>
    </div>
  );
});
