import { useShell } from '../app/store-context';
import { bufferLatencyMs, formatSampleRate } from './audio-format';

/** The audio settings a live set depends on, read-only, for the areas that use them. */
export function AudioSummary() {
  const audio = useShell((state) => state.settings?.audio);
  if (!audio) return <p className="muted">Loading settings…</p>;
  return (
    <dl className="summary-list">
      <div>
        <dt>Input</dt>
        <dd>{audio.inputDevice ?? 'System default'}</dd>
      </div>
      <div>
        <dt>Output</dt>
        <dd>{audio.outputDevice ?? 'System default'}</dd>
      </div>
      <div>
        <dt>Sample rate</dt>
        <dd className="numeric">{formatSampleRate(audio.sampleRate)}</dd>
      </div>
      <div>
        <dt>Buffer</dt>
        <dd className="numeric">
          {audio.bufferFrames} frames · {bufferLatencyMs(audio.bufferFrames, audio.sampleRate).toFixed(1)} ms
        </dd>
      </div>
    </dl>
  );
}
