import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { Logger } from '../services/log/logger';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Services emit typed events here; each transport subscribes and forwards them to its pages. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) {
      this.logger.error('event outside its contract was not sent', { name });
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(name, checked.data);
      } catch (error) {
        this.logger.error('event listener failed', { name, error });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
