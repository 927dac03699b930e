import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, failure } from '../../../tests/support/core-calls';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { encodeWav } from '../../audio-engine/studio/wav';
import { createAppCore, type AppCore } from '../app-core';

/** No JavaScript internals in a refusal: no call names, stack frames or "undefined". */
const inWords = /^[^\n]*$/;
const noInternals = (message: string): void => {
  expect(message).toMatch(inWords);
  expect(message).not.toMatch(/TypeError|ENOENT|EACCES|\bat \w+ \(|undefined|readableFile|writableFile/);
};

function toneWav(seconds: number): Uint8Array {
  const sampleRate = 8000;
  const samples = new Float32Array(sampleRate * seconds);
  for (let index = 0; index < samples.length; index += 1) samples[index] = 0.3 * Math.sin((2 * Math.PI * 440 * index) / sampleRate);
  return encodeWav([samples, samples], sampleRate, 16);
}

describe('paths are capabilities: the page uses only paths the user picked', () => {
  const temp = makeTempDir('mixdeck-files-cap-');
  const home = join(temp.path, 'home');
  const volumes = join(temp.path, 'media');
  const outside = join(temp.path, 'outside');
  let core: AppCore;

  beforeAll(async () => {
    for (const folder of [home, volumes, outside, join(home, 'Music', 'Album'), join(home, 'Exports'), join(home, '.ssh'), join(volumes, 'usb')]) mkdirSync(folder, { recursive: true });
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY');
    writeFileSync(join(outside, 'private.wav'), toneWav(1));
    writeFileSync(join(outside, 'list.m3u8'), '#EXTM3U\n/outside/secret-line\n');
    writeFileSync(join(home, 'Music', 'Album', 'tone.wav'), toneWav(1));
    writeFileSync(join(home, 'Music', 'party.m3u8'), '#EXTM3U\n#EXTINF:1,Tone\nAlbum/tone.wav\n');
    symlinkSync(outside, join(home, 'Music', 'escape'));
    symlinkSync(join(outside, 'private.wav'), join(home, 'Music', 'linked.wav'));
    core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'warn', fileBrowser: { homeDir: home, volumeRoots: [volumes] } });
  });
  afterAll(async () => {
    await core?.close();
    temp.remove();
  });

  it('refuses every raw path the issue named, in words, before touching the file', async () => {
    const project = await call(core, 'studio.create', { name: 'Probe' });
    const refusals = [
      await failure(core, 'library.playlists.importM3u8', { path: '/etc/passwd' }),
      await failure(core, 'library.playlists.importM3u8', { path: join(outside, 'list.m3u8') }),
      await failure(core, 'studio.export', { projectId: project.id, outPath: join(outside, 'mix.wav') }),
      await failure(core, 'studio.readSource', { sourceId: `file:${join(outside, 'private.wav')}` }),
      await failure(core, 'studio.importAudio', { projectId: project.id, source: { path: join(outside, 'private.wav') } }),
      await failure(core, 'studio.importMidi', { projectId: project.id, source: { path: join(outside, 'song.mid') } }),
      await failure(core, 'broadcast.setAudioInput', { source: 'file', filePath: join(outside, 'private.wav') }),
      await failure(core, 'broadcast.goLive', { recordingFolder: outside, record: true, targetIds: [] }),
      await failure(core, 'karaoke.importFolder', { folderPath: outside }),
      await failure(core, 'library.folders.add', { path: outside, scan: false }),
      await failure(core, 'settings.update', { folders: { music: [outside] } }),
    ];
    for (const refusal of refusals) {
      expect(refusal.code).toBe('forbidden');
      expect(refusal.message).toMatch(/picked|chose|choose/);
      noInternals(refusal.message);
    }
    expect((await failure(core, 'studio.export', { projectId: project.id, outPath: '~/.bashrc' })).code).toBe('invalid-input');
    const tilde = await failure(core, 'studio.export', { projectId: project.id, outPath: '~/.bashrc.wav', overwrite: true });
    expect(tilde).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/does not expand "~"/) });
    expect(existsSync(join(homedir(), '.bashrc')) ? readFileSync(join(homedir(), '.bashrc')).subarray(0, 4).toString() : '').not.toBe('RIFF');
    // The broadcast input did not change, and nothing was listed or imported.
    expect((await call(core, 'broadcast.getAudioInput', {})).source).not.toBe('file');
    expect((await call(core, 'library.folders.list', {})).folders).toEqual([]);
    expect((await call(core, 'library.playlists.list', {})).playlists).toEqual([]);
  });

  it('accepts a file picked in the browser, and relative playlist entries resolve beside it', async () => {
    const picked = await call(core, 'files.pick', { path: join(home, 'Music', 'party.m3u8'), kind: 'file', purpose: 'playlist' });
    expect(picked.path).toBe(join(home, 'Music', 'party.m3u8'));
    const imported = await call(core, 'library.playlists.importM3u8', { path: picked.path });
    expect(imported.playlist.name).toBe('party');
    const tone = await call(core, 'files.pick', { path: join(home, 'Music', 'Album', 'tone.wav'), kind: 'file', purpose: 'rehearsal-audio' });
    const input = await call(core, 'broadcast.setAudioInput', { source: 'file', filePath: tone.path });
    expect(input).toMatchObject({ source: 'file', filePath: tone.path });
    const pcm = await call(core, 'studio.readSource', { sourceId: `file:${tone.path}` });
    expect(pcm.durationSec).toBeGreaterThan(0.9);
    // Picking one file grants that file, not its neighbours.
    expect((await failure(core, 'library.playlists.importM3u8', { path: join(home, 'Music', 'Album', 'other.m3u8') })).code).toBe('forbidden');
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
  });

  it('refuses /, /etc and the home folder as library folders with the reason, even when picked, and scan:false never scans', async () => {
    for (const [path, reason] of [
      ['/', /root folder "\/" holds the whole system/],
      ['/etc', /system folder/],
      ['/usr/share', /system folder/],
    ] as const) {
      core.grantPicked(path, 'folder', 'music-folder');
      const refusal = await failure(core, 'library.folders.add', { path, scan: false });
      expect(refusal).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(reason) });
      noInternals(refusal.message);
    }
    const music = await call(core, 'files.pick', { path: join(home, 'Music'), kind: 'folder', purpose: 'music-folder' });
    const added = await call(core, 'library.folders.add', { path: music.path, scan: false });
    expect(added.folders.map((folder) => folder.path)).toEqual([music.path]);
    expect((await call(core, 'library.scanStatus', {})).progress).toBeNull();
    expect((await call(core, 'library.folders.list', {})).folders[0]?.trackCount).toBe(0);
  });

  it('writes an export only into a picked folder and never replaces a file without consent', async () => {
    const project = await call(core, 'studio.create', { name: 'Export probe' });
    const folder = await call(core, 'files.pick', { path: join(home, 'Exports'), kind: 'folder', purpose: 'export-folder' });
    const outPath = join(folder.path, 'mix.wav');
    await call(core, 'studio.export', { projectId: project.id, outPath });
    const first = statSync(outPath);
    expect(readFileSync(outPath).subarray(0, 4).toString()).toBe('RIFF');
    writeFileSync(outPath, 'the user’s own file');
    const again = await failure(core, 'studio.export', { projectId: project.id, outPath });
    expect(again).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already exists.*confirm/) });
    expect(readFileSync(outPath, 'utf8')).toBe('the user’s own file');
    await call(core, 'studio.export', { projectId: project.id, outPath, overwrite: true });
    expect(readFileSync(outPath).subarray(0, 4).toString()).toBe('RIFF');
    expect(first.size).toBeGreaterThan(44);
    // Hidden names and links are never written, even with consent.
    expect((await failure(core, 'studio.export', { projectId: project.id, outPath: join(folder.path, '.bashrc.wav'), overwrite: true })).message).toMatch(/hidden file name/);
    symlinkSync(join(outside, 'private.wav'), join(folder.path, 'link.wav'));
    expect((await failure(core, 'studio.export', { projectId: project.id, outPath: join(folder.path, 'link.wav'), overwrite: true })).message).toMatch(/link to another file/);
    expect(readFileSync(join(outside, 'private.wav')).length).toBe(toneWav(1).length);
    // A folder picked for reading is not a folder to write into.
    expect((await failure(core, 'studio.export', { projectId: project.id, outPath: join(home, 'Music', 'mix.wav') })).code).toBe('forbidden');
  });

  it('browses only home and mounted volumes: no hidden entries, no ".." escape, no link out', async () => {
    const roots = (await call(core, 'files.roots', {})).roots;
    expect(roots.map((root) => root.path)).toEqual([home, volumes]);
    const listing = await call(core, 'files.browse', {});
    expect(listing.path).toBe(home);
    expect(listing.parent).toBeNull();
    expect(listing.entries.map((entry) => entry.name)).toEqual(['Exports', 'Music']);
    const music = await call(core, 'files.browse', { path: join(home, 'Music') });
    expect(music.parent).toBe(home);
    expect(music.entries).toEqual([
      { name: 'Album', path: join(home, 'Music', 'Album'), kind: 'folder', sizeBytes: null },
      { name: 'party.m3u8', path: join(home, 'Music', 'party.m3u8'), kind: 'file', sizeBytes: statSync(join(home, 'Music', 'party.m3u8')).size },
    ]);
    for (const path of ['/etc', '/', outside, join(home, '..', 'outside'), join(home, 'Music', '..', '..', 'outside')]) {
      const refusal = await failure(core, 'files.browse', { path });
      expect(refusal.code).toBe('forbidden');
      expect(refusal.message).toMatch(/only your home folder and mounted volumes/);
    }
    expect((await failure(core, 'files.browse', { path: join(home, 'Music', 'escape') })).message).toMatch(/links to a place outside/);
    expect((await failure(core, 'files.pick', { path: join(home, 'Music', 'linked.wav'), kind: 'file', purpose: 'studio-import' })).message).toMatch(/links to a place outside/);
    expect((await failure(core, 'files.browse', { path: join(home, '.ssh') })).message).toMatch(/hidden files and folders/);
    expect((await failure(core, 'files.pick', { path: join(home, '.ssh', 'id_rsa'), kind: 'file', purpose: 'playlist' })).message).toMatch(/hidden files and folders/);
    expect((await failure(core, 'files.browse', { path: 'Music' })).message).toMatch(/not a full path/);
    expect((await failure(core, 'files.pick', { path: join(home, 'Music'), kind: 'file', purpose: 'playlist' })).message).toMatch(/is a folder, not a file/);
    expect((await call(core, 'files.browse', { path: join(volumes, 'usb') })).parent).toBe(volumes);
    expect((await failure(core, 'files.nativeDialog', { kind: 'folder', purpose: 'music-folder' })).code).toBe('not-supported');
  });
});
