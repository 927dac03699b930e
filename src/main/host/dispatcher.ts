import {
  calls,
  describeValidationIssues,
  isCallName,
  MixdeckError,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type ContractError,
  type Reply,
} from '../../shared/contract';
import type { Logger } from '../services/log/logger';

/** Who is calling, as the transport saw it. Handlers may use it; they must not trust more than it says. */
export interface CallContext {
  readonly transport: 'ipc' | 'web';
  /** Origin of the page (IPC: the sender frame's; web: the WebSocket's Origin header). */
  readonly origin: string;
}

export type Handler<N extends CallName> = (
  input: CallParsedInput<N>,
  context: CallContext,
) => CallOutput<N> | Promise<CallOutput<N>>;

export type Handlers = { [N in CallName]: Handler<N> };

/** The handlers for one capability's calls (a `…Calls` object from src/shared/contract). */
export type HandlersFor<C> = { [N in keyof C & CallName]: Handler<N> };

export interface Dispatcher {
  /** Validates the channel and input, runs the handler, and always answers with an envelope. */
  dispatch(name: unknown, input: unknown, context: CallContext): Promise<Reply<unknown>>;
}

function failure(error: ContractError): Reply<never> {
  return { ok: false, error };
}

export function createDispatcher(handlers: Handlers, logger: Logger): Dispatcher {
  return {
    async dispatch(name, input, context) {
      if (!isCallName(name)) {
        return failure({ code: 'unknown-channel', message: `There is no call named "${String(name).slice(0, 80)}".` });
      }
      const spec = calls[name];
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) {
        const { message, issues } = describeValidationIssues(parsed.error.issues);
        return failure({ code: 'invalid-input', message, issues });
      }
      const started = performance.now();
      try {
        const handler = handlers[name] as Handler<CallName>;
        const value = await handler(parsed.data as never, context);
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          logger.error('call answered outside its contract', { name, issues: checked.error.issues.length });
          return failure({ code: 'internal', message: 'Mixdeck answered in a form it did not expect; the details are in the log.' });
        }
        const elapsedMs = performance.now() - started;
        if (elapsedMs > 100) logger.warn('slow call', { name, elapsedMs: Math.round(elapsedMs) });
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof MixdeckError) return failure(error.toContractError());
        logger.error('call failed', { name, error });
        return failure({ code: 'internal', message: 'Something went wrong inside Mixdeck; the details are in the log.' });
      }
    },
  };
}
