import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { activeLyricLine } from '../../audio-engine/player';
import { displayTitle, formatDuration } from './format';
import type { LibraryPlayer } from './player/library-player';

const QUEUE_DRAG_TYPE = 'application/x-mixdeck-queue-index';
const QUEUE_SHOWN = 150;
const QUEUE_SHOWN_BEFORE = 20;

function QueuePanel({ player }: { player: LibraryPlayer }) {
  const queue = useStore(player.store, (state) => state.queue);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const current = queue.position < 0 ? -1 : queue.order[queue.position];
  if (queue.items.length === 0) {
    return <p className="side-empty">The queue is empty. Double-click a track to play it and the list after it, or press Q to add the selection.</p>;
  }
  // A queue can hold a thousand tracks; the panel shows the neighbourhood of the current one.
  const from = Math.max(0, (current ?? 0) - QUEUE_SHOWN_BEFORE);
  const to = Math.min(queue.items.length, from + QUEUE_SHOWN);
  return (
    <ol className="queue-list" data-testid="queue-list">
      {from > 0 ? <li className="queue-more">{from} earlier in the queue</li> : null}
      {queue.items.slice(from, to).map((track, offset) => {
        const index = from + offset;
        return (
          <li
            // The same track can be queued twice: the index is the identity here.
            key={`${index}-${track.id}`}
            className={`queue-item${index === current ? ' is-current' : ''}${dropAt === index ? ' is-drop' : ''}`}
            draggable
            onDragStart={(event) => event.dataTransfer.setData(QUEUE_DRAG_TYPE, String(index))}
            onDragOver={(event) => {
              if (!event.dataTransfer.types.includes(QUEUE_DRAG_TYPE)) return;
              event.preventDefault();
              setDropAt(index);
            }}
            onDragLeave={() => setDropAt(null)}
            onDrop={(event) => {
              setDropAt(null);
              const draggedIndex = Number(event.dataTransfer.getData(QUEUE_DRAG_TYPE));
              if (Number.isInteger(draggedIndex)) player.moveInQueue(draggedIndex, index);
            }}
            onDoubleClick={() => void player.playQueueIndex(index)}
            data-testid="queue-item"
          >
            <span className="queue-index">{index === current ? '▶' : index + 1}</span>
            <span className="queue-text">
              <span className="queue-title">{displayTitle(track)}</span>
              <span className="queue-artist">{track.artist}</span>
            </span>
            <span className="queue-time">{formatDuration(track.durationSec)}</span>
            <button type="button" className="queue-remove" aria-label={`Remove ${displayTitle(track)} from the queue`} onClick={() => player.removeFromQueue(index)}>
              ×
            </button>
          </li>
        );
      })}
      {to < queue.items.length ? <li className="queue-more">{queue.items.length - to} more after these</li> : null}
    </ol>
  );
}

function LyricsPanel({ player }: { player: LibraryPlayer }) {
  const lyrics = useStore(player.store, (state) => state.lyrics);
  const current = useStore(player.store, (state) => state.current);
  const [followed, setActive] = useState(-1);
  const active = lyrics.synced ? followed : -1;
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!lyrics.synced) return;
    let frame = 0;
    let shown = -2;
    const follow = (): void => {
      const line = activeLyricLine(lyrics, player.positionSec());
      if (line !== shown) {
        shown = line;
        setActive(line);
      }
      frame = requestAnimationFrame(follow);
    };
    frame = requestAnimationFrame(follow);
    return () => cancelAnimationFrame(frame);
  }, [lyrics, player]);

  useEffect(() => {
    const element = listRef.current?.children[active] as HTMLElement | undefined;
    element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [active]);

  if (!current) return <p className="side-empty">Lyrics of the playing track show here, in time when the file has LRC.</p>;
  if (lyrics.lines.length === 0) return <p className="side-empty">No lyrics in this file, and no .lrc file beside it.</p>;
  return (
    <ol className={`lyrics-list${lyrics.synced ? ' is-synced' : ''}`} ref={listRef} data-testid="lyrics-list">
      {lyrics.lines.map((line, index) => (
        <li
          key={index}
          className={index === active ? 'is-active' : index < active ? 'is-past' : undefined}
          onClick={lyrics.synced ? () => void player.seek(line.startSec) : undefined}
          data-testid={index === active ? 'lyrics-active' : undefined}
        >
          {line.text || '♪'}
        </li>
      ))}
    </ol>
  );
}

export function SidePanel({ player }: { player: LibraryPlayer }) {
  const [tab, setTab] = useState<'queue' | 'lyrics'>('queue');
  const queueLength = useStore(player.store, (state) => state.queue.items.length);
  return (
    <aside className="library-side" aria-label="Queue and lyrics">
      <div className="side-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'queue'} className={tab === 'queue' ? 'is-active' : undefined} onClick={() => setTab('queue')} data-testid="tab-queue">
          Queue <span className="side-count">{queueLength}</span>
        </button>
        <button type="button" role="tab" aria-selected={tab === 'lyrics'} className={tab === 'lyrics' ? 'is-active' : undefined} onClick={() => setTab('lyrics')} data-testid="tab-lyrics">
          Lyrics
        </button>
      </div>
      <div className="side-body" role="tabpanel">
        {tab === 'queue' ? <QueuePanel player={player} /> : <LyricsPanel player={player} />}
      </div>
    </aside>
  );
}
