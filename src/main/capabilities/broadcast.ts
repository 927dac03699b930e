import type { broadcastCalls } from '../../shared/contract';
import type { Capability, CapabilityContext } from './capability';

/** Binds main/services/broadcast to the contract's broadcast calls. */
export function createBroadcastCapability(_context: CapabilityContext): Capability<typeof broadcastCalls> {
  return { handlers: {} };
}
