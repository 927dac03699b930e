import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { KaraokeScoreEntry, MixdeckClient } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';
import { AreaHeader } from '../shell/AreaHeader';
import { EmptyState } from '../shell/EmptyState';
import { FolderIcon, KaraokeIcon } from '../shell/icons';
import { PickPathButton } from '../files/PathPicker';
import { measureMicDelayMs } from './audio-session';
import { SingingScreen } from './SingingScreen';
import { createKaraokeStore, type KaraokeState, type KaraokeStore } from './store';
import './karaoke.css';

const storesByClient = new WeakMap<MixdeckClient, KaraokeStore>();

/** One karaoke store per client, kept while the user visits other areas. */
function karaokeStoreFor(client: MixdeckClient): KaraokeStore {
  let store = storesByClient.get(client);
  if (!store) {
    store = createKaraokeStore(client);
    storesByClient.set(client, store);
  }
  return store;
}

function useKaraoke<T>(selector: (state: KaraokeState) => T): T {
  const client = useShell((state) => state.client);
  return useStore(karaokeStoreFor(client), selector);
}

export function KaraokeArea() {
  const phase = useKaraoke((state) => state.phase);
  const loadSongs = useKaraoke((state) => state.loadSongs);
  const loadMicDelay = useKaraoke((state) => state.loadMicDelay);
  useEffect(() => {
    void loadSongs();
    void loadMicDelay();
  }, [loadSongs, loadMicDelay]);

  if (phase === 'singing') return <Singing />;
  return (
    <>
      <AreaHeader area="karaoke" subtitle="Sing along with scored, pitch-tracked songs." />
      <div className="area-body karaoke-body">
        {phase === 'browse' ? <Browse /> : null}
        {phase === 'setup' ? <Setup /> : null}
        {phase === 'results' ? <Results /> : null}
      </div>
    </>
  );
}

function Singing() {
  const song = useKaraoke((state) => state.song)!;
  const setup = useKaraoke((state) => state.setup);
  const micDelay = useKaraoke((state) => state.micDelay);
  const finish = useKaraoke((state) => state.finish);
  const quit = useKaraoke((state) => state.openSong);
  return <SingingScreen song={song} setup={setup} delayMs={micDelay?.delayMs ?? 140} onFinish={(results, recording) => void finish(results, recording)} onQuit={() => void quit(song.id)} />;
}

function Browse() {
  const songs = useKaraoke((state) => state.songs);
  const listError = useKaraoke((state) => state.listError);
  const openSong = useKaraoke((state) => state.openSong);
  const openError = useKaraoke((state) => state.openError);
  const [filter, setFilter] = useState('');
  const shown = (songs ?? []).filter((song) => `${song.artist} ${song.title}`.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <div className="karaoke-browse">
      <div className="karaoke-browse-side">
        <ImportForm />
        <MicDelayPanel />
      </div>
      <div className="karaoke-browse-main">
        {listError ? <p className="karaoke-error" role="alert">{listError}</p> : null}
        {openError ? <p className="karaoke-error" role="alert">{openError}</p> : null}
        {songs && songs.length === 0 ? (
          <EmptyState icon={<KaraokeIcon size={40} />} title="No songs yet" testId="empty-karaoke">
            <p>Import a folder of UltraStar (.txt) or LRC songs: each song’s audio becomes a karaoke track of your library.</p>
          </EmptyState>
        ) : null}
        {songs && songs.length > 0 ? (
          <>
            <input className="karaoke-filter" type="search" placeholder="Find a song or an artist" aria-label="Find a song" value={filter} onChange={(event) => setFilter(event.target.value)} />
            <ul className="karaoke-song-grid" aria-label="Karaoke songs">
              {shown.map((song) => (
                <li key={song.id}>
                  <button type="button" className="karaoke-song-card" onClick={() => void openSong(song.id)} data-testid="karaoke-song">
                    <span className="karaoke-song-cover" aria-hidden="true">
                      <KaraokeIcon size={28} />
                    </span>
                    <span className="karaoke-song-text">
                      <span className="karaoke-song-title">{song.title}</span>
                      <span className="karaoke-song-artist">{song.artist}</span>
                    </span>
                    <span className="karaoke-song-tags">
                      {song.isDuet ? <span className="karaoke-tag">Duet</span> : null}
                      {song.format === 'lrc' ? <span className="karaoke-tag">Sing-along</span> : null}
                      {song.bestScore !== null ? <span className="karaoke-tag best">Best {song.bestScore}</span> : null}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}

function ImportForm() {
  const importing = useKaraoke((state) => state.importing);
  const importFolder = useKaraoke((state) => state.importFolder);
  const result = useKaraoke((state) => state.importResult);
  const importError = useKaraoke((state) => state.importError);
  const progress = useKaraoke((state) => state.importProgress);
  return (
    <section className="karaoke-panel" aria-labelledby="karaoke-import-title">
      <h2 id="karaoke-import-title">
        <FolderIcon size={16} /> Import a song folder
      </h2>
      <div className="karaoke-import-form">
        <PickPathButton kind="folder" purpose="song-folder" title="Import a song folder" className="button button-primary" disabled={importing} testId="karaoke-import-pick" onPicked={(path) => void importFolder(path)}>
          {importing ? 'Importing…' : 'Choose a song folder…'}
        </PickPathButton>
      </div>
      {progress ? (
        <p className="karaoke-hint" role="status">
          {progress.filesDone} song file{progress.filesDone === 1 ? '' : 's'} read… {progress.currentFile}
        </p>
      ) : null}
      {importError ? <p className="karaoke-error" role="alert">{importError}</p> : null}
      {result ? (
        <div className="karaoke-import-result" data-testid="karaoke-import-result">
          <p>
            {result.added} song{result.added === 1 ? '' : 's'} added, {result.updated} updated
            {result.refused.length > 0 ? `, ${result.refused.length} refused` : ''}.
          </p>
          {result.refused.length > 0 ? (
            <ul className="karaoke-refusals" aria-label="Refused files">
              {result.refused.map((refusal) => (
                <li key={refusal.file} data-testid="karaoke-refusal">
                  <strong>{refusal.file}</strong>
                  {refusal.line ? <span className="karaoke-refusal-line">, line {refusal.line}</span> : null}
                  <span>: {refusal.reason}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {result.warnings.length > 0 ? (
            <details>
              <summary>{result.warnings.length} warning(s)</summary>
              <ul className="karaoke-warnings">
                {result.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function MicDelayPanel() {
  const micDelay = useKaraoke((state) => state.micDelay);
  const calibrating = useKaraoke((state) => state.calibrating);
  const message = useKaraoke((state) => state.calibrationMessage);
  const setCalibration = useKaraoke((state) => state.setCalibration);
  const storeMicDelay = useKaraoke((state) => state.storeMicDelay);
  const calibrate = async (): Promise<void> => {
    setCalibration(true, 'Listening for clicks… keep quiet, speakers on.');
    try {
      const { delayMs, heard } = await measureMicDelayMs();
      await storeMicDelay(delayMs);
      setCalibration(false, `Measured ${delayMs} ms from ${heard} clicks.`);
    } catch (error) {
      setCalibration(false, errorMessage(error));
    }
  };
  return (
    <section className="karaoke-panel" aria-labelledby="karaoke-delay-title">
      <h2 id="karaoke-delay-title">Microphone delay</h2>
      <p className="karaoke-delay-value" data-testid="karaoke-mic-delay">
        {micDelay ? `${micDelay.delayMs} ms` : '…'}
        <span>{micDelay?.calibrated ? 'measured' : 'default, not calibrated'}</span>
      </p>
      <button type="button" className="button" onClick={() => void calibrate()} disabled={calibrating}>
        {calibrating ? 'Calibrating…' : 'Calibrate with clicks'}
      </button>
      {message ? <p className="karaoke-hint">{message}</p> : null}
    </section>
  );
}

function Leaderboard({ entries, highlight }: { entries: KaraokeScoreEntry[]; highlight?: number[] }) {
  if (entries.length === 0) return <p className="karaoke-hint">No scores yet. Be the first.</p>;
  return (
    <ol className="karaoke-leaderboard" aria-label="Leaderboard" data-testid="karaoke-leaderboard">
      {entries.map((entry) => (
        <li key={entry.id} className={highlight?.includes(entry.rank) ? 'mine' : ''}>
          <span className="rank">{entry.rank}</span>
          <span className="name">{entry.singerName}</span>
          <span className="difficulty">{entry.difficulty}</span>
          <span className="score">{entry.score}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * Which input each singer uses. Device names appear once the page may use the microphone;
 * a duet with both singers on the same input takes its two channels (one audio interface).
 */
function MicrophonePicker({ singers }: { singers: number }) {
  const setup = useKaraoke((state) => state.setup);
  const change = useKaraoke((state) => state.changeSetup);
  const [inputs, setInputs] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    let live = true;
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then((devices) => live && setInputs(devices.filter((device) => device.kind === 'audioinput' && device.deviceId !== '')))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (inputs.length === 0) return null;
  return (
    <>
      {Array.from({ length: singers }, (_, index) => (
        <label key={index} className="karaoke-field">
          <span>{singers === 2 ? `Microphone of singer ${index + 1}` : 'Microphone'}</span>
          <select
            value={setup.microphones[index] ?? ''}
            aria-label={`Microphone of singer ${index + 1}`}
            onChange={(event) => {
              const microphones: [string | null, string | null] = [...setup.microphones];
              microphones[index] = event.target.value || null;
              change({ microphones });
            }}
          >
            <option value="">Default input</option>
            {inputs.map((input) => (
              <option key={input.deviceId} value={input.deviceId}>
                {input.label || `Input ${input.deviceId.slice(0, 6)}`}
              </option>
            ))}
          </select>
        </label>
      ))}
      {singers === 2 && setup.microphones[0] === setup.microphones[1] ? <p className="karaoke-hint">Both on one input: singer 1 on its channel 1, singer 2 on channel 2.</p> : null}
    </>
  );
}

const DIFFICULTY_HINTS = { easy: '±2 semitones', medium: '±1 semitone', hard: 'exact' } as const;

function Setup() {
  const song = useKaraoke((state) => state.song)!;
  const setup = useKaraoke((state) => state.setup);
  const change = useKaraoke((state) => state.changeSetup);
  const start = useKaraoke((state) => state.startSinging);
  const back = useKaraoke((state) => state.backToSongs);
  const leaderboard = useKaraoke((state) => state.leaderboard);
  const isDuet = song.voices.length > 1;
  const singers = isDuet && setup.duet ? 2 : 1;
  const scored = song.voices.length > 0;
  return (
    <div className="karaoke-setup" data-testid="karaoke-setup">
      <div className="karaoke-setup-hero" style={song.backgroundUrl ? { backgroundImage: `url("${song.backgroundUrl}")` } : undefined}>
        <button type="button" className="button" onClick={back}>
          ← Songs
        </button>
        <h2>{song.title}</h2>
        <p>{song.artist}</p>
        <p className="karaoke-hint">
          {isDuet ? `Duet: ${song.voices.map((voice) => voice.name).join(' & ')}. ` : ''}
          {song.instrumentalUrl ? 'Plays its instrumental track.' : 'Lead vocal reduced from the mix.'}
          {song.videoUrl ? ' With video.' : ''}
        </p>
        {song.warnings.map((warning) => (
          <p key={warning} className="karaoke-hint warn">
            {warning}
          </p>
        ))}
      </div>
      <div className="karaoke-setup-grid">
        <section className="karaoke-panel">
          <h2>Singers</h2>
          {isDuet ? (
            <label className="karaoke-check">
              <input type="checkbox" checked={setup.duet} onChange={(event) => change({ duet: event.target.checked })} />
              Two singers (microphones on input channels 1 and 2)
            </label>
          ) : null}
          <MicrophonePicker singers={singers} />
          {Array.from({ length: singers }, (_, index) => (
            <label key={index} className="karaoke-field">
              <span>{isDuet ? (song.voices[index]?.name ?? `Singer ${index + 1}`) : 'Singer'}</span>
              <input
                type="text"
                maxLength={60}
                value={setup.singerNames[index]}
                aria-label={`Name of singer ${index + 1}`}
                onChange={(event) => {
                  const names: [string, string] = [...setup.singerNames];
                  names[index] = event.target.value;
                  change({ singerNames: names });
                }}
              />
            </label>
          ))}
          <div className="karaoke-segmented" role="radiogroup" aria-label="Difficulty">
            {(['easy', 'medium', 'hard'] as const).map((difficulty) => (
              <button key={difficulty} type="button" role="radio" aria-checked={setup.difficulty === difficulty} className={setup.difficulty === difficulty ? 'on' : ''} onClick={() => change({ difficulty })}>
                {difficulty[0]!.toUpperCase() + difficulty.slice(1)}
                <small>{DIFFICULTY_HINTS[difficulty]}</small>
              </button>
            ))}
          </div>
        </section>
        <section className="karaoke-panel">
          <h2>Sound</h2>
          {!song.instrumentalUrl ? (
            <label className="karaoke-field">
              <span>Vocal reduction</span>
              <input type="range" min={0} max={1} step={0.05} value={setup.reduction} onChange={(event) => change({ reduction: Number(event.target.value) })} aria-label="Vocal reduction" />
            </label>
          ) : null}
          <label className="karaoke-field">
            <span>
              Key {setup.keySemitones > 0 ? '+' : ''}
              {setup.keySemitones} semitone{Math.abs(setup.keySemitones) === 1 ? '' : 's'}
            </span>
            <input type="range" min={-6} max={6} step={1} value={setup.keySemitones} onChange={(event) => change({ keySemitones: Number(event.target.value) })} aria-label="Key change in semitones" />
          </label>
          <label className="karaoke-check">
            <input type="checkbox" checked={setup.monitor} onChange={(event) => change({ monitor: event.target.checked })} />
            Hear my voice (use headphones)
          </label>
          <label className="karaoke-field">
            <span>Reverb</span>
            <input type="range" min={0} max={1} step={0.05} value={setup.reverb} onChange={(event) => change({ reverb: Number(event.target.value) })} aria-label="Reverb" />
          </label>
          <label className="karaoke-field">
            <span>Echo</span>
            <input type="range" min={0} max={1} step={0.05} value={setup.echo} onChange={(event) => change({ echo: Number(event.target.value) })} aria-label="Echo" />
          </label>
          <label className="karaoke-check">
            <input type="checkbox" checked={setup.record} onChange={(event) => change({ record: event.target.checked })} />
            Record my performance
          </label>
        </section>
        <section className="karaoke-panel">
          <h2>Leaderboard</h2>
          <Leaderboard entries={leaderboard} />
        </section>
      </div>
      <button type="button" className="button button-primary karaoke-start" onClick={start} data-testid="karaoke-start" disabled={!scored && song.lrcLines.length === 0}>
        {scored ? 'Sing!' : 'Sing along'}
      </button>
    </div>
  );
}

function Results() {
  const song = useKaraoke((state) => state.song)!;
  const results = useKaraoke((state) => state.results);
  const leaderboard = useKaraoke((state) => state.leaderboard);
  const recordingUrl = useKaraoke((state) => state.recordingUrl);
  const start = useKaraoke((state) => state.startSinging);
  const back = useKaraoke((state) => state.backToSongs);
  return (
    <div className="karaoke-results" data-testid="karaoke-results">
      <h2 className="karaoke-results-title">
        {song.title} <span>{song.artist}</span>
      </h2>
      <div className="karaoke-results-singers">
        {results.map((result) => (
          <section key={result.voiceIndex} className={`karaoke-result-card singer-${result.voiceIndex + 1}`}>
            <div className="karaoke-result-name">{result.singerName}</div>
            <div className="karaoke-result-score" data-testid={`final-score-${result.voiceIndex + 1}`}>
              {result.score}
            </div>
            <div className="karaoke-result-parts">
              <span>Notes {result.notes}</span>
              <span className="golden">Golden {result.golden}</span>
              <span>Line bonus {result.lineBonus}</span>
            </div>
            {result.rank ? <div className="karaoke-result-rank">#{result.rank} on the leaderboard</div> : null}
            <ol className="karaoke-line-ratings">
              {result.lines.map((line) => (
                <li key={line.index} className={`rating-${(line.rating ?? 'none').toLowerCase()}`}>
                  <span className="karaoke-line-text">{line.text}</span>
                  <span className="karaoke-line-rating">{line.rating ?? '—'}</span>
                </li>
              ))}
            </ol>
          </section>
        ))}
        <section className="karaoke-panel">
          <h2>Leaderboard</h2>
          <Leaderboard entries={leaderboard} highlight={results.map((result) => result.rank ?? -1)} />
          {recordingUrl ? (
            <div className="karaoke-recording">
              <h2>Your performance</h2>
              <audio controls src={recordingUrl} data-testid="karaoke-recording" />
              <a className="button" href={recordingUrl} download={`${song.artist} - ${song.title}.webm`}>
                Save recording
              </a>
            </div>
          ) : null}
        </section>
      </div>
      <div className="karaoke-results-actions">
        <button type="button" className="button button-primary" onClick={start}>
          Sing again
        </button>
        <button type="button" className="button" onClick={back}>
          Choose another song
        </button>
      </div>
    </div>
  );
}
