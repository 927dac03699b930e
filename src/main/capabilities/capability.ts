import type Database from 'better-sqlite3';
import type { TransportKind } from '../../shared/contract';
import type { EventHub } from '../host/event-hub';
import type { HandlersFor } from '../host/dispatcher';
import type { PathGrants } from '../services/files/path-grants';
import type { Logger } from '../services/log/logger';
import type { SecretStore } from '../services/secrets/secret-store';
import type { SettingsService } from '../services/settings/settings-service';

/** What the composition root hands each capability: shared storage, logging, events and secrets. */
export interface CapabilityContext {
  readonly dataDir: string;
  readonly transport: TransportKind;
  readonly db: Database.Database;
  readonly logger: Logger;
  readonly events: EventHub;
  readonly secrets: SecretStore;
  readonly settings: SettingsService;
  /** What the page may read and write by path in this run (picked paths and the capabilities' own folders). */
  readonly paths: PathGrants;
}

/** One capability bound to the contract: its call handlers, and how to stop what it started. */
export interface Capability<C> {
  readonly handlers: HandlersFor<C>;
  close?(): Promise<void>;
}
