import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { openDatabase } from '../database/database';
import { createLogger } from '../log/logger';
import { LibraryStore } from './library-store';
import { parseM3u, PlaylistStore } from './playlist-store';

let temp: ReturnType<typeof makeTempDir>;
let db: Database.Database;
let playlists: PlaylistStore;
let store: LibraryStore;
const ids: number[] = [];

beforeEach(() => {
  temp = makeTempDir();
  db = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ level: 'error' })).db;
  store = new LibraryStore(db);
  playlists = new PlaylistStore(db, store.search);
  const folder = Number(db.prepare('INSERT INTO library_folders (path, added_at) VALUES (?, 0)').run('/music').lastInsertRowid);
  const insert = db.prepare('INSERT INTO tracks (path, folder_id, title, artist, bpm, duration_sec, added_at) VALUES (?, ?, ?, ?, ?, ?, 0)');
  ids.length = 0;
  for (const [index, title] of ['One', 'Two', 'Three', 'Four'].entries()) {
    ids.push(Number(insert.run(`/music/set/${index + 1}.mp3`, folder, title, 'Band', 120 + index * 10, 200 + index).lastInsertRowid));
  }
});
afterEach(() => {
  db.close();
  temp.remove();
});

const order = (id: number): string[] => playlists.entries(id, 0, 100).rows.map((row) => row.title);

describe('playlists and crates', () => {
  it('creates, renames, lists in order, and deletes', () => {
    const a = playlists.create('Warm-up', 'playlist', [ids[0]!, ids[1]!]);
    const b = playlists.create('Peak time', 'crate');
    expect(a).toMatchObject({ name: 'Warm-up', kind: 'playlist', trackCount: 2, durationSec: 401 });
    expect(playlists.update(b.id, { name: 'Peak' }).name).toBe('Peak');
    expect(playlists.list().map((item) => item.name)).toEqual(['Warm-up', 'Peak']);
    expect(playlists.reorder([b.id, a.id]).map((item) => item.name)).toEqual(['Peak', 'Warm-up']);
    expect(() => playlists.reorder([a.id])).toThrow(/every playlist id/);
    playlists.delete(a.id);
    expect(playlists.list().map((item) => item.name)).toEqual(['Peak']);
    expect(db.prepare('SELECT count(*) FROM tracks').pluck().get()).toBe(4);
    expect(() => playlists.delete(a.id)).toThrow(/no playlist/);
  });

  it('adds at a position, moves entries by drag, removes entries, and allows a track twice', () => {
    const list = playlists.create('Set', 'playlist', [ids[0]!, ids[1]!, ids[2]!]);
    playlists.addTracks(list.id, [ids[3]!], 1);
    expect(order(list.id)).toEqual(['One', 'Four', 'Two', 'Three']);
    playlists.addTracks(list.id, [ids[0]!], null);
    expect(order(list.id)).toEqual(['One', 'Four', 'Two', 'Three', 'One']);
    const entries = playlists.entries(list.id, 0, 100).rows;
    playlists.moveEntries(list.id, [entries[3]!.entryId!, entries[1]!.entryId!], 0);
    expect(order(list.id)).toEqual(['Three', 'Four', 'One', 'Two', 'One']);
    playlists.removeEntries(list.id, [entries[4]!.entryId!]);
    expect(order(list.id)).toEqual(['Three', 'Four', 'One', 'Two']);
    expect(playlists.entries(list.id, 0, 100).rows.map((row) => row.position)).toEqual([0, 1, 2, 3]);
    expect(() => playlists.addTracks(list.id, [999_999], null)).toThrow(/no track 999999/);
    expect(order(list.id)).toHaveLength(4);
  });

  it('saves a smart playlist from a search; its tracks follow the library', () => {
    const smart = playlists.createSmart('Fast', 'bpm:>=140', 'bpm', true);
    expect(smart).toMatchObject({ kind: 'smart', smartQuery: 'bpm:>=140', trackCount: 2 });
    expect(order(smart.id)).toEqual(['Four', 'Three']);
    db.prepare('UPDATE tracks SET bpm = 175 WHERE id = ?').run(ids[0]);
    expect(order(smart.id)).toEqual(['One', 'Four', 'Three']);
    expect(() => playlists.addTracks(smart.id, [ids[1]!], null)).toThrow(/smart playlist/);
    expect(() => playlists.createSmart('Bad', 'bpm:fast', 'bpm', false)).toThrow(/cannot be saved/);
    expect(playlists.update(smart.id, { query: 'title:two' }).trackCount).toBe(1);
  });

  it('exports M3U8 and imports it back, listing entries not in the library', () => {
    const list = playlists.create('Set / 1', 'playlist', [ids[2]!, ids[0]!]);
    const exported = playlists.exportM3u(list.id, null);
    expect(exported.fileName).toBe('Set _ 1.m3u8');
    expect(exported.text).toBe('#EXTM3U\n#PLAYLIST:Set / 1\n#EXTINF:202,Band - Three\n/music/set/3.mp3\n#EXTINF:200,Band - One\n/music/set/1.mp3\n');
    expect(playlists.exportM3u(list.id, '/music').text).toContain('\nset/3.mp3\n');
    const imported = playlists.importM3u('Back', '\uFEFF#EXTM3U\r\n#EXTINF:1,x\r\nset/2.mp3\r\nfile:///music/set/4.mp3\r\n/elsewhere/missing.flac\r\nhttp://radio.example/stream\r\n', '/music');
    expect(imported.matched).toBe(2);
    expect(imported.missing).toEqual(['/elsewhere/missing.flac']);
    expect(order(imported.playlist.id)).toEqual(['Two', 'Four']);
  });

  it('reads M3U paths: relative, file URLs, Windows separators, comments', () => {
    expect(parseM3u('#EXTM3U\na.mp3\nsub\\b.mp3\nfile:///x/c%20d.mp3\n# note\n', '/base')).toEqual(['/base/a.mp3', '/base/sub/b.mp3', '/x/c d.mp3']);
    expect(parseM3u('a.mp3\n/abs.mp3', null)).toEqual(['/abs.mp3']);
  });
});

describe('ratings, likes, history and cue points', () => {
  it('records plays and skips, ratings and likes', () => {
    expect(store.recordPlay(ids[0]!, 'played', 180)).toEqual({ playCount: 1, skipCount: 0 });
    expect(store.recordPlay(ids[0]!, 'skipped', 3)).toEqual({ playCount: 1, skipCount: 1 });
    expect(store.history(0, 10).rows.map((row) => row.outcome)).toEqual(['skipped', 'played']);
    expect(store.rate(ids[1]!, 4).rating).toBe(4);
    expect(store.like(ids[1]!, true).liked).toBe(true);
    expect(() => store.rate(424242, 3)).toThrow(/no track/);
  });

  it('saves cue points, hot cues and loops, refusing a loop that ends before it starts', () => {
    const saved = store.saveCuePoints(ids[0]!, [
      { kind: 'hot', slot: 1, positionSec: 32.5, endSec: null, label: 'Drop', color: '#ff0000' },
      { kind: 'loop', slot: null, positionSec: 10, endSec: 18, label: '', color: null },
    ]);
    expect(saved.map((cue) => cue.positionSec)).toEqual([10, 32.5]);
    expect(() => store.saveCuePoints(ids[0]!, [{ kind: 'loop', slot: null, positionSec: 10, endSec: 5, label: '', color: null }])).toThrow(/end after it starts/);
    expect(store.cuePoints(ids[0]!)).toHaveLength(2);
  });
});
