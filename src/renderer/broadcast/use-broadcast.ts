import { useStore } from 'zustand';
import { useShell } from '../app/store-context';
import { broadcastStoreFor, type BroadcastState, type BroadcastStore } from './store';

export function useBroadcastStore(): BroadcastStore {
  const client = useShell((state) => state.client);
  return broadcastStoreFor(client);
}

/** Reads from the broadcast store. Select primitives or stable references, as with `useShell`. */
export function useBroadcast<T>(selector: (state: BroadcastState) => T): T {
  return useStore(useBroadcastStore(), selector);
}
