import * as Tone from 'tone';

/** Decoded audio as plain data, so sources load the same way in the page and in Node. */
export interface PcmAudio {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
}

/** Resolves an audio clip's `sourceId` (`library:…`, `file:…`, `asset:…`) to PCM. */
export type SourceLoader = (sourceId: string) => Promise<PcmAudio>;

export function toToneBuffer(context: Tone.BaseContext, pcm: PcmAudio): Tone.ToneAudioBuffer {
  const length = pcm.channels[0]?.length ?? 0;
  const buffer = context.createBuffer(Math.max(1, pcm.channels.length), Math.max(1, length), pcm.sampleRate);
  pcm.channels.forEach((channel, index) => buffer.copyToChannel(channel as Float32Array<ArrayBuffer>, index));
  return new Tone.ToneAudioBuffer(buffer);
}
