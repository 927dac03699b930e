/**
 * Taps the library player's output in the audio thread: copies each render quantum of the two
 * channels into a block and posts it (transferred, not copied) every BLOCK_FRAMES frames.
 */

// The AudioWorkletGlobalScope, declared here: the renderer's DOM types do not describe it.
declare function registerProcessor(name: string, processor: new () => TapProcessor): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
interface TapProcessor extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean;
}

/** About 100 ms at 48 kHz; at 44.1 kHz a little more. */
const BLOCK_FRAMES = 4800;

export interface PlayerTapBlock {
  left: Float32Array;
  right: Float32Array;
}

class PlayerTapProcessor extends AudioWorkletProcessor implements TapProcessor {
  private left = new Float32Array(BLOCK_FRAMES);
  private right = new Float32Array(BLOCK_FRAMES);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0] ?? [];
    const first = channels[0];
    if (!first) return true;
    const second = channels[1] ?? first;
    let from = 0;
    while (from < first.length) {
      const count = Math.min(first.length - from, BLOCK_FRAMES - this.filled);
      this.left.set(first.subarray(from, from + count), this.filled);
      this.right.set(second.subarray(from, from + count), this.filled);
      this.filled += count;
      from += count;
      if (this.filled === BLOCK_FRAMES) {
        const block: PlayerTapBlock = { left: this.left, right: this.right };
        this.port.postMessage(block, [this.left.buffer, this.right.buffer]);
        this.left = new Float32Array(BLOCK_FRAMES);
        this.right = new Float32Array(BLOCK_FRAMES);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('mixdeck-player-tap', PlayerTapProcessor);
