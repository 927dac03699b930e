import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createLogger } from '../log/logger';
import { openDatabase } from '../database/database';
import { KaraokeLibrary } from './karaoke-library';

const header = (title: string, audio = 'song.ogg'): string => `#TITLE:${title}\n#ARTIST:Tester\n#AUDIO:${audio}\n#BPM:300\n#GAP:500\n`;

describe('KaraokeLibrary', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let songs: string;
  let db: ReturnType<typeof openDatabase>['db'];
  let clockMs: number;
  let library: KaraokeLibrary;

  const song = (folder: string, files: Record<string, string>): void => {
    mkdirSync(join(songs, folder), { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(songs, folder, name), content);
  };

  beforeEach(() => {
    temp = makeTempDir();
    songs = join(temp.path, 'songs');
    db = openDatabase(join(temp.path, 'mixdeck.db'), createLogger({ directory: join(temp.path, 'logs'), level: 'error' })).db;
    clockMs = 1_700_000_000_000;
    library = new KaraokeLibrary(db, () => clockMs);
    song('Alpha', { 'alpha.txt': `${header('Alpha')}#VIDEO:clip.mp4\n#BACKGROUND:bg.jpg\n: 0 4 0 Hel\n* 4 4 2 lo\n- 10\n: 12 4 4 world\nE\n`, 'song.ogg': 'audio', 'bg.jpg': 'img' });
    song('Duet', { 'duet.txt': `${header('Duet')}#P1:Ann\n#P2:Bob\nP1\n: 0 4 0 a\nP2\n: 4 4 0 b\nE\n`, 'song.ogg': 'audio' });
    song('Along', { 'along.lrc': '[ti:Along]\n[ar:Lyricist]\n[00:01.00]hello there', 'along.mp3': 'audio' });
    song('Broken', { 'bad.txt': `${header('Bad')}: 0 4 0 la\n: 4 zero 0 la\nE\n`, 'song.ogg': 'a' });
  });

  afterEach(() => {
    db.close();
    temp.remove();
  });

  it('imports a folder as flagged library tracks, refusing the broken file with its line and going on', async () => {
    const result = await library.importFolder(songs);
    expect(result.added).toBe(3);
    expect(result.refused).toEqual([
      expect.objectContaining({ file: join('Broken', 'bad.txt'), line: 7, message: expect.stringMatching(/^Broken\/bad\.txt, line 7: a note is/) }),
    ]);
    expect(result.warnings).toContain('Alpha/alpha.txt: the video "clip.mp4" is missing; the song plays without it');
    const rows = db.prepare("SELECT kind, title, karaoke_format, karaoke_is_duet FROM tracks ORDER BY title").all();
    expect(rows).toEqual([
      { kind: 'karaoke', title: 'Along', karaoke_format: 'lrc', karaoke_is_duet: 0 },
      { kind: 'karaoke', title: 'Alpha', karaoke_format: 'ultrastar', karaoke_is_duet: 0 },
      { kind: 'karaoke', title: 'Duet', karaoke_format: 'ultrastar', karaoke_is_duet: 1 },
    ]);
    // Importing again updates, never duplicates.
    const again = await library.importFolder(songs);
    expect([again.added, again.updated]).toEqual([0, 3]);
    expect(library.listSongs().map((entry) => entry.title)).toEqual(['Along', 'Alpha', 'Duet']);
    expect(library.listSongs('alp').map((entry) => entry.title)).toEqual(['Alpha']);
  });

  it('flags a music track already in the library instead of adding a second one', async () => {
    db.prepare("INSERT INTO tracks (path, kind, title, artist, added_at) VALUES (?, 'music', 'Tagged Title', 'Tagged Artist', 1)").run(join(songs, 'Alpha', 'song.ogg'));
    const result = await library.importFolder(songs);
    expect([result.added, result.updated]).toEqual([2, 1]);
    const alpha = library.listSongs().find((entry) => entry.title === 'Tagged Title');
    expect(alpha?.artist).toBe('Tagged Artist');
  });

  it('refuses a folder that does not exist, in words', async () => {
    await expect(library.importFolder(join(temp.path, 'nowhere'))).rejects.toThrow(/does not exist/);
  });

  it('opens a song with its notes, lines and media URLs, and resolves those URLs to the song’s files only', async () => {
    await library.importFolder(songs);
    const id = library.listSongs().find((entry) => entry.title === 'Alpha')!.id;
    const opened = await library.openSong(id);
    expect(opened.beatDurationSec).toBeCloseTo(0.05);
    expect(opened.gapMs).toBe(500);
    expect(opened.voices).toHaveLength(1);
    expect(opened.voices[0]!.lines.map((line) => line.notes.map((note) => `${note.kind}:${note.midi}:${note.text}`))).toEqual([
      ['normal:60:Hel', 'golden:62:lo'],
      ['normal:64:world'],
    ]);
    expect(opened.audioUrl).toBe(`/media/karaoke/${id}/audio`);
    expect(opened.backgroundUrl).toBe(`/media/karaoke/${id}/background`);
    expect(opened.videoUrl).toBeNull();
    expect(await library.mediaPath(id, 'audio')).toBe(join(songs, 'Alpha', 'song.ogg'));
    expect(await library.mediaPath(id, 'background')).toBe(join(songs, 'Alpha', 'bg.jpg'));
    expect(await library.mediaPath(id, 'video')).toBeNull();

    const lrcId = library.listSongs().find((entry) => entry.title === 'Along')!.id;
    const lrc = await library.openSong(lrcId);
    expect(lrc.lrcLines.map((line) => line.text)).toEqual(['hello there']);
    await expect(library.openSong(9999)).rejects.toThrow(/no karaoke song number 9999/);
  });

  it('refuses to open a song whose file broke after import, saying where', async () => {
    await library.importFolder(songs);
    const id = library.listSongs().find((entry) => entry.title === 'Alpha')!.id;
    writeFileSync(join(songs, 'Alpha', 'alpha.txt'), `${header('Alpha')}: 0 -4 0 la\nE\n`);
    await expect(library.openSong(id)).rejects.toThrow(/alpha\.txt cannot be sung: line 6: a note must last at least one beat/);
  });

  it('keeps scores with the singer, difficulty and date, and ranks them per song', async () => {
    await library.importFolder(songs);
    const id = library.listSongs().find((entry) => entry.title === 'Alpha')!.id;
    const base = { songId: id, voiceIndex: 0, notes: 0, golden: 0, lineBonus: 0, lineRatings: [{ index: 0, rating: 'Good', points: 10 }] };
    expect(library.saveScore({ ...base, singerName: 'Ann', difficulty: 'medium', score: 7000 }).rank).toBe(1);
    clockMs += 1000;
    expect(library.saveScore({ ...base, singerName: 'Bob', difficulty: 'medium', score: 8000 }).rank).toBe(1);
    clockMs += 1000;
    expect(library.saveScore({ ...base, singerName: 'Cy', difficulty: 'medium', score: 7000 }).rank).toBe(3);
    library.saveScore({ ...base, singerName: 'Dee', difficulty: 'hard', score: 9000 });
    expect(library.leaderboard(id, 'medium', 10).map((entry) => `${entry.rank}.${entry.singerName}:${entry.score}`)).toEqual(['1.Bob:8000', '2.Ann:7000', '3.Cy:7000']);
    expect(library.leaderboard(id, undefined, 2).map((entry) => entry.singerName)).toEqual(['Dee', 'Bob']);
    expect(library.leaderboard(id, 'medium', 1)[0]!.sungAtMs).toBe(1_700_000_001_000);
    expect(library.listSongs().find((entry) => entry.id === id)!.bestScore).toBe(9000);
  });

  it('assumes a 140 ms microphone delay until one is measured, then keeps the measured one', () => {
    expect(library.getMicDelay()).toEqual({ delayMs: 140, calibrated: false, calibratedAtMs: null });
    expect(library.setMicDelay(87)).toEqual({ delayMs: 87, calibrated: true, calibratedAtMs: clockMs });
    expect(new KaraokeLibrary(db).getMicDelay().delayMs).toBe(87);
  });
});
