import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MappingEngine } from './mapping-engine';
import { importMixxxMapping } from './mixxx-import';
import { parseMidiStream } from './replay';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const controlCount = (xml: string): number => xml.match(/<control>/g)!.length;
const outputCount = (xml: string): number => xml.match(/<output>/g)?.length ?? 0;

describe('importing a Mixxx mapping', () => {
  it('maps every control with a Mixdeck action and lists the rest by name with the reason', () => {
    const xml = fixture('two-deck.midi.xml');
    const { mapping, report, notes } = importMixxxMapping(xml);

    expect(mapping.name).toBe('Test Deck Two');
    expect(mapping.device).toBe('Test Deck Two MIDI 1');
    const unmappedControls = report.unmapped.filter((entry) => !entry.key.endsWith('(output)'));
    // Every <control> is accounted for, once.
    expect(report.mapped.length + unmappedControls.length).toBe(controlCount(xml));
    expect(report.mapped.map((entry) => `${entry.action}${entry.slot ?? ''} ${entry.status.toString(16)}/${entry.midino}`).sort()).toEqual(
      [
        'player.playPause1 90/11',
        'player.playPause2 91/11',
        'player.volume1 b0/19',
        'player.volume2 b1/19',
        'player.pitch1 b0/0',
        'player.pitch1 b0/32',
        'player.pitch2 b1/0',
        'player.pitch2 b1/32',
        'player.seek1 b0/33',
        'player.seek2 b1/33',
        'player.crossfade b6/31',
        'player.next 96/1',
        'player.previous 96/2',
      ].sort(),
    );
    const reasons = Object.fromEntries(report.unmapped.map((entry) => [entry.key, entry.reason]));
    expect(reasons['[Channel1]cue_default']).toBe('Mixdeck\'s player has no cue points');
    expect(reasons['[Channel1]hotcue_1_activate']).toBe('Mixdeck\'s player has no cue points');
    expect(reasons['[Channel2]pfl']).toMatch(/headphones/);
    expect(reasons['[Channel2]beatloop_4_toggle']).toMatch(/no loops/);
    expect(reasons['[EqualizerRack1_[Channel1]_Effect1]parameter1']).toMatch(/effect/);
    expect(reasons['[Sampler1]cue_gotoandplay']).toMatch(/samplers/);
    expect(reasons['[Channel1]TestDeckTwo.wheelTouch']).toMatch(/JavaScript, which Mixdeck does not run/);
    expect(reasons['[Channel3]play']).toMatch(/two decks/);
    expect(reasons['[Library]MoveFocusForward']).toMatch(/library/);
    expect(reasons['[Channel1]cue_indicator (output)']).toBeDefined();
    expect(reasons['[Channel1]sync_enabled (output)']).toBeDefined();
    expect(notes.join(' ')).toContain('Test-Deck-Two-scripts.js) is not run');

    // The outputs: both play LEDs and the four VU LEDs as one row.
    expect(mapping.outputs).toEqual([
      { source: 'player.playing', slot: 1, status: 0x90, midino: 0x0b, on: 0x7f, off: 0 },
      { source: 'player.playing', slot: 2, status: 0x91, midino: 0x0b, on: 0x7f, off: 0 },
      { source: 'broadcast.meter', status: 0x96, midino: 0x50, on: 0x7f, off: 0, ledCount: 4 },
    ]);
    expect(mapping.outputs.length - 1 + 4 + report.unmapped.length - unmappedControls.length).toBe(outputCount(xml));
  });

  it('gives a mapping that plays the controller as Mixxx would: toggles, 14-bit rate, encoders, inverted crossfader, soft takeover', () => {
    const { mapping } = importMixxxMapping(fixture('two-deck.midi.xml'));
    const engine = new MappingEngine(mapping);
    engine.setState('player.volume', 2, 0.8);
    const stream = parseMidiStream(`
      0  90 0b 7f
      1  80 0b 00
      2  90 0b 7f
      10 b0 00 40
      11 b0 20 00
      20 b0 21 7f
      21 b1 21 41
      30 b6 1f 7f
      40 b1 13 00
      50 b1 13 66
      60 96 01 7f
    `);
    const actions = stream.flatMap((message) => engine.handle(message.bytes, message.tMs)).map(({ action, slot, value }) => [action, slot, Number(value.toFixed(4))]);
    expect(actions).toEqual([
      ['player.playPause', 1, 1],
      ['player.playPause', 1, 0],
      ['player.pitch', 1, Number((8192 / 16383).toFixed(4))],
      ['player.seek', 1, -1],
      ['player.seek', 2, 1],
      ['player.crossfade', null, 0],
      ['player.volume', 2, Number((0x66 / 127).toFixed(4))],
      ['player.next', null, 1],
    ]);
    expect(engine.setState('player.playing', 1, 1)).toEqual([[0x90, 0x0b, 0x7f]]);
  });

  it('reads the older MixxxMIDIPreset files and their option spellings', () => {
    const xml = fixture('older-preset.midi.xml');
    const { mapping, report } = importMixxxMapping(xml);
    expect(report.mapped.length + report.unmapped.length).toBe(controlCount(xml));
    const byAction = Object.fromEntries(mapping.bindings.map((binding) => [`${binding.action}${binding.slot ?? ''}`, binding]));
    expect(byAction['player.seek1']).toMatchObject({ control: 'relative', encoding: 'offset-64', invert: true });
    expect(byAction['player.seek2']).toMatchObject({ control: 'relative', encoding: 'twos-complement', invert: false });
    expect(byAction['player.playPause1']).toMatchObject({ control: 'button', buttonMode: 'toggle', status: 0xb0, midino: 8 });
    expect(byAction['player.pitch1']).toMatchObject({ control: 'absolute', status: 0xe0 });
    expect(byAction['player.crossfade']).toMatchObject({ softTakeover: true });
    expect(report.unmapped.map((entry) => entry.key).sort()).toEqual(['[Channel1]HerculesLike.jog', '[Microphone]talkover', '[Recording]toggle_recording']);
  });

  it('refuses what is not a Mixxx mapping, in words', () => {
    expect(() => importMixxxMapping('<html><body/></html>')).toThrow('not a Mixxx mapping');
    expect(() => importMixxxMapping('<MixxxControllerPreset><controller><controls><control>')).toThrow(/never closed/);
    expect(() => importMixxxMapping('not xml at all')).toThrow(/exactly one top element/);
    expect(() => importMixxxMapping('<MixxxControllerPreset><controller><controls><control><group>[Channel1]</group><key>play</key><status>ninety</status><midino>1</midino></control></controls></controller></MixxxControllerPreset>')).toThrow('"ninety" is not a number');
  });
});
