import { describe, expect, it } from 'vitest';
import { LineSplitter, ProgressParser, PusherDiagnosis, parseLogLine } from './ffmpeg-log';

describe('parseLogLine', () => {
  it('reads the component and level ffmpeg prints with -loglevel repeat+level', () => {
    expect(parseLogLine('[tcp @ 0x5590995de880] [verbose] Successfully connected to 127.0.0.1 port 19350')).toEqual({
      component: 'tcp',
      level: 'verbose',
      message: 'Successfully connected to 127.0.0.1 port 19350',
    });
    expect(parseLogLine('[error] av_interleaved_write_frame(): Broken pipe')).toEqual({ component: null, level: 'error', message: 'av_interleaved_write_frame(): Broken pipe' });
    expect(parseLogLine('Output #0, flv, to ...')).toEqual({ component: null, level: null, message: 'Output #0, flv, to ...' });
  });
});

describe('ProgressParser', () => {
  it('returns one block per progress= line, across chunk boundaries', () => {
    const parser = new ProgressParser();
    const text = 'frame=30\nfps=29.97\ntotal_size=12345\nout_time_us=1000000\ndup_frames=0\ndrop_frames=2\nspeed=1.01x\nprogress=continue\ntotal_size=N/A\nprogress=end\n';
    const blocks = [...parser.push(text.slice(0, 37)), ...parser.push(text.slice(37))];
    expect(blocks).toEqual([
      { frame: 30, fps: 29.97, totalSizeBytes: 12345, outTimeUs: 1000000, dupFrames: 0, dropFrames: 2, speed: 1.01, ended: false },
      { frame: undefined, fps: undefined, totalSizeBytes: undefined, outTimeUs: undefined, dupFrames: undefined, dropFrames: undefined, speed: undefined, ended: true },
    ]);
  });
});

describe('LineSplitter', () => {
  it('splits on \\n, \\r\\n and \\r and keeps a partial line for the next chunk', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\r\ntwo\rthr')).toEqual(['one', 'two']);
    expect(splitter.push('ee\n')).toEqual(['three']);
  });
});

function diagnose(lines: string[], sentBytes: number): ReturnType<PusherDiagnosis['diagnose']> {
  const diagnosis = new PusherDiagnosis('Twitch', 'live.twitch.tv');
  for (const line of lines) diagnosis.observe(parseLogLine(line));
  return diagnosis.diagnose(sentBytes);
}

describe('PusherDiagnosis', () => {
  it('calls a publish refused after connecting a refused key, and does not retry it', () => {
    expect(
      diagnose(['[tcp @ 0x1] [verbose] Successfully connected to 1.2.3.4 port 1935', '[error] rtmp://live.twitch.tv/app/••••: Input/output error'], 0),
    ).toEqual({ kind: 'refused-key', reason: 'Twitch refused the stream key. Check the key and the server, then restart this target.', retryable: false });
  });

  it('quotes what the server said when it says why', () => {
    const failure = diagnose(['[tcp @ 0x1] [verbose] Successfully connected to 1.2.3.4 port 1935', '[rtmp @ 0x2] [error] Server error: Invalid stream key'], 0);
    expect(failure.reason).toBe('Twitch refused the stream key (it said: Invalid stream key). Check the key and the server, then restart this target.');
  });

  it('tells a refused connection, an unknown name and an unreachable host apart', () => {
    expect(diagnose(['[tcp @ 0x1] [error] Connection to tcp://live.twitch.tv:1935?tcp_nodelay=0 failed: Connection refused'], 0)).toMatchObject({
      kind: 'connection-refused',
      reason: 'The server live.twitch.tv refused the connection.',
      retryable: true,
    });
    expect(diagnose(['[tcp @ 0x1] [error] Failed to resolve hostname live.twitch.tv: Name or service not known'], 0)).toMatchObject({
      kind: 'unresolved',
      reason: 'Could not reach live.twitch.tv: the name does not resolve.',
    });
    expect(diagnose(['[tcp @ 0x1] [error] Connection to tcp://live.twitch.tv:1935 failed: Network is unreachable'], 0)).toMatchObject({
      kind: 'unreachable',
      reason: 'Could not reach live.twitch.tv.',
    });
    expect(diagnose(['[tls @ 0x1] [error] The TLS connection was non-properly terminated.'], 0)).toMatchObject({ kind: 'tls', retryable: true });
    expect(
      diagnose(['[tcp @ 0x1] [verbose] Successfully connected to 1.2.3.4 port 443', '[rtmp @ 0x2] [error] Cannot read RTMP handshake response'], 0),
    ).toMatchObject({ kind: 'not-rtmp', reason: 'live.twitch.tv did not answer as an RTMP ingest; check the server URL (and rtmp:// against rtmps://).' });
  });

  it('calls a connection that breaks after sending a dropped connection, worth retrying', () => {
    expect(diagnose(['[tcp @ 0x1] [verbose] Successfully connected to 1.2.3.4 port 1935', '[error] av_interleaved_write_frame(): Broken pipe'], 50_000)).toEqual({
      kind: 'dropped',
      reason: 'The connection to Twitch dropped.',
      retryable: true,
    });
  });
});
