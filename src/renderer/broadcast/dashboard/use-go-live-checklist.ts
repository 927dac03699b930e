import { useEffect, useMemo, useState } from 'react';
import { useShell } from '../../app/store-context';
import { goLiveChecklist, LISTEN_SEC, SILENCE_BELOW_DB, type ChecklistItem, type InputProbe } from '../go-live-checklist';
import { useBroadcast, useBroadcastStore } from '../use-broadcast';

/** Levels that arrive before this are the input opening, not what it carries. */
const SETTLE_MS = 300;
/** Silence is said only once the input had this long to start (ffmpeg on a loaded machine: about a second). */
const MAX_LISTEN_MS = 5000;

/**
 * The Go Live checklist while the confirmation is open: it meters the input through main's
 * preview (nothing is sent) for LISTEN_SEC, then says what is wrong. Fixing something while the
 * dialog is open (a key, the upload, the scene, the source) updates the list at once.
 */
export function useGoLiveChecklist(open: boolean): { items: ChecklistItem[]; listening: boolean } {
  const client = useShell((state) => state.client);
  const store = useBroadcastStore();
  const audioInput = useBroadcast((state) => state.audioInput);
  const targets = useBroadcast((state) => state.targets);
  const bandwidth = useBroadcast((state) => state.bandwidth);
  const scene = useBroadcast((state) => state.scene);
  const [probe, setProbe] = useState<InputProbe | null>(null);
  const [inputDeviceCount, setInputDeviceCount] = useState<number | null>(null);
  const source = audioInput?.source ?? null;
  const sourceKey = audioInput ? `${audioInput.source}|${audioInput.deviceName ?? ''}|${audioInput.channels.join('+')}|${audioInput.filePath ?? ''}` : '';

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    client.call('audio.listDevices', {}).then(
      (answer) => !cancelled && setInputDeviceCount(answer.devices.filter((device) => device.maxInputChannels > 0).length),
      () => !cancelled && setInputDeviceCount(null),
    );
    return () => {
      cancelled = true;
    };
  }, [open, client]);

  useEffect(() => {
    if (!open || source === null || source === 'none') return;
    let cancelled = false;
    let maxPeakDb = -120;
    let health: Pick<InputProbe, 'state' | 'message'> = { state: 'ok', message: null };
    const startedAtMs = performance.now();
    const stopListening = store.subscribe((state, previous) => {
      if (state.levels === previous.levels || !state.levels || performance.now() - startedAtMs < SETTLE_MS) return;
      for (const channel of state.levels.channels) maxPeakDb = Math.max(maxPeakDb, channel.peakDb);
    });
    // Main meters the chosen input without sending anything; during a set its own input does.
    const previewing = client.call('broadcast.previewInput', { enabled: true }).then(
      (answer) => {
        health = { state: answer.audioInput.state, message: answer.audioInput.message };
        return true;
      },
      () => false,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const verdict = (): void => {
      if (cancelled) return;
      const lastHealth = store.getState().set?.audioInput;
      if (lastHealth?.state === 'error') health = { state: 'error', message: lastHealth.message };
      // A file or a device can take a moment to start on a busy machine: silence is said only after the longest wait.
      if (maxPeakDb < SILENCE_BELOW_DB && health.state !== 'error' && performance.now() - startedAtMs < MAX_LISTEN_MS) {
        timer = setTimeout(verdict, LISTEN_SEC * 1000);
        return;
      }
      setProbe({ maxPeakDb, ...health });
    };
    timer = setTimeout(verdict, SETTLE_MS + LISTEN_SEC * 1000);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      stopListening();
      setProbe(null);
      void previewing.then((started) => (started ? client.call('broadcast.previewInput', { enabled: false }).catch(() => undefined) : undefined));
    };
  }, [open, client, store, source, sourceKey]);

  const items = useMemo(
    () =>
      goLiveChecklist({
        audioInput,
        inputDeviceCount,
        probe: source === 'none' ? null : probe,
        scene: { cameraOn: scene.cameraOn, visualizerOn: scene.visualizerOn, logoName: scene.logoName },
        targets,
        bandwidth,
      }),
    [audioInput, inputDeviceCount, probe, source, scene.cameraOn, scene.visualizerOn, scene.logoName, targets, bandwidth],
  );
  return { items, listening: open && source !== null && source !== 'none' && probe === null };
}
