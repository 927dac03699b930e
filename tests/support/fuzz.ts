/**
 * Shared pieces of the fuzz suites (tests/fuzz and the `*.fuzz.test.ts` beside the code):
 * a seeded generator, so every failure names the seed that reproduces it, a few generators
 * of hostile text and bytes, and one tally that each suite prints at the end, so the run
 * shows how many inputs were tried and how each was answered.
 */

import { createRandom } from '../../src/audio-engine/testing/random';

/** Seeded: the same seed gives the same inputs on every machine. */
export interface Fuzzer {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
  /** Printable ASCII, control characters, non-BMP, NUL, separators: the text a parser must survive. */
  text(maxLength: number): string;
}

export function createFuzzer(seed: number): Fuzzer {
  // The project's one seeded generator (mulberry32), so a seed means the same numbers everywhere.
  const { next } = createRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const ALPHABETS = [
    'abcdefghijklmnopqrstuvwxyz0123456789 ',
    ':#-./\\%?&=;,"\'<>{}[]()|*+!~^$@`',
    '\u0000\u0001\u0007\u001b\r\n\t\u007f',
    'é€ß😀\u202e\ufeff\ud800',
  ];
  return {
    seed,
    next,
    int,
    pick,
    bytes(length) {
      const out = new Uint8Array(length);
      for (let index = 0; index < length; index += 1) out[index] = int(0, 255);
      return out;
    },
    text(maxLength) {
      const length = int(0, maxLength);
      let out = '';
      for (let index = 0; index < length; index += 1) {
        const alphabet = ALPHABETS[next() < 0.7 ? 0 : int(1, ALPHABETS.length - 1)]!;
        out += alphabet[int(0, alphabet.length - 1)];
      }
      return out;
    },
  };
}

/** How a suite's inputs were answered; printed once per suite as one line. */
export class FuzzTally {
  private readonly counts = new Map<string, number>();
  constructor(private readonly suite: string) {}

  count(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const value of this.counts.values()) sum += value;
    return sum;
  }

  /** e.g. `fuzz http: 412 inputs (refused 380, served 32)` */
  summary(): string {
    const parts = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ${n}`);
    return `fuzz ${this.suite}: ${this.total} inputs (${parts.join(', ')})`;
  }

  print(): void {
    console.log(this.summary());
  }
}

/** Mutates a valid text by the edits that break parsers: cut, duplicate, splice noise, flip a byte. */
export function mutateText(fuzzer: Fuzzer, valid: string): string {
  const at = fuzzer.int(0, valid.length);
  switch (fuzzer.int(0, 5)) {
    case 0:
      return valid.slice(0, at);
    case 1:
      return valid.slice(0, at) + valid.slice(at).repeat(fuzzer.int(2, 4));
    case 2:
      return valid.slice(0, at) + fuzzer.text(40) + valid.slice(at);
    case 3: {
      const chars = [...valid];
      if (chars.length > 0) chars[fuzzer.int(0, chars.length - 1)] = String.fromCharCode(fuzzer.int(0, 0xffff));
      return chars.join('');
    }
    case 4:
      return valid.replace(/\d+/g, () => fuzzer.pick(['-1', '0', '2000000000', '1e308', 'NaN', '99999999999999999999', '0x10']));
    default:
      return valid.split('\n').filter(() => fuzzer.next() > 0.2).join(fuzzer.pick(['\n', '\r\n', '\r']));
  }
}
