import type { karaokeCalls } from '../../shared/contract';
import type { Capability, CapabilityContext } from './capability';

/** Binds main/services/karaoke to the contract's karaoke calls. */
export function createKaraokeCapability(_context: CapabilityContext): Capability<typeof karaokeCalls> {
  return { handlers: {} };
}
