import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MixdeckError, type PickKind, type PickPurpose, type TransportKind } from '../shared/contract';
import { createDispatcher, type Dispatcher, type Handlers } from './host/dispatcher';
import { EventHub } from './host/event-hub';
import { PACKAGE_ROOT } from './paths';
import { listAudioDevices } from './services/audio-io/devices';
import { openDatabase } from './services/database/database';
import { createLogger, type Logger, type LogLevel } from './services/log/logger';
import { KeyFileCipher } from './services/secrets/key-file-cipher';
import type { SecretCipher } from './services/secrets/secret-cipher';
import { SecretStore } from './services/secrets/secret-store';
import { SettingsService } from './services/settings/settings-service';
import { createBroadcastCapability } from './capabilities/broadcast';
import { createFilesCapability, type NativeDialogRequest } from './capabilities/files';
import { PathGrants } from './services/files/path-grants';
import type { FolderBrowserOptions } from './services/files/folder-browser';
import type { CapabilityContext } from './capabilities/capability';
import { createKaraokeCapability } from './capabilities/karaoke';
import { createLibraryCapability } from './capabilities/library';
import { createStudioCapability } from './capabilities/studio';
import { createMidiCapability } from './capabilities/midi';
import { createRemoteCapability } from './capabilities/remote';
import type { MidiBackend } from './services/midi/ports';
import type { MediaFileResolver } from './host/karaoke-media';

export interface AppCoreOptions {
  /** The user-data folder: mixdeck.db, logs/, and (web/CLI) secret.key. */
  dataDir: string;
  transport: TransportKind;
  /** Electron passes a safeStorage cipher; otherwise a key file in dataDir is used. */
  secretCipher?: SecretCipher;
  /** Electron passes a native folder picker; the web host has none. */
  pickFolder?: (title?: string) => Promise<string | null>;
  /** Electron passes its native open dialog; what it returns is granted to the page for this run. */
  nativeDialog?: (request: NativeDialogRequest) => Promise<string | null>;
  /** Where the web host's folder browser may go (default: the user's home and mounted volumes). */
  fileBrowser?: FolderBrowserOptions;
  logEcho?: boolean;
  logLevel?: LogLevel;
  appVersion?: string;
  /** The MIDI system: RtMidi by default; tests hand in a virtual one (no ALSA sequencer here). */
  midiBackend?: MidiBackend;
}

export interface AppCore {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly settings: SettingsService;
  readonly secrets: SecretStore;
  readonly dataDir: string;
  /** Grants a path as if the user had picked it in a native dialog (the Electron glue, and tests). */
  grantPicked(path: string, kind: PickKind, purpose: PickPurpose): void;
  /** Karaoke songs’ files the web host serves under /media/karaoke/ (audio, video, images), by id. */
  readonly karaokeMediaFiles: MediaFileResolver;
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The one composition root: opens storage, builds the services, and binds them to the contract. */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const logger = createLogger({ directory: join(options.dataDir, 'logs'), echo: options.logEcho, level: options.logLevel });
  const events = new EventHub(logger.child('events'));
  const { db, movedAsideTo } = openDatabase(join(options.dataDir, 'mixdeck.db'), logger.child('database'));
  const settings = new SettingsService({
    db,
    logger: logger.child('settings'),
    onDidChange: (value) => events.emit('settings.changed', value),
  });
  const cipher = options.secretCipher ?? new KeyFileCipher(join(options.dataDir, 'secret.key'));
  const secrets = new SecretStore(db, cipher, logger.redactor);
  const version = options.appVersion ?? packageVersion();
  const startupNotices: string[] = [];
  if (movedAsideTo) startupNotices.push(`Your library database could not be read, so a new one was started. The old file was kept as ${movedAsideTo}.`);
  if (cipher instanceof KeyFileCipher && cipher.movedAsideTo) {
    startupNotices.push(`The secret key file could not be used, so a new one was made and the old one kept as ${cipher.movedAsideTo}. Enter your stream keys again.`);
  }

  const paths = new PathGrants();
  const context: CapabilityContext = { dataDir: options.dataDir, transport: options.transport, db, logger, events, secrets, settings, paths };
  const files = createFilesCapability(context, {
    ...(options.nativeDialog ? { nativeDialog: options.nativeDialog } : {}),
    ...(options.fileBrowser ? { browser: options.fileBrowser } : {}),
  });
  const capabilities = [
    createBroadcastCapability(context),
    createLibraryCapability(context),
    createKaraokeCapability(context),
    createStudioCapability(context),
    // Controllers run contract calls (Go Live, End) through the same validated dispatcher as the page.
    createMidiCapability(context, { backend: options.midiBackend, callMain: (name, input) => dispatcher.dispatch(name, input, { transport: 'ipc', origin: 'midi-controller' }) }),
    // The phone remote's listener reaches only its allow-list, through the same dispatcher.
    createRemoteCapability(context, { dispatcher: () => dispatcher }),
  ] as const;
  const [broadcast, library, karaoke, studio, midi, remote] = capabilities;

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Mixdeck',
      version,
      transport: options.transport,
      platform: process.platform,
      nativeDialogs: options.pickFolder !== undefined,
      startupNotices,
    }),
    'app.ping': ({ nonce }) => ({ nonce, serverTimeMs: Date.now() }),
    'system.pickFolder': async ({ title }) => {
      if (!options.pickFolder) {
        throw new MixdeckError('not-supported', 'The browser cannot open a folder picker; type the folder’s full path instead.');
      }
      const picked = await options.pickFolder(title);
      if (picked) files.grantPicked(picked, 'folder', 'music-folder');
      return { path: picked };
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => {
      files.checkSettingsPatch(patch);
      return settings.update(patch);
    },
    'settings.reset': ({ section }) => settings.reset(section),
    'audio.listDevices': () => listAudioDevices(),
    ...files.handlers,
    ...broadcast.handlers,
    ...library.handlers,
    ...karaoke.handlers,
    ...studio.handlers,
    ...midi.handlers,
    ...remote.handlers,
  };

  const dispatcher = createDispatcher(handlers, logger.child('dispatch'));
  logger.info('core started', { transport: options.transport, version, dataDir: options.dataDir, secrets: secrets.protection });
  for (const message of startupNotices) logger.warn(message);

  return {
    dispatcher,
    events,
    logger,
    settings,
    secrets,
    dataDir: options.dataDir,
    grantPicked: files.grantPicked,
    karaokeMediaFiles: (urlPath) => karaoke.resolveMediaFile(urlPath),
    async close() {
      logger.info('core stopping');
      for (const capability of [...capabilities].reverse()) {
        try {
          await capability.close?.();
        } catch (error) {
          logger.error('a capability did not stop cleanly', { error });
        }
      }
      db.close();
    },
  };
}
