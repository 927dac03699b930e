/**
 * Secrets never reach a log line, an error message or the UI. Two nets catch them:
 * values registered as secret (stream keys, tokens) wherever they appear, and shapes
 * that carry secrets whatever their value (the last path segment of an RTMP URL,
 * `key=`/`token=` query parameters, Authorization headers, AWS-style signatures).
 */
const MASK = '••••';

const SHAPES: readonly [RegExp, string][] = [
  // rtmp://host/app/STREAMKEY — the key is the path after the application.
  [/(rtmps?:\/\/[^\s/'"]+\/[^\s/'"?]+\/)([^\s'"?]+)/gi, `$1${MASK}`],
  [/([?&](?:key|token|access_token|auth|password|secret|sig|signature|streamkey|stream_key)=)[^&\s'"]+/gi, `$1${MASK}`],
  [/(authorization\s*[:=]\s*(?:bearer|basic)?\s*)[^\s'",}]+/gi, `$1${MASK}`],
  [/("(?:streamKey|stream_key|token|password|secret|apiKey|accessToken)"\s*:\s*")[^"]*(")/g, `$1${MASK}$2`],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Short values would mask ordinary words; a stream key or token is always longer. */
  addSecret(value: string): void {
    if (value.length >= 6) this.secrets.add(value);
  }

  removeSecret(value: string): void {
    this.secrets.delete(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
    return out;
  }
}
