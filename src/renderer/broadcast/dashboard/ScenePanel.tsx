import { useEffect, useRef } from 'react';
import { formatBitrate } from '../format';
import { useBroadcast, useBroadcastStore } from '../use-broadcast';

/**
 * The live preview (the very canvas that is streamed) and the scene's sources and overlays. Each
 * shape has its own scene: the 16:9 one for landscape targets, the 9:16 one for TikTok.
 */
export function ScenePanel() {
  const store = useBroadcastStore();
  const liveScene = store.getState().liveScene;
  const scene = useBroadcast((state) => state.scene);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    // The scene keeps drawing (and streaming) while the dashboard is not shown.
    return liveScene.attachPreview(host.current);
  }, [liveScene]);

  return (
    <section className="panel bc-panel" aria-labelledby="bc-scene-title">
      <header className="bc-panel-header">
        <h2 className="panel-title" id="bc-scene-title">
          Scene
        </h2>
        <span className={`bc-send bc-send-${scene.sending}`} data-testid="scene-sending" data-sending={scene.sending}>
          {scene.sending === 'sending'
            ? `Streaming ${scene.sendingShapes.length > 1 ? '16:9 + 9:16 scenes' : 'scene'} · ${formatBitrate(scene.sendKbps)}`
            : scene.sending === 'error'
              ? 'Scene stopped'
              : 'Preview'}
        </span>
      </header>
      <div className={`bc-preview bc-preview-${scene.layout}`} ref={host} />
      {scene.sendError ? (
        <p className="bc-alert" role="alert">
          {scene.sendError}
        </p>
      ) : null}
      <div className="bc-scene-controls">
        <div className="bc-segmented" role="radiogroup" aria-label="Scene to edit and preview">
          {(
            [
              ['landscape', '16:9'],
              ['portrait', '9:16'],
            ] as const
          ).map(([id, label]) => (
            <button key={id} type="button" role="radio" aria-checked={scene.layout === id} className={scene.layout === id ? 'bc-selected' : ''} onClick={() => liveScene.setLayout(id)} data-testid={`layout-${id}`}>
              {label}
            </button>
          ))}
        </div>
        <button type="button" className={`button button-small${scene.cameraOn ? ' bc-toggle-on' : ''}`} aria-pressed={scene.cameraOn} onClick={() => void liveScene.setCameraOn(!scene.cameraOn)} data-testid="camera-toggle">
          Camera
        </button>
        <button type="button" className={`button button-small${scene.visualizerOn ? ' bc-toggle-on' : ''}`} aria-pressed={scene.visualizerOn} onClick={() => liveScene.setVisualizerOn(!scene.visualizerOn)} data-testid="visualizer-toggle" title="Spectrum and meters of the sound being streamed, in this shape's scene">
          Visualizer
        </button>
      </div>
      {scene.cameraError ? (
        <p className="bc-alert" role="alert">
          {scene.cameraError}
        </p>
      ) : null}
      <div className="bc-form-grid bc-form-compact">
        <label className="bc-field bc-field-wide">
          <span className="bc-field-label">Banner ({scene.layout === 'portrait' ? '9:16' : '16:9'})</span>
          <input
            className="bc-input"
            value={scene.banner}
            maxLength={140}
            placeholder="Text across the bottom of this scene"
            onChange={(event) => liveScene.setBanner(event.target.value)}
            data-testid="scene-banner"
          />
        </label>
        <label className="bc-field bc-field-wide">
          <span className="bc-field-label">Logo {scene.logoName ? <span className="muted">· {scene.logoName}</span> : null}</span>
          <input className="bc-input bc-file" type="file" accept="image/png,image/jpeg,image/webp,image/svg+xml" onChange={(event) => void liveScene.setLogo(event.target.files?.[0] ?? null)} />
        </label>
      </div>
    </section>
  );
}
