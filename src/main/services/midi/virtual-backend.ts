import type { MidiBackend, MidiMessageListener } from './ports';

/**
 * A MIDI system in memory that behaves like RtMidi: devices appear and disappear, an input
 * delivers its bytes with a time to whoever opened it, an output records what was sent, and
 * opening a device that is not connected fails. The machines Mixdeck is tested on have no
 * ALSA sequencer, so tests and the bench drive everything above the port through this.
 */
export class VirtualMidiBackend implements MidiBackend {
  readonly unavailableReason = null;
  private readonly inputs = new Map<string, Set<MidiMessageListener>>();
  private readonly outputs = new Set<string>();
  /** Every message sent to each output, in order. */
  readonly sent = new Map<string, number[][]>();

  connect(name: string, { input = true, output = true } = {}): void {
    if (input && !this.inputs.has(name)) this.inputs.set(name, new Set());
    if (output) this.outputs.add(name);
  }

  disconnect(name: string): void {
    this.inputs.delete(name);
    this.outputs.delete(name);
  }

  /** The controller sends a message (tMs defaults to now, as a real port stamps it). */
  send(name: string, bytes: number[], tMs = performance.now()): void {
    for (const listener of this.inputs.get(name) ?? []) listener(bytes, tMs);
  }

  listInputs(): string[] {
    return [...this.inputs.keys()];
  }

  listOutputs(): string[] {
    return [...this.outputs];
  }

  openInput(name: string, listener: MidiMessageListener): { close(): void } {
    const listeners = this.inputs.get(name);
    if (!listeners) throw new Error(`The MIDI device "${name}" is not connected.`);
    listeners.add(listener);
    return { close: () => listeners.delete(listener) };
  }

  openOutput(name: string): { send(bytes: readonly number[]): void; close(): void } {
    if (!this.outputs.has(name)) throw new Error(`The MIDI device "${name}" is not connected.`);
    let open = true;
    return {
      send: (bytes) => {
        if (!open || !this.outputs.has(name)) return;
        this.sent.set(name, [...(this.sent.get(name) ?? []), [...bytes]]);
      },
      close: () => {
        open = false;
      },
    };
  }
}
