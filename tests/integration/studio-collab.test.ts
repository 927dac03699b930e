import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { readProject, StudioProject, validateProject } from '../../src/shared/studio';
import { startYWebsocketServer, type YWebsocketServer } from '../support/y-websocket-server';

/**
 * Three Node peers editing one project through the reference @y/websocket-server on
 * 127.0.0.1, the way two laptops (and a third) would: concurrent edits, an offline peer, repair
 * of concurrently broken state, and per-user undo.
 */
let server: YWebsocketServer;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  server = await startYWebsocketServer();
});
afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await server?.stop();
});

function join(room: string): { project: StudioProject; provider: WebsocketProvider } {
  const project = new StudioProject(new Y.Doc(), { undoCaptureMs: 0 });
  const provider = new WebsocketProvider(server.url, room, project.doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
  providers.push(provider);
  return { project, provider };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const snapshot = (project: StudioProject): string => JSON.stringify(readProject(project.doc));
const synced = (provider: WebsocketProvider): boolean => provider.synced;

describe('studio collaboration through @y/websocket-server', () => {
  it('converges on concurrent edits, merges an offline peer’s edits, and undoes per user', async () => {
    const alice = join('band');
    const bob = join('band');
    await until('both peers synced', () => synced(alice.provider) && synced(bob.provider));

    const keys = alice.project.addTrack({ kind: 'instrument', name: 'Keys' });
    await until('the track reaches Bob', () => bob.project.read().tracks.length === 1);
    // At the same moment: Alice adds a clip with notes, Bob adds a drum track and a clip, both change the tempo.
    const clip = alice.project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 8 });
    const note = alice.project.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    const drums = bob.project.addTrack({ kind: 'instrument', name: 'Drums', instrument: { type: 'drums' } });
    bob.project.addNoteClip({ trackId: drums, startBeat: 0, lengthBeats: 4 });
    alice.project.setTempo(100);
    bob.project.setTempo(128);
    await until('both documents are identical', () => snapshot(alice.project) === snapshot(bob.project) && bob.project.read().clips.length === 2);
    expect([100, 128]).toContain(alice.project.read().tempoBpm);

    // Bob moves Alice's note while Alice changes its velocity: both edits land.
    bob.project.moveNote(note, { startBeat: 2, pitch: 62 });
    alice.project.setNoteVelocity(note, 0.3);
    await until('the note edits converge', () => snapshot(alice.project) === snapshot(bob.project) && alice.project.read().clips.some((c) => c.kind === 'notes' && c.notes.some((n) => n.pitch === 62 && n.velocity === 0.3)));

    // Bob goes offline and keeps working; Alice works too; Bob comes back.
    bob.provider.disconnect();
    bob.project.addNote(clip, { pitch: 67, startBeat: 4, lengthBeats: 1 });
    bob.project.addTempoChange(16, 90);
    alice.project.addMarker(8, 'Chorus');
    alice.project.updateTrack(keys, { volumeDb: -4 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(snapshot(alice.project)).not.toBe(snapshot(bob.project));
    bob.provider.connect();
    await until('the offline edits merge', () => snapshot(alice.project) === snapshot(bob.project) && alice.project.read().tempoChanges.length === 1);
    const merged = alice.project.read();
    expect(merged.markers.map((marker) => marker.name)).toEqual(['Chorus']);
    expect(merged.tracks.find((track) => track.id === keys)?.volumeDb).toBe(-4);

    // Undo on Alice undoes Alice's last edit (the volume), not Bob's tempo change or note.
    expect(alice.project.undo()).toBe(true);
    await until('the undo reaches Bob', () => bob.project.read().tracks.find((track) => track.id === keys)?.volumeDb === 0);
    expect(bob.project.read().tempoChanges).toHaveLength(1);
    expect(bob.project.read().clips.some((c) => c.kind === 'notes' && c.notes.some((n) => n.pitch === 67))).toBe(true);
    expect(bob.project.read().markers).toHaveLength(1);
    expect(snapshot(alice.project)).toBe(snapshot(bob.project));
  });

  it('repairs a state two peers broke concurrently, the same way on all three', async () => {
    const a = join('repair');
    const b = join('repair');
    const c = join('repair');
    await until('three peers synced', () => [a, b, c].every((peer) => synced(peer.provider)));
    const bus = a.project.addTrack({ kind: 'bus', name: 'Verb' });
    const keys = a.project.addTrack({ kind: 'instrument', name: 'Keys' });
    const first = a.project.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    const second = a.project.addNoteClip({ trackId: keys, startBeat: 4, lengthBeats: 4 });
    const note = a.project.addNote(first, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    await until('everyone has the clips', () => [b, c].every((peer) => peer.project.read().clips.length === 2));

    // Cut C off so both conflicting edits reach it together, as after a network hiccup.
    c.provider.disconnect();
    b.provider.disconnect();
    a.project.moveNote(note, { clipId: second });
    a.project.setSend(keys, bus, -6);
    b.project.removeClip(second);
    b.project.removeTrack(bus);
    b.provider.connect();
    c.provider.connect();
    await until('all three converge', () => snapshot(a.project) === snapshot(b.project) && snapshot(b.project) === snapshot(c.project) && a.project.read().clips.length === 1, 15_000);
    for (const peer of [a, b, c]) {
      const data = peer.project.read();
      expect(validateProject(data)).toEqual([]);
      expect(data.clips.map((clip) => clip.id)).toEqual([first]);
      expect(data.tracks.map((track) => track.name)).toEqual(['Keys']);
      expect(data.tracks[0]?.sends).toEqual([]);
    }
  });
});
