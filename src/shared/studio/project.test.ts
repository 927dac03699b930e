import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { StudioProject } from './project';
import { readProject } from './doc-layout';
import { repairProject } from './repair';
import { validateProject } from './schema';

/** Peers that exchange updates only when told (a network we can cut and restore). */
function peers(count: number): { projects: StudioProject[]; sync: () => void; online: boolean[] } {
  const projects = Array.from({ length: count }, () => new StudioProject(new Y.Doc(), { undoCaptureMs: 0 }));
  const online = projects.map(() => true);
  const sync = (): void => {
    // Twice round, so updates a peer made while repairing what it received reach the others too.
    for (let round = 0; round < 3; round += 1) {
      for (let from = 0; from < count; from += 1) {
        for (let to = 0; to < count; to += 1) {
          if (from === to || !online[from] || !online[to]) continue;
          const target = projects[to] as StudioProject;
          const source = projects[from] as StudioProject;
          const update = Y.encodeStateAsUpdate(source.doc, Y.encodeStateVector(target.doc));
          target.applyRemoteUpdate(update);
        }
      }
    }
  };
  return { projects, sync, online };
}

const plain = (project: StudioProject): unknown => JSON.parse(JSON.stringify(readProject(project.doc)));

function pair(): [StudioProject, StudioProject, () => void, boolean[]] {
  const { projects, sync, online } = peers(2);
  return [projects[0] as StudioProject, projects[1] as StudioProject, sync, online];
}

describe('studio project model', () => {
  it('builds a valid project with tracks, clips, notes, devices, sends and automation', () => {
    const project = StudioProject.create({ name: 'Demo', tempoBpm: 96 });
    const bus = project.addTrack({ kind: 'bus', name: 'Reverb bus' });
    const keys = project.addTrack({ kind: 'instrument', name: 'Keys', instrument: { type: 'synth', preset: 'pad' } });
    const audio = project.addTrack({ kind: 'audio', name: 'Vocal' });
    project.setSend(keys, bus, -6);
    const reverb = project.addDevice(bus, 'reverb', { decaySec: 3 });
    const lane = project.addAutomationLane(bus, `device:${reverb}:wet`);
    project.addAutomationPoint(bus, lane, 0, 0.1);
    project.addAutomationPoint(bus, lane, 8, 0.9);
    const clip = project.addNoteClip({ trackId: keys, startBeat: 4, lengthBeats: 8 });
    project.addNotes(clip, [
      { pitch: 60, startBeat: 0, lengthBeats: 1, velocity: 0.9 },
      { pitch: 64, startBeat: 1, lengthBeats: 1 },
    ]);
    project.addAudioClip({ trackId: audio, startBeat: 0, lengthBeats: 16, sourceId: 'file:/tmp/vocal.wav', fadeInSec: 0.5 });
    project.addTempoChange(16, 128);
    project.setLoop({ enabled: true, startBeat: 4, endBeat: 12 });

    const data = project.read();
    expect(validateProject(data)).toEqual([]);
    expect(data.name).toBe('Demo');
    expect(data.tempoBpm).toBe(96);
    expect(data.tempoChanges.map((change) => [change.beat, change.tempoBpm])).toEqual([[16, 128]]);
    expect(data.tracks.map((track) => track.name)).toEqual(['Reverb bus', 'Keys', 'Vocal']);
    expect(data.tracks[1]?.sends).toEqual([{ busId: bus, levelDb: -6, preFader: false }]);
    expect(data.tracks[0]?.devices[0]?.params).toMatchObject({ decaySec: 3, wet: 0.3 });
    const noteClip = data.clips.find((c) => c.id === clip);
    expect(noteClip?.kind === 'notes' && noteClip.notes.map((note) => note.pitch)).toEqual([60, 64]);
  });

  it('refuses edits that would make the project invalid, in words', () => {
    const project = StudioProject.create();
    const audio = project.addTrack({ kind: 'audio' });
    expect(() => project.addNoteClip({ trackId: audio, startBeat: 0, lengthBeats: 4 })).toThrow(/instrument tracks/);
    expect(() => project.setLoop({ startBeat: 8, endBeat: 4 })).toThrow(/end after it starts/);
    expect(() => project.updateClip('nope', { startBeat: 1 })).toThrow(/No clip with id nope/);
    // Out-of-range numbers are clamped, not stored.
    const keys = project.addTrack({ kind: 'instrument' });
    const clip = project.addNoteClip({ trackId: keys, startBeat: -3, lengthBeats: 0 });
    const note = project.addNote(clip, { pitch: 200, startBeat: -1, lengthBeats: -2, velocity: 7 });
    const data = project.read();
    expect(data.clips[0]).toMatchObject({ startBeat: 0, lengthBeats: 1 / 32 });
    expect(data.clips[0]?.kind === 'notes' && data.clips[0].notes[0]).toMatchObject({ id: note, pitch: 127, startBeat: 0, velocity: 1 });
    expect(validateProject(data)).toEqual([]);
  });

  it('converges when three peers edit at the same time', () => {
    const { projects, sync } = peers(3);
    const [a, b, c] = projects as [StudioProject, StudioProject, StudioProject];
    const keys = a.addTrack({ kind: 'instrument', name: 'Keys' });
    sync();
    const clip = b.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    a.setTempo(90);
    c.setTempo(140);
    b.addTrack({ kind: 'audio', name: 'Drums loop' });
    c.updateTrack(keys, { volumeDb: -3 });
    a.updateTrack(keys, { pan: 0.5 });
    sync();
    a.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    c.addNote(clip, { pitch: 67, startBeat: 2, lengthBeats: 1 });
    sync();
    expect(plain(a)).toEqual(plain(b));
    expect(plain(b)).toEqual(plain(c));
    const data = a.read();
    expect([90, 140]).toContain(data.tempoBpm);
    expect(data.tracks.find((t) => t.id === keys)).toMatchObject({ volumeDb: -3, pan: 0.5 });
    expect(data.clips[0]?.kind === 'notes' && data.clips[0].notes.map((n) => n.pitch)).toEqual([60, 67]);
  });

  it('merges edits made offline when the peer comes back', () => {
    const [a, b, sync, online] = pair();
    const keys = a.addTrack({ kind: 'instrument' });
    const clip = a.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 8 });
    const note = a.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    sync();
    online[1] = false;
    b.moveNote(note, { startBeat: 2 });
    b.addNote(clip, { pitch: 72, startBeat: 4, lengthBeats: 2 });
    a.moveNote(note, { pitch: 62 });
    a.addTempoChange(8, 100);
    sync();
    expect(plain(a)).not.toEqual(plain(b));
    online[1] = true;
    sync();
    expect(plain(a)).toEqual(plain(b));
    const notes = a.read().clips[0]?.kind === 'notes' ? (a.read().clips[0] as { notes: { pitch: number; startBeat: number }[] }).notes : [];
    // Both field edits of the one note survive: b's time move and a's pitch move.
    expect(notes.map((n) => [n.pitch, n.startBeat])).toEqual([
      [62, 2],
      [72, 4],
    ]);
    expect(a.read().tempoChanges).toHaveLength(1);
  });

  it('repairs a note moved into a clip a collaborator deleted, the same way on both peers', () => {
    const [a, b, sync] = pair();
    const keys = a.addTrack({ kind: 'instrument' });
    const first = a.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    const second = a.addNoteClip({ trackId: keys, startBeat: 4, lengthBeats: 4 });
    const note = a.addNote(first, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    sync();
    a.moveNote(note, { clipId: second });
    b.removeClip(second);
    const repairs: string[] = [];
    a.onChange((change) => repairs.push(...change.repairs));
    b.onChange((change) => repairs.push(...change.repairs));
    sync();
    expect(repairs.some((fix) => fix.includes(`note ${note} removed`))).toBe(true);
    expect(plain(a)).toEqual(plain(b));
    expect(a.read().clips.map((clip) => clip.id)).toEqual([first]);
    expect(validateProject(a.read())).toEqual([]);
  });

  it('repairs sends to a deleted bus, clips on a deleted track and overlapping notes deterministically', () => {
    const [a, b, sync] = pair();
    const bus = a.addTrack({ kind: 'bus' });
    const keys = a.addTrack({ kind: 'instrument' });
    const clip = a.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 8 });
    sync();
    a.setSend(keys, bus, -3);
    b.removeTrack(bus);
    // Two people draw the same pitch over each other.
    a.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 4 });
    b.addNote(clip, { pitch: 60, startBeat: 2, lengthBeats: 4 });
    b.addNote(clip, { pitch: 64, startBeat: 1, lengthBeats: 1 });
    a.addNote(clip, { pitch: 64, startBeat: 1, lengthBeats: 3 });
    sync();
    expect(plain(a)).toEqual(plain(b));
    const data = a.read();
    expect(validateProject(data)).toEqual([]);
    expect(data.tracks.map((t) => t.kind)).toEqual(['instrument']);
    expect(data.tracks[0]?.sends).toEqual([]);
    const notes = data.clips[0]?.kind === 'notes' ? data.clips[0].notes : [];
    expect(notes.filter((n) => n.pitch === 60).map((n) => [n.startBeat, n.lengthBeats])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(notes.filter((n) => n.pitch === 64)).toHaveLength(1);

    // Then the instrument track goes while the other peer adds a clip on it.
    a.removeTrack(keys);
    b.addNoteClip({ trackId: keys, startBeat: 16, lengthBeats: 4 });
    sync();
    expect(plain(a)).toEqual(plain(b));
    expect(a.read().clips).toEqual([]);
  });

  it('repair is a pure function of the document: two copies of one broken state repair identically', () => {
    const source = new Y.Doc();
    const tracks = source.getMap<Y.Map<unknown>>('tracks');
    const clips = source.getMap<Y.Map<unknown>>('clips');
    const notes = source.getMap<Y.Map<unknown>>('notes');
    const track = new Y.Map<unknown>();
    tracks.set('t1', track);
    track.set('kind', 'instrument');
    track.set('volumeDb', 40);
    track.set('pan', -3);
    const clip = new Y.Map<unknown>();
    clips.set('c1', clip);
    clip.set('kind', 'notes');
    clip.set('trackId', 't1');
    clip.set('startBeat', -4);
    clip.set('lengthBeats', 4);
    for (const [id, start] of [['n2', 1], ['n1', 1], ['n3', 0.5]] as const) {
      const note = new Y.Map<unknown>();
      notes.set(id, note);
      note.set('clipId', 'c1');
      note.set('pitch', 60.4);
      note.set('startBeat', start);
      note.set('lengthBeats', 2);
      note.set('velocity', 0);
    }
    source.getMap('meta').set('loopStartBeat', 8);
    source.getMap('meta').set('loopEndBeat', 2);
    const broken = Y.encodeStateAsUpdate(source);
    const first = new Y.Doc();
    const second = new Y.Doc();
    Y.applyUpdate(first, broken);
    Y.applyUpdate(second, broken);
    const firstFixes = repairProject(first).fixes;
    const secondFixes = repairProject(second).fixes;
    expect(firstFixes).toEqual(secondFixes);
    expect(readProject(first)).toEqual(readProject(second));
    const repaired = readProject(first);
    expect(validateProject(repaired)).toEqual([]);
    expect(repaired.loop).toMatchObject({ startBeat: 8, endBeat: 12 });
    expect(repaired.tracks[0]).toMatchObject({ volumeDb: 12, pan: -1, instrument: { type: 'synth', preset: 'keys' } });
    const repairedNotes = repaired.clips[0]?.kind === 'notes' ? repaired.clips[0].notes : [];
    expect(repairedNotes.map((n) => [n.id, n.startBeat, n.lengthBeats])).toEqual([
      ['n3', 0.5, 0.5],
      ['n1', 1, 2],
    ]);
    // Repairing again changes nothing: the repaired state is a fixed point.
    expect(repairProject(first).fixes).toEqual([]);
    // Both peers' repairs merge without a second round of fixes.
    Y.applyUpdate(first, Y.encodeStateAsUpdate(second));
    expect(repairProject(first).fixes).toEqual([]);
  });

  it('undoes only my edits, never a collaborator’s', () => {
    const [a, b, sync] = pair();
    const keys = a.addTrack({ kind: 'instrument', name: 'Keys' });
    sync();
    a.stopCapturing();
    b.setTempo(150);
    const clip = a.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    a.stopCapturing();
    b.updateTrack(keys, { name: 'Piano' });
    sync();
    expect(a.read().clips).toHaveLength(1);
    expect(a.undo()).toBe(true);
    sync();
    expect(a.read().clips).toHaveLength(0);
    expect(b.read().clips).toHaveLength(0);
    expect(a.read().tempoBpm).toBe(150);
    expect(a.read().tracks[0]?.name).toBe('Piano');
    expect(b.canUndo()).toBe(true);
    expect(b.undo()).toBe(true);
    sync();
    expect(a.read().tracks[0]?.name).toBe('Keys');
    expect(a.read().tempoBpm).toBe(150);
    expect(a.redo()).toBe(true);
    sync();
    expect(b.read().clips.map((c) => c.id)).toEqual([clip]);
    expect(plain(a)).toEqual(plain(b));
  });

  it('an undo that resurrects a note into a clip a collaborator deleted is repaired', () => {
    const [a, b, sync] = pair();
    const keys = a.addTrack({ kind: 'instrument' });
    const clip = a.addNoteClip({ trackId: keys, startBeat: 0, lengthBeats: 4 });
    sync();
    a.stopCapturing();
    const note = a.addNote(clip, { pitch: 60, startBeat: 0, lengthBeats: 1 });
    a.stopCapturing();
    a.removeNote(note);
    sync();
    b.removeClip(clip);
    sync();
    a.undo();
    sync();
    expect(plain(a)).toEqual(plain(b));
    expect(validateProject(a.read())).toEqual([]);
    expect(a.read().clips).toEqual([]);
  });

  it('loads a saved update, split and duplicate keep notes with their clips', () => {
    const project = StudioProject.create({ name: 'Saved' });
    const keys = project.addTrack({ kind: 'instrument' });
    const clip = project.addNoteClip({ trackId: keys, startBeat: 4, lengthBeats: 8 });
    project.addNotes(clip, [
      { pitch: 60, startBeat: 0, lengthBeats: 1 },
      { pitch: 62, startBeat: 3, lengthBeats: 2 },
      { pitch: 64, startBeat: 6, lengthBeats: 1 },
    ]);
    const right = project.splitClip(clip, 8);
    const copy = project.duplicateClip(right);
    const loaded = StudioProject.fromUpdate(project.encode());
    const clips = loaded.read().clips;
    expect(clips.map((c) => [c.id, c.startBeat, c.lengthBeats])).toEqual([
      [clip, 4, 4],
      [right, 8, 4],
      [copy, 12, 4],
    ]);
    const notesOf = (id: string): number[][] => {
      const found = clips.find((c) => c.id === id);
      return found?.kind === 'notes' ? found.notes.map((n) => [n.pitch, n.startBeat, n.lengthBeats]) : [];
    };
    expect(notesOf(clip)).toEqual([
      [60, 0, 1],
      [62, 3, 1],
    ]);
    expect(notesOf(right)).toEqual([[64, 2, 1]]);
    expect(notesOf(copy)).toEqual([[64, 2, 1]]);
  });
});
