// The PortAudio input, in a process of its own (spawned by DeviceSource in sources.ts).
//
// Why a child: naudiodon prints to stdout from native code (which would break `mixdeck broadcast
// --json`, one JSON object per line), and a sound driver that hangs or crashes on an unplugged
// device takes this process with it, not the set. Plain JavaScript so it runs under node without
// a build step; the build also makes it an entry (out/main/capture-child.js) for the desktop app.
//
// Two ways to be started (src/main/services/audio-io/capture-launcher.ts):
// - Node's child process (CLI, web host): fd 3 carries the raw interleaved s16le PCM, out;
//   IPC carries { type: 'started' } | { type: 'error', message } out and { type: 'stop' } in.
// - Electron's utilityProcess (the packaged app, whose runAsNode fuse is off): everything goes over
//   process.parentPort, the PCM as { type: 'pcm', data: ArrayBuffer }.
// The last argument is JSON { deviceId, channelCount, sampleRate, framesPerBuffer }.
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';

const options = JSON.parse([...process.argv].reverse().find((arg) => arg.startsWith('{')) ?? '{}');
const parentPort = process.parentPort;
let send;
let writePcm;
if (parentPort) {
  send = (message) => parentPort.postMessage(message);
  // A fresh ArrayBuffer per block: naudiodon's Buffer may be a view into a larger pool.
  writePcm = (chunk) => {
    const data = new Uint8Array(chunk.length);
    data.set(chunk);
    parentPort.postMessage({ type: 'pcm', data: data.buffer });
  };
} else {
  send = (message) => {
    if (process.connected) process.send(message);
  };
  const pcmOut = createWriteStream(null, { fd: 3 });
  pcmOut.on('error', () => process.exit(0));
  writePcm = (chunk) => pcmOut.write(chunk);
}

let stream;
try {
  const portAudio = createRequire(import.meta.url)('naudiodon');
  stream = portAudio.AudioIO({
    inOptions: {
      deviceId: options.deviceId,
      channelCount: options.channelCount,
      sampleFormat: 16,
      sampleRate: options.sampleRate,
      // Keep the stream open on a glitch (an xrun) instead of ending the set's sound.
      closeOnError: false,
      framesPerBuffer: options.framesPerBuffer,
    },
  });
  // A virtual card without a clock (an ALSA file or null device) delivers as fast as it is read:
  // megabytes a second, a whole core. Reading no faster than real time keeps such a device cheap;
  // a real interface is clocked and never gets here.
  const bytesPerSecond = options.channelCount * 2 * options.sampleRate;
  const startedAt = performance.now();
  let bytes = 0;
  stream.on('data', (chunk) => {
    writePcm(chunk);
    bytes += chunk.length;
    const aheadMs = (bytes / bytesPerSecond) * 1000 - (performance.now() - startedAt);
    if (aheadMs > 200) {
      stream.pause();
      setTimeout(() => stream.resume(), aheadMs - 100);
    }
  });
  stream.on('error', (error) => send({ type: 'error', message: String(error?.message ?? error) }));
  stream.on('end', () => {
    send({ type: 'error', message: 'the device stopped sending sound (unplugged?).' });
    process.exit(0);
  });
  stream.start();
  send({ type: 'started' });
} catch (error) {
  send({ type: 'error', message: String(error?.message ?? error) });
  process.exit(1);
}

const stop = () => {
  const done = () => process.exit(0);
  setTimeout(done, 1500).unref();
  Promise.resolve(stream?.quit?.()).then(done, done);
};
process.on('SIGTERM', stop);
if (parentPort) {
  parentPort.on('message', (event) => {
    if (event?.data?.type === 'stop') stop();
  });
} else {
  process.on('disconnect', stop);
  process.on('message', (message) => {
    if (message?.type === 'stop') stop();
  });
}
