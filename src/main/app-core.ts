import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MixdeckError, type TransportKind } from '../shared/contract';
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
import type { CapabilityContext } from './capabilities/capability';
import { createKaraokeCapability } from './capabilities/karaoke';
import { createLibraryCapability } from './capabilities/library';
import { createStudioCapability } from './capabilities/studio';
import type { MediaFileResolver } from './host/karaoke-media';

export interface AppCoreOptions {
  /** The user-data folder: mixdeck.db, logs/, and (web/CLI) secret.key. */
  dataDir: string;
  transport: TransportKind;
  /** Electron passes a safeStorage cipher; otherwise a key file in dataDir is used. */
  secretCipher?: SecretCipher;
  /** Electron passes a native folder picker; the web host has none. */
  pickFolder?: (title?: string) => Promise<string | null>;
  logEcho?: boolean;
  logLevel?: LogLevel;
  appVersion?: string;
}

export interface AppCore {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly logger: Logger;
  readonly settings: SettingsService;
  readonly secrets: SecretStore;
  readonly dataDir: string;
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
  const secrets = new SecretStore(db, options.secretCipher ?? new KeyFileCipher(join(options.dataDir, 'secret.key')), logger.redactor);
  const version = options.appVersion ?? packageVersion();
  const startupNotices: string[] = [];
  if (movedAsideTo) startupNotices.push(`Your library database could not be read, so a new one was started. The old file was kept as ${movedAsideTo}.`);

  const context: CapabilityContext = { dataDir: options.dataDir, transport: options.transport, db, logger, events, secrets, settings };
  const capabilities = [
    createBroadcastCapability(context),
    createLibraryCapability(context),
    createKaraokeCapability(context),
    createStudioCapability(context),
  ] as const;
  const [broadcast, library, karaoke, studio] = capabilities;

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
      return { path: await options.pickFolder(title) };
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'settings.reset': ({ section }) => settings.reset(section),
    'audio.listDevices': () => listAudioDevices(),
    ...broadcast.handlers,
    ...library.handlers,
    ...karaoke.handlers,
    ...studio.handlers,
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
