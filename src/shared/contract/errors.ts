import { z } from 'zod';

/** Every failure crossing the contract carries one of these codes and a sentence a user can read. */
export const ERROR_CODES = [
  'invalid-input',
  'unknown-channel',
  'bad-message',
  'not-supported',
  'not-found',
  'forbidden',
  'conflict',
  'unavailable',
  'disconnected',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ContractErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Field-level problems for `invalid-input`: where, and what is wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ContractError = z.infer<typeof ContractErrorSchema>;

/** The one reply envelope every call answers with, over every transport. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export const ReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ContractErrorSchema }),
]);

/** Thrown by clients when a call answers `ok: false`, and by services to choose the code a user sees. */
export class MixdeckError extends Error {
  readonly code: ErrorCode;
  readonly issues: ContractError['issues'];

  constructor(code: ErrorCode, message: string, issues?: ContractError['issues']) {
    super(message);
    this.name = 'MixdeckError';
    this.code = code;
    this.issues = issues;
  }

  toContractError(): ContractError {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export function isMixdeckError(value: unknown): value is MixdeckError {
  return value instanceof MixdeckError;
}

/** Turns zod's issues into the contract's plain `{ path, message }` list and one readable sentence. */
export function describeValidationIssues(issues: readonly z.core.$ZodIssue[]): {
  message: string;
  issues: { path: string; message: string }[];
} {
  const list = issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    message: issue.message,
  }));
  const first = list[0];
  const message = first ? `${first.path}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more)` : ''}` : 'Invalid input';
  return { message, issues: list };
}
