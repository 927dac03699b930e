import { describe, expect, it } from 'vitest';
import { matchShortcut } from './shortcuts';

const key = (init: Partial<Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>>) => ({
  key: '',
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...init,
});

describe('keyboard shortcuts', () => {
  it('goes to the areas with Ctrl or Cmd and a digit, and to Settings with comma', () => {
    expect(matchShortcut(key({ key: '3', code: 'Digit3', ctrlKey: true }), false)).toEqual({ kind: 'navigate', area: 'karaoke' });
    expect(matchShortcut(key({ key: '1', code: 'Digit1', metaKey: true }), false)).toEqual({ kind: 'navigate', area: 'broadcast' });
    expect(matchShortcut(key({ key: ',', code: 'Comma', ctrlKey: true }), true)).toEqual({ kind: 'navigate', area: 'settings' });
  });

  it('reads the physical digit key on layouts where digits need Shift (AZERTY)', () => {
    expect(matchShortcut(key({ key: '&', code: 'Digit1', ctrlKey: true }), false)).toEqual({ kind: 'navigate', area: 'broadcast' });
  });

  it('opens the shortcut list with "?" except while typing, and with Ctrl+/ always', () => {
    expect(matchShortcut(key({ key: '?', shiftKey: true }), false)).toEqual({ kind: 'toggle-shortcuts' });
    expect(matchShortcut(key({ key: '?', shiftKey: true }), true)).toBeNull();
    expect(matchShortcut(key({ key: '/', code: 'Slash', ctrlKey: true }), true)).toEqual({ kind: 'toggle-shortcuts' });
  });

  it('leaves plain digits and Alt combinations alone', () => {
    expect(matchShortcut(key({ key: '1', code: 'Digit1' }), false)).toBeNull();
    expect(matchShortcut(key({ key: '1', code: 'Digit1', ctrlKey: true, altKey: true }), false)).toBeNull();
  });
});
