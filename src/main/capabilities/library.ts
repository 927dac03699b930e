import type { libraryCalls } from '../../shared/contract';
import type { Capability, CapabilityContext } from './capability';

/** Binds main/services/library to the contract's library calls. */
export function createLibraryCapability(_context: CapabilityContext): Capability<typeof libraryCalls> {
  return { handlers: {} };
}
