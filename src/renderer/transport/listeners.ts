/** A small set of listeners keyed by name, shared by both clients. */
export class ListenerMap<T> {
  private readonly byName = new Map<string, Set<(value: T) => void>>();

  add(name: string, listener: (value: T) => void): () => void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit(name: string, value: T): void {
    for (const listener of this.byName.get(name) ?? []) {
      try {
        listener(value);
      } catch (error) {
        console.error(`Listener for ${name} failed`, error);
      }
    }
  }
}
