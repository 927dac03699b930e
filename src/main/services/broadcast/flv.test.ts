import { describe, expect, it } from 'vitest';
import { FLV_TAG_AUDIO, FLV_TAG_SCRIPT, FLV_TAG_VIDEO, FlvJoinCache, FlvTagReader, readTagTimestampMs, tagHeaderWithTimestamp } from './flv';

const FILE_HEADER = Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0]);

function tag(type: number, timestampMs: number, data: number[]): Buffer {
  const body = Buffer.from(data);
  const header = Buffer.alloc(11);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  header.writeUIntBE(timestampMs & 0xffffff, 4, 3);
  header[7] = (timestampMs >>> 24) & 0xff;
  const size = Buffer.alloc(4);
  size.writeUInt32BE(11 + body.length);
  return Buffer.concat([header, body, size]);
}

const avcConfig = (ts: number): Buffer => tag(FLV_TAG_VIDEO, ts, [0x17, 0x00, 0, 0, 0, 1, 2, 3]);
const keyframe = (ts: number): Buffer => tag(FLV_TAG_VIDEO, ts, [0x17, 0x01, 0, 0, 0, 9, 9]);
const interframe = (ts: number): Buffer => tag(FLV_TAG_VIDEO, ts, [0x27, 0x01, 0, 0, 0, 8]);
const aacConfig = (ts: number): Buffer => tag(FLV_TAG_AUDIO, ts, [0xaf, 0x00, 0x11, 0x90]);
const aacFrame = (ts: number): Buffer => tag(FLV_TAG_AUDIO, ts, [0xaf, 0x01, 7, 7, 7]);
const metadata = (): Buffer => tag(FLV_TAG_SCRIPT, 0, [2, 0, 10, ...Buffer.from('onMetaData')]);

describe('FlvTagReader', () => {
  it('splits a stream into tags whatever the chunk boundaries', () => {
    const stream = Buffer.concat([FILE_HEADER, metadata(), avcConfig(0), aacConfig(0), keyframe(0), aacFrame(21), interframe(33)]);
    for (const chunkSize of [1, 5, 13, 64, stream.length]) {
      const reader = new FlvTagReader();
      const tags = [];
      for (let offset = 0; offset < stream.length; offset += chunkSize) tags.push(...reader.push(stream.subarray(offset, offset + chunkSize)));
      expect(reader.fileHeader).toEqual(FILE_HEADER);
      expect(tags.map((t) => [t.type, t.timestampMs, t.isSequenceHeader, t.isVideoKeyframe])).toEqual([
        [FLV_TAG_SCRIPT, 0, false, false],
        [FLV_TAG_VIDEO, 0, true, false],
        [FLV_TAG_AUDIO, 0, true, false],
        [FLV_TAG_VIDEO, 0, false, true],
        [FLV_TAG_AUDIO, 21, false, false],
        [FLV_TAG_VIDEO, 33, false, false],
      ]);
    }
  });

  it('refuses a stream that is not FLV', () => {
    expect(() => new FlvTagReader().push(Buffer.from('RIFF....WAVEfmt '))).toThrow(/not produce FLV/);
  });
});

describe('FlvJoinCache', () => {
  it('keeps the configuration and everything since the latest keyframe', () => {
    const reader = new FlvTagReader();
    const cache = new FlvJoinCache();
    const tags = reader.push(
      Buffer.concat([FILE_HEADER, metadata(), avcConfig(0), aacConfig(0), keyframe(0), interframe(33), keyframe(2000), aacFrame(2010), interframe(2033)]),
    );
    cache.fileHeader = reader.fileHeader;
    expect(cache.ready).toBe(false);
    for (const t of tags) cache.remember(t);
    expect(cache.ready).toBe(true);
    expect(cache.configTags.map((t) => t.type)).toEqual([FLV_TAG_SCRIPT, FLV_TAG_VIDEO, FLV_TAG_AUDIO]);
    expect(cache.gopTags.map((t) => t.timestampMs)).toEqual([2000, 2010, 2033]);
  });

  it('is not ready before the first keyframe', () => {
    const reader = new FlvTagReader();
    const cache = new FlvJoinCache();
    cache.fileHeader = FILE_HEADER;
    for (const t of reader.push(Buffer.concat([FILE_HEADER, avcConfig(0), interframe(33)]))) cache.remember(t);
    expect(cache.ready).toBe(false);
  });
});

describe('tagHeaderWithTimestamp', () => {
  it('re-stamps a tag, including the extended byte past 4.6 hours', () => {
    const original = keyframe(5_000);
    const header = tagHeaderWithTimestamp(original, 20_000_000);
    expect(readTagTimestampMs(Buffer.concat([header, original.subarray(11)]))).toBe(20_000_000);
    expect(readTagTimestampMs(original)).toBe(5_000);
  });
});
