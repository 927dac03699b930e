import type { BroadcastAudioInputConfig, BroadcastBandwidth, BroadcastTarget } from '../../shared/contract';

/** Below this peak for the whole listen, the input carries nothing a viewer would hear. */
export const SILENCE_BELOW_DB = -60;
/** How long the Go Live confirmation listens to the input before it calls it silent. */
export const LISTEN_SEC = 1.5;

export type ChecklistItemId = 'no-audio-input' | 'audio-input-failed' | 'silent-input' | 'no-video' | 'no-key' | 'target-refused' | 'upload' | 'no-target';

export interface ChecklistItem {
  id: ChecklistItemId;
  /** One sentence: what is wrong and what to do about it. */
  message: string;
}

/** What the input sounded like while the confirmation listened; null while it is still listening. */
export interface InputProbe {
  /** The loudest peak over the listen, dBFS (−120 for digital silence). */
  maxPeakDb: number;
  /** The input's own health as main reports it (`error` with a sentence when the device failed). */
  state: 'off' | 'ok' | 'error';
  message: string | null;
}

export interface ChecklistInput {
  audioInput: BroadcastAudioInputConfig | null;
  /** Inputs PortAudio can open; null while unknown. */
  inputDeviceCount: number | null;
  probe: InputProbe | null;
  /** Anything the scene draws that is more than background and text. */
  scene: { cameraOn: boolean; visualizerOn: boolean; logoName: string | null };
  targets: readonly BroadcastTarget[];
  bandwidth: BroadcastBandwidth | null;
}

const formatMbps = (kbps: number): string => `${(kbps / 1000).toFixed(1)} Mbps`;

/**
 * What is wrong before a set starts, in the order a DJ would fix it: sound, picture, targets,
 * the line. An empty list means ready. Nothing here blocks going live; it only says what will happen.
 */
export function goLiveChecklist(input: ChecklistInput): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const audio = input.audioInput;
  const noInput =
    !audio ||
    audio.source === 'none' ||
    (audio.source === 'file' && !audio.filePath) ||
    (audio.source === 'device' && input.inputDeviceCount === 0);
  if (noInput) {
    items.push({
      id: 'no-audio-input',
      message:
        audio?.source === 'device'
          ? 'No audio input: this computer has no input device Mixdeck can open, so the set would be silent. Connect the mixer, or choose another source under Audio.'
          : audio?.source === 'file'
            ? 'No audio input: no rehearsal file is chosen, so the set would be silent. Choose the file under Audio.'
            : 'No audio input: the set would be silent. Choose the mixer, the system output, the player or a file under Audio.',
    });
  } else if (input.probe?.state === 'error') {
    items.push({ id: 'audio-input-failed', message: input.probe.message ?? 'The audio input does not work: the set would be silent.' });
  } else if (input.probe && input.probe.maxPeakDb < SILENCE_BELOW_DB) {
    const where = audio?.source === 'device' ? ` Check the mixer's output, the channels (${audio.channels[0]} + ${audio.channels[1]}) and the gain.` : '';
    items.push({
      id: 'silent-input',
      message: `The input is silent: nothing louder than ${SILENCE_BELOW_DB} dBFS in the last ${LISTEN_SEC} seconds.${where}`,
    });
  }

  if (!input.scene.cameraOn && !input.scene.visualizerOn && !input.scene.logoName) {
    items.push({
      id: 'no-video',
      message: 'No video source: the scene has no camera, visualizer or logo, so viewers see only the background and text. Turn one on under Scene.',
    });
  }

  const enabled = input.targets.filter((target) => target.enabled);
  if (enabled.length === 0) {
    items.push({ id: 'no-target', message: 'No target is switched on: only the recording on this computer will run.' });
  }
  const keyless = enabled.filter((target) => !target.keySet);
  if (keyless.length > 0) {
    const names = keyless.map((target) => target.name).join(', ');
    items.push({
      id: 'no-key',
      message: `${names} ${keyless.length === 1 ? 'has' : 'have'} no stream key and will fail. Add it with Edit.`,
    });
  }
  const refused = enabled.filter((target) => target.keySet && target.problems.some((problem) => problem.severity === 'error'));
  for (const target of refused) {
    const problem = target.problems.find((candidate) => candidate.severity === 'error')!;
    items.push({ id: 'target-refused', message: `${target.name}: ${problem.message}` });
  }

  const bandwidth = input.bandwidth;
  if (bandwidth?.uploadKbps != null && bandwidth.requiredKbps > bandwidth.uploadKbps) {
    items.push({
      id: 'upload',
      message: `Your targets need about ${formatMbps(bandwidth.requiredKbps)} but your upload is ${formatMbps(bandwidth.uploadKbps)}: streams will stutter. Turn a target off or lower its bitrate.`,
    });
  }
  return items;
}
