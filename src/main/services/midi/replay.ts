import { MidiMappingSchema, type MidiMapping } from '../../../shared/contract/midi';
import { MappingEngine, type MappedAction } from './mapping-engine';

/** One recorded message: when it arrived (ms from the recording's start) and its bytes. */
export interface TimedMessage {
  readonly tMs: number;
  readonly bytes: number[];
}

export class MidiStreamError extends Error {}
export class MidiMappingFileError extends Error {}

/**
 * Reads a recorded stream: one message a line, the milliseconds then the hex bytes
 * (`120 90 0b 7f`). Blank lines and lines starting with # are skipped.
 */
export function parseMidiStream(text: string): TimedMessage[] {
  const messages: TimedMessage[] = [];
  let previousMs = -Infinity;
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const [time, ...hex] = line.split(/\s+/);
    const tMs = Number(time);
    if (!Number.isFinite(tMs) || tMs < 0) throw new MidiStreamError(`line ${index + 1}: "${time}" is not a time in milliseconds`);
    if (tMs < previousMs) throw new MidiStreamError(`line ${index + 1}: the time goes backwards (${tMs} ms after ${previousMs} ms)`);
    if (hex.length === 0 || hex.length > 3) throw new MidiStreamError(`line ${index + 1}: give one to three hex bytes after the time`);
    const bytes = hex.map((byte) => {
      if (!/^[0-9a-f]{1,2}$/i.test(byte)) throw new MidiStreamError(`line ${index + 1}: "${byte}" is not a hex byte`);
      return Number.parseInt(byte, 16);
    });
    if (bytes[0]! < 0x80) throw new MidiStreamError(`line ${index + 1}: a message starts with a status byte (80 to ff), not ${hex[0]}`);
    previousMs = tMs;
    messages.push({ tMs, bytes });
  });
  return messages;
}

/** Reads a Mixdeck mapping file's JSON, with what is wrong in words. */
export function parseMappingJson(text: string): MidiMapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MidiMappingFileError('it is not JSON');
  }
  const checked = MidiMappingSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
    throw new MidiMappingFileError(`it is not a Mixdeck MIDI mapping (${where}: ${issue.message})`);
  }
  return checked.data;
}

/** Feeds a recorded stream through a mapping exactly as live messages are: the actions, in order. */
export function replayStream(mapping: MidiMapping, messages: readonly TimedMessage[]): MappedAction[] {
  const engine = new MappingEngine(mapping);
  const actions: MappedAction[] = [];
  for (const message of messages) actions.push(...engine.handle(message.bytes, message.tMs));
  if (messages.length > 0) actions.push(...engine.advance(messages[messages.length - 1]!.tMs));
  return actions;
}
