import { useEffect, useRef, useState } from 'react';
import { judgeBeat, scoreVoice, TOLERANCE_SEMITONES, type LineRating } from '../../audio-engine/karaoke/scoring';
import type { KaraokeSong } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { KaraokeSession } from './audio-session';
import { currentLineIndex, drawStage, SINGER_COLORS, type LaneView } from './draw-stage';
import { beatToSec, lastNoteEndSec, toEngineSong } from './song-model';
import type { PerformanceSetup, SingerResult } from './store';

interface Props {
  song: KaraokeSong;
  setup: PerformanceSetup;
  delayMs: number;
  onFinish(results: SingerResult[], recording: Blob | null): void;
  onQuit(): void;
}

const SCORE_INTERVAL_MS = 200;
/** Music keeps playing this long after the last note. */
const OUTRO_SEC = 1.5;

/**
 * The singing screen: the song's video or background behind a canvas stage (note bars, pitch
 * trails, lyrics, ratings), the running scores, and pause/resume. The score is the engine's
 * `scoreVoice` over the live pitch track — the same code `mixdeck karaoke score` runs.
 */
export function SingingScreen({ song, setup, delayMs, onFinish, onQuit }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const sessionRef = useRef<KaraokeSession | null>(null);
  const [status, setStatus] = useState<string>('Loading the song…');
  const [error, setError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [scores, setScores] = useState<number[]>([]);
  const [reduction, setReduction] = useState(setup.reduction);
  /** Moved every frame without React: a re-render per frame would cost more than the drawing. */
  const progressRef = useRef<HTMLDivElement>(null);
  const finishRef = useRef(onFinish);
  useEffect(() => {
    finishRef.current = onFinish;
  });

  /** LRC songs are sung along with, not scored: no lanes. */
  const singerCount = song.voices.length === 0 ? 0 : setup.duet && song.voices.length > 1 ? 2 : 1;

  useEffect(() => {
    let cancelled = false;
    let frame = 0;
    let scoreTimer = 0;
    const engineSong = toEngineSong(song);
    const tolerance = TOLERANCE_SEMITONES[setup.difficulty];
    const delaySec = delayMs / 1000;
    const session = new KaraokeSession({
      song,
      singers: singerCount === 2 ? 2 : 1,
      reduction: setup.reduction,
      effects: { monitor: setup.monitor, reverb: setup.reverb, echo: setup.echo },
      record: setup.record,
      keySemitones: setup.keySemitones,
      microphones: setup.microphones,
    });
    sessionRef.current = session;
    const lanes: LaneView[] = Array.from({ length: singerCount }, (_, voiceIndex) => ({ voiceIndex, color: SINGER_COLORS[voiceIndex]!, beatHits: [], trail: [], rating: null }));
    const ratedLines = lanes.map(() => new Set<number>());
    const scratch = new Float32Array(256);
    // Scored songs end shortly after the last note; sing-along (LRC) songs play to the end of the audio.
    let endSec = Math.min(song.endSec ?? Infinity, lastNoteEndSec(song) + OUTRO_SEC);
    let finished = false;

    const score = (): SingerResult[] =>
      lanes.map((lane) => {
        const track = session.tracks[lane.voiceIndex]!.toScoringTrack(session.micFirstSampleSongSec);
        const result = scoreVoice(engineSong, engineSong.voices[lane.voiceIndex]!, track, { difficulty: setup.difficulty, delayMs, transposeSemitones: setup.keySemitones });
        return {
          singerName: setup.singerNames[lane.voiceIndex] ?? `Singer ${lane.voiceIndex + 1}`,
          voiceIndex: lane.voiceIndex,
          score: result.score,
          notes: result.notes,
          golden: result.golden,
          lineBonus: result.lineBonus,
          lines: result.lines.map((line) => ({ index: line.index, text: line.text, rating: line.rating, points: line.points })),
          rank: null,
        };
      });

    /** Judges what has been sung: the running score, the current line's hit beats, ratings of lines just ended. */
    const judge = (): void => {
      if (session.tracks.length === 0) return;
      const nowSec = session.songTimeSec();
      const results = score();
      setScores(results.map((result) => result.score));
      for (const lane of lanes) {
        const voice = engineSong.voices[lane.voiceIndex]!;
        const track = session.tracks[lane.voiceIndex]!.toScoringTrack(session.micFirstSampleSongSec);
        const line = voice.lines[currentLineIndex(song, lane.voiceIndex, nowSec)];
        lane.beatHits = (line?.notes ?? []).map((note) => {
          const hits: (boolean | undefined)[] = [];
          for (let beat = 0; beat < note.lengthBeats; beat += 1) {
            const windowStart = beatToSec(song, note.startBeat + beat) + delaySec;
            if (windowStart + song.beatDurationSec > nowSec) break;
            if (note.kind === 'freestyle') continue;
            hits.push(judgeBeat(track, windowStart, windowStart + song.beatDurationSec, note.midi + setup.keySemitones, note.kind, tolerance, scratch).hit);
          }
          return hits;
        });
        const lineResults = results[lane.voiceIndex]!.lines;
        voice.lines.forEach((candidate, index) => {
          if (ratedLines[lane.voiceIndex]!.has(index) || beatToSec(song, candidate.endBeat) + delaySec + 0.1 > nowSec) return;
          ratedLines[lane.voiceIndex]!.add(index);
          const rating = lineResults[index]?.rating;
          if (rating) lane.rating = { text: rating as LineRating, atSec: nowSec };
        });
      }
    };

    const draw = (): void => {
      if (cancelled) return;
      const canvas = canvasRef.current;
      const nowSec = session.songTimeSec();
      if (canvas && session.tracks.length > 0) {
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.clientWidth;
        const height = canvas.clientHeight;
        if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
          canvas.width = Math.round(width * ratio);
          canvas.height = Math.round(height * ratio);
        }
        const context = canvas.getContext('2d')!;
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        for (const lane of lanes) {
          const live = session.tracks[lane.voiceIndex]!;
          const hopSec = live.hopSize / live.sampleRate;
          const firstFrameSec = session.micFirstSampleSongSec + live.frameSize / 2 / live.sampleRate - delaySec;
          const fromFrame = Math.max(0, Math.floor((nowSec - 12 - firstFrameSec) / hopSec));
          const trail: LaneView['trail'] = [];
          for (let index = fromFrame; index < live.frameCount; index += 1) {
            const frequencyHz = live.frequencyAt(index);
            trail.push({ timeSec: firstFrameSec + index * hopSec, midi: frequencyHz > 0 ? 69 + 12 * Math.log2(frequencyHz / 440) : Number.NaN });
          }
          lane.trail = trail;
        }
        drawStage(context, width, height, { song, nowSec, endSec, lanes, transposeSemitones: setup.keySemitones });
        const video = videoRef.current;
        if (video && video.readyState >= 1) {
          const videoTime = nowSec - song.videoGapSec;
          if (videoTime >= 0 && Math.abs(video.currentTime - videoTime) > 0.25) video.currentTime = videoTime;
          if (videoTime >= 0 && video.paused && session.context.state === 'running') void video.play().catch(() => undefined);
        }
      }
      if (progressRef.current) progressRef.current.style.width = `${(endSec > 0 && Number.isFinite(endSec) ? Math.max(0, Math.min(1, nowSec / endSec)) : 0) * 100}%`;
      if (!finished && session.tracks.length > 0 && nowSec >= endSec) {
        finished = true;
        judge();
        const results = score();
        void session.stopRecording().then((recording) => {
          if (!cancelled) finishRef.current(results, recording);
        });
        return;
      }
      frame = requestAnimationFrame(draw);
    };

    void (async () => {
      try {
        // Song first: the count-in starts when the microphone opens, and must not wait for a download.
        await session.load((text) => !cancelled && setStatus(text));
        if (cancelled) return;
        if (song.voices.length === 0) endSec = Math.min(song.endSec ?? Infinity, session.durationSec);
        setStatus('Opening the microphone…');
        await session.openMicrophone();
        if (cancelled) return;
        session.start();
        setStatus('');
        frame = requestAnimationFrame(draw);
        scoreTimer = window.setInterval(judge, SCORE_INTERVAL_MS);
      } catch (caught) {
        if (!cancelled) setError(caught instanceof DOMException && caught.name === 'NotAllowedError' ? 'Mixdeck may not use the microphone. Allow it and try again.' : errorMessage(caught));
      }
    })();

    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      window.clearInterval(scoreTimer);
      void session.close();
      sessionRef.current = null;
    };
    // The performance runs once per mount; the setup is fixed while singing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const togglePause = async (): Promise<void> => {
    const session = sessionRef.current;
    if (!session) return;
    if (paused) {
      await session.resume();
      setPaused(false);
    } else {
      await session.pause();
      videoRef.current?.pause();
      setPaused(true);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === ' ' || event.key === 'p') {
        event.preventDefault();
        void togglePause();
      } else if (event.key === 'Escape') {
        onQuit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const backgroundStyle = song.backgroundUrl ? { backgroundImage: `url("${song.backgroundUrl}")` } : undefined;
  return (
    <div className="karaoke-stage" data-testid="karaoke-singing" data-paused={paused} style={backgroundStyle}>
      {song.videoUrl ? <video ref={videoRef} className="karaoke-video" src={song.videoUrl} muted playsInline preload="auto" /> : null}
      <div className="karaoke-stage-shade" />
      <div className="karaoke-hud">
        <div className="karaoke-hud-song">
          <div className="karaoke-hud-title">{song.title}</div>
          <div className="karaoke-hud-artist">{song.artist}</div>
        </div>
        <div className="karaoke-hud-scores">
          {Array.from({ length: singerCount }, (_, index) => (
            <div key={index} className={`karaoke-score-box singer-${index + 1}`}>
              <span className="karaoke-score-name">{setup.singerNames[index]}</span>
              <span className="karaoke-score-value" data-testid={`running-score-${index + 1}`}>
                {String(scores[index] ?? 0).padStart(5, '0')}
              </span>
            </div>
          ))}
        </div>
      </div>
      <div className="karaoke-progress" aria-hidden="true">
        <div className="karaoke-progress-fill" ref={progressRef} style={{ width: '0%' }} />
      </div>
      <canvas ref={canvasRef} className="karaoke-canvas" aria-label="Notes, your pitch and the lyrics" />
      {status || error ? (
        <div className="karaoke-stage-message" role={error ? 'alert' : 'status'}>
          {error ?? status}
          {error ? (
            <button type="button" className="button" onClick={onQuit}>
              Back
            </button>
          ) : null}
        </div>
      ) : null}
      {paused ? (
        <div className="karaoke-paused" role="dialog" aria-label="Paused">
          <div className="karaoke-paused-title">Paused</div>
          <button type="button" className="button button-primary" onClick={() => void togglePause()}>
            Resume
          </button>
          <button type="button" className="button" onClick={onQuit}>
            Quit song
          </button>
        </div>
      ) : null}
      <div className="karaoke-stage-controls">
        <button type="button" className="karaoke-round-button" onClick={() => void togglePause()} aria-label={paused ? 'Resume' : 'Pause'} data-testid="karaoke-pause">
          {paused ? '▶' : '❚❚'}
        </button>
        {!song.instrumentalUrl ? (
          <label className="karaoke-blend">
            <span>Original</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={reduction}
              aria-label="Vocal reduction, from the original mix to the vocals reduced"
              onChange={(event) => {
                const value = Number(event.target.value);
                setReduction(value);
                sessionRef.current?.setReduction(value);
              }}
            />
            <span>Reduced</span>
          </label>
        ) : (
          <span className="karaoke-chip">Instrumental track</span>
        )}
        <span className="karaoke-chip">{setup.difficulty[0]!.toUpperCase() + setup.difficulty.slice(1)}</span>
        {setup.keySemitones !== 0 ? <span className="karaoke-chip">Key {setup.keySemitones > 0 ? '+' : ''}{setup.keySemitones}</span> : null}
        {setup.record ? <span className="karaoke-chip recording">● REC</span> : null}
      </div>
    </div>
  );
}
