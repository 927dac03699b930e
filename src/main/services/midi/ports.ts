import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A MIDI message as it arrived: its bytes and when (performance.now() milliseconds). */
export type MidiMessageListener = (bytes: number[], tMs: number) => void;

export interface MidiInputHandle {
  close(): void;
}

export interface MidiOutputHandle {
  send(bytes: readonly number[]): void;
  close(): void;
}

/**
 * The ports of one MIDI system (RtMidi, or a virtual one in tests). Everything above it sees
 * port names and byte messages only. A backend that cannot work says why in `unavailableReason`.
 */
export interface MidiBackend {
  /** Null when MIDI works; otherwise why not, in words a user reads. */
  readonly unavailableReason: string | null;
  listInputs(): string[];
  listOutputs(): string[];
  openInput(name: string, listener: MidiMessageListener): MidiInputHandle;
  openOutput(name: string): MidiOutputHandle;
}

export const MIDI_UNAVAILABLE_NO_LIBRARY =
  'MIDI controllers cannot be used: the MIDI library (@julusian/midi) is not installed or does not load on this computer. Everything else in Mixdeck works.';
export const MIDI_UNAVAILABLE_NO_SEQUENCER =
  'MIDI controllers cannot be used: this computer\'s MIDI system (the ALSA sequencer, /dev/snd/seq) is not there. Everything else in Mixdeck works; load the snd-seq kernel module to use a controller.';

interface RtMidiPort {
  getPortCount(): number;
  getPortName(port: number): string;
  openPort(port: number): void;
  closePort(): void;
  ignoreTypes?(sysex: boolean, timing: boolean, activeSensing: boolean): void;
  on?(event: 'message', listener: (deltaSec: number, message: number[]) => void): void;
  sendMessage?(message: number[]): void;
}

interface RtMidiModule {
  Input: new () => RtMidiPort;
  Output: new () => RtMidiPort;
}

/** Loads the native MIDI module on first use, so a machine without it still starts. */
export function loadRtMidi(): { module: RtMidiModule | null; error: string | null } {
  try {
    return { module: createRequire(import.meta.url)('@julusian/midi') as RtMidiModule, error: null };
  } catch (error) {
    return { module: null, error: (error as Error).message };
  }
}

function portNames(port: RtMidiPort): string[] {
  const names: string[] = [];
  for (let index = 0; index < port.getPortCount(); index += 1) names.push(port.getPortName(index));
  return names;
}

/** RtMidi through @julusian/midi (prebuilt N-API binaries, so the same build runs in Node and Electron). */
export function createRtMidiBackend(): MidiBackend {
  // Without the ALSA sequencer RtMidi can only fail (and prints ALSA's errors on the way): say so first.
  if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) return unavailableBackend(MIDI_UNAVAILABLE_NO_SEQUENCER);
  const { module } = loadRtMidi();
  if (!module) return unavailableBackend(MIDI_UNAVAILABLE_NO_LIBRARY);
  let lister: { input: RtMidiPort; output: RtMidiPort };
  try {
    lister = { input: new module.Input(), output: new module.Output() };
  } catch {
    return unavailableBackend(MIDI_UNAVAILABLE_NO_SEQUENCER);
  }
  const indexOf = (port: RtMidiPort, name: string): number => {
    const index = portNames(port).indexOf(name);
    if (index < 0) throw new Error(`The MIDI device "${name}" is not connected.`);
    return index;
  };
  return {
    unavailableReason: null,
    listInputs: () => portNames(lister.input),
    listOutputs: () => portNames(lister.output),
    openInput(name, listener) {
      const input = new module.Input();
      // Clock messages are wanted (the studio follows clock); sysex and active sensing are not.
      input.ignoreTypes?.(true, false, true);
      input.on?.('message', (_deltaSec, message) => listener(message, performance.now()));
      input.openPort(indexOf(input, name));
      return { close: () => input.closePort() };
    },
    openOutput(name) {
      const output = new module.Output();
      output.openPort(indexOf(output, name));
      return { send: (bytes) => output.sendMessage?.([...bytes]), close: () => output.closePort() };
    },
  };
}

export function unavailableBackend(reason: string): MidiBackend {
  const refuse = (): never => {
    throw new Error(reason);
  };
  return { unavailableReason: reason, listInputs: () => [], listOutputs: () => [], openInput: refuse, openOutput: refuse };
}
