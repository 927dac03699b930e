import { useRef, type KeyboardEvent } from 'react';
import type { Area } from '../../shared/contract';
import { AREA_INFO } from '../app/areas';
import { isApplePlatform } from '../app/shortcuts';
import { useShell } from '../app/store-context';
import { AREA_ICONS, MixdeckMark } from './icons';

export const tabId = (area: Area): string => `tab-${area}`;
export const PANEL_ID = 'area-panel';

/**
 * The areas as one vertical tablist. Arrow keys move focus and select (the panels render
 * instantly, so automatic activation is the expected behaviour); Home and End jump to the ends.
 */
export function NavRail() {
  const area = useShell((state) => state.area);
  const navigate = useShell((state) => state.navigate);
  const tabs = useRef(new Map<Area, HTMLButtonElement>());
  const mod = isApplePlatform() ? '⌘' : 'Ctrl+';

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = AREA_INFO.findIndex((info) => info.id === area);
    let next: number | null = null;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') next = (index + 1) % AREA_INFO.length;
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') next = (index - 1 + AREA_INFO.length) % AREA_INFO.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = AREA_INFO.length - 1;
    if (next === null) return;
    event.preventDefault();
    const target = AREA_INFO[next]!.id;
    navigate(target);
    tabs.current.get(target)?.focus();
  };

  return (
    <nav className="rail" aria-label="Mixdeck">
      <div className="rail-brand">
        <MixdeckMark size={22} className="rail-brand-mark" />
        <span className="rail-brand-name">Mixdeck</span>
      </div>
      <div className="rail-tabs" role="tablist" aria-orientation="vertical" aria-label="Areas" onKeyDown={onKeyDown}>
        {AREA_INFO.map((info) => {
          const Icon = AREA_ICONS[info.id];
          const selected = info.id === area;
          return (
            <button
              key={info.id}
              ref={(element) => {
                if (element) tabs.current.set(info.id, element);
                else tabs.current.delete(info.id);
              }}
              type="button"
              role="tab"
              id={tabId(info.id)}
              aria-selected={selected}
              aria-controls={PANEL_ID}
              tabIndex={selected ? 0 : -1}
              className={`rail-tab${info.id === 'settings' ? ' rail-tab-settings' : ''}`}
              data-testid={`nav-${info.id}`}
              title={`${info.label} (${mod}${info.shortcutKey})`}
              onClick={() => navigate(info.id)}
            >
              <Icon className="rail-tab-icon" />
              <span className="rail-tab-label">{info.label}</span>
              <kbd className="rail-tab-kbd" aria-hidden="true">
                {mod}
                {info.shortcutKey}
              </kbd>
            </button>
          );
        })}
      </div>
    </nav>
  );
}
