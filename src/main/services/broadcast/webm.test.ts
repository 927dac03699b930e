import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WebmJoin } from './webm';

const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);

/**
 * A WebM like MediaRecorder's: VP8, a keyframe every second, written as a stream. `-deadline good`,
 * not realtime: libvpx's realtime mode drops and reshapes frames when the machine is busy, and on a
 * loaded CI box 9 runs in 12 then gave a later Cluster that does not decode on its own.
 */
function liveWebm(): Buffer {
  return spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=30:d=4', '-c:v', 'libvpx', '-deadline', 'good', '-cpu-used', '8', '-g', '30', '-f', 'webm', 'pipe:1'],
    { maxBuffer: 32 * 1024 * 1024 },
  ).stdout;
}

describe('WebmJoin', () => {
  const webm = liveWebm();

  it('learns the header (everything before the first Cluster) whatever the chunking', () => {
    const firstCluster = webm.indexOf(CLUSTER_ID);
    for (const chunkSize of [3, 100, 4096, webm.length]) {
      const join = new WebmJoin();
      for (let offset = 0; offset < webm.length && !join.header; offset += chunkSize) join.remember(webm.subarray(offset, offset + chunkSize));
      expect(join.header).toEqual(webm.subarray(0, firstCluster));
    }
  });

  it('lets a late joiner decode from a later Cluster with the header in front', () => {
    const join = new WebmJoin();
    join.remember(webm);
    const later = webm.indexOf(CLUSTER_ID, webm.indexOf(CLUSTER_ID) + 4);
    expect(WebmJoin.clusterStart(webm.subarray(later - 10))).toBe(10);
    const joined = Buffer.concat([join.header!, webm.subarray(later)]);
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-f', 'webm', '-i', 'pipe:0', '-f', 'null', '-'], { input: joined, encoding: 'buffer' });
    expect(decoded.status).toBe(0);
    expect(decoded.stderr.toString()).toBe('');
  });
});
