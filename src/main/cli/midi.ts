import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MixdeckError } from '../../shared/contract';
import { importMixxxMapping, MixxxImportError } from '../services/midi/mixxx-import';
import { createRtMidiBackend } from '../services/midi/ports';
import { MidiMappingFileError, MidiStreamError, parseMappingJson, parseMidiStream, replayStream } from '../services/midi/replay';
import type { CliIo } from './io';

export const MIDI_HELP = `mixdeck midi <command>

Commands:
  devices                                   the MIDI controllers this computer sees (or why none can be used)
  mapping import FILE.midi.xml --out MAPPING.json [--json]
                                            turn a Mixxx mapping into a Mixdeck mapping; with --json prints
                                            {"mapped":[{status,midino,action}…],"unmapped":[{key,reason}…]}
  replay MAPPING.json --input STREAM.txt [--json]
                                            feed a recorded stream (a line per message: milliseconds, then hex
                                            bytes, e.g. "120 90 0b 7f") through the mapping, as live; prints one
                                            line per action ({"t","action","value"} with --json)
`;

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new MixdeckError('not-found', `The ${what} "${path}" does not exist or cannot be read.`);
  }
}

async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, json: { type: 'boolean' } } });
  const [xmlPath, ...extra] = positionals;
  if (!xmlPath || extra.length > 0 || !values.out) {
    io.err(`mixdeck midi mapping import: give one Mixxx file and --out MAPPING.json.\n\n${MIDI_HELP}`);
    return 2;
  }
  const xml = await readText(xmlPath, 'Mixxx mapping');
  let result;
  try {
    result = importMixxxMapping(xml, basename(xmlPath).replace(/\.midi\.xml$/i, ''));
  } catch (error) {
    if (error instanceof MixxxImportError) throw new MixdeckError('invalid-input', `${xmlPath}: ${error.message}.`);
    throw error;
  }
  await writeFile(values.out, `${JSON.stringify(result.mapping, null, 2)}\n`);
  if (values.json) {
    io.out(JSON.stringify({ mapped: result.report.mapped, unmapped: result.report.unmapped }));
  } else {
    io.out(`${result.mapping.name}: ${result.report.mapped.length} controls mapped, ${result.report.unmapped.length} not mapped; written to ${values.out}.`);
    for (const note of result.notes) io.out(note);
    for (const entry of result.report.unmapped) io.out(`  not mapped: ${entry.key}: ${entry.reason}`);
  }
  return 0;
}

async function runReplay(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { input: { type: 'string' }, json: { type: 'boolean' } } });
  const [mappingPath, ...extra] = positionals;
  if (!mappingPath || extra.length > 0 || !values.input) {
    io.err(`mixdeck midi replay: give one mapping file and --input STREAM.txt.\n\n${MIDI_HELP}`);
    return 2;
  }
  let mapping;
  let messages;
  try {
    mapping = parseMappingJson(await readText(mappingPath, 'mapping'));
  } catch (error) {
    if (error instanceof MidiMappingFileError) throw new MixdeckError('invalid-input', `${mappingPath}: ${error.message}.`);
    throw error;
  }
  try {
    messages = parseMidiStream(await readText(values.input, 'stream'));
  } catch (error) {
    if (error instanceof MidiStreamError) throw new MixdeckError('invalid-input', `${values.input}, ${error.message}.`);
    throw error;
  }
  for (const action of replayStream(mapping, messages)) {
    if (values.json) {
      io.out(JSON.stringify({ t: action.tMs, action: action.action, value: action.value, ...(action.slot !== null ? { slot: action.slot } : {}), ...(action.note !== null ? { note: action.note } : {}) }));
    } else {
      io.out(`${action.tMs} ms  ${action.action}${action.slot !== null ? ` ${action.slot}` : ''}${action.note !== null ? ` note ${action.note}` : ''}  ${Number(action.value.toFixed(5))}`);
    }
  }
  return 0;
}

function runDevices(io: CliIo): number {
  const backend = createRtMidiBackend();
  if (backend.unavailableReason) {
    io.out(backend.unavailableReason);
    return 0;
  }
  const inputs = backend.listInputs();
  const outputs = backend.listOutputs();
  if (inputs.length + outputs.length === 0) io.out('No MIDI controller is connected.');
  for (const name of [...new Set([...inputs, ...outputs])]) io.out(`${name}${inputs.includes(name) ? '  in' : ''}${outputs.includes(name) ? '  out' : ''}`);
  return 0;
}

export async function runMidi(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'mapping' && rest[0] === 'import') return runImport(rest.slice(1), io);
  if (command === 'replay') return runReplay(rest, io);
  if (command === 'devices') return runDevices(io);
  if (command === undefined || command === '--help' || command === '-h') {
    io.out(MIDI_HELP);
    return command === undefined ? 2 : 0;
  }
  io.err(`mixdeck midi: unknown command "${[command, rest[0]].filter(Boolean).join(' ')}". Try "mixdeck midi --help".`);
  return 2;
}
