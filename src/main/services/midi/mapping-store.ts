import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MidiMappingSchema, type MidiMapping } from '../../../shared/contract/midi';
import { MidiMappingFileError, parseMappingJson } from './replay';

export function emptyMapping(device: string): MidiMapping {
  return MidiMappingSchema.parse({ format: 'mixdeck-midi-mapping', version: 1, name: device.slice(0, 200) || 'Controller', device: device.slice(0, 200), bindings: [] });
}

/** One mapping JSON per controller in `<dataDir>/midi/mappings/`, the same JSON a user exports. */
export class MidiMappingStore {
  private readonly folder: string;

  constructor(dataDir: string, private readonly onBrokenFile: (message: string) => void = () => {}) {
    this.folder = join(dataDir, 'midi', 'mappings');
  }

  /** The file for a device: its name made safe for a file name, plus a hash so two names never share one. */
  fileFor(device: string): string {
    const safe = device.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'controller';
    const hash = createHash('sha256').update(device).digest('hex').slice(0, 8);
    return join(this.folder, `${safe}-${hash}.json`);
  }

  get(device: string): MidiMapping | null {
    const file = this.fileFor(device);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      return parseMappingJson(text);
    } catch (error) {
      if (!(error instanceof MidiMappingFileError)) throw error;
      const aside = `${file}.broken-${Date.now()}`;
      renameSync(file, aside);
      this.onBrokenFile(`The mapping for "${device}" could not be read (${error.message}); it was kept as ${aside} and the controller starts unmapped.`);
      return null;
    }
  }

  save(device: string, mapping: MidiMapping): MidiMapping {
    const checked = MidiMappingSchema.parse({ ...mapping, device });
    mkdirSync(this.folder, { recursive: true });
    const file = this.fileFor(device);
    // Write beside, then rename: a crash mid-write never leaves half a mapping.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(checked, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    return checked;
  }
}
