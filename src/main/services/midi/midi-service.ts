import {
  midiActionInfo,
  MidiMappingSchema,
  type MidiActionEvent,
  type MidiActionId,
  type MidiBinding,
  type MidiDevice,
  type MidiFeedbackSource,
  type MidiLearned,
  type MidiMapping,
  type MidiStatus,
} from '../../../shared/contract/midi';
import { MidiClockFollower, MidiClockSender, type ClockFollowerState } from './clock';
import { LearnSession } from './learn';
import { MappingEngine } from './mapping-engine';
import { emptyMapping, type MidiMappingStore } from './mapping-store';
import type { MidiBackend, MidiInputHandle, MidiOutputHandle } from './ports';

/** A binding that cannot work (a held action on a fader…), in words. */
export class MidiAssignError extends Error {}

export interface MidiServiceListeners {
  action?(event: MidiActionEvent): void;
  learned?(learned: MidiLearned): void;
  /** Devices, mappings, learn or clock changed. */
  status?(status: MidiStatus): void;
  /** Incoming MIDI clock (tempo, start/stop, song position) for the studio. */
  clockIn?(state: ClockFollowerState & { device: string }): void;
  /** Something went wrong with a device, in words (logged by the caller). */
  problem?(message: string): void;
}

export interface MidiServiceOptions {
  readonly backend: MidiBackend;
  readonly store: MidiMappingStore;
  readonly listeners?: MidiServiceListeners;
  /** How often the device list is checked for controllers plugged in or out. */
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
}

interface OpenDevice {
  readonly name: string;
  input: MidiInputHandle | null;
  output: MidiOutputHandle | null;
  engine: MappingEngine;
  holdTimer: NodeJS.Timeout | null;
}

/**
 * Main's MIDI: controllers are opened as they appear and closed as they go, each driven by its
 * own mapping; learn, LED feedback, clock out and clock in. Plain Node (no electron), fed by a
 * backend that is RtMidi in the app and a virtual MIDI system in tests.
 */
export class MidiService {
  private readonly backend: MidiBackend;
  private readonly store: MidiMappingStore;
  private readonly listeners: MidiServiceListeners;
  private readonly now: () => number;
  private readonly devices = new Map<string, OpenDevice>();
  private readonly states = new Map<string, { source: MidiFeedbackSource | MidiActionId; slot: number | undefined; value: number }>();
  private learnSession: LearnSession | null = null;
  private poller: NodeJS.Timeout | null = null;
  private clockOutput: { name: string; handle: MidiOutputHandle; sender: MidiClockSender } | null = null;
  private readonly followers = new Map<string, MidiClockFollower>();
  private lastDeviceList = '';

  constructor(options: MidiServiceOptions) {
    this.backend = options.backend;
    this.store = options.store;
    this.listeners = options.listeners ?? {};
    this.now = options.now ?? (() => performance.now());
    if (!this.backend.unavailableReason) {
      this.refreshDevices();
      this.poller = setInterval(() => this.refreshDevices(), options.pollIntervalMs ?? 2000);
      this.poller.unref();
    }
  }

  status(): MidiStatus {
    const inputs = new Set(this.safeList(() => this.backend.listInputs()));
    const outputs = new Set(this.safeList(() => this.backend.listOutputs()));
    const names = [...new Set([...inputs, ...outputs, ...this.devices.keys()])].sort();
    const devices: MidiDevice[] = names.map((name) => {
      const mapping = this.devices.get(name)?.engine.mapping ?? this.store.get(name);
      return {
        name,
        hasInput: inputs.has(name),
        hasOutput: outputs.has(name),
        connected: inputs.has(name) || outputs.has(name),
        mappingName: mapping?.name ?? null,
        bindingCount: mapping?.bindings.length ?? 0,
      };
    });
    return {
      available: this.backend.unavailableReason === null,
      reason: this.backend.unavailableReason,
      devices,
      learning: this.learnSession?.device ?? null,
      clock: { running: this.clockOutput?.sender.running ?? false, tempoBpm: this.clockOutput?.sender.tempoBpm ?? null, output: this.clockOutput?.name ?? null },
    };
  }

  /** Checks the ports now: opens new controllers, forgets unplugged ones (also run every poll interval). */
  refreshDevices(): void {
    const inputs = this.safeList(() => this.backend.listInputs());
    const outputs = this.safeList(() => this.backend.listOutputs());
    const present = new Set([...inputs, ...outputs]);
    for (const [name, device] of this.devices) {
      if (present.has(name)) continue;
      this.closeDevice(device);
      this.devices.delete(name);
    }
    for (const name of present) {
      const device = this.devices.get(name) ?? this.openDevice(name);
      if (!device.input && inputs.includes(name)) device.input = this.tryOpen(() => this.backend.openInput(name, (bytes, tMs) => this.receive(name, bytes, tMs)), name);
      if (!device.output && outputs.includes(name)) {
        device.output = this.tryOpen(() => this.backend.openOutput(name), name);
        if (device.output) this.sendAll(device, device.engine.refreshOutputs());
      }
    }
    const list = [...present].sort().join('\n');
    if (list !== this.lastDeviceList) {
      this.lastDeviceList = list;
      this.emitStatus();
    }
  }

  getMapping(device: string): MidiMapping {
    return this.devices.get(device)?.engine.mapping ?? this.store.get(device) ?? emptyMapping(device);
  }

  saveMapping(device: string, mapping: MidiMapping): MidiMapping {
    const saved = this.store.save(device, mapping);
    const open = this.devices.get(device);
    if (open) {
      open.engine = this.engineFor(saved);
      if (open.output) this.sendAll(open, open.engine.refreshOutputs());
    }
    this.emitStatus();
    return saved;
  }

  /** Binds a control to an action, replacing what that control did on the same layer. */
  assign(device: string, binding: MidiBinding): MidiMapping {
    const info = midiActionInfo(binding.action);
    if ((info.holdMs !== undefined || info.kind === 'shift') && binding.control !== 'button') {
      throw new MidiAssignError(`“${info.label}” needs a button; a fader, knob or encoder cannot be held down.`);
    }
    const mapping = this.getMapping(device);
    const overlaps = (other: MidiBinding): boolean =>
      other.status === binding.status && other.midino === binding.midino && (other.layer === binding.layer || other.layer === 'any' || binding.layer === 'any');
    return this.saveMapping(device, MidiMappingSchema.parse({ ...mapping, bindings: [...mapping.bindings.filter((other) => !overlaps(other)), binding] }));
  }

  removeBinding(device: string, index: number): MidiMapping {
    const mapping = this.getMapping(device);
    if (index >= mapping.bindings.length) throw new RangeError(`"${device}" has ${mapping.bindings.length} bindings; there is no number ${index + 1}.`);
    return this.saveMapping(device, { ...mapping, bindings: mapping.bindings.filter((_, position) => position !== index) });
  }

  learn(device: string | null): string | null {
    this.learnSession = device === null ? null : new LearnSession(device);
    this.emitStatus();
    return this.learnSession?.device ?? null;
  }

  /** The app's state changed: LEDs follow it, and toggles and soft takeover start from it. */
  setState(source: MidiFeedbackSource | MidiActionId, slot: number | undefined, value: number): void {
    this.states.set(`${source}#${slot ?? 1}`, { source, slot, value });
    for (const device of this.devices.values()) this.sendAll(device, device.engine.setState(source, slot, value));
  }

  /** Sends clock to a device's output from a tempo; null output or running false stops it. */
  setClock(output: string | null, running: boolean, tempoBpm: number | null): MidiStatus['clock'] {
    if (this.clockOutput && (!running || output !== this.clockOutput.name || tempoBpm === null)) {
      this.clockOutput.sender.stop();
      this.clockOutput.handle.close();
      this.clockOutput = null;
    }
    if (running && output !== null && tempoBpm !== null) {
      if (!this.clockOutput) {
        const handle = this.backend.openOutput(output);
        this.clockOutput = { name: output, handle, sender: new MidiClockSender({ send: (bytes) => handle.send(bytes) }) };
        this.clockOutput.sender.start(tempoBpm);
      } else {
        this.clockOutput.sender.setTempo(tempoBpm);
      }
    }
    this.emitStatus();
    return this.status().clock;
  }

  /** The live tempo moved: a running clock follows it. */
  followTempo(tempoBpm: number): void {
    this.clockOutput?.sender.setTempo(tempoBpm);
  }

  close(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    this.clockOutput?.sender.stop();
    this.clockOutput?.handle.close();
    this.clockOutput = null;
    for (const device of this.devices.values()) this.closeDevice(device);
    this.devices.clear();
  }

  private receive(name: string, bytes: number[], tMs: number): void {
    const device = this.devices.get(name);
    if (!device) return;
    if (bytes[0] !== undefined && bytes[0] >= 0xf0) {
      let follower = this.followers.get(name);
      if (!follower) {
        follower = new MidiClockFollower((state) => this.listeners.clockIn?.({ ...state, device: name }));
        this.followers.set(name, follower);
      }
      follower.handle(bytes, tMs);
      return;
    }
    if (this.learnSession?.device === name) {
      const learned = this.learnSession.handle(bytes, tMs);
      if (learned) this.listeners.learned?.(learned);
      return;
    }
    this.deliver(device, device.engine.handle(bytes, tMs));
    this.scheduleHold(device);
  }

  private deliver(device: OpenDevice, actions: ReturnType<MappingEngine['handle']>): void {
    for (const action of actions) {
      this.listeners.action?.({ action: action.action, slot: action.slot, value: action.value, note: action.note, device: device.name });
    }
  }

  /** A held button (Go Live) fires when its time comes, even if the controller sends nothing more. */
  private scheduleHold(device: OpenDevice): void {
    if (device.holdTimer) clearTimeout(device.holdTimer);
    device.holdTimer = null;
    const deadline = device.engine.nextHoldDeadlineMs();
    if (deadline === null) return;
    device.holdTimer = setTimeout(() => {
      device.holdTimer = null;
      this.deliver(device, device.engine.advance(this.now()));
      this.scheduleHold(device);
    }, Math.max(0, deadline - this.now()) + 1);
  }

  private engineFor(mapping: MidiMapping): MappingEngine {
    const engine = new MappingEngine(mapping);
    for (const state of this.states.values()) engine.setState(state.source, state.slot, state.value);
    return engine;
  }

  private openDevice(name: string): OpenDevice {
    const device: OpenDevice = { name, input: null, output: null, engine: this.engineFor(this.store.get(name) ?? emptyMapping(name)), holdTimer: null };
    this.devices.set(name, device);
    return device;
  }

  private closeDevice(device: OpenDevice): void {
    if (device.holdTimer) clearTimeout(device.holdTimer);
    device.input?.close();
    device.output?.close();
    this.followers.delete(device.name);
    if (this.learnSession?.device === device.name) this.learnSession = null;
  }

  private sendAll(device: OpenDevice, messages: number[][]): void {
    if (!device.output) return;
    for (const bytes of messages) {
      try {
        device.output.send(bytes);
      } catch (error) {
        this.listeners.problem?.(`Could not light "${device.name}": ${(error as Error).message}`);
        return;
      }
    }
  }

  private tryOpen<T>(open: () => T, name: string): T | null {
    try {
      return open();
    } catch (error) {
      this.listeners.problem?.(`Could not open "${name}": ${(error as Error).message}`);
      return null;
    }
  }

  private safeList(list: () => string[]): string[] {
    try {
      return list();
    } catch {
      return [];
    }
  }

  private emitStatus(): void {
    this.listeners.status?.(this.status());
  }
}
