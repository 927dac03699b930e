import type { Migration } from '../migrate';
import { migration0001 } from './0001-settings-and-secrets';
import { migration0002 } from './0002-library';
import { migration0003 } from './0003-library-files';
import { migration0004 } from './0004-karaoke';
import { migration0005 } from './0005-broadcast';
import { migration0006 } from './0006-studio';

/** Every schema change, in order. Append; never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];
