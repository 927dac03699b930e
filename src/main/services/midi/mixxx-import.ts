import {
  MidiMappingSchema,
  type MidiActionId,
  type MidiBindingInput,
  type MidiMapping,
  type MidiOutput,
  type MixxxImportReport,
  type RelativeEncoding,
} from '../../../shared/contract/midi';
import { child, childText, parseXml, XmlParseError, type XmlElement } from './xml';

/**
 * Reads a Mixxx controller mapping (`.midi.xml`: `<controller>` with `<controls>` and `<outputs>`)
 * into a Mixdeck mapping. Every control whose Mixxx key has a Mixdeck action is mapped; every
 * other control and output is listed by name with the reason. Mixxx's JavaScript is never run.
 */

export class MixxxImportError extends Error {}

export interface MixxxImportResult {
  readonly mapping: MidiMapping;
  readonly report: MixxxImportReport;
  /** Sentences about the import as a whole (scripts not run…). */
  readonly notes: string[];
}

interface KeyTarget {
  readonly action: MidiActionId;
  readonly control?: 'button' | 'absolute' | 'relative';
  readonly buttonMode?: 'momentary' | 'toggle';
  readonly defaultEncoding?: RelativeEncoding;
}

const DECK_KEYS: Record<string, KeyTarget> = {
  play: { action: 'player.playPause', control: 'button', buttonMode: 'toggle' },
  volume: { action: 'player.volume', control: 'absolute' },
  rate: { action: 'player.pitch', control: 'absolute' },
  jog: { action: 'player.seek', control: 'relative', defaultEncoding: 'offset-64' },
  wheel: { action: 'player.seek', control: 'relative', defaultEncoding: 'offset-64' },
};

const GLOBAL_KEYS: Record<string, Record<string, KeyTarget>> = {
  '[master]': { crossfader: { action: 'player.crossfade', control: 'absolute' } },
  '[playlist]': {
    selectnexttrack: { action: 'player.next', control: 'button' },
    selectprevtrack: { action: 'player.previous', control: 'button' },
  },
};

/** Why a deck key has no Mixdeck equivalent, by the kind of control it is. */
const DECK_REASONS: Array<[RegExp, string]> = [
  [/^(cue_|hotcue_|cue$)/, 'Mixdeck\'s player has no cue points'],
  [/^(beatloop|loop_|reloop|beatjump)/, 'Mixdeck\'s player has no loops'],
  [/^(sync_|beatsync|bpm|quantize|keylock|pitch|key$|rate_)/, 'Mixdeck\'s player does not beat-match or lock keys'],
  [/^(filter|pregain|eq|quick|super)/, 'Mixdeck\'s player has no EQ or filters (use your mixer\'s)'],
  [/^(pfl|headmix|headgain)/, 'Mixdeck does not cue to headphones (use your mixer\'s)'],
  [/^(load|eject)/, 'Mixdeck loads tracks from its library, not onto decks'],
  [/^(scratch|playposition)/, 'Mixdeck seeks by jog steps only, it does not scratch'],
];

function reasonForUnknownKey(group: string, key: string): string {
  const lowerGroup = group.toLowerCase();
  const lowerKey = key.toLowerCase();
  if (/^\[channel[34]\]$/.test(lowerGroup)) return 'Mixdeck\'s player has two decks; decks 3 and 4 have nothing to drive';
  if (/^\[channel[12]\]$/.test(lowerGroup)) {
    for (const [pattern, reason] of DECK_REASONS) if (pattern.test(lowerKey)) return reason;
    return 'no Mixdeck action does this';
  }
  if (lowerGroup.startsWith('[sampler') || lowerGroup.startsWith('[previewdeck')) return 'Mixdeck has no samplers or preview deck';
  if (lowerGroup.includes('effect')) return 'Mixdeck has no effect units';
  if (lowerGroup.startsWith('[library]') || lowerGroup.startsWith('[playlist]')) return 'Mixdeck\'s library is browsed on screen';
  if (lowerGroup.startsWith('[recording]')) return 'Mixdeck records the set when it goes live';
  if (lowerGroup.startsWith('[microphone') || lowerGroup.startsWith('[auxiliary')) return 'Mixdeck takes the microphone from the mixer\'s input, not a separate channel';
  return 'no Mixdeck action does this';
}

function parseNumber(text: string | undefined, what: string): number {
  if (text === undefined || text === '') throw new MixxxImportError(`a control has no ${what}`);
  const value = /^0x/i.test(text) ? Number.parseInt(text.slice(2), 16) : Number(text);
  if (!Number.isInteger(value)) throw new MixxxImportError(`"${text}" is not a number (${what})`);
  return value;
}

function optionNames(control: XmlElement): string[] {
  const options = child(control, 'options');
  return options ? options.children.map((option) => option.name.toLowerCase()) : [];
}

interface ParsedControl {
  readonly group: string;
  readonly key: string;
  readonly status: number;
  readonly midino: number;
  readonly options: readonly string[];
}

export function importMixxxMapping(xml: string, fallbackName = 'Imported Mixxx mapping'): MixxxImportResult {
  let document;
  try {
    document = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlParseError) throw new MixxxImportError(`this is not a readable XML file (${error.message})`);
    throw error;
  }
  if (!/^Mixxx(Controller|MIDI)Preset$/i.test(document.name)) throw new MixxxImportError(`this is not a Mixxx mapping (its top element is <${document.name}>, not <MixxxControllerPreset>)`);
  const controller = child(document, 'controller');
  if (!controller) throw new MixxxImportError('the mapping has no <controller> element');
  const name = childText(child(document, 'info') ?? document, 'name') || controller.attributes.id || fallbackName;

  const notes: string[] = [];
  const scripts = child(controller, 'scriptfiles')?.children.filter((file) => file.name.toLowerCase() === 'file') ?? [];
  if (scripts.length > 0) {
    notes.push(`Mixxx's JavaScript (${scripts.map((file) => file.attributes.filename ?? '?').join(', ')}) is not run: controls bound to script functions are listed as not mapped.`);
  }

  const controls: ParsedControl[] = (child(controller, 'controls')?.children ?? [])
    .filter((element) => element.name.toLowerCase() === 'control')
    .map((element) => ({
      group: childText(element, 'group') ?? '',
      key: childText(element, 'key') ?? '',
      status: parseNumber(childText(element, 'status'), 'status'),
      midino: parseNumber(childText(element, 'midino'), 'midino'),
      options: optionNames(element),
    }));

  const bindings: MidiBindingInput[] = [];
  const mapped: MixxxImportResult['report']['mapped'] = [];
  const unmapped: MixxxImportReport['unmapped'] = [];
  const label = (control: { group: string; key: string }): string => `${control.group}${control.key}`;

  for (const control of controls) {
    if (control.status < 0x80 || control.status > 0xef || control.midino < 0 || control.midino > 127) {
      unmapped.push({ key: label(control), reason: `status 0x${control.status.toString(16)} / midino ${control.midino} is not a channel message Mixdeck can bind` });
      continue;
    }
    if (control.options.includes('script-binding') || control.key.includes('.')) {
      unmapped.push({ key: label(control), reason: 'it calls Mixxx JavaScript, which Mixdeck does not run' });
      continue;
    }
    const lowerGroup = control.group.toLowerCase();
    const deck = /^\[channel([12])\]$/.exec(lowerGroup)?.[1];
    const target = deck ? DECK_KEYS[control.key.toLowerCase()] : GLOBAL_KEYS[lowerGroup]?.[control.key.toLowerCase()];
    if (!target) {
      unmapped.push({ key: label(control), reason: reasonForUnknownKey(control.group, control.key) });
      continue;
    }
    const isLsb = control.options.includes('fourteen-bit-lsb');
    const slot = deck ? Number(deck) : undefined;
    mapped.push({ status: control.status, midino: control.midino, action: target.action, ...(slot ? { slot } : {}) });
    if (isLsb) continue; // folded into its MSB's binding below
    const isNote = control.status >> 4 === 0x9 || control.status >> 4 === 0x8;
    const isPitchBend = control.status >> 4 === 0xe;
    const relativeEncoding = relativeFromOptions(control.options) ?? (target.control === 'relative' ? target.defaultEncoding : undefined);
    const controlKind = isNote || control.options.includes('button') || control.options.includes('switch') ? 'button' : relativeEncoding ? 'relative' : isPitchBend ? 'absolute' : (target.control ?? 'absolute');
    const binding: MidiBindingInput = {
      status: isNote ? 0x90 | (control.status & 0x0f) : control.status,
      midino: isPitchBend ? 0 : control.midino,
      action: target.action,
      ...(slot ? { slot } : {}),
      control: controlKind,
      buttonMode: controlKind === 'button' ? (target.buttonMode ?? 'momentary') : 'momentary',
      ...(controlKind === 'relative' ? { encoding: relativeEncoding ?? 'twos-complement' } : {}),
      softTakeover: control.options.includes('soft-takeover') || control.options.includes('softtakeover'),
      invert: control.options.includes('invert') || control.options.includes('rot64inv'),
    };
    if (control.options.includes('fourteen-bit-msb')) {
      const lsb = controls.find((other) => other !== control && other.group === control.group && other.key === control.key && other.options.includes('fourteen-bit-lsb'));
      if (lsb) binding.lsbMidino = lsb.midino;
      else notes.push(`${label(control)}: the 14-bit pair has no LSB control, so it is read as 7-bit.`);
    }
    if (control.options.includes('rot64fast') || control.options.includes('spread64')) notes.push(`${label(control)}: Mixxx's encoder acceleration is not copied; the encoder moves one step per tick.`);
    bindings.push(binding);
  }
  for (const control of controls.filter((candidate) => candidate.options.includes('fourteen-bit-lsb'))) {
    const hasMsb = controls.some((other) => other !== control && other.group === control.group && other.key === control.key && other.options.includes('fourteen-bit-msb'));
    if (!hasMsb && mapped.some((entry) => entry.status === control.status && entry.midino === control.midino)) notes.push(`${label(control)}: a 14-bit LSB without its MSB is ignored.`);
  }

  const outputs: MidiOutput[] = [];
  const meterCandidates: Array<{ status: number; midino: number; on: number; off: number; minimum: number }> = [];
  for (const element of (child(controller, 'outputs')?.children ?? []).filter((candidate) => candidate.name.toLowerCase() === 'output')) {
    const group = childText(element, 'group') ?? '';
    const key = childText(element, 'key') ?? '';
    const status = parseNumber(childText(element, 'status'), 'output status');
    const midino = parseNumber(childText(element, 'midino'), 'output midino');
    const on = childText(element, 'on') === undefined ? 0x7f : parseNumber(childText(element, 'on'), 'on value');
    const off = childText(element, 'off') === undefined ? 0 : parseNumber(childText(element, 'off'), 'off value');
    const deck = /^\[channel([12])\]$/i.exec(group)?.[1];
    const lowerKey = key.toLowerCase();
    const outputLabel = `${group}${key} (output)`;
    if (status < 0x80 || status > 0xef || midino > 127 || on > 127 || off > 127) {
      unmapped.push({ key: outputLabel, reason: 'its bytes are not a channel message' });
    } else if (deck && (lowerKey === 'play' || lowerKey === 'play_indicator')) {
      outputs.push({ source: 'player.playing', slot: Number(deck), status, midino, on, off });
    } else if (/^\[(master|main)\]$/i.test(group) && /^vumeter(l|r)?$/.test(lowerKey)) {
      meterCandidates.push({ status, midino, on, off, minimum: Number(childText(element, 'minimum') ?? '0') });
    } else {
      unmapped.push({ key: outputLabel, reason: deck || /^\[channel/i.test(group) ? 'Mixdeck\'s player shows only its play state on a controller' : 'no Mixdeck state is shown on this light' });
    }
  }
  outputs.push(...meterRows(meterCandidates));

  const mapping = MidiMappingSchema.parse({
    format: 'mixdeck-midi-mapping',
    version: 1,
    name: name.slice(0, 200),
    device: (controller.attributes.id ?? '').slice(0, 200),
    bindings,
    outputs,
    notes: [...notes, ...unmapped.map((entry) => `Not mapped: ${entry.key}: ${entry.reason}.`)].slice(0, 2000).map((note) => note.slice(0, 500)),
  });
  return { mapping, report: { mapped, unmapped }, notes };
}

function relativeFromOptions(options: readonly string[]): RelativeEncoding | undefined {
  if (options.some((option) => option === 'rot64' || option === 'rot64inv' || option === 'rot64fast' || option === 'spread64')) return 'offset-64';
  if (options.some((option) => option === 'diff' || option === 'selectknob' || option === 'hercjog')) return 'twos-complement';
  return undefined;
}

/** Mixxx lights a VU meter one LED per output, each from its own minimum; a run of them on consecutive notes is one LED row. */
function meterRows(candidates: Array<{ status: number; midino: number; on: number; off: number; minimum: number }>): MidiOutput[] {
  const rows: MidiOutput[] = [];
  const byStatus = new Map<number, typeof candidates>();
  for (const candidate of candidates) byStatus.set(candidate.status, [...(byStatus.get(candidate.status) ?? []), candidate]);
  for (const [status, leds] of byStatus) {
    const sorted = [...leds].sort((a, b) => a.midino - b.midino);
    let start = 0;
    for (let index = 1; index <= sorted.length; index += 1) {
      if (index < sorted.length && sorted[index]!.midino === sorted[index - 1]!.midino + 1) continue;
      const run = sorted.slice(start, index);
      rows.push({ source: 'broadcast.meter', status, midino: run[0]!.midino, on: run[0]!.on, off: run[0]!.off, ledCount: Math.min(32, run.length) });
      start = index;
    }
  }
  return rows;
}
