/** MediaRecorder formats to try, best first: VP8 is cheap to encode in software and ffmpeg reads it from a pipe. */
const MIME_TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'] as const;

export interface VideoSenderOptions {
  frameRate: number;
  videoBitsPerSecond: number;
  /** How often MediaRecorder hands over a chunk; 250–500 ms keeps the delay low without flooding main. */
  timesliceMs: number;
  /** Called with each WebM chunk, in order; the first carries the header. Its promise paces the next. */
  onChunk(chunk: Uint8Array, sequence: number): Promise<void>;
  onError(message: string): void;
}

export interface VideoSender {
  readonly mimeType: string;
  /** Chunks handed over so far. */
  readonly chunksSent: number;
  readonly bytesSent: number;
  stop(): Promise<void>;
}

export function pickMimeType(isSupported: (type: string) => boolean = (type) => MediaRecorder.isTypeSupported(type)): string | null {
  return MIME_TYPES.find((type) => isSupported(type)) ?? null;
}

/**
 * Streams a canvas as WebM: `captureStream` + MediaRecorder with a timeslice. Chunks are passed on
 * strictly in order (reading a Blob is asynchronous, so each waits for the one before).
 */
export function startVideoSender(canvas: HTMLCanvasElement, options: VideoSenderOptions): VideoSender {
  const mimeType = pickMimeType();
  if (!mimeType) throw new Error('This browser cannot record the scene as WebM, so it cannot be streamed.');
  const stream = canvas.captureStream(options.frameRate);
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: options.videoBitsPerSecond });
  let queue: Promise<void> = Promise.resolve();
  let sequence = 0;
  let bytesSent = 0;
  let failed = false;

  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size === 0 || failed) return;
    const blob = event.data;
    const index = sequence;
    sequence += 1;
    queue = queue
      .then(async () => {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        await options.onChunk(bytes, index);
        bytesSent += bytes.byteLength;
      })
      .catch((error: unknown) => {
        // A lost chunk breaks the WebM stream for main: stop sending and say why.
        if (failed) return;
        failed = true;
        options.onError(error instanceof Error ? error.message : 'The scene could not be sent to Mixdeck.');
        if (recorder.state !== 'inactive') recorder.stop();
      });
  });
  recorder.addEventListener('error', () => {
    failed = true;
    options.onError('The browser stopped recording the scene.');
  });
  recorder.start(options.timesliceMs);

  return {
    mimeType,
    get chunksSent() {
      return sequence;
    },
    get bytesSent() {
      return bytesSent;
    },
    async stop() {
      if (recorder.state !== 'inactive') {
        const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
        recorder.stop();
        await stopped;
      }
      for (const track of stream.getTracks()) track.stop();
      await queue;
    },
  };
}
