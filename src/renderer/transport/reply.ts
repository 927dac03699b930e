import { MixdeckError, ReplySchema } from '../../shared/contract';

/** Opens the reply envelope: the value, or a MixdeckError with the code and sentence main sent. */
export function unwrapReply(raw: unknown): unknown {
  const reply = ReplySchema.safeParse(raw);
  if (!reply.success) throw new MixdeckError('bad-message', 'Main answered with something that is not a reply.');
  if (reply.data.ok) return reply.data.value;
  throw new MixdeckError(reply.data.error.code, reply.data.error.message, reply.data.error.issues);
}
