/**
 * Song files in the wild are UTF-8 (format 1.0.0, often with a BOM) or a legacy single-byte
 * encoding, almost always Windows-1252 (a superset of ISO-8859-1 for printable text).
 * Pure TypeScript: no TextDecoder, so it runs in worklets and under `lib: ES2023`.
 */

// Windows-1252 0x80–0x9F; undefined slots decode as the C1 control of the same number.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export type TextEncodingName = 'utf-8' | 'windows-1252';

/** Decodes strict UTF-8; answers null at the first invalid sequence. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  let out = '';
  let index = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const codes: number[] = [];
  const flush = (): void => {
    out += String.fromCodePoint(...codes);
    codes.length = 0;
  };
  while (index < bytes.length) {
    const first = bytes[index]!;
    let codePoint: number;
    let extra: number;
    if (first < 0x80) {
      codePoint = first;
      extra = 0;
    } else if (first >= 0xc2 && first <= 0xdf) {
      codePoint = first & 0x1f;
      extra = 1;
    } else if (first >= 0xe0 && first <= 0xef) {
      codePoint = first & 0x0f;
      extra = 2;
    } else if (first >= 0xf0 && first <= 0xf4) {
      codePoint = first & 0x07;
      extra = 3;
    } else {
      return null;
    }
    if (index + extra >= bytes.length && extra > 0) return null;
    for (let offset = 1; offset <= extra; offset += 1) {
      const next = bytes[index + offset]!;
      if ((next & 0xc0) !== 0x80) return null;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const minimum = extra === 1 ? 0x80 : extra === 2 ? 0x800 : extra === 3 ? 0x10000 : 0;
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
    codes.push(codePoint);
    if (codes.length >= 4096) flush();
    index += extra + 1;
  }
  flush();
  return out;
}

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index]!;
    out += String.fromCharCode(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte);
  }
  return out;
}

/**
 * UTF-8 when the bytes are valid UTF-8 (or the file says `#ENCODING:UTF8`), otherwise Windows-1252.
 * A file that declares `#ENCODING:CP1252` (or CP1250-like legacy names) is read as single-byte.
 */
export function decodeSongText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const head = decodeWindows1252(bytes.subarray(0, 2048));
  const declared = /^#ENCODING:\s*([^\r\n]+)/im.exec(head)?.[1]?.trim().toUpperCase().replace(/[-_\s]/g, '');
  if (declared && declared !== 'UTF8' && declared !== 'AUTO') return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
}
