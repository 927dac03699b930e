import { MixdeckError } from '../../shared/contract';
import type { CliIo } from './io';

/** `mixdeck studio …`: being built; the owner of the studio capability replaces this. */
export function runStudio(_args: string[], _io: CliIo): Promise<number> {
  return Promise.reject(new MixdeckError('not-supported', 'mixdeck studio is not built yet.'));
}
