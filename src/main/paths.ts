import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository / installed package root, found from this file's place in src/main or out/main. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the built renderer lives; the web host serves it and Electron loads it. */
export const RENDERER_DIR = join(PACKAGE_ROOT, 'out', 'renderer');

/**
 * The same user-data folder Electron's app.getPath('userData') gives a "Mixdeck" app, so the
 * CLI, the web host and the desktop app share one library. MIXDECK_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MIXDECK_DATA_DIR) return resolve(env.MIXDECK_DATA_DIR);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Mixdeck');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Mixdeck');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Mixdeck');
}
