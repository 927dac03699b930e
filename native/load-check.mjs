#!/usr/bin/env node
// The native-module load check: loads each native module Mixdeck uses, the way the app does,
// and says in words which are missing and what still works without them.
//
//   node native/load-check.mjs            a sentence per module
//   node native/load-check.mjs --json     the same as one JSON object
//   node native/load-check.mjs --root DIR check the node_modules under DIR instead of this checkout's
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ module: string, purpose: string, loaded: boolean, usable: boolean, detail: string, withoutIt: string }} NativeModuleReport
 */

/** The native modules, what each is for, and what Mixdeck does without it. */
export const NATIVE_MODULES = [
  {
    module: 'better-sqlite3',
    purpose: 'the library database (tracks, playlists, settings, stream targets, karaoke scores)',
    withoutIt: 'Mixdeck cannot start without it: every part of the app keeps its data in that database. Reinstall with `npm ci` (it builds from source with python3, make and a C++ compiler).',
    probe: (Database) => {
      try {
        new Database(':memory:').close();
        return null;
      } catch (error) {
        return `it loads but cannot open a database (${firstLine(error)})`;
      }
    },
  },
  {
    module: 'naudiodon',
    purpose: 'audio devices through PortAudio (the DJ mixer\'s input for a broadcast, the monitor output)',
    withoutIt: 'Audio devices cannot be listed or opened, so a set cannot take its sound from a sound card. Everything else works: the player, the studio and karaoke play in the page, and a set can stream a file or a test tone. On Linux install libasound2-dev, then `npm ci`.',
    probe: () => null,
  },
  {
    module: '@julusian/midi',
    purpose: 'MIDI controllers (RtMidi): mapped actions, LED feedback, MIDI clock',
    withoutIt: 'MIDI controllers cannot be used. Everything else works, including mappings prepared or imported for later and the MIDI CLI (import, replay).',
    /** Loaded is not enough: RtMidi also needs the system's MIDI service. */
    probe: (midi) => {
      try {
        new midi.Input().closePort();
        return null;
      } catch {
        return 'it loads, but this computer\'s MIDI system (the ALSA sequencer, /dev/snd/seq; kernel module snd-seq) is not there, so no controller can be opened';
      }
    },
  },
];

/**
 * Loads each module from `root`'s node_modules (this checkout by default).
 * @param {{ root?: string }} [options]
 * @returns {NativeModuleReport[]}
 */
export function checkNativeModules(options = {}) {
  const require = createRequire(join(options.root ?? PACKAGE_ROOT, 'package.json'));
  return NATIVE_MODULES.map(({ module, purpose, withoutIt, probe }) => {
    let loaded;
    try {
      loaded = require(module);
    } catch (error) {
      const reason = /** @type {Error & { code?: string }} */ (error).code === 'MODULE_NOT_FOUND' ? 'it is not installed' : `it is installed but does not load (${firstLine(error)})`;
      return { module, purpose, loaded: false, usable: false, detail: reason, withoutIt };
    }
    const problem = probe(loaded);
    return { module, purpose, loaded: true, usable: problem === null, detail: problem ?? 'loads and works', withoutIt: problem === null ? '' : withoutIt };
  });
}

/** @param {unknown} error */
function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split('\n')[0].slice(0, 200);
}

/**
 * One sentence per module, and a last line with what still works.
 * @param {NativeModuleReport[]} reports
 */
export function describeNativeModules(reports) {
  const lines = reports.map((report) => `${report.usable ? 'ok     ' : 'MISSING'} ${report.module}: ${report.detail}${report.usable ? '' : `. ${report.withoutIt}`}`);
  const missing = reports.filter((report) => !report.usable);
  lines.push(missing.length === 0 ? 'Every native module loads: all of Mixdeck works here.' : `${missing.length} of ${reports.length} native modules cannot be used here (${missing.map((report) => report.module).join(', ')}); the rest of Mixdeck works as said above.`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootIndex = args.indexOf('--root');
  const reports = checkNativeModules(rootIndex >= 0 ? { root: resolve(args[rootIndex + 1] ?? '.') } : {});
  process.stdout.write(`${args.includes('--json') ? JSON.stringify({ modules: reports }) : describeNativeModules(reports)}\n`);
  process.exitCode = reports.some((report) => report.module === 'better-sqlite3' && !report.usable) ? 1 : 0;
}
