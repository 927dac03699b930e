import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools appear only in development. */
  development: boolean;
  appName: string;
  openLogsFolder(): void;
}

/**
 * The application menu. What is deliberately not here:
 * - Ctrl/Cmd+1…4, Ctrl/Cmd+, and Ctrl/Cmd+/ — the renderer owns the area and shortcut keys
 *   (src/renderer/app/shortcuts.ts), in Electron and in a browser alike; a menu accelerator
 *   would catch them first and the two would drift apart.
 * - Close Window (Ctrl+W) on Windows and Linux, where closing the only window quits: one stray
 *   key must not end a live broadcast. Quit stays on Ctrl+Q. (On macOS Cmd+W only hides the
 *   window; main keeps streaming and the Dock icon brings it back.)
 * - Reload in production: it would drop the camera and the canvas feeding the broadcast.
 */
export function applicationMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  // On macOS the Edit menu is what makes Cmd+C/V/Z work in text fields at all. Elsewhere Chromium
  // handles those keys itself, so the items only show the shortcut and leave the key to the page
  // (Studio's own undo, for one).
  const editKeys = mac ? {} : { registerAccelerator: false };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    { label: 'File', submenu: mac ? [{ role: 'close' }] : [{ role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo', ...editKeys },
        { role: 'redo', ...editKeys },
        { type: 'separator' },
        { role: 'cut', ...editKeys },
        { role: 'copy', ...editKeys },
        { role: 'paste', ...editKeys },
        { role: 'selectAll', ...editKeys },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(options.development
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }],
    },
    {
      role: 'help',
      submenu: [
        ...(mac ? [] : ([{ role: 'about' }, { type: 'separator' }] as const)),
        { label: 'Open Logs Folder', click: () => options.openLogsFolder() },
      ],
    },
  );
  return template;
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(options)));
}
