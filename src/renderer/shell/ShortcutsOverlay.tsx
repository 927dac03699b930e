import { useEffect, useRef } from 'react';
import { describeShortcuts, isApplePlatform } from '../app/shortcuts';
import { useShell } from '../app/store-context';
import { CloseIcon } from './icons';

/** The keyboard shortcuts as a modal list. Escape or a click outside closes it; focus goes back where it was. */
export function ShortcutsOverlay() {
  const open = useShell((state) => state.shortcutsOpen);
  const setOpen = useShell((state) => state.setShortcutsOpen);
  const closeButton = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        setOpen(false);
      } else if (event.key === 'Tab') {
        // The only focusable thing inside is the close button: keep focus there while open.
        event.preventDefault();
        closeButton.current?.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      previouslyFocused?.focus();
    };
  }, [open, setOpen]);

  if (!open) return null;
  const shortcuts = describeShortcuts(isApplePlatform());
  return (
    <div
      className="overlay-backdrop"
      onMouseDown={(event) => {
        if (!dialog.current?.contains(event.target as Node)) setOpen(false);
      }}
    >
      <div
        ref={dialog}
        className="overlay-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-overlay"
      >
        <header className="overlay-header">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeButton} type="button" className="icon-button" aria-label="Close" onClick={() => setOpen(false)}>
            <CloseIcon size={18} />
          </button>
        </header>
        <dl className="shortcut-list">
          {shortcuts.map((shortcut) => (
            <div className="shortcut-row" key={shortcut.description}>
              <dt>
                {shortcut.keys.map((key, index) => (
                  <kbd key={index}>{key}</kbd>
                ))}
              </dt>
              <dd>{shortcut.description}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
