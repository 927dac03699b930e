import type { z } from 'zod';

/** A renderer-to-main request: validated input in, validated output back. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** A main-to-renderer notification. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
  readonly summary: string;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(spec: {
  input: I;
  output: O;
  summary: string;
}): CallSpec<I, O> {
  return { kind: 'call', ...spec };
}

export function defineEvent<P extends z.ZodType>(spec: { payload: P; summary: string }): EventSpec<P> {
  return { kind: 'event', ...spec };
}
