import type { PcmSource } from './sources';

/** What the page sends: s16le, 48 kHz, stereo, interleaved. */
export const PLAYER_SAMPLE_RATE = 48000;
const PLAYER_FRAME_BYTES = 4;

type PlayerListener = (block: Int16Array) => void;

/**
 * The library player's sound as the page sends it (broadcast.playerAudio), handed to whichever
 * `PlayerSource` is open. Chunks are taken in order; a late or repeated one is dropped, and a gap
 * is left to the audio path, which fills it with silence. With no source open, chunks are dropped.
 */
export class PlayerFeed {
  private readonly listeners = new Set<PlayerListener>();
  private nextSequence = 0;
  /** Chunks dropped because they came late or twice. */
  droppedChunks = 0;

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  push(sequence: number, pcm: Buffer): { accepted: boolean; reason: string | null } {
    if (pcm.length % PLAYER_FRAME_BYTES !== 0) {
      return { accepted: false, reason: 'A chunk of the player\'s sound must hold whole stereo 16-bit frames.' };
    }
    // The page restarts its count at 0 when its tap restarts (a reload): take that as a new stream.
    if (sequence < this.nextSequence && sequence !== 0) {
      this.droppedChunks++;
      return { accepted: false, reason: `Chunk ${sequence} came late or twice (the last was ${this.nextSequence - 1}); it was dropped.` };
    }
    this.nextSequence = sequence + 1;
    if (this.listeners.size === 0) return { accepted: true, reason: null };
    // Copy: Int16Array needs 2-byte alignment and the buffer may be a view into a larger one.
    const block = new Int16Array(pcm.length / 2);
    Buffer.from(block.buffer).set(pcm);
    for (const listener of this.listeners) listener(block);
    return { accepted: true, reason: null };
  }

  subscribe(listener: PlayerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * One feed per process: the page's player is one, and the audio path that reads it (a set or the
 * preview) is opened by the broadcast service without the capability in between.
 */
export const libraryPlayerFeed = new PlayerFeed();

/** "Mixdeck's player" as a broadcast source: the library queue, with its crossfades, as the page plays it. */
export class PlayerSource implements PcmSource {
  readonly channelCount = 2;
  readonly sampleRate = PLAYER_SAMPLE_RATE;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly feed: PlayerFeed = libraryPlayerFeed) {}

  start(onData: (block: Int16Array) => void): void {
    this.unsubscribe?.();
    this.unsubscribe = this.feed.subscribe(onData);
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    return Promise.resolve();
  }
}
