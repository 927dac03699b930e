import type { Area } from '../../shared/contract';
import { AREA_INFO } from './areas';

export type ShortcutAction = { kind: 'navigate'; area: Area } | { kind: 'toggle-shortcuts' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * Ctrl on Windows and Linux, Cmd on macOS; either is accepted everywhere so a
 * shortcut never silently does nothing on an unusual keyboard setup.
 * `typing` is true while focus is in a text field, where a bare `?` is a character.
 */
export function matchShortcut(event: KeyLike, typing: boolean): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.altKey) {
    for (const info of AREA_INFO) {
      const digitCode = /^\d$/.test(info.shortcutKey) ? `Digit${info.shortcutKey}` : null;
      if (event.key === info.shortcutKey || (digitCode !== null && event.code === digitCode)) {
        return { kind: 'navigate', area: info.id };
      }
    }
    if (event.key === '/' || event.code === 'Slash') return { kind: 'toggle-shortcuts' };
    return null;
  }
  if (!typing && !event.altKey && event.key === '?') return { kind: 'toggle-shortcuts' };
  return null;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'range', 'button', 'submit', 'reset'].includes(target.type);
  }
  return false;
}

export function isApplePlatform(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

export interface ShortcutDescription {
  readonly keys: readonly string[];
  readonly description: string;
}

/** What the shortcuts overlay lists; built from the same table the matcher reads. */
export function describeShortcuts(apple: boolean): ShortcutDescription[] {
  const mod = apple ? '⌘' : 'Ctrl';
  return [
    ...AREA_INFO.map((info) => ({ keys: [mod, info.shortcutKey], description: `Go to ${info.label}` })),
    { keys: ['↑', '↓'], description: 'Move between areas in the navigation rail' },
    { keys: ['?'], description: 'Show this list of shortcuts' },
    { keys: [mod, '/'], description: 'Show this list of shortcuts (also in text fields)' },
    { keys: ['Esc'], description: 'Close this list' },
  ];
}
