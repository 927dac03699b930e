/**
 * The RTMP chunk stream in one direction: whole messages out of chunks (any header format, any
 * chunk size the sender announces), and whole messages back into chunks. Used by the relay on
 * what a pusher sends, so a command can be rewritten with a different length.
 */

export interface RtmpMessage {
  chunkStreamId: number;
  /** Absolute, in milliseconds (32 bits, as on the wire). */
  timestamp: number;
  typeId: number;
  messageStreamId: number;
  payload: Buffer;
}

export const MESSAGE_SET_CHUNK_SIZE = 1;
export const MESSAGE_ABORT = 2;
export const MESSAGE_COMMAND_AMF0 = 20;
export const MESSAGE_COMMAND_AMF3 = 17;
export const DEFAULT_CHUNK_SIZE = 128;
const EXTENDED = 0xffffff;
/** Larger than any sane frame; a length beyond it is an attack or a desync, not a video frame. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class RtmpChunkError extends Error {}

interface ChunkStreamState {
  timestamp: number;
  /** The last header's timestamp field (a delta, or the absolute time after a type 0 header). */
  timestampField: number;
  extended: boolean;
  length: number;
  typeId: number;
  messageStreamId: number;
  /** The message being assembled on this chunk stream. */
  parts: Buffer[];
  received: number;
  started: boolean;
}

/** Reads one direction of a chunk stream (after the handshake) into whole messages. */
export class ChunkReader {
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, ChunkStreamState>();

  /** Feeds bytes; returns every message they complete. Set Chunk Size is applied as it passes. */
  push(bytes: Buffer): RtmpMessage[] {
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    const messages: RtmpMessage[] = [];
    for (;;) {
      const consumed = this.readChunk(messages);
      if (consumed === 0) break;
      this.buffered = this.buffered.subarray(consumed);
    }
    return messages;
  }

  /** Reads one chunk at the front of the buffer; 0 when it is not all there yet. */
  private readChunk(messages: RtmpMessage[]): number {
    const bytes = this.buffered;
    if (bytes.length < 1) return 0;
    const format = bytes[0]! >> 6;
    let chunkStreamId = bytes[0]! & 0x3f;
    let offset = 1;
    if (chunkStreamId === 0) {
      if (bytes.length < 2) return 0;
      chunkStreamId = 64 + bytes[1]!;
      offset = 2;
    } else if (chunkStreamId === 1) {
      if (bytes.length < 3) return 0;
      chunkStreamId = 64 + bytes[1]! + bytes[2]! * 256;
      offset = 3;
    }
    const headerBytes = [11, 7, 3, 0][format]!;
    if (bytes.length < offset + headerBytes) return 0;
    let state = this.streams.get(chunkStreamId);
    if (!state) {
      if (format !== 0) throw new RtmpChunkError(`Chunk stream ${chunkStreamId} starts without a full header.`);
      state = { timestamp: 0, timestampField: 0, extended: false, length: 0, typeId: 0, messageStreamId: 0, parts: [], received: 0, started: false };
      this.streams.set(chunkStreamId, state);
    }
    const continuing = state.started && state.received < state.length;
    if (continuing && format !== 3) throw new RtmpChunkError(`A new header on chunk stream ${chunkStreamId} interrupts a message.`);

    let field = state.timestampField;
    let extended = state.extended;
    let length = state.length;
    let typeId = state.typeId;
    let messageStreamId = state.messageStreamId;
    if (format <= 2) {
      field = bytes.readUIntBE(offset, 3);
      extended = field === EXTENDED;
    }
    if (format <= 1) {
      length = bytes.readUIntBE(offset + 3, 3);
      typeId = bytes[offset + 6]!;
    }
    if (format === 0) messageStreamId = bytes.readUInt32LE(offset + 7);
    offset += headerBytes;
    if (extended) {
      if (bytes.length < offset + 4) return 0;
      // A type 3 chunk that starts a message carries its own extended delta (ffmpeg writes it so);
      // one that continues a message repeats the time, and the message's stands.
      if (format <= 2 || !continuing) field = bytes.readUInt32BE(offset);
      offset += 4;
    }
    if (length > MAX_MESSAGE_BYTES) throw new RtmpChunkError(`A message of ${length} bytes is more than an encoder sends.`);

    const received = continuing ? state.received : 0;
    const take = Math.min(this.chunkSize, length - received);
    if (bytes.length < offset + take) return 0;

    if (!continuing) {
      state.timestamp = format === 0 ? field : (state.timestamp + field) >>> 0;
      state.timestampField = field;
      state.extended = extended;
      state.length = length;
      state.typeId = typeId;
      state.messageStreamId = messageStreamId;
      state.parts = [];
      state.received = 0;
      state.started = true;
    }
    state.parts.push(Buffer.from(bytes.subarray(offset, offset + take)));
    state.received += take;
    offset += take;

    if (state.received >= state.length) {
      const payload = state.parts.length === 1 ? state.parts[0]! : Buffer.concat(state.parts);
      state.parts = [];
      const message: RtmpMessage = { chunkStreamId, timestamp: state.timestamp, typeId: state.typeId, messageStreamId: state.messageStreamId, payload };
      if (message.typeId === MESSAGE_SET_CHUNK_SIZE && payload.length >= 4) this.chunkSize = chunkSizeOf(payload);
      if (message.typeId === MESSAGE_ABORT && payload.length >= 4) {
        const aborted = this.streams.get(payload.readUInt32BE(0));
        if (aborted) aborted.received = aborted.length;
      }
      messages.push(message);
    }
    return offset;
  }
}

export function chunkSizeOf(payload: Buffer): number {
  const size = payload.readUInt32BE(0) & 0x7fffffff;
  if (size < 1) throw new RtmpChunkError('A chunk size of 0 is not allowed.');
  return size;
}

/** Writes whole messages as chunks: a full (type 0) header, then type 3 continuations. */
export class ChunkWriter {
  private chunkSize = DEFAULT_CHUNK_SIZE;

  write(message: RtmpMessage): Buffer {
    const { chunkStreamId, timestamp, typeId, messageStreamId, payload } = message;
    const extended = timestamp >= EXTENDED;
    const basic = (format: number): Buffer => {
      if (chunkStreamId < 64) return Buffer.from([(format << 6) | chunkStreamId]);
      if (chunkStreamId < 320) return Buffer.from([format << 6, chunkStreamId - 64]);
      return Buffer.from([(format << 6) | 1, (chunkStreamId - 64) & 0xff, (chunkStreamId - 64) >> 8]);
    };
    const header = Buffer.alloc(11);
    header.writeUIntBE(extended ? EXTENDED : timestamp, 0, 3);
    header.writeUIntBE(payload.length, 3, 3);
    header[6] = typeId;
    header.writeUInt32LE(messageStreamId, 7);
    const extendedTime = Buffer.alloc(extended ? 4 : 0);
    if (extended) extendedTime.writeUInt32BE(timestamp >>> 0);

    const parts: Buffer[] = [basic(0), header, extendedTime];
    for (let offset = 0; offset < payload.length || offset === 0; offset += this.chunkSize) {
      if (offset > 0) parts.push(basic(3), extendedTime);
      parts.push(payload.subarray(offset, offset + this.chunkSize));
      if (payload.length === 0) break;
    }
    // The new size applies to the chunks after this message, on both ends.
    if (typeId === MESSAGE_SET_CHUNK_SIZE && payload.length >= 4) this.chunkSize = chunkSizeOf(payload);
    return Buffer.concat(parts);
  }
}
