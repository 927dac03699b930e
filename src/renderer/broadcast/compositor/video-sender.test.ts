import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../live-scene';
import { pickMimeType } from './video-sender';

describe('streaming the scene to main', () => {
  it('asks MediaRecorder for VP8 WebM first, and falls back to what the browser has', () => {
    expect(pickMimeType(() => true)).toBe('video/webm;codecs=vp8');
    expect(pickMimeType((type) => type === 'video/webm')).toBe('video/webm');
    expect(pickMimeType(() => false)).toBeNull();
  });

  it('encodes a chunk larger than one argument list as the same base64 main decodes', () => {
    const bytes = new Uint8Array(200_000);
    for (let index = 0; index < bytes.length; index += 1) bytes[index] = (index * 31) % 256;
    const encoded = bytesToBase64(bytes);
    const decoded = Uint8Array.from(atob(encoded), (character) => character.charCodeAt(0));
    expect(decoded).toEqual(bytes);
  });
});
