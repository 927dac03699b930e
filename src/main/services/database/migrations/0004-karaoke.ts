import type { Migration } from '../migrate';

/** Reserved for the karaoke capability's tables; the owner of that capability fills it in. */
export const migration0004: Migration = {
  version: 4,
  name: 'karaoke',
  up() {},
};
