/**
 * The renderer's MediaRecorder WebM is one continuous stream. An encoder started mid-set (a new
 * profile) needs the stream's header (EBML header, Segment, Info, Tracks) before any Cluster, and
 * must then start at a Cluster boundary. This keeps the header and finds those boundaries.
 */

const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);
const MAX_HEADER_BYTES = 1024 * 1024;

export class WebmJoin {
  private headerParts: Buffer[] = [];
  private headerBytes = 0;
  header: Buffer | null = null;

  /** Feed every chunk in order; it returns nothing, it only learns the header. */
  remember(chunk: Buffer): void {
    if (this.header) return;
    const previousTail = this.headerParts.length > 0 ? this.headerParts[this.headerParts.length - 1]!.subarray(-3) : Buffer.alloc(0);
    const searchIn = Buffer.concat([previousTail, chunk]);
    const at = searchIn.indexOf(CLUSTER_ID);
    if (at >= 0) {
      const inChunk = at - previousTail.length;
      const head = Buffer.concat([...this.headerParts, chunk.subarray(0, Math.max(0, inChunk))]);
      this.header = inChunk >= 0 ? head : head.subarray(0, head.length + inChunk);
      this.headerParts = [];
      return;
    }
    this.headerParts.push(chunk);
    this.headerBytes += chunk.length;
    // Not WebM as expected; stop collecting rather than grow without bound.
    if (this.headerBytes > MAX_HEADER_BYTES) this.headerParts = [];
  }

  /** Where the first Cluster starts in `chunk`, or -1. */
  static clusterStart(chunk: Buffer): number {
    return chunk.indexOf(CLUSTER_ID);
  }
}
