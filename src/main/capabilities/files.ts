import { isAbsolute } from 'node:path';
import { MixdeckError, WRITE_PURPOSES, type filesCalls, type PickKind, type PickPurpose, type SettingsPatch } from '../../shared/contract';
import { FolderBrowser, type FolderBrowserOptions } from '../services/files/folder-browser';
import type { PathGrants } from '../services/files/path-grants';
import { systemFolderReason } from '../services/files/system-folders';
import type { Capability, CapabilityContext } from './capability';

export interface NativeDialogRequest {
  kind: PickKind;
  title?: string;
  extensions?: string[];
}

export interface FilesCapabilityOptions {
  /** The desktop app's open dialog (Electron); absent in the web host. */
  nativeDialog?: (request: NativeDialogRequest) => Promise<string | null>;
  browser?: FolderBrowserOptions;
}

export interface FilesCapability extends Capability<typeof filesCalls> {
  /** Grants what the user picked (a native dialog, main's browser) for this run. */
  grantPicked(path: string, kind: PickKind, purpose: PickPurpose): void;
  /** Settings may list only folders the user picked (or already listed): a refusal in words otherwise. */
  checkSettingsPatch(patch: SettingsPatch): void;
}

/** Binds main/services/files (path grants and the folder browser) to the contract's files calls. */
export function createFilesCapability(context: CapabilityContext, options: FilesCapabilityOptions = {}): FilesCapability {
  const browser = new FolderBrowser(options.browser);
  const paths: PathGrants = context.paths;
  const grantPicked = (path: string, kind: PickKind, purpose: PickPurpose): void => paths.grant(path, kind, WRITE_PURPOSES.includes(purpose) ? 'write' : 'read');
  const logger = context.logger.child('files');

  return {
    grantPicked,
    checkSettingsPatch(patch) {
      // Only full paths are checked here; the settings service refuses anything else in its own words.
      const current = context.settings.get().folders;
      for (const folder of patch.folders?.music ?? []) {
        if (current.music.includes(folder) || !isAbsolute(folder)) continue;
        const reason = systemFolderReason(folder, options.browser?.homeDir ? { homeDir: options.browser.homeDir } : {});
        if (reason) throw new MixdeckError('invalid-input', `Music folder: ${reason}`);
        if (!paths.canRead(folder)) throw new MixdeckError('forbidden', `Music folder: Settings lists only folders you picked; choose "${folder}" with the picker.`);
      }
      const recordings = patch.folders?.recordings;
      if (recordings && recordings !== current.recordings && isAbsolute(recordings) && !paths.canWrite(recordings)) {
        throw new MixdeckError('forbidden', `Recordings folder: Mixdeck writes only into a folder you chose for it; choose "${recordings}" with the picker.`);
      }
    },
    handlers: {
      'files.roots': () => ({ roots: browser.roots() }),
      'files.browse': ({ path }) => browser.browse(path),
      'files.pick': ({ path, kind, purpose }) => {
        const real = browser.pickable(path, kind);
        grantPicked(real, kind, purpose);
        logger.info('path picked in the browser', { kind, purpose });
        return { path: real, kind };
      },
      'files.nativeDialog': async ({ kind, purpose, title, extensions }) => {
        if (!options.nativeDialog) throw new MixdeckError('not-supported', 'This host has no native dialog; use the folder browser.');
        const picked = await options.nativeDialog({ kind, ...(title ? { title } : {}), ...(extensions ? { extensions } : {}) });
        if (picked) grantPicked(picked, kind, purpose);
        return { path: picked };
      },
    },
  };
}
