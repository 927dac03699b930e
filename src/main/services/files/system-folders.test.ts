import { describe, expect, it } from 'vitest';
import { systemFolderReason } from './system-folders';

describe('system folders are not music folders', () => {
  const linux = { platform: 'linux' as const, homeDir: '/home/dj' };

  it('refuses the root, the system trees and what is inside them, and folders of users or volumes, each with the reason', () => {
    expect(systemFolderReason('/', linux)).toMatch(/root folder "\/" holds the whole system/);
    for (const path of ['/etc', '/etc/ssl', '/usr', '/usr/share/sounds', '/bin', '/proc', '/sys/class', '/dev', '/var/lib', '/boot', '/etc/../etc/']) {
      expect(systemFolderReason(path, linux), path).toMatch(/is a system folder \(\/\w+ belongs to the operating system\)/);
    }
    for (const path of ['/home', '/media', '/mnt', '/run/media', '/tmp']) expect(systemFolderReason(path, linux), path).toMatch(/holds other users' or volumes' folders/);
    expect(systemFolderReason('/home/dj', linux)).toMatch(/whole home folder/);
    expect(systemFolderReason('/home/dj/', linux)).toMatch(/whole home folder/);
  });

  it('accepts the folders music lives in', () => {
    for (const path of ['/home/dj/Music', '/media/dj/USB/Sets', '/mnt/nas/music', '/tmp/mixdeck-test/music', '/home/other/Music', '/srv/music']) {
      expect(systemFolderReason(path, linux), path).toBeNull();
    }
  });

  it('refuses a whole drive and the system folders on Windows', () => {
    const windows = { platform: 'win32' as const, homeDir: 'C:\\Users\\dj' };
    expect(systemFolderReason('C:\\', windows)).toMatch(/whole drive/);
    expect(systemFolderReason('C:\\Windows\\Media', windows)).toMatch(/system folder/);
    expect(systemFolderReason('c:\\program files', windows)).toMatch(/system folder/);
    expect(systemFolderReason('D:\\Music', windows)).toBeNull();
  });
});
