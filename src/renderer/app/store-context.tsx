import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ShellState, ShellStore } from './store';

const StoreContext = createContext<ShellStore | null>(null);

export function ShellStoreProvider({ store, children }: { store: ShellStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Reads from the shell store. Select primitives or stable references: a new object per call re-renders forever. */
export function useShell<T>(selector: (state: ShellState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useShell needs a <ShellStoreProvider> above it.');
  return useStore(store, selector);
}
