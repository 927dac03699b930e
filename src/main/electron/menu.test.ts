import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, installApplicationMenu, type MenuOptions } from './menu';
import { recorder } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectronModule);

function allItems(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}

function menuFor(platform: NodeJS.Platform, development = false, openLogsFolder = () => {}): MenuItemConstructorOptions[] {
  return applicationMenuTemplate({ platform, development, appName: 'Mixdeck', openLogsFolder } satisfies MenuOptions);
}

const roles = (items: MenuItemConstructorOptions[]): string[] => allItems(items).flatMap((item) => (item.role ? [item.role] : []));

beforeEach(() => recorder.reset());

describe('the application menu', () => {
  it('leaves the renderer’s area and shortcut-list keys to the renderer', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const accelerators = allItems(menuFor(platform, true)).flatMap((item) => (item.accelerator ? [String(item.accelerator)] : []));
      for (const key of ['1', '2', '3', '4', ',', '/']) {
        expect(accelerators.filter((accelerator) => accelerator.endsWith(`+${key}`)), `${platform} ${key}`).toEqual([]);
      }
    }
  });

  it('offers reload and developer tools only in development', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      expect(roles(menuFor(platform, false))).not.toContain('reload');
      expect(roles(menuFor(platform, false))).not.toContain('forceReload');
      expect(roles(menuFor(platform, false))).not.toContain('toggleDevTools');
      expect(roles(menuFor(platform, true))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    }
  });

  it('has no Close Window shortcut where closing the window would quit mid-broadcast', () => {
    expect(roles(menuFor('linux'))).not.toContain('close');
    expect(roles(menuFor('win32'))).not.toContain('close');
    expect(roles(menuFor('linux'))).toContain('quit');
  });

  it('has the macOS app menu, Edit, zoom and full screen', () => {
    const mac = menuFor('darwin');
    expect(mac[0]?.label).toBe('Mixdeck');
    expect(roles(mac)).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(roles(mac)).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize']));
  });

  it('shows the edit shortcuts off macOS but leaves the keys to the page', () => {
    const edit = allItems(menuFor('linux')).filter((item) => ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'].includes(item.role ?? ''));
    expect(edit).toHaveLength(6);
    for (const item of edit) expect(item.registerAccelerator, item.role).toBe(false);
    const macEdit = allItems(menuFor('darwin')).filter((item) => item.role === 'copy');
    expect(macEdit[0]?.registerAccelerator).toBeUndefined();
  });

  it('opens the logs folder from Help', () => {
    const openLogsFolder = vi.fn();
    const item = allItems(menuFor('linux', false, openLogsFolder)).find((entry) => entry.label === 'Open Logs Folder');
    (item?.click as (() => void) | undefined)?.();
    expect(openLogsFolder).toHaveBeenCalledOnce();
  });

  it('is installed as the application menu', () => {
    installApplicationMenu({ platform: 'linux', development: false, appName: 'Mixdeck', openLogsFolder: () => {} });
    expect(recorder.applicationMenus).toHaveLength(1);
  });
});
