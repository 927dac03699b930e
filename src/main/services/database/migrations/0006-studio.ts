import type { Migration } from '../migrate';

/** Reserved for the studio capability's tables; the owner of that capability fills it in. */
export const migration0006: Migration = {
  version: 6,
  name: 'studio',
  up() {},
};
