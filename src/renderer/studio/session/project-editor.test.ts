import { describe, expect, it } from 'vitest';
import { StudioProject, type NoteClip } from '../../../shared/studio';
import { createProjectEditor } from './project-editor';
import { checkShareTarget } from './collab';

function setup() {
  const project = StudioProject.create({ name: 'Test', tempoBpm: 120 });
  const refusals: string[] = [];
  const editor = createProjectEditor(project, { onRefused: (message) => refusals.push(message) });
  return { project, editor, refusals };
}

describe('the editors’ edits on the project model', () => {
  it('trims a note clip from the left keeping its notes where they sound, in one undo step', () => {
    const { project, editor } = setup();
    const track = editor.addTrack('instrument')!;
    const clip = editor.addNoteClip(track, 8, 8, [
      { pitch: 60, startBeat: 0, lengthBeats: 1, velocity: 0.8 },
      { pitch: 62, startBeat: 1.5, lengthBeats: 1, velocity: 0.8 },
      { pitch: 64, startBeat: 4, lengthBeats: 1, velocity: 0.8 },
    ])!;
    editor.trimClip(clip, 'start', 10);
    const trimmed = project.read().clips.find((entry) => entry.id === clip) as NoteClip;
    expect([trimmed.startBeat, trimmed.lengthBeats]).toEqual([10, 6]);
    // 60 ended before the new start and is gone; 62 crossed it and is shortened; 64 keeps song beat 12.
    expect(trimmed.notes.map((note) => [note.pitch, note.startBeat, note.lengthBeats])).toEqual([
      [62, 0, 0.5],
      [64, 2, 1],
    ]);
    editor.undo();
    expect((project.read().clips.find((entry) => entry.id === clip) as NoteClip).notes).toHaveLength(3);
  });

  it('trims an audio clip from the left by moving its source offset by the tempo’s seconds', () => {
    const { project, editor } = setup();
    const track = editor.addTrack('audio')!;
    const clip = project.addAudioClip({ trackId: track, startBeat: 4, lengthBeats: 8, sourceId: 'asset:take.wav', offsetSec: 0.1 });
    editor.trimClip(clip, 'start', 6);
    const trimmed = project.read().clips.find((entry) => entry.id === clip)!;
    expect(trimmed.kind === 'audio' && trimmed.offsetSec).toBeCloseTo(1.1, 9);
  });

  it('duplicates a group of clips as a group, right after it', () => {
    const { project, editor } = setup();
    const track = editor.addTrack('instrument')!;
    const a = editor.addNoteClip(track, 0, 4)!;
    const b = editor.addNoteClip(track, 4, 2)!;
    const copies = editor.duplicateClips([a, b]);
    const starts = copies.map((id) => project.read().clips.find((clip) => clip.id === id)!.startBeat);
    expect(starts).toEqual([6, 10]);
  });

  it('writes an automation lane keeping the ids of points that did not change', () => {
    const { project, editor } = setup();
    const track = editor.addTrack('instrument')!;
    editor.setAutomation(track, 'volumeDb', [
      { beat: 0, value: -6 },
      { beat: 4, value: 0 },
    ]);
    const first = project.read().tracks[0]!.automation[0]!.points;
    editor.setAutomation(track, 'volumeDb', [
      { beat: 0, value: -6 },
      { beat: 8, value: -3 },
    ]);
    const second = project.read().tracks[0]!.automation[0]!.points;
    expect(second.map((point) => [point.beat, point.value])).toEqual([
      [0, -6],
      [8, -3],
    ]);
    expect(second[0]!.id).toBe(first[0]!.id);
  });

  it('tells the user in words when an edit cannot be made, and changes nothing', () => {
    const { project, editor, refusals } = setup();
    const audio = editor.addTrack('audio')!;
    expect(editor.addNoteClip(audio, 0, 4)).toBeNull();
    expect(refusals).toEqual(['Note clips go on audio tracks.'.replace('audio', 'instrument')]);
    expect(project.read().clips).toHaveLength(0);
  });

  it('names new tracks by what they are', () => {
    const { project, editor } = setup();
    editor.addTrack('instrument', { drums: true });
    editor.addTrack('instrument');
    editor.addTrack('bus');
    expect(project.read().tracks.map((track) => [track.name, track.instrument?.type ?? null])).toEqual([
      ['Drums 1', 'drums'],
      ['Synth 2', 'synth'],
      ['Bus 3', null],
    ]);
  });
});

describe('the collaboration server address', () => {
  it('accepts wss:// anywhere and ws:// only on this machine', () => {
    expect(checkShareTarget('wss://collab.example.com/yjs', 'band-42')).toBeNull();
    expect(checkShareTarget('ws://127.0.0.1:1234', 'room')).toBeNull();
    expect(checkShareTarget('ws://localhost:1234', 'room')).toBeNull();
    expect(checkShareTarget('ws://192.168.1.20:1234', 'room')?.code).toBe('insecure-url');
    expect(checkShareTarget('https://example.com', 'room')?.code).toBe('invalid-url');
    expect(checkShareTarget('not a url', 'room')?.message).toMatch(/must look like/);
    expect(checkShareTarget('wss://user:secret@example.com', 'room')?.code).toBe('invalid-url');
    expect(checkShareTarget('wss://example.com', '../etc')?.code).toBe('invalid-room');
  });
});
