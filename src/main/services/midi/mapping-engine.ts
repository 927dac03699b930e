import {
  MIDI_ACTION_IDS,
  midiActionInfo,
  type MidiActionId,
  type MidiBinding,
  type MidiFeedbackSource,
  type MidiMapping,
  type MidiOutput,
} from '../../../shared/contract/midi';
import { parseMidiMessage } from './messages';
import { decodeRelative } from './relative';

/** One action the mapping produced, stamped with the time of the message (or hold) that caused it. */
export interface MappedAction {
  readonly tMs: number;
  readonly action: MidiActionId;
  readonly slot: number | null;
  /** 0…1 for absolute controls, 1/0 for buttons, a signed step for relative encoders. */
  readonly value: number;
  readonly note: number | null;
}

export interface MappingEngineOptions {
  /** Soft takeover picks a control up once it comes this close to the app's value (Mixxx uses about 3/128). */
  readonly softTakeoverThreshold?: number;
}

const SEVEN_BIT_MAX = 127;
const FOURTEEN_BIT_MAX = 16383;
const DEFAULT_TAKEOVER_THRESHOLD = 3 / 127;

/** The app states a controller shows on an LED that are also a toggle action's on/off. */
const FEEDBACK_PARAMETER: Partial<Record<MidiFeedbackSource, MidiActionId>> = {
  'player.playing': 'player.playPause',
  'broadcast.micMuted': 'broadcast.muteMic',
  'studio.playing': 'studio.play',
  'studio.recording': 'studio.record',
  'studio.trackMute': 'studio.trackMute',
  'studio.trackSolo': 'studio.trackSolo',
  'karaoke.paused': 'karaoke.pause',
};

interface PendingHold {
  readonly binding: MidiBinding;
  readonly deadlineMs: number;
}

const parameterKey = (action: MidiActionId, slot: number | undefined | null): string => `${action}#${slot ?? 1}`;
const controlKey = (status: number, midino: number | '*'): string => `${status}:${midino}`;
/** Note off (0x8n) belongs to the same control as note on (0x9n). */
const normalStatus = (status: number): number => ((status & 0xf0) === 0x80 ? 0x90 | (status & 0x0f) : status);

/**
 * Turns a controller's messages into Mixdeck actions, by one mapping: shift layers, momentary and
 * toggle buttons, held actions, relative encoders, 14-bit CC pairs and pitch bend, soft takeover;
 * and the app's state into the controller's LED bytes. It keeps no clock of its own: every call
 * carries the time, so a recorded stream gives the same actions as the live controller.
 */
export class MappingEngine {
  private readonly byControl = new Map<string, MidiBinding[]>();
  private readonly byLsb = new Map<string, MidiBinding[]>();
  private readonly threshold: number;
  private shiftHeld = false;
  private readonly pressedBinding = new Map<string, MidiBinding>();
  private readonly pendingHolds = new Map<string, PendingHold>();
  private readonly msbValues = new Map<string, number>();
  /** What the app's parameters are now (toggles on/off, fader positions), as far as we know. */
  private readonly parameters = new Map<string, number>();
  private readonly takenOver = new Set<string>();
  private readonly lastControlValue = new Map<string, number>();
  private readonly sentOutputs = new Map<string, number>();
  private readonly states = new Map<string, number>();

  constructor(
    readonly mapping: MidiMapping,
    options: MappingEngineOptions = {},
  ) {
    this.threshold = options.softTakeoverThreshold ?? DEFAULT_TAKEOVER_THRESHOLD;
    for (const binding of mapping.bindings) {
      const status = normalStatus(binding.status);
      const isPitchBend = status >> 4 === 0xe;
      const key = controlKey(status, isPitchBend || binding.midino === null ? '*' : binding.midino);
      const list = this.byControl.get(key) ?? [];
      list.push(binding);
      this.byControl.set(key, list);
      if (binding.lsbMidino !== undefined && !isPitchBend) {
        const lsbKey = controlKey(status, binding.lsbMidino);
        this.byLsb.set(lsbKey, [...(this.byLsb.get(lsbKey) ?? []), binding]);
      }
    }
  }

  get isShiftHeld(): boolean {
    return this.shiftHeld;
  }

  /** Feeds one message received at tMs; answers with the actions it fired (held ones that matured first). */
  handle(bytes: ArrayLike<number>, tMs: number): MappedAction[] {
    const fired = this.advance(tMs);
    const message = parseMidiMessage(bytes);
    if (!message || !('channel' in message)) return fired;
    const status = normalStatus(message.status);
    if (message.type === 'pitchBend') {
      const binding = this.pick(this.byControl.get(controlKey(status, '*')));
      if (binding) this.absolute(binding, message.value14 / FOURTEEN_BIT_MAX, tMs, fired);
      return fired;
    }
    if (message.type !== 'noteOn' && message.type !== 'noteOff' && message.type !== 'controlChange') return fired;
    const key = controlKey(status, message.data1);
    const lsbBindings = message.type === 'controlChange' ? this.byLsb.get(key) : undefined;
    if (lsbBindings) {
      const binding = this.pick(lsbBindings);
      if (binding) {
        const msb = this.msbValues.get(controlKey(status, binding.midino ?? 0)) ?? 0;
        this.absolute(binding, ((msb << 7) | message.data2) / FOURTEEN_BIT_MAX, tMs, fired);
      }
      return fired;
    }
    const candidates = this.byControl.get(key) ?? this.byControl.get(controlKey(status, '*'));
    if (!candidates) return fired;
    const isPress = message.type === 'noteOn' || (message.type === 'controlChange' && message.data2 > 0);
    // A release goes to the binding its press went to, even if shift changed in between.
    const binding = isPress || !candidates.some((candidate) => candidate.control === 'button') ? this.pick(candidates) : (this.pressedBinding.get(key) ?? this.pick(candidates));
    if (!binding) return fired;

    // Held actions (Go Live, End) and shift are buttons: a fader or an encoder never fires them.
    const info = midiActionInfo(binding.action);
    if ((info.holdMs !== undefined || info.kind === 'shift') && binding.control !== 'button') return fired;
    if (binding.action === 'studio.note') {
      fired.push({ tMs, action: binding.action, slot: binding.slot ?? null, value: message.type === 'noteOn' ? message.data2 / SEVEN_BIT_MAX : 0, note: message.data1 });
      return fired;
    }
    switch (binding.control) {
      case 'button':
        if (isPress) this.pressedBinding.set(key, binding);
        else this.pressedBinding.delete(key);
        this.button(binding, key, isPress, tMs, fired);
        break;
      case 'relative': {
        const step = decodeRelative(message.data2, binding.encoding ?? 'twos-complement');
        if (step !== 0) this.emit(binding, binding.invert ? -step : step, tMs, fired);
        break;
      }
      case 'absolute':
        if (binding.lsbMidino !== undefined) {
          this.msbValues.set(key, message.data2);
          break;
        }
        this.absolute(binding, message.data2 / SEVEN_BIT_MAX, tMs, fired);
        break;
    }
    return fired;
  }

  /** Fires the held actions whose hold has lasted long enough by tMs. */
  advance(tMs: number): MappedAction[] {
    const fired: MappedAction[] = [];
    for (const [key, hold] of [...this.pendingHolds].sort((a, b) => a[1].deadlineMs - b[1].deadlineMs)) {
      if (hold.deadlineMs > tMs) continue;
      this.pendingHolds.delete(key);
      this.emit(hold.binding, 1, hold.deadlineMs, fired);
    }
    return fired;
  }

  /** When the next held action would fire, if its button stays down. */
  nextHoldDeadlineMs(): number | null {
    let next: number | null = null;
    for (const hold of this.pendingHolds.values()) next = next === null ? hold.deadlineMs : Math.min(next, hold.deadlineMs);
    return next;
  }

  /**
   * The app's state changed (from the page, main's services, or another controller): toggles
   * and soft takeover start from it, and the LEDs that show it answer with the bytes to send.
   */
  setState(source: MidiFeedbackSource | MidiActionId, slot: number | undefined, value: number): number[][] {
    const parameter = (FEEDBACK_PARAMETER as Record<string, MidiActionId | undefined>)[source] ?? (isActionId(source) ? source : undefined);
    if (parameter) {
      const key = parameterKey(parameter, slot);
      const known = this.parameters.get(key);
      if (known === undefined || Math.abs(known - value) > 1e-6) this.takenOver.delete(key);
      this.parameters.set(key, value);
    }
    this.states.set(`${source}#${slot ?? 1}`, value);
    return this.outputsFor(source, slot);
  }

  /** Every LED's bytes for the current state (sent when a controller is plugged in). */
  refreshOutputs(): number[][] {
    this.sentOutputs.clear();
    const bytes: number[][] = [];
    for (const output of this.mapping.outputs) bytes.push(...this.outputBytes(output, this.states.get(`${output.source}#${output.slot ?? 1}`) ?? 0));
    return bytes;
  }

  private outputsFor(source: string, slot: number | undefined): number[][] {
    const bytes: number[][] = [];
    for (const output of this.mapping.outputs) {
      if (output.source !== source || (output.slot ?? 1) !== (slot ?? 1)) continue;
      bytes.push(...this.outputBytes(output, this.states.get(`${source}#${slot ?? 1}`) ?? 0));
    }
    return bytes;
  }

  private outputBytes(output: MidiOutput, value: number): number[][] {
    const bytes: number[][] = [];
    const send = (midino: number, lit: boolean): void => {
      const data = lit ? output.on : output.off;
      const key = controlKey(output.status, midino);
      if (this.sentOutputs.get(key) === data) return;
      this.sentOutputs.set(key, data);
      bytes.push([output.status, midino, data]);
    };
    if (output.ledCount !== undefined) {
      const litCount = Math.round(Math.max(0, Math.min(1, value)) * output.ledCount);
      for (let index = 0; index < output.ledCount; index += 1) send(output.midino + index, index < litCount);
    } else {
      send(output.midino, value >= 0.5);
    }
    return bytes;
  }

  private pick(candidates: readonly MidiBinding[] | undefined): MidiBinding | undefined {
    if (!candidates) return undefined;
    const layer = this.shiftHeld ? 'shift' : 'normal';
    return candidates.find((binding) => binding.layer === layer) ?? candidates.find((binding) => binding.layer === 'any');
  }

  private button(binding: MidiBinding, key: string, isPress: boolean, tMs: number, fired: MappedAction[]): void {
    const info = midiActionInfo(binding.action);
    if (info.kind === 'shift') {
      if (binding.buttonMode === 'toggle') {
        if (isPress) this.shiftHeld = !this.shiftHeld;
      } else {
        this.shiftHeld = isPress;
      }
      return;
    }
    if (info.holdMs !== undefined) {
      if (isPress) this.pendingHolds.set(key, { binding, deadlineMs: tMs + info.holdMs });
      else this.pendingHolds.delete(key);
      return;
    }
    const parameter = parameterKey(binding.action, binding.slot);
    if (binding.buttonMode === 'toggle') {
      if (!isPress) return;
      const next = (this.parameters.get(parameter) ?? 0) >= 0.5 ? 0 : 1;
      this.parameters.set(parameter, next);
      this.emit(binding, next, tMs, fired);
      return;
    }
    const value = isPress ? 1 : 0;
    if (info.kind === 'toggle') this.parameters.set(parameter, value);
    this.emit(binding, value, tMs, fired);
  }

  private absolute(binding: MidiBinding, position: number, tMs: number, fired: MappedAction[]): void {
    const info = midiActionInfo(binding.action);
    if (info.holdMs !== undefined || info.kind === 'shift') return;
    const value = binding.invert ? 1 - position : position;
    const parameter = parameterKey(binding.action, binding.slot);
    if (binding.softTakeover && !this.takenOver.has(parameter)) {
      const appValue = this.parameters.get(parameter);
      const previous = this.lastControlValue.get(parameter);
      this.lastControlValue.set(parameter, value);
      const crossed = previous !== undefined && appValue !== undefined && (previous - appValue) * (value - appValue) <= 0;
      if (appValue !== undefined && Math.abs(value - appValue) > this.threshold && !crossed) return;
      this.takenOver.add(parameter);
    }
    this.parameters.set(parameter, value);
    this.emit(binding, value, tMs, fired);
  }

  private emit(binding: MidiBinding, value: number, tMs: number, fired: MappedAction[]): void {
    fired.push({ tMs, action: binding.action, slot: binding.slot ?? null, value, note: null });
  }
}

function isActionId(value: string): value is MidiActionId {
  return (MIDI_ACTION_IDS as readonly string[]).includes(value);
}
