import type { Settings } from '../../shared/contract';
import { areaFromHash, areaInfo, hashForArea } from './areas';
import { isTypingTarget, matchShortcut } from './shortcuts';
import type { ShellStore } from './store';

/** Keeps the area and the URL hash (`#/library`) in step, so a reload stays where the user was. */
export function bindAreaToHash(store: ShellStore, win: Window = window): () => void {
  const show = (): void => {
    const { area } = store.getState();
    win.document.title = `${areaInfo(area).label} — Mixdeck`;
    if (areaFromHash(win.location.hash) === area) return;
    // A missing or unknown hash is corrected in place rather than adding a history entry.
    if (areaFromHash(win.location.hash) === null) win.history.replaceState(null, '', hashForArea(area));
    else win.location.hash = hashForArea(area);
  };
  const onHashChange = (): void => {
    const area = areaFromHash(win.location.hash);
    if (area) store.getState().navigate(area);
    else show();
  };
  show();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.area !== previous.area) show();
  });
  win.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}

/** Theme, UI scale and reduced motion act on `<html>`, so every part of the page follows at once. */
export function bindAppearance(store: ShellStore, root: HTMLElement = document.documentElement): () => void {
  let applied: Settings['appearance'] | null = null;
  const apply = (): void => {
    const appearance = store.getState().settings?.appearance;
    if (!appearance || appearance === applied) return;
    applied = appearance;
    root.dataset.theme = appearance.theme;
    root.dataset.reduceMotion = String(appearance.reduceMotion);
    root.style.fontSize = `${appearance.uiScalePercent}%`;
  };
  apply();
  return store.subscribe(apply);
}

/** The global shortcuts; they work from anywhere in the window, including text fields for the Ctrl/Cmd ones. */
export function bindShortcuts(store: ShellStore, win: Window = window): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.repeat) return;
    const action = matchShortcut(event, isTypingTarget(event.target));
    if (!action) return;
    event.preventDefault();
    const state = store.getState();
    if (action.kind === 'navigate') {
      state.setShortcutsOpen(false);
      state.navigate(action.area);
    } else {
      state.setShortcutsOpen(!state.shortcutsOpen);
    }
  };
  win.addEventListener('keydown', onKeyDown);
  return () => win.removeEventListener('keydown', onKeyDown);
}
