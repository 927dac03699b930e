/**
 * AMF0, the encoding of RTMP commands (connect, publish…), only as far as the relay needs it:
 * read a command into values, change some strings, write it back byte for byte otherwise.
 * Every marker is kept, so an ECMA array stays an ECMA array and a long string a long string.
 */

export type AmfValue =
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'string'; value: string; long: boolean }
  | { type: 'object'; entries: [string, AmfValue][]; className?: string }
  | { type: 'ecma-array'; entries: [string, AmfValue][]; declaredCount: number }
  | { type: 'strict-array'; items: AmfValue[] }
  | { type: 'date'; value: number; timezone: number }
  | { type: 'xml'; value: string }
  | { type: 'null' }
  | { type: 'undefined' }
  | { type: 'unsupported' };

const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  xml: 0x0f,
  typedObject: 0x10,
} as const;

/** Nesting deeper than this is not something an encoder sends; refusing it bounds the recursion. */
const MAX_DEPTH = 16;

export class AmfError extends Error {}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Buffer) {}

  need(count: number): void {
    if (this.offset + count > this.bytes.length) throw new AmfError('The command ends in the middle of a value.');
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }
  u16(): number {
    this.need(2);
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  u32(): number {
    this.need(4);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  double(): number {
    this.need(8);
    const value = this.bytes.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }
  text(length: number): string {
    this.need(length);
    const value = this.bytes.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  get done(): boolean {
    return this.offset >= this.bytes.length;
  }
}

function readEntries(reader: Reader, depth: number): [string, AmfValue][] {
  const entries: [string, AmfValue][] = [];
  for (;;) {
    const key = reader.text(reader.u16());
    if (key === '') {
      reader.need(1);
      if (reader.u8() !== MARKER.objectEnd) throw new AmfError('An object has an empty key.');
      return entries;
    }
    entries.push([key, readValue(reader, depth + 1)]);
  }
}

function readValue(reader: Reader, depth: number): AmfValue {
  if (depth > MAX_DEPTH) throw new AmfError('The command nests too deeply.');
  const marker = reader.u8();
  switch (marker) {
    case MARKER.number:
      return { type: 'number', value: reader.double() };
    case MARKER.boolean:
      return { type: 'boolean', value: reader.u8() !== 0 };
    case MARKER.string:
      return { type: 'string', value: reader.text(reader.u16()), long: false };
    case MARKER.longString:
      return { type: 'string', value: reader.text(reader.u32()), long: true };
    case MARKER.object:
      return { type: 'object', entries: readEntries(reader, depth) };
    case MARKER.typedObject: {
      const className = reader.text(reader.u16());
      return { type: 'object', className, entries: readEntries(reader, depth) };
    }
    case MARKER.ecmaArray: {
      const declaredCount = reader.u32();
      return { type: 'ecma-array', declaredCount, entries: readEntries(reader, depth) };
    }
    case MARKER.strictArray: {
      const count = reader.u32();
      // Each item takes at least one byte: a count beyond what is left is a lie, not a reason to loop.
      reader.need(count);
      const items: AmfValue[] = [];
      for (let index = 0; index < count; index++) items.push(readValue(reader, depth + 1));
      return { type: 'strict-array', items };
    }
    case MARKER.date: {
      const value = reader.double();
      const timezone = reader.u16();
      return { type: 'date', value, timezone };
    }
    case MARKER.xml:
      return { type: 'xml', value: reader.text(reader.u32()) };
    case MARKER.null:
      return { type: 'null' };
    case MARKER.undefined:
      return { type: 'undefined' };
    case MARKER.unsupported:
      return { type: 'unsupported' };
    default:
      throw new AmfError(`AMF0 marker ${marker} is not one an encoder sends.`);
  }
}

/** Every value of an AMF0 message body (a command is: name, transaction id, object, arguments…). */
export function decodeAmf0(bytes: Buffer): AmfValue[] {
  const reader = new Reader(bytes);
  const values: AmfValue[] = [];
  while (!reader.done) values.push(readValue(reader, 0));
  return values;
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
function double(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return bytes;
}
function shortText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > 0xffff) throw new AmfError('A short AMF0 string cannot be this long.');
  return Buffer.concat([u16(bytes.length), bytes]);
}
function longText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}
function entriesBytes(entries: readonly [string, AmfValue][]): Buffer[] {
  return [...entries.flatMap(([key, value]) => [shortText(key), encodeValue(value)]), u16(0), Buffer.from([MARKER.objectEnd])];
}

function encodeValue(value: AmfValue): Buffer {
  switch (value.type) {
    case 'number':
      return Buffer.concat([Buffer.from([MARKER.number]), double(value.value)]);
    case 'boolean':
      return Buffer.from([MARKER.boolean, value.value ? 1 : 0]);
    case 'string':
      return value.long
        ? Buffer.concat([Buffer.from([MARKER.longString]), longText(value.value)])
        : Buffer.concat([Buffer.from([MARKER.string]), shortText(value.value)]);
    case 'object':
      return value.className === undefined
        ? Buffer.concat([Buffer.from([MARKER.object]), ...entriesBytes(value.entries)])
        : Buffer.concat([Buffer.from([MARKER.typedObject]), shortText(value.className), ...entriesBytes(value.entries)]);
    case 'ecma-array':
      return Buffer.concat([Buffer.from([MARKER.ecmaArray]), u32(value.declaredCount), ...entriesBytes(value.entries)]);
    case 'strict-array':
      return Buffer.concat([Buffer.from([MARKER.strictArray]), u32(value.items.length), ...value.items.map(encodeValue)]);
    case 'date': {
      const timezone = Buffer.alloc(2);
      timezone.writeUInt16BE(value.timezone);
      return Buffer.concat([Buffer.from([MARKER.date]), double(value.value), timezone]);
    }
    case 'xml':
      return Buffer.concat([Buffer.from([MARKER.xml]), longText(value.value)]);
    case 'null':
      return Buffer.from([MARKER.null]);
    case 'undefined':
      return Buffer.from([MARKER.undefined]);
    case 'unsupported':
      return Buffer.from([MARKER.unsupported]);
  }
}

export function encodeAmf0(values: readonly AmfValue[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}

export const amfString = (value: string): AmfValue => ({ type: 'string', value, long: false });
