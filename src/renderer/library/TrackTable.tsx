import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LibrarySortColumn } from '../../shared/contract';
import { camelotHue, displayTitle, formatBpm, formatDuration, formatLufs } from './format';
import type { LibraryStore, ListRow } from './library-store';
import type { LibraryPlayer } from './player/library-player';

/**
 * The track list, virtualised: only the rows in view (plus a few) exist in the DOM, each placed
 * at index × row height inside a spacer as tall as the whole result. Rows come in pages from
 * the store as they scroll into view; a row not loaded yet draws as a placeholder.
 */

export const TRACK_DRAG_TYPE = 'application/x-mixdeck-tracks';
export const ENTRY_DRAG_TYPE = 'application/x-mixdeck-entries';

interface Column {
  readonly id: string;
  readonly label: string;
  readonly sort: LibrarySortColumn | null;
  /** Narrowest the column may get, in rem; flexible columns share what is left by `grow`. */
  readonly minRem: number;
  readonly grow?: number;
  readonly align?: 'end';
  /** Lower goes first when the table is too narrow for every column. */
  readonly keep: number;
}

const COLUMNS: readonly Column[] = [
  { id: 'index', label: '#', sort: null, minRem: 2.5, align: 'end', keep: 9 },
  { id: 'title', label: 'Title', sort: 'title', minRem: 9, grow: 2.2, keep: 10 },
  { id: 'artist', label: 'Artist', sort: 'artist', minRem: 7, grow: 1.6, keep: 10 },
  { id: 'album', label: 'Album', sort: 'album', minRem: 6, grow: 1.3, keep: 4 },
  { id: 'genre', label: 'Genre', sort: 'genre', minRem: 4.5, grow: 0.8, keep: 3 },
  { id: 'bpm', label: 'BPM', sort: 'bpm', minRem: 3.25, align: 'end', keep: 8 },
  { id: 'key', label: 'Key', sort: 'key', minRem: 2.75, keep: 8 },
  { id: 'duration', label: 'Time', sort: 'duration', minRem: 3.25, align: 'end', keep: 7 },
  { id: 'year', label: 'Year', sort: 'year', minRem: 2.75, align: 'end', keep: 2 },
  { id: 'lufs', label: 'LUFS', sort: 'lufs', minRem: 3, align: 'end', keep: 5 },
  { id: 'rating', label: 'Rating', sort: 'rating', minRem: 4.25, keep: 6 },
  { id: 'plays', label: 'Plays', sort: 'plays', minRem: 2.75, align: 'end', keep: 1 },
];

const COLUMN_GAP_REM = 0.625;
const ROW_PADDING_REM = 1.5;

/** The columns that fit `widthRem`, dropping the least needed first, in their usual order. */
export function columnsForWidth(widthRem: number): Column[] {
  const shown = [...COLUMNS];
  const needed = (columns: Column[]): number =>
    columns.reduce((sum, column) => sum + column.minRem, 0) + (columns.length - 1) * COLUMN_GAP_REM + ROW_PADDING_REM;
  while (needed(shown) > widthRem && shown.length > 4) {
    const drop = shown.reduce((least, column) => (column.keep < least.keep ? column : least));
    shown.splice(shown.indexOf(drop), 1);
  }
  return shown;
}

function gridTemplate(columns: readonly Column[]): string {
  return columns.map((column) => (column.grow ? `minmax(${column.minRem}rem, ${column.grow}fr)` : `${column.minRem}rem`)).join(' ');
}

const OVERSCAN_ROWS = 12;

function rootFontPx(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** Five stars; a click on one rates the track that many, a click on its current rating clears it. */
function Stars({ rating, onRate }: { rating: number; onRate: (rating: number) => void }) {
  return (
    <span className="track-stars" role="group" aria-label={rating > 0 ? `${rating} of 5 stars` : 'Not rated'}>
      {[1, 2, 3, 4, 5].map((stars) => (
        <span
          key={stars}
          className={stars <= rating ? 'track-star is-on' : 'track-star'}
          onMouseDown={(event) => event.stopPropagation()}
          onDoubleClick={(event) => event.stopPropagation()}
          onClick={() => onRate(stars === rating ? 0 : stars)}
          title={`Rate ${stars} ${stars === 1 ? 'star' : 'stars'}`}
          data-testid={`rate-${stars}`}
        >
          ★
        </span>
      ))}
    </span>
  );
}

function cellContent(column: Column, row: ListRow, index: number, playing: boolean, onRate: (trackId: number, rating: number) => void): ReactNode {
  switch (column.id) {
    case 'index':
      return playing ? <span className="track-playing-mark" aria-label="Playing" /> : index + 1;
    case 'title':
      return displayTitle(row);
    case 'artist':
      return row.artist;
    case 'album':
      return row.album;
    case 'genre':
      return row.genre;
    case 'bpm':
      return formatBpm(row.bpm);
    case 'key': {
      if (!row.keyCamelot) return null;
      const hue = camelotHue(row.keyCamelot);
      return (
        <span className="track-key" style={hue === null ? undefined : { color: `hsl(${hue} 70% 62%)` }} title={row.keyName ?? undefined}>
          {row.keyCamelot}
        </span>
      );
    }
    case 'duration':
      return formatDuration(row.durationSec);
    case 'year':
      return row.year ?? '';
    case 'lufs':
      return formatLufs(row.lufs);
    case 'rating':
      return <Stars rating={row.rating} onRate={(rating) => onRate(row.id, rating)} />;
    case 'plays':
      return row.playCount || '';
    default:
      return null;
  }
}

const CELL_CLASS: Record<string, string> = {
  index: 'track-index',
  title: 'track-title',
  album: 'track-muted',
  genre: 'track-muted',
  bpm: 'track-mono',
  duration: 'track-mono',
  year: 'track-mono track-muted',
  lufs: 'track-mono track-muted',
  plays: 'track-mono track-muted',
};

const TrackRow = memo(function TrackRow({
  index,
  row,
  top,
  columns,
  selected,
  playing,
  onMouseDown,
  onDoubleClick,
  onDragStart,
  onDrop,
  onRate,
}: {
  index: number;
  row: ListRow | undefined;
  top: number;
  columns: readonly Column[];
  onRate: (trackId: number, rating: number) => void;
  selected: boolean;
  playing: boolean;
  onMouseDown: (event: MouseEvent, index: number) => void;
  onDoubleClick: (index: number) => void;
  onDragStart: (event: DragEvent, index: number) => void;
  onDrop: (event: DragEvent, index: number) => void;
}) {
  const style = { transform: `translateY(${top}px)` };
  if (!row) {
    return (
      <div className="track-row track-row-loading" style={style} role="row" aria-rowindex={index + 2}>
        <span className="track-cell track-cell-end track-index">{index + 1}</span>
        <span className="track-cell track-placeholder" />
      </div>
    );
  }
  return (
    <div
      className={`track-row${selected ? ' is-selected' : ''}${playing ? ' is-playing' : ''}`}
      style={style}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="track-row"
      data-track-id={row.id}
      draggable
      onMouseDown={(event) => onMouseDown(event, index)}
      onDoubleClick={() => onDoubleClick(index)}
      onDragStart={(event) => onDragStart(event, index)}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes(ENTRY_DRAG_TYPE)) event.preventDefault();
      }}
      onDrop={(event) => onDrop(event, index)}
    >
      {columns.map((column) => (
        <span
          key={column.id}
          className={`track-cell${column.align === 'end' ? ' track-cell-end' : ''}${CELL_CLASS[column.id] ? ` ${CELL_CLASS[column.id]}` : ''}`}
          role="gridcell"
          title={column.id === 'title' ? row.path : undefined}
        >
          {cellContent(column, row, index, playing, onRate)}
        </span>
      ))}
    </div>
  );
});

export function TrackTable({ library, player }: { library: LibraryStore; player: LibraryPlayer }) {
  const total = useStore(library, (state) => state.total) ?? 0;
  const sort = useStore(library, (state) => state.sort);
  const descending = useStore(library, (state) => state.descending);
  const view = useStore(library, (state) => state.view);
  const selected = useStore(library, (state) => state.selected);
  useStore(library, (state) => state.rowsVersion);
  const playingId = useStore(player.store, (state) => state.current?.id ?? null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);
  const [rowHeight, setRowHeight] = useState(26);
  const [widthRem, setWidthRem] = useState(80);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const measure = (): void => {
      const remPx = rootFontPx();
      setViewportHeight(scroller.clientHeight);
      setRowHeight(Math.round(1.625 * remPx));
      setWidthRem(scroller.clientWidth / remPx);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // A new search starts at the top.
  const query = useStore(library, (state) => state.query);
  const generationKey = `${view.kind === 'playlist' ? view.id : 'library'}|${sort}|${descending}|${query}`;
  useEffect(() => {
    // The scroll event that follows brings `scrollTop` along.
    scrollerRef.current?.scrollTo({ top: 0 });
  }, [generationKey]);

  const columns = useMemo(() => columnsForWidth(widthRem), [widthRem]);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN_ROWS);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) + OVERSCAN_ROWS);

  useEffect(() => {
    if (total > 0) library.getState().ensureRows(first, last);
  }, [library, first, last, total]);

  const frame = useRef(0);
  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setScrollTop(scrollerRef.current?.scrollTop ?? 0);
    });
  }, []);

  const onMouseDown = useCallback(
    (event: MouseEvent, index: number) => {
      const state = library.getState();
      if (event.shiftKey) state.selectRow(index, 'range');
      else if (event.ctrlKey || event.metaKey) state.selectRow(index, 'toggle');
      else if (!state.selected.has(index) || state.selected.size === 1) state.selectRow(index, 'only');
    },
    [library],
  );

  const playFrom = useCallback(
    async (index: number) => {
      // Queue the list around the row (up to 100 before, 900 after), starting at it.
      const from = Math.max(0, index - 100);
      const rows = await library.getState().collectRows(from, 1000);
      const start = rows.findIndex((row) => row === library.getState().rowAt(index));
      await player.playTracks(rows, start < 0 ? index - from : start);
    },
    [library, player],
  );

  const onDragStart = useCallback(
    (event: DragEvent, index: number) => {
      const state = library.getState();
      if (!state.selected.has(index)) state.selectRow(index, 'only');
      const rows = state.selectedRows().length > 0 && state.selected.has(index) ? state.selectedRows() : [state.rowAt(index)!];
      event.dataTransfer.effectAllowed = 'copyMove';
      event.dataTransfer.setData(TRACK_DRAG_TYPE, JSON.stringify(rows.map((row) => row.id)));
      const entryIds = rows.map((row) => row.entryId).filter((id): id is number => typeof id === 'number');
      if (state.view.kind === 'playlist' && entryIds.length > 0) event.dataTransfer.setData(ENTRY_DRAG_TYPE, JSON.stringify(entryIds));
      event.dataTransfer.setData('text/plain', rows.map((row) => row.path).join('\n'));
    },
    [library],
  );

  const onDrop = useCallback(
    (event: DragEvent, index: number) => {
      const raw = event.dataTransfer.getData(ENTRY_DRAG_TYPE);
      if (!raw) return;
      event.preventDefault();
      const entryIds = JSON.parse(raw) as number[];
      // toIndex counts rows without the moved ones, as the contract says.
      const state = library.getState();
      const movedAbove = [...state.selected].filter((row) => row < index && entryIds.includes(state.rowAt(row)?.entryId ?? -1)).length;
      void library.getState().moveEntries(entryIds, Math.max(0, index - movedAbove));
    },
    [library],
  );

  const onDoubleClick = useCallback((index: number) => void playFrom(index), [playFrom]);
  const onRate = useCallback((trackId: number, rating: number) => void library.getState().rate(trackId, rating), [library]);

  const onKeyDown = (event: KeyboardEvent) => {
    const state = library.getState();
    const current = state.anchor ?? -1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      event.stopPropagation();
      const nextIndex = Math.min(total - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)));
      state.selectRow(nextIndex, event.shiftKey ? 'range' : 'only');
      const scroller = scrollerRef.current;
      if (scroller) {
        const top = nextIndex * rowHeight;
        if (top < scroller.scrollTop) scroller.scrollTop = top;
        else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + rowHeight - scroller.clientHeight;
      }
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.shiftKey && current >= 0) {
      event.preventDefault();
      void playFrom(current);
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && state.view.kind === 'playlist') {
      const entryIds = state
        .selectedRows()
        .map((row) => row.entryId)
        .filter((id): id is number => typeof id === 'number');
      if (entryIds.length > 0) {
        event.preventDefault();
        void state.removeEntries(entryIds);
      }
    }
  };

  const rows = [];
  for (let index = first; index <= last; index += 1) {
    const row = library.getState().rowAt(index);
    rows.push(
      <TrackRow
        key={index}
        index={index}
        row={row}
        top={index * rowHeight}
        columns={columns}
        selected={selected.has(index)}
        playing={row !== undefined && row.id === playingId}
        onMouseDown={onMouseDown}
        onDoubleClick={onDoubleClick}
        onDragStart={onDragStart}
        onDrop={onDrop}
        onRate={onRate}
      />,
    );
  }

  const sortable = view.kind === 'library';
  return (
    <div
      className="track-table"
      role="grid"
      aria-label="Tracks"
      aria-rowcount={total + 1}
      style={{ ['--track-columns' as string]: gridTemplate(columns), ['--track-row-height' as string]: `${rowHeight}px` }}
    >
      <div className="track-header" role="row" aria-rowindex={1}>
        {columns.map((column) => {
          const active = sortable && column.sort === sort;
          return (
            <span key={column.id} role="columnheader" aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'} className={column.align === 'end' ? 'track-cell-end' : undefined}>
              {column.sort && sortable ? (
                <button type="button" className={`track-sort${active ? ' is-active' : ''}`} onClick={() => library.getState().setSort(column.sort!)} data-testid={`sort-${column.id}`}>
                  {column.label}
                  <span className="track-sort-arrow" aria-hidden="true">
                    {active ? (descending ? '▾' : '▴') : ''}
                  </span>
                </button>
              ) : (
                <span className="track-sort track-sort-static">{column.label}</span>
              )}
            </span>
          );
        })}
      </div>
      <div className="track-scroller" ref={scrollerRef} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} data-testid="track-scroller">
        <div className="track-spacer" style={{ height: `${total * rowHeight}px` }} data-rendered-rows={last - first + 1}>
          {rows}
        </div>
      </div>
    </div>
  );
}
