import type { Migration } from '../migrate';

/** Reserved for the broadcast capability's tables; the owner of that capability fills it in. */
export const migration0005: Migration = {
  version: 5,
  name: 'broadcast',
  up() {},
};
