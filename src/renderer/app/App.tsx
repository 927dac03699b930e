import { useEffect, type JSX } from 'react';
import type { Area } from '../../shared/contract';
import { BroadcastArea } from '../broadcast/BroadcastArea';
import { KaraokeArea } from '../karaoke/KaraokeArea';
import { LibraryArea } from '../library/LibraryArea';
import { SettingsPage } from '../settings/SettingsPage';
import { headingId } from '../shell/AreaHeader';
import { ErrorBoundary } from '../shell/ErrorBoundary';
import { NavRail, PANEL_ID, tabId } from '../shell/NavRail';
import { ShortcutsOverlay } from '../shell/ShortcutsOverlay';
import { StatusBar } from '../shell/StatusBar';
import { Toasts } from '../shell/Toasts';
import { StudioArea } from '../studio/StudioArea';
import { areaInfo } from './areas';
import { useShell } from './store-context';

const AREA_VIEWS: Record<Area, () => JSX.Element> = {
  broadcast: BroadcastArea,
  studio: StudioArea,
  karaoke: KaraokeArea,
  library: LibraryArea,
  settings: SettingsPage,
};

export function App() {
  const area = useShell((state) => state.area);
  const loaded = useShell((state) => state.settings !== null);
  const View = AREA_VIEWS[area];

  useEffect(() => {
    document.getElementById(PANEL_ID)?.scrollTo({ top: 0 });
  }, [area]);

  return (
    <div className="shell" data-testid="shell" data-area={area} data-settings-loaded={loaded}>
      <NavRail />
      <main
        id={PANEL_ID}
        className="area"
        role="tabpanel"
        aria-labelledby={`${tabId(area)} ${headingId(area)}`}
        data-testid={`area-${area}`}
      >
        <ErrorBoundary key={area} place={`the ${areaInfo(area).label} area`}>
          <View />
        </ErrorBoundary>
      </main>
      <StatusBar />
      <Toasts />
      <ShortcutsOverlay />
    </div>
  );
}
