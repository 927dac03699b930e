import type { Migration } from '../migrate';
import { migration0001 } from './0001-settings-and-secrets';
import { migration0002 } from './0002-library';

/** Every schema change, in order. Append; never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002];
