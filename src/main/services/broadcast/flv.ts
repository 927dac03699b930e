/**
 * Just enough FLV to fan one encoder's output out to many independent pushers: split the byte
 * stream into tags, remember what a late joiner needs to decode (the file header, onMetaData and
 * the H.264/AAC sequence headers) and the tags since the last video keyframe, so a pusher started
 * mid-set (a new target, or a reconnect) can begin at once on a keyframe instead of waiting for
 * the next one.
 *
 * Layout (Adobe FLV spec 10.1, annex E): a 9-byte header then PreviousTagSize0 (4 bytes), then
 * tags: type (1) dataSize (3) timestamp (3) timestampExtended (1) streamId (3), data, and the
 * tag's total size (4).
 */

export const FLV_TAG_AUDIO = 8;
export const FLV_TAG_VIDEO = 9;
export const FLV_TAG_SCRIPT = 18;

const FILE_HEADER_BYTES = 13;
const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
const MAX_TAG_DATA_BYTES = 16 * 1024 * 1024;

export interface FlvTag {
  type: number;
  /** Decode timestamp in milliseconds, as written by the encoder. */
  timestampMs: number;
  /** The whole tag: 11-byte header, data, and the trailing PreviousTagSize. */
  bytes: Buffer;
  isVideoKeyframe: boolean;
  /** An AVC or AAC sequence header (codec configuration), needed before any frame decodes. */
  isSequenceHeader: boolean;
  isVideoFrame: boolean;
}

export function readTagTimestampMs(tag: Buffer): number {
  return ((tag[7]! << 24) | (tag[4]! << 16) | (tag[5]! << 8) | tag[6]!) >>> 0;
}

/** A copy of the tag's 11-byte header with another timestamp; the data is shared, not copied. */
export function tagHeaderWithTimestamp(tag: Buffer, timestampMs: number): Buffer {
  const header = Buffer.from(tag.subarray(0, TAG_HEADER_BYTES));
  const ts = Math.max(0, Math.round(timestampMs)) >>> 0;
  header[4] = (ts >>> 16) & 0xff;
  header[5] = (ts >>> 8) & 0xff;
  header[6] = ts & 0xff;
  header[7] = (ts >>> 24) & 0xff;
  return header;
}

function describeTag(bytes: Buffer): FlvTag {
  const type = bytes[0]! & 0x1f;
  const first = bytes[TAG_HEADER_BYTES];
  const second = bytes[TAG_HEADER_BYTES + 1];
  let isVideoKeyframe = false;
  let isSequenceHeader = false;
  let isVideoFrame = false;
  if (type === FLV_TAG_VIDEO && first !== undefined) {
    const frameType = first >> 4;
    const codecId = first & 0x0f;
    // AVC (7) and HEVC (12, the de-facto extension) carry a packet type: 0 is the sequence
    // header, 1 a frame, 2 the end of the sequence (which is not a frame to start from).
    const carriesPacketType = codecId === 7 || codecId === 12;
    isSequenceHeader = carriesPacketType && second === 0;
    isVideoFrame = frameType !== 5 && (carriesPacketType ? second === 1 : true);
    isVideoKeyframe = isVideoFrame && frameType === 1;
  } else if (type === FLV_TAG_AUDIO && first !== undefined) {
    const soundFormat = first >> 4;
    isSequenceHeader = soundFormat === 10 && second === 0;
  }
  return { type, timestampMs: readTagTimestampMs(bytes), bytes, isVideoKeyframe, isSequenceHeader, isVideoFrame };
}

/** Incremental FLV splitter: feed it chunks as they arrive from the encoder's stdout. */
export class FlvTagReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerSeen = false;
  fileHeader: Buffer | null = null;

  /** Returns the complete tags in `chunk` (and what was left over from earlier chunks). */
  push(chunk: Buffer): FlvTag[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const tags: FlvTag[] = [];
    let offset = 0;
    if (!this.headerSeen) {
      if (this.pending.length < FILE_HEADER_BYTES) return tags;
      if (this.pending.toString('latin1', 0, 3) !== 'FLV') throw new Error('The encoder did not produce FLV');
      const dataOffset = this.pending.readUInt32BE(5);
      const headerBytes = dataOffset + PREVIOUS_TAG_SIZE_BYTES;
      if (this.pending.length < headerBytes) return tags;
      this.fileHeader = Buffer.from(this.pending.subarray(0, headerBytes));
      this.headerSeen = true;
      offset = headerBytes;
    }
    while (this.pending.length - offset >= TAG_HEADER_BYTES) {
      const dataSize = this.pending.readUIntBE(offset + 1, 3);
      if (dataSize > MAX_TAG_DATA_BYTES) throw new Error(`FLV tag of ${dataSize} bytes is not plausible`);
      const total = TAG_HEADER_BYTES + dataSize + PREVIOUS_TAG_SIZE_BYTES;
      if (this.pending.length - offset < total) break;
      // subarray keeps a view on the concatenated chunk: no copy per tag.
      tags.push(describeTag(this.pending.subarray(offset, offset + total)));
      offset += total;
    }
    this.pending = offset === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(offset);
    return tags;
  }
}

/**
 * What a pusher joining mid-stream is sent first: the file header, the latest onMetaData and
 * sequence headers, then every tag since the most recent video keyframe.
 */
export class FlvJoinCache {
  fileHeader: Buffer | null = null;
  private metadata: FlvTag | null = null;
  private videoConfig: FlvTag | null = null;
  private audioConfig: FlvTag | null = null;
  private gop: FlvTag[] = [];
  private gopBytes = 0;

  constructor(private readonly maxGopBytes = 32 * 1024 * 1024) {}

  remember(tag: FlvTag): void {
    if (tag.type === FLV_TAG_SCRIPT) {
      this.metadata = tag;
      return;
    }
    if (tag.isSequenceHeader) {
      if (tag.type === FLV_TAG_VIDEO) this.videoConfig = tag;
      else this.audioConfig = tag;
      return;
    }
    if (tag.isVideoKeyframe) {
      this.gop = [];
      this.gopBytes = 0;
    }
    // Until the first keyframe there is nothing a decoder could start from.
    if (this.gop.length === 0 && !tag.isVideoKeyframe) return;
    if (this.gopBytes + tag.bytes.length > this.maxGopBytes) {
      // A pathological keyframe interval: better to make a joiner wait than to hold unbounded memory.
      this.gop = [];
      this.gopBytes = 0;
      return;
    }
    this.gop.push(tag);
    this.gopBytes += tag.bytes.length;
  }

  /** True once a joiner could be started: headers known and a keyframe in hand. */
  get ready(): boolean {
    return this.fileHeader !== null && this.videoConfig !== null && this.gop.length > 0;
  }

  get configTags(): FlvTag[] {
    return [this.metadata, this.videoConfig, this.audioConfig].filter((tag): tag is FlvTag => tag !== null);
  }

  get gopTags(): readonly FlvTag[] {
    return this.gop;
  }
}
