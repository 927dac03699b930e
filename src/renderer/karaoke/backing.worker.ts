/**
 * Prepares the backing off the page's thread (a 4-minute song's key change takes seconds):
 * the vocal-reduced version of a stereo mix, and the key change of every channel.
 */
import { changeKey } from '../../audio-engine/karaoke/key-change';
import { reduceVocals } from '../../audio-engine/karaoke/vocal-reduction';

export interface BackingJob {
  sampleRate: number;
  /** The mix's channels; transferred, not copied. */
  channels: Float32Array<ArrayBuffer>[];
  reduce: boolean;
  keySemitones: number;
}

export type BackingReply =
  | { type: 'status'; text: string }
  | { type: 'done'; original: Float32Array<ArrayBuffer>[]; reduced: Float32Array<ArrayBuffer>[] | null }
  | { type: 'failed'; message: string };

const post = (reply: BackingReply, transfer: Transferable[] = []): void => (self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }).postMessage(reply, transfer);

self.onmessage = (event: MessageEvent<BackingJob>) => {
  try {
    const { channels, sampleRate, keySemitones } = event.data;
    let reduced: Float32Array<ArrayBuffer>[] | null = null;
    if (event.data.reduce && channels.length >= 2) {
      post({ type: 'status', text: 'Reducing the lead vocal…' });
      reduced = reduceVocals(channels[0]!, channels[1]!, sampleRate);
    }
    let original = channels;
    if (keySemitones !== 0) {
      post({ type: 'status', text: `Changing the key by ${keySemitones > 0 ? '+' : ''}${keySemitones}…` });
      original = original.map((channel) => changeKey(channel, keySemitones));
      reduced = reduced?.map((channel) => changeKey(channel, keySemitones)) ?? null;
    }
    post({ type: 'done', original, reduced }, [...original, ...(reduced ?? [])].map((channel) => channel.buffer));
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
