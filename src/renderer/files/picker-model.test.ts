import { describe, expect, it } from 'vitest';
import { baseName, formatSize, isChoosable, pathInFolder, visibleEntries } from './picker-model';

const folder = { name: 'Album', path: '/home/dj/Album', kind: 'folder' as const, sizeBytes: null };
const playlist = { name: 'Set.M3U8', path: '/home/dj/Set.M3U8', kind: 'file' as const, sizeBytes: 120 };
const photo = { name: 'cover.jpg', path: '/home/dj/cover.jpg', kind: 'file' as const, sizeBytes: 2_500_000 };

describe('the picker model', () => {
  it('shows every folder, and only the files of the asked types for a file pick', () => {
    expect(visibleEntries([folder, playlist, photo], 'file', ['m3u8', 'm3u'])).toEqual([folder, playlist]);
    expect(visibleEntries([folder, playlist, photo], 'folder')).toEqual([folder]);
    expect(visibleEntries([folder, playlist, photo], 'file')).toEqual([folder, playlist, photo]);
    expect(isChoosable(folder, 'file', ['m3u8'])).toBe(false);
    expect(isChoosable(folder, 'folder')).toBe(true);
  });

  it('joins a typed file name to the picked folder, refusing separators and hidden names in words', () => {
    expect(pathInFolder('/home/dj/Exports', ' mix.wav ')).toEqual({ path: '/home/dj/Exports/mix.wav' });
    expect(pathInFolder('/home/dj/Exports/', 'mix.wav')).toEqual({ path: '/home/dj/Exports/mix.wav' });
    expect(pathInFolder('C:\\Users\\dj', 'mix.wav')).toEqual({ path: 'C:\\Users\\dj\\mix.wav' });
    expect(pathInFolder('/home/dj', '../.bashrc')).toEqual({ problem: expect.stringMatching(/cannot contain/) });
    expect(pathInFolder('/home/dj', '.bashrc')).toEqual({ problem: expect.stringMatching(/cannot start with a dot/) });
    expect(pathInFolder('/home/dj', '  ')).toEqual({ problem: 'Give the file a name.' });
  });

  it('says sizes and names shortly', () => {
    expect(formatSize(null)).toBe('');
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(2048)).toBe('2 KB');
    expect(formatSize(2_500_000)).toBe('2.4 MB');
    expect(baseName('/home/dj/Music/')).toBe('Music');
  });
});
