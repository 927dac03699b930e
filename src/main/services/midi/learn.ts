import type { MidiLearned } from '../../../shared/contract/midi';
import { describeControl, parseMidiMessage } from './messages';
import { guessRelativeEncoding } from './relative';

/**
 * Watches what the user moves during MIDI learn and tells what kind of control it is: a button
 * (notes, or a CC that only says 0 and 127), a relative encoder (and its encoding), a 14-bit
 * fader (a CC followed by its partner 32 higher) or pitch bend, or a plain 7-bit control.
 */
export class LearnSession {
  private readonly valuesByControl = new Map<string, number[]>();
  private lastCc: { status: number; midino: number; tMs: number } | null = null;
  private readonly lsbOf = new Map<string, number>();

  constructor(readonly device: string) {}

  /** Feeds one message; answers with what the user seems to be moving, or null (clock, sysex…). */
  handle(bytes: ArrayLike<number>, tMs: number): MidiLearned | null {
    const message = parseMidiMessage(bytes);
    if (!message || !('channel' in message)) return null;
    if (message.type === 'pitchBend') {
      return this.learned(message.status, 0, 'absolute', null, null, `Pitch bend on channel ${message.channel + 1} (14-bit)`, 1);
    }
    if (message.type === 'noteOn' || message.type === 'noteOff') {
      const status = 0x90 | message.channel;
      return this.learned(status, message.data1, 'button', null, null, describeControl(status, message.data1), this.count(status, message.data1, message.data2));
    }
    if (message.type !== 'controlChange') return null;
    const { status, data1: midino, data2: value } = message;
    // The second half of a 14-bit pair: report the pair under its MSB.
    const previous = this.lastCc;
    this.lastCc = { status, midino, tMs };
    if (previous && previous.status === status && midino === previous.midino + 32 && previous.midino < 32 && tMs - previous.tMs < 5) {
      this.lsbOf.set(`${status}:${previous.midino}`, midino);
    }
    const msbMidino = midino >= 32 && this.lsbOf.get(`${status}:${midino - 32}`) === midino ? midino - 32 : midino;
    const lsbMidino = this.lsbOf.get(`${status}:${msbMidino}`) ?? null;
    const messages = this.count(status, msbMidino, msbMidino === midino ? value : -1);
    const values = (this.valuesByControl.get(`${status}:${msbMidino}`) ?? []).filter((entry) => entry >= 0);
    if (lsbMidino !== null) {
      return this.learned(status, msbMidino, 'absolute', null, lsbMidino, `${describeControl(status, msbMidino)} (14-bit with CC ${lsbMidino})`, messages);
    }
    if (values.every((entry) => entry === 0 || entry === 127)) {
      return this.learned(status, msbMidino, 'button', null, null, `${describeControl(status, msbMidino)} (button)`, messages);
    }
    const encoding = guessRelativeEncoding(values);
    if (encoding) return this.learned(status, msbMidino, 'relative', encoding, null, `${describeControl(status, msbMidino)} (encoder, ${encoding})`, messages);
    return this.learned(status, msbMidino, 'absolute', null, null, describeControl(status, msbMidino), messages);
  }

  private count(status: number, midino: number, value: number): number {
    const key = `${status}:${midino}`;
    const values = this.valuesByControl.get(key) ?? [];
    values.push(value);
    if (values.length > 64) values.shift();
    this.valuesByControl.set(key, values);
    return values.length;
  }

  private learned(
    status: number,
    midino: number,
    control: MidiLearned['control'],
    encoding: MidiLearned['encoding'],
    lsbMidino: number | null,
    description: string,
    messages: number,
  ): MidiLearned {
    return { device: this.device, status, midino, control, encoding, lsbMidino, description, messages };
  }
}
