import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { useStore } from 'zustand';
import { displayTitle, formatDuration } from './format';
import { NextIcon, PauseIcon, PlayIcon, PreviousIcon, RepeatIcon, ShuffleIcon, VolumeIcon } from './icons';
import { MAX_CROSSFADE_SEC, type LibraryPlayer } from './player/library-player';
import type { WaveformPeaks } from './player/peaks';

/** Draws the whole waveform once per track and size; the playhead moves on its own layer. */
function drawPeaks(canvas: HTMLCanvasElement, peaks: WaveformPeaks | null, colour: string): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.clearRect(0, 0, width, height);
  if (!peaks || peaks.bucketCount === 0) return;
  context.fillStyle = colour;
  const middle = height / 2;
  for (let x = 0; x < width; x += 1) {
    const from = Math.floor((x / width) * peaks.bucketCount);
    const to = Math.max(from + 1, Math.floor(((x + 1) / width) * peaks.bucketCount));
    let low = 0;
    let high = 0;
    for (let bucket = from; bucket < to && bucket < peaks.bucketCount; bucket += 1) {
      if (peaks.min[bucket]! < low) low = peaks.min[bucket]!;
      if (peaks.max[bucket]! > high) high = peaks.max[bucket]!;
    }
    const top = middle - high * middle * 0.95;
    const bottom = middle - low * middle * 0.95;
    context.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
}

function Waveform({ player }: { player: LibraryPlayer }) {
  const peaks = useStore(player.store, (state) => state.peaks);
  const durationSec = useStore(player.store, (state) => state.durationSec);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const playedRef = useRef<HTMLCanvasElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    const draw = (): void => {
      const styles = getComputedStyle(document.documentElement);
      if (baseRef.current) drawPeaks(baseRef.current, peaks, styles.getPropertyValue('--wave-rest').trim() || '#3a4350');
      if (playedRef.current) drawPeaks(playedRef.current, peaks, styles.getPropertyValue('--accent').trim() || '#3cb4f0');
    };
    draw();
    const observer = new ResizeObserver(draw);
    if (wrapRef.current) observer.observe(wrapRef.current);
    return () => observer.disconnect();
  }, [peaks]);

  // The playhead follows the audio clock every frame without a React render.
  useEffect(() => {
    let frame = 0;
    const follow = (): void => {
      const fraction = durationSec > 0 ? Math.min(1, player.positionSec() / durationSec) : 0;
      if (playedRef.current) playedRef.current.style.clipPath = `inset(0 ${100 - fraction * 100}% 0 0)`;
      if (headRef.current) headRef.current.style.left = `${fraction * 100}%`;
      frame = requestAnimationFrame(follow);
    };
    frame = requestAnimationFrame(follow);
    return () => cancelAnimationFrame(frame);
  }, [player, durationSec]);

  const seekTo = (event: PointerEvent<HTMLDivElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    void player.seek(fraction * durationSec);
  };

  return (
    <div
      className="player-wave"
      ref={wrapRef}
      role="slider"
      aria-label="Position in the track"
      aria-valuemin={0}
      aria-valuemax={Math.round(durationSec)}
      aria-valuenow={0}
      tabIndex={-1}
      data-testid="player-waveform"
      onPointerDown={(event) => {
        if (durationSec <= 0) return;
        dragging.current = true;
        event.currentTarget.setPointerCapture(event.pointerId);
        seekTo(event);
      }}
      onPointerMove={(event) => {
        if (!dragging.current) return;
        const box = event.currentTarget.getBoundingClientRect();
        const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
        if (playedRef.current) playedRef.current.style.clipPath = `inset(0 ${100 - fraction * 100}% 0 0)`;
        if (headRef.current) headRef.current.style.left = `${fraction * 100}%`;
      }}
      onPointerUp={(event) => {
        if (!dragging.current) return;
        dragging.current = false;
        seekTo(event);
      }}
    >
      <canvas ref={baseRef} className="player-wave-canvas" />
      <canvas ref={playedRef} className="player-wave-canvas player-wave-played" style={{ clipPath: 'inset(0 100% 0 0)' }} />
      <div className="player-wave-head" ref={headRef} />
      {!peaks ? <span className="player-wave-empty">Nothing playing</span> : null}
    </div>
  );
}

function Clock({ player }: { player: LibraryPlayer }) {
  const durationSec = useStore(player.store, (state) => state.durationSec);
  const elapsedRef = useRef<HTMLSpanElement>(null);
  const leftRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let frame = 0;
    let shown = -1;
    const follow = (): void => {
      const position = player.positionSec();
      const whole = Math.floor(position * 10);
      if (whole !== shown) {
        shown = whole;
        if (elapsedRef.current) elapsedRef.current.textContent = formatDuration(position);
        if (leftRef.current) leftRef.current.textContent = `−${formatDuration(Math.max(0, durationSec - position))}`;
      }
      frame = requestAnimationFrame(follow);
    };
    frame = requestAnimationFrame(follow);
    return () => cancelAnimationFrame(frame);
  }, [player, durationSec]);
  return (
    <div className="player-clock">
      <span ref={elapsedRef} data-testid="player-elapsed">
        0:00
      </span>
      <span ref={leftRef} className="player-clock-left">
        −0:00
      </span>
    </div>
  );
}

export function PlayerBar({ player }: { player: LibraryPlayer }) {
  const status = useStore(player.store, (state) => state.status);
  const current = useStore(player.store, (state) => state.current);
  const shuffle = useStore(player.store, (state) => state.queue.shuffle);
  const repeat = useStore(player.store, (state) => state.queue.repeat);
  const settings = useStore(player.store, (state) => state.settings);
  const gain = useStore(player.store, (state) => state.gain);
  const error = useStore(player.store, (state) => state.error);
  const [failedCoverId, setFailedCoverId] = useState<number | null>(null);
  const coverFailed = current !== null && failedCoverId === current.id;

  const playing = status === 'playing';
  return (
    <footer className="player-bar" aria-label="Player" data-testid="player-bar" data-status={status}>
      <div className="player-now">
        <div className="player-cover" aria-hidden="true">
          {current?.coverUrl && !coverFailed ? <img src={current.coverUrl} alt="" onError={() => setFailedCoverId(current.id)} /> : <span>♪</span>}
        </div>
        <div className="player-meta">
          <div className="player-title" data-testid="player-title" title={current?.path}>
            {current ? displayTitle(current) : 'Nothing playing'}
          </div>
          <div className="player-artist">
            {error ? <span className="player-error" role="alert">{error}</span> : current ? [current.artist, current.album].filter(Boolean).join(' — ') : 'Double-click a track, or press Enter'}
          </div>
          {current ? (
            <div className="player-tags">
              {current.bpm !== null ? <span className="chip">{current.bpm.toFixed(1)} BPM</span> : null}
              {current.keyCamelot ? <span className="chip">{current.keyCamelot}{current.keyName ? ` · ${current.keyName}` : ''}</span> : null}
              {gain && gain.source !== 'none' ? (
                <span className="chip" title={`Loudness from ${gain.source.replace('-', ' ')}${gain.limitedByPeak ? '; limited by the −1 dBTP ceiling' : ''}`}>
                  {gain.gainDb >= 0 ? '+' : ''}
                  {gain.gainDb.toFixed(1)} dB{gain.limitedByPeak ? ' ⌃' : ''}
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>

      <div className="player-center">
        <div className="player-transport">
          <button type="button" className={`player-toggle${shuffle ? ' is-on' : ''}`} aria-pressed={shuffle} title="Shuffle (S)" onClick={() => player.toggleShuffle()} data-testid="player-shuffle">
            <ShuffleIcon />
          </button>
          <button type="button" className="player-button" title="Previous (Ctrl+←)" aria-label="Previous track" onClick={() => void player.previous()} data-testid="player-previous">
            <PreviousIcon />
          </button>
          <button type="button" className="player-play" aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (Space)" onClick={() => void player.togglePlay()} data-testid="player-play">
            {playing ? <PauseIcon size={18} /> : <PlayIcon size={18} />}
          </button>
          <button type="button" className="player-button" title="Next (Ctrl+→)" aria-label="Next track" onClick={() => void player.next()} data-testid="player-next">
            <NextIcon />
          </button>
          <button
            type="button"
            className={`player-toggle${repeat !== 'off' ? ' is-on' : ''}`}
            aria-label={`Repeat: ${repeat}`}
            title={`Repeat ${repeat === 'off' ? 'off' : repeat === 'all' ? 'all' : 'one'} (R)`}
            onClick={() => player.cycleRepeat()}
            data-testid="player-repeat"
            data-mode={repeat}
          >
            <RepeatIcon />
            {repeat === 'one' ? <span className="player-repeat-one">1</span> : null}
          </button>
        </div>
        <div className="player-wave-row">
          <Clock player={player} />
          <Waveform player={player} />
        </div>
      </div>

      <div className="player-options">
        <label className="player-option" title="Crossfade between tracks; 0 plays them gaplessly">
          <span>Crossfade</span>
          <input
            type="range"
            min={0}
            max={MAX_CROSSFADE_SEC}
            step={0.5}
            value={settings.crossfadeSec}
            onChange={(event) => player.updateSettings({ crossfadeSec: Number(event.target.value) })}
            data-testid="player-crossfade"
            aria-label="Crossfade seconds"
          />
          <output className="player-option-value">{settings.crossfadeSec === 0 ? 'Gapless' : `${settings.crossfadeSec.toFixed(1)} s`}</output>
        </label>
        <label className="player-option" title="Play every track at the same loudness, never past −1 dBTP">
          <span>Level</span>
          <select
            value={settings.normalisation}
            onChange={(event) => player.updateSettings({ normalisation: event.target.value as typeof settings.normalisation })}
            aria-label="Loudness normalisation"
            data-testid="player-normalisation"
          >
            <option value="off">Off</option>
            <option value="track">Track</option>
            <option value="album">Album</option>
          </select>
          <select
            value={settings.targetLufs}
            onChange={(event) => player.updateSettings({ targetLufs: Number(event.target.value) })}
            aria-label="Loudness target"
            disabled={settings.normalisation === 'off'}
          >
            {[-8, -10, -12, -14, -16, -18, -23].map((target) => (
              <option key={target} value={target}>
                {target} LUFS
              </option>
            ))}
          </select>
        </label>
        <label className="player-option player-volume" title="Volume">
          <VolumeIcon />
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={settings.volume}
            onChange={(event) => player.updateSettings({ volume: Number(event.target.value) })}
            aria-label="Volume"
          />
        </label>
      </div>
    </footer>
  );
}
