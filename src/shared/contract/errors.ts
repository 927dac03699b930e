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

/** Field names whose words are not simply their camelCase split (units and abbreviations). */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  server: 'server address',
  streamKey: 'stream key',
  videoBitrateKbps: 'video bitrate (kbps)',
  audioBitrateKbps: 'audio bitrate (kbps)',
  keyframeSec: 'keyframe interval (seconds)',
  fps: 'frame rate',
  x264Preset: 'encoder preset',
  audioSampleRate: 'audio sample rate',
  uploadKbps: 'upload speed (kbps)',
  limiterCeilingDb: 'limiter ceiling (dB)',
  deviceName: 'audio device',
  monitorDeviceName: 'monitor device',
  filePath: 'file',
  imagePath: 'image file',
  recordingFolder: 'recording folder',
  targetIds: 'targets',
  id: 'id',
};

/** Units written in names (`durationSec`, `gainDb`) as a reader says them. */
const UNIT_SUFFIXES: readonly [suffix: string, words: string][] = [
  ['Kbps', 'kbps'],
  ['Hz', 'Hz'],
  ['Db', 'dB'],
  ['Ms', 'milliseconds'],
  ['Sec', 'seconds'],
  ['Bpm', 'BPM'],
];

/** "videoBitrateKbps" → "video bitrate (kbps)", "overrides.fps" → "frame rate", ["channels", 0] → "channels (item 1)". */
export function fieldInWords(path: readonly PropertyKey[]): string {
  const names = path.filter((part): part is string => typeof part === 'string');
  const index = path.findLast((part): part is number => typeof part === 'number');
  const last = names.at(-1);
  if (last === undefined) return index === undefined ? 'the input' : `item ${index + 1}`;
  let words = FIELD_WORDS[last];
  if (!words) {
    const unit = UNIT_SUFFIXES.find(([suffix]) => last.endsWith(suffix) && last.length > suffix.length);
    const stem = unit ? last.slice(0, -unit[0].length) : last;
    words = stem
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/[_-]+/g, ' ')
      .toLowerCase();
    if (unit) words += ` (${unit[1]})`;
  }
  return index !== undefined && path.at(-1) === index ? `${words} (item ${index + 1})` : words;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const ZOD_DEFAULT_MESSAGE = /^(Invalid input|Invalid option|Invalid string|Invalid number|Invalid key|Invalid value|Invalid discriminator|Too small|Too big|Unrecognized key|Invalid [a-zA-Z ]+$)/;
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no (true or false)',
  array: 'a list',
  object: 'a set of fields',
  tuple: 'a list',
};

/** One zod issue as a sentence a user can read: the schema's own words when it has them, otherwise the field named in words. */
function issueInWords(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  const field = fieldInWords(issue.path);
  const The = capitalise(field === 'the input' ? field : `the ${field}`);
  switch (issue.code) {
    case 'invalid_type': {
      // zod leaves the input out of its issues unless asked; its own message says what arrived.
      if (/received undefined$/.test(issue.message)) return `${The} is missing.`;
      return `${The} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
    }
    case 'too_small': {
      const minimum = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${The} cannot be empty.` : `${The} must be at least ${minimum} characters long.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${The} needs at least ${minimum} ${Number(issue.minimum) === 1 ? 'item' : 'items'}.`;
      return `${The} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${minimum}.`;
    }
    case 'too_big': {
      const maximum = String(issue.maximum);
      if (issue.origin === 'string') return `${The} is too long (at most ${maximum} characters).`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${The} can have at most ${maximum} items.`;
      return `${The} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${maximum}.`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `${The} must be ${JSON.stringify(issue.values[0])}.`
        : `${The} must be one of: ${issue.values.map((value) => String(value)).join(', ')}.`;
    case 'unrecognized_keys': {
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      return `${keys} ${issue.keys.length === 1 ? 'is not a setting' : 'are not settings'} Mixdeck knows here.`;
    }
    case 'invalid_format':
      return `${The} is not in the expected form.`;
    case 'not_multiple_of':
      return `${The} must be a multiple of ${String(issue.divisor)}.`;
    default:
      return `${The} is not valid.`;
  }
}

/**
 * Turns zod's issues into the contract's `{ path, message }` list and one sentence a user can
 * read. The sentence never carries a call name or zod's own wording: fields are named in words.
 */
export function describeValidationIssues(issues: readonly z.core.$ZodIssue[]): {
  message: string;
  issues: { path: string; message: string }[];
} {
  const list = issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    message: issueInWords(issue),
  }));
  const first = list[0];
  if (!first) return { message: 'That request is not valid.', issues: list };
  const sentence = /[.!?…]$/.test(first.message) ? first.message : `${first.message}.`;
  const more = list.length - 1;
  const message = more > 0 ? `${sentence} (And ${more} more ${more === 1 ? 'problem' : 'problems'}.)` : sentence;
  return { message, issues: list };
}
