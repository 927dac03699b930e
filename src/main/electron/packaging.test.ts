import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureChildEntry } from '../services/audio-io/capture-launcher';

/**
 * What `npm run dist` would ship, checked without packaging (that needs Electron's download):
 * electron-builder.yml as electron-builder reads it, and the build in out/ (`npm run build`
 * first; `npm test` does). Every native module, program and worker the app loads must be
 * where the packaged app can load it: .node files and ffmpeg unpacked from the archive, the
 * JavaScript entries beside main's index.js.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const requireHere = createRequire(import.meta.url);
const outMain = join(root, 'out', 'main');

interface BuilderConfig {
  asar?: boolean;
  asarUnpack?: string[];
  files?: string[];
  extraMetadata?: { homepage?: string };
  electronFuses?: { runAsNode?: boolean };
  linux?: { target?: string[]; maintainer?: string };
  deb?: { maintainer?: string; depends?: string[] };
}

let config: BuilderConfig;
let packageJson: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string>; homepage?: string };

beforeAll(() => {
  // js-yaml is what electron-builder itself parses its configuration with.
  const yaml = requireHere('js-yaml') as { load(text: string): unknown };
  config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof packageJson;
});

/** A path inside the app folder, as electron-builder matches it (forward slashes). */
const appPath = (absolute: string): string => relative(root, absolute).split(sep).join('/');
const unpacked = (path: string): boolean => (config.asarUnpack ?? []).some((pattern) => minimatch(path, pattern, { dot: true }));
const shipped = (path: string): boolean => {
  const patterns = config.files ?? [];
  return patterns.some((pattern) => !pattern.startsWith('!') && minimatch(path, pattern, { dot: true })) && !patterns.some((pattern) => pattern.startsWith('!') && minimatch(path, pattern.slice(1), { dot: true }));
};

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function packageFolder(name: string): string {
  return dirname(requireHere.resolve(`${name}/package.json`));
}

const NATIVE_MODULES = ['better-sqlite3', 'naudiodon', '@julusian/midi'] as const;

describe('electron-builder.yml', () => {
  it('ships every native module and ffmpeg-static as a production dependency, never as a dev one', () => {
    for (const name of [...NATIVE_MODULES, 'ffmpeg-static']) {
      const declared = packageJson.dependencies?.[name] ?? packageJson.optionalDependencies?.[name];
      expect(declared, name).toBeTruthy();
      expect(packageJson.devDependencies?.[name], name).toBeUndefined();
    }
  });

  it.each(NATIVE_MODULES)('unpacks %s: every .node file, and everything loaded beside it', (name) => {
    const folder = packageFolder(name);
    const files = filesUnder(folder).map(appPath);
    const binaries = files.filter((path) => path.endsWith('.node'));
    expect(binaries.length, `${name} has no .node file here (npm ci did not build it)`).toBeGreaterThan(0);
    // The whole package, not only the .node files: naudiodon's libportaudio.so.2 and the MIDI
    // loader (load-native.js, its prebuilds/ folder) must sit beside the binary they load.
    const packed = files.filter((path) => !unpacked(path));
    expect(packed, `${name} files left inside the archive`).toEqual([]);
  });

  it('unpacks ffmpeg-static’s binary (a program cannot run from inside the archive)', () => {
    let binary = join(root, 'node_modules', 'ffmpeg-static', process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    try {
      // Where the package is installed, the path it really gives.
      binary = requireHere('ffmpeg-static') as string;
    } catch {
      // Optional: its install downloads the binary, which fails offline; the layout is the package's own.
    }
    expect(unpacked(appPath(binary))).toBe(true);
    expect(unpacked('node_modules/ffmpeg-static/package.json')).toBe(true);
  });

  it('keeps the app in an archive with runAsNode off (so the capture needs utilityProcess)', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses?.runAsNode).toBe(false);
  });

  it('gives the deb its maintainer (with an e-mail) and homepage, and its ALSA dependency', () => {
    expect(config.linux?.target).toContain('deb');
    expect(config.deb?.maintainer ?? config.linux?.maintainer).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]+>$/);
    expect(config.extraMetadata?.homepage ?? packageJson.homepage).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+(\/\S*)?$/);
    expect(config.deb?.depends).toContain('libasound2');
  });
});

describe('the build (out/main)', () => {
  beforeAll(() => {
    if (!existsSync(join(outMain, 'index.js'))) throw new Error('out/main/index.js is missing: run `npm run build` before this test.');
  });

  it('has main, the scan worker and the capture entry side by side, all shipped in the app', () => {
    for (const entry of ['index.js', 'scan-worker.js', 'capture-child.js']) {
      const path = join(outMain, entry);
      expect(statSync(path).isFile(), entry).toBe(true);
      expect(shipped(appPath(path)), entry).toBe(true);
    }
    for (const path of filesUnder(outMain)) expect(shipped(appPath(path)), appPath(path)).toBe(true);
  });

  it('main finds the bundled capture entry beside itself, and forks it with utilityProcess', () => {
    expect(captureChildEntry(pathToFileURL(join(outMain, 'index.js')).href)).toBe(join(outMain, 'capture-child.js'));
    const main = readFileSync(join(outMain, 'index.js'), 'utf8');
    expect(main).toContain('"./capture-child.js"');
    expect(main).toContain('"./scan-worker.js"');
    expect(main).toMatch(/import \{[^}]*\butilityProcess\b[^}]*\} from "electron"/);
  });

  it('the capture entry is self-contained (no chunk of ours) and loads naudiodon from node_modules', () => {
    const capture = readFileSync(join(outMain, 'capture-child.js'), 'utf8');
    const imports = [...capture.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(imports.every((specifier) => specifier!.startsWith('node:')), imports.join(', ')).toBe(true);
    expect(capture).toContain('"naudiodon"');
    expect(capture).toContain('process.parentPort');
  });

  it('every relative import of the built entries exists, and the native modules stay external (loaded from node_modules, where they are unpacked)', () => {
    const built = filesUnder(outMain).filter((path) => path.endsWith('.js'));
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
        expect(existsSync(join(dirname(file), match[1]!)), `${appPath(file)} imports ${match[1]}`).toBe(true);
      }
    }
    const all = built.map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const name of [...NATIVE_MODULES, 'ffmpeg-static']) expect(all, name).toContain(`"${name}"`);
  });
});
