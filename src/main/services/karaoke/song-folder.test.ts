import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { describeRefusal, scanSongFolder, type SongFolderScan } from './song-folder';

const header = (title: string, audio = 'song.ogg'): string => `#TITLE:${title}\n#ARTIST:Tester\n#AUDIO:${audio}\n#BPM:300\n#GAP:0\n`;

describe('scanSongFolder', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let scan: SongFolderScan;
  const progress: string[] = [];

  beforeAll(async () => {
    temp = makeTempDir();
    const song = (folder: string, files: Record<string, string | Buffer>): void => {
      mkdirSync(join(temp.path, folder), { recursive: true });
      for (const [name, content] of Object.entries(files)) writeFileSync(join(temp.path, folder, name), content);
    };
    song('Good Song', { 'song.txt': `${header('Good Song')}#COVER:cover.jpg\n: 0 4 0 la\nE\n`, 'song.ogg': 'audio', 'cover.jpg': 'img' });
    song('Duet', { 'duet.txt': `${header('Duet')}#P1:A\n#P2:B\nP1\n: 0 4 0 a\nP2\n: 4 4 0 b\nE\n`, 'song.ogg': 'audio' });
    song('Old Latin-1', {
      'old.txt': Buffer.concat([Buffer.from('#TITLE:Caf'), Buffer.from([0xe9]), Buffer.from('\n#ARTIST:X\n#MP3:song.ogg\n#BPM:200,5\n: 0 2 0 caf\nE\n')]),
      'song.ogg': 'audio',
    });
    song('Sing Along', { 'track.lrc': '[ti:Along]\n[00:01.00]hello', 'track.mp3': 'audio' });
    song('Broken/Bad Note', { 'bad.txt': `${header('Bad')}: 0 4 0 la\n: 4 zero 0 la\nE\n`, 'song.ogg': 'a' });
    song('Broken/No Audio', { 'noaudio.txt': `${header('No Audio', 'missing.ogg')}: 0 4 0 la\nE\n` });
    song('Broken/Escape', { 'escape.txt': `${header('Escape', '../../secret.ogg')}: 0 4 0 la\nE\n` });
    song('Broken/No Bpm', { 'nobpm.txt': '#TITLE:x\n#ARTIST:y\n#AUDIO:song.ogg\n: 0 4 0 la\n', 'song.ogg': 'a' });
    song('Broken/Lrc Without Audio', { 'lonely.lrc': '[00:01.00]hello' });
    song('Broken/Binary', { 'binary.txt': Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x00]) });
    scan = await scanSongFolder(temp.path, (_done, path) => progress.push(path));
  });
  afterAll(() => temp.remove());

  it('imports every good song, in each format and encoding', () => {
    expect(scan.songs.map((song) => [song.title, song.format, song.isDuet])).toEqual([
      ['Duet', 'ultrastar', true],
      ['Good Song', 'ultrastar', false],
      ['Café', 'ultrastar', false],
      ['Along', 'lrc', false],
    ]);
    expect(scan.songs[1]!.coverPath).toBe(join(temp.path, 'Good Song', 'cover.jpg'));
  });

  it('refuses each broken file on its own, with the line and what is wrong, and goes on', () => {
    const messages = scan.refused.map((refusal) => describeRefusal(refusal, temp.path));
    expect(messages).toEqual([
      expect.stringMatching(/^Broken\/Bad Note\/bad\.txt, line 7: a note is ": start length pitch syllable"/),
      'Broken/Binary/binary.txt: it is not a text file (it holds binary data)',
      'Broken/Escape/escape.txt: the audio file "../../secret.ogg" must be in the song\'s own folder',
      expect.stringMatching(/^Broken\/Lrc Without Audio\/lonely\.lrc: no audio file with the same name/),
      'Broken/No Audio/noaudio.txt: the audio file "missing.ogg" is missing',
      'Broken/No Bpm/nobpm.txt: the #BPM header is missing',
    ]);
    expect(progress).toHaveLength(scan.songs.length + scan.refused.length);
  });
});
