import type { Migration } from '../migrate';

/** Reserved for the library capability's tables; the owner of that capability fills it in. */
export const migration0003: Migration = {
  version: 3,
  name: 'library-files',
  up() {},
};
