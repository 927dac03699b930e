/** MIDI bytes as the port delivers them, read into what they mean. */

export type MidiMessage =
  | { readonly type: 'noteOn' | 'noteOff' | 'polyPressure' | 'controlChange'; readonly status: number; readonly channel: number; readonly data1: number; readonly data2: number }
  | { readonly type: 'programChange' | 'channelPressure'; readonly status: number; readonly channel: number; readonly data1: number; readonly data2: 0 }
  | { readonly type: 'pitchBend'; readonly status: number; readonly channel: number; readonly data1: number; readonly data2: number; readonly value14: number }
  | { readonly type: 'clock' | 'start' | 'continue' | 'stop' | 'activeSensing' | 'reset' | 'tuneRequest'; readonly status: number }
  | { readonly type: 'songPosition'; readonly status: number; readonly beats16th: number }
  | { readonly type: 'sysex' | 'other'; readonly status: number };

export const MIDI_CLOCK = 0xf8;
export const MIDI_START = 0xfa;
export const MIDI_CONTINUE = 0xfb;
export const MIDI_STOP = 0xfc;
export const MIDI_SONG_POSITION = 0xf2;

const CHANNEL_TYPES = ['noteOff', 'noteOn', 'polyPressure', 'controlChange', 'programChange', 'channelPressure', 'pitchBend'] as const;

/** Reads one complete message; null when the bytes are not one (empty, no status byte, data missing). */
export function parseMidiMessage(bytes: ArrayLike<number>): MidiMessage | null {
  if (bytes.length === 0) return null;
  const status = bytes[0]!;
  if (status < 0x80 || status > 0xff) return null;
  if (status < 0xf0) {
    const type = CHANNEL_TYPES[(status >> 4) - 8]!;
    const channel = status & 0x0f;
    const needsTwo = type !== 'programChange' && type !== 'channelPressure';
    if (bytes.length < (needsTwo ? 3 : 2)) return null;
    const data1 = bytes[1]! & 0x7f;
    if (!needsTwo) return { type, status, channel, data1, data2: 0 } as MidiMessage;
    const data2 = bytes[2]! & 0x7f;
    if (type === 'pitchBend') return { type, status, channel, data1, data2, value14: (data2 << 7) | data1 };
    // A note on with velocity 0 is a note off, by the MIDI specification.
    if (type === 'noteOn' && data2 === 0) return { type: 'noteOff', status, channel, data1, data2 };
    return { type, status, channel, data1, data2 };
  }
  switch (status) {
    case MIDI_CLOCK:
      return { type: 'clock', status };
    case MIDI_START:
      return { type: 'start', status };
    case MIDI_CONTINUE:
      return { type: 'continue', status };
    case MIDI_STOP:
      return { type: 'stop', status };
    case 0xfe:
      return { type: 'activeSensing', status };
    case 0xff:
      return { type: 'reset', status };
    case 0xf6:
      return { type: 'tuneRequest', status };
    case MIDI_SONG_POSITION:
      if (bytes.length < 3) return null;
      return { type: 'songPosition', status, beats16th: ((bytes[2]! & 0x7f) << 7) | (bytes[1]! & 0x7f) };
    case 0xf0:
      return { type: 'sysex', status };
    default:
      return { type: 'other', status };
  }
}

export function hexBytes(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** "Note 11 on channel 1", "CC 16 on channel 2", "Pitch bend on channel 1". */
export function describeControl(status: number, midino: number): string {
  const channel = (status & 0x0f) + 1;
  switch (status >> 4) {
    case 0x8:
    case 0x9:
      return `Note ${midino} on channel ${channel}`;
    case 0xb:
      return `CC ${midino} on channel ${channel}`;
    case 0xe:
      return `Pitch bend on channel ${channel}`;
    case 0xa:
      return `Key pressure ${midino} on channel ${channel}`;
    default:
      return `Status 0x${status.toString(16)} ${midino} on channel ${channel}`;
  }
}
