import { MixdeckError } from '../../shared/contract';
import type { CliIo } from './io';

/** `mixdeck broadcast …`: being built; the owner of the broadcast capability replaces this. */
export function runBroadcast(_args: string[], _io: CliIo): Promise<number> {
  return Promise.reject(new MixdeckError('not-supported', 'mixdeck broadcast is not built yet.'));
}
