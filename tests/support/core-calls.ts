import type { AppCore } from '../../src/main/app-core';
import type { CallName, CallOutput } from '../../src/shared/contract';

/** What the web host tells the dispatcher about a page on this machine. */
export const WEB_CALL_CONTEXT = { transport: 'web' as const, origin: 'http://127.0.0.1' };

/** A contract call through the real dispatcher (validation included); a refusal throws with its code. */
export async function call<N extends CallName>(core: AppCore, name: N, input: unknown): Promise<CallOutput<N>> {
  const reply = await core.dispatcher.dispatch(name, input, WEB_CALL_CONTEXT);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as CallOutput<N>;
}

/** A call that must be refused: answers the refusal's code and sentence. */
export async function failure(core: AppCore, name: CallName, input: unknown): Promise<{ code: string; message: string }> {
  const reply = await core.dispatcher.dispatch(name, input, WEB_CALL_CONTEXT);
  if (reply.ok) throw new Error(`${name} should have failed`);
  return reply.error;
}
