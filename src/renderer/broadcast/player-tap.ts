import { interleaveS16Stereo, StereoResampler } from '../../audio-engine/broadcast/pcm';
import type { MixdeckClient } from '../../shared/contract';
import { bytesToBase64 } from './live-scene';
import type { PlayerTapBlock } from './player-tap.worklet';
import playerTapWorkletUrl from './player-tap.worklet.ts?worker&url';

/** What main's `player` source takes: s16le stereo at this rate. */
const SEND_RATE = 48000;

export interface TappablePlayer {
  outputForTap(): { context: AudioContext; output: AudioNode };
}

/**
 * Sends the library player's output to main while the broadcast's source is "Mixdeck's player":
 * an AudioWorklet in the player's own context copies what it plays (after its crossfades and
 * volume), and the page sends it on in ordered ~100 ms chunks of 48 kHz s16 PCM. The web host's
 * WebSocket carries JSON text only, so each chunk is base64 (about 256 KB/s).
 * When the player pauses, its context is suspended and nothing is sent; main fills the gap with silence.
 */
export class PlayerTap {
  private node: AudioWorkletNode | null = null;
  private silent: GainNode | null = null;
  private source: AudioNode | null = null;
  private sequence = 0;
  private starting: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly client: MixdeckClient,
    private readonly player: TappablePlayer,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  start(): Promise<void> {
    this.stopped = false;
    this.starting ??= this.open().finally(() => (this.starting = null));
    return this.starting;
  }

  stop(): void {
    this.stopped = true;
    if (this.node) {
      this.node.port.onmessage = null;
      this.source?.disconnect(this.node);
      this.node.disconnect();
    }
    this.silent?.disconnect();
    this.node = null;
    this.silent = null;
    this.source = null;
  }

  private async open(): Promise<void> {
    if (this.node) return;
    const { context, output } = this.player.outputForTap();
    await context.audioWorklet.addModule(playerTapWorkletUrl);
    if (this.stopped || this.node) return;
    const node = new AudioWorkletNode(context, 'mixdeck-player-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2, channelCountMode: 'explicit' });
    // A silent path to the destination keeps the worklet pulled on every engine.
    const silent = context.createGain();
    silent.gain.value = 0;
    node.connect(silent).connect(context.destination);
    output.connect(node);
    const resampler = new StereoResampler(context.sampleRate, SEND_RATE);
    let left = new Float32Array(0);
    let right = new Float32Array(0);
    let pcm = new Int16Array(0);
    node.port.onmessage = (event: MessageEvent<PlayerTapBlock>) => {
      const block = event.data;
      const room = resampler.maxOutput(block.left.length);
      if (left.length < room) {
        left = new Float32Array(room);
        right = new Float32Array(room);
        pcm = new Int16Array(room * 2);
      }
      const frames = resampler.process(block.left, block.right, block.left.length, left, right);
      if (frames === 0) return;
      interleaveS16Stereo(left, right, frames, pcm);
      const bytes = new Uint8Array(pcm.buffer, 0, frames * 4);
      void this.client.call('broadcast.playerAudio', { sequence: this.sequence++, dataBase64: bytesToBase64(bytes) }).catch(() => undefined);
    };
    this.node = node;
    this.silent = silent;
    this.source = output;
  }
}
