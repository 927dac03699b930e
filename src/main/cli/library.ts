import { MixdeckError } from '../../shared/contract';
import type { CliIo } from './io';

/** `mixdeck library …`: being built; the owner of the library capability replaces this. */
export function runLibrary(_args: string[], _io: CliIo): Promise<number> {
  return Promise.reject(new MixdeckError('not-supported', 'mixdeck library is not built yet.'));
}
