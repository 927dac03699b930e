/**
 * Controller input and mapping files: seeded random MIDI bytes through the mapping engine,
 * mutated recorded streams, and mutated Mixxx mappings through the import. Nothing may throw
 * anything but a refusal in words, and every action's value must be what the contract says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappingEngine } from '../../src/main/services/midi/mapping-engine';
import { importMixxxMapping, MixxxImportError } from '../../src/main/services/midi/mixxx-import';
import { MidiStreamError, parseMappingJson, parseMidiStream, replayStream } from '../../src/main/services/midi/replay';
import { MidiActionEventSchema, midiActionInfo } from '../../src/shared/contract';
import { createFuzzer, FuzzTally, mutateText } from '../support/fuzz';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'src', 'main', 'services', 'midi', 'fixtures');
const TWO_DECK = parseMappingJson(readFileSync(join(ROOT, 'resources', 'mappings', 'generic-two-deck.json'), 'utf8'));
/** The user's own input is quoted in a refusal; only the words around it are checked. */
const unquoted = (message: string): string => message.replace(/"[^"]*"|<[^>]*>/g, '""');
const NOT_WORDS = /Cannot read properties|undefined|is not a function|is not iterable|RangeError|TypeError|Maximum call stack|NaN|\[object /;

describe('fuzz midi-controller: bytes, streams and Mixxx files', () => {
  const tally = new FuzzTally('midi-controller');
  afterAll(() => tally.print());

  it('turns any bytes into valid actions or nothing', () => {
    const fuzzer = createFuzzer(0x4d1d_0001);
    const engine = new MappingEngine(TWO_DECK);
    let tMs = 0;
    for (let index = 0; index < 20_000; index += 1) {
      tMs += fuzzer.int(0, 400);
      const bytes = fuzzer.int(0, 3) === 0 ? Array.from(fuzzer.bytes(fuzzer.int(0, 4))) : [fuzzer.pick([0x90, 0x80, 0x91, 0xb0, 0xb1, 0xb6, 0xe0, 0x99, 0x89, 0xf8, 0xfa]), fuzzer.int(0, 127), fuzzer.int(0, 127)];
      for (const action of engine.handle(bytes, tMs)) {
        MidiActionEventSchema.parse({ ...action, device: 'fuzz' });
        const kind = midiActionInfo(action.action).kind;
        if (kind === 'relative') expect(Math.abs(action.value)).toBeLessThanOrEqual(64);
        else expect(action.value >= 0 && action.value <= 1).toBe(true);
        tally.count('action');
      }
      if (index % 97 === 0) engine.setState(fuzzer.pick(['player.playing', 'broadcast.meter', 'player.volume'] as const), fuzzer.int(1, 2), fuzzer.next());
      tally.count('message');
    }
  });

  it('parses a mutated recorded stream or refuses it with the line and the reason', () => {
    const fuzzer = createFuzzer(0x4d1d_0002);
    const valid = readFileSync(join(FIXTURES, 'two-deck-session.txt'), 'utf8');
    const failures: string[] = [];
    for (let index = 0; index < 1500; index += 1) {
      const text = mutateText(fuzzer, valid);
      try {
        replayStream(TWO_DECK, parseMidiStream(text));
        tally.count('stream replayed');
      } catch (error) {
        if (!(error instanceof MidiStreamError) || !/^line \d+: /.test(error.message) || NOT_WORDS.test(unquoted(error.message))) failures.push(String(error));
        tally.count('stream refused');
      }
    }
    expect(failures).toEqual([]);
  });

  it('imports a mutated Mixxx file or refuses it in words', () => {
    const fuzzer = createFuzzer(0x4d1d_0003);
    const files = ['two-deck.midi.xml', 'older-preset.midi.xml'].map((name) => readFileSync(join(FIXTURES, name), 'utf8'));
    const failures: string[] = [];
    for (let index = 0; index < 1200; index += 1) {
      const xml = mutateText(fuzzer, fuzzer.pick(files));
      try {
        const { mapping } = importMixxxMapping(xml);
        const engine = new MappingEngine(mapping);
        for (let message = 0; message < 20; message += 1) engine.handle([fuzzer.int(0x80, 0xef), fuzzer.int(0, 127), fuzzer.int(0, 127)], message);
        tally.count('mixxx imported');
      } catch (error) {
        if (!(error instanceof MixxxImportError) || NOT_WORDS.test(unquoted(error.message))) failures.push(String(error).slice(0, 300));
        tally.count('mixxx refused');
      }
    }
    expect(failures).toEqual([]);
  });
});
