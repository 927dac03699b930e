import type { studioCalls } from '../../shared/contract';
import type { Capability, CapabilityContext } from './capability';

/** Binds main/services/studio to the contract's studio calls. */
export function createStudioCapability(_context: CapabilityContext): Capability<typeof studioCalls> {
  return { handlers: {} };
}
