import type { ConnectionState, MixdeckClient } from '../../shared/contract';
import { useShell } from '../app/store-context';
import { KeyboardIcon } from './icons';

function connectionWords(state: ConnectionState, transport: MixdeckClient['transport']): string {
  switch (state) {
    case 'connected':
      return transport === 'web' ? 'Connected to Mixdeck (web host)' : 'Connected to Mixdeck (desktop)';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'disconnected':
      return 'Disconnected';
  }
}

export function StatusBar() {
  const connection = useShell((state) => state.connection);
  const transport = useShell((state) => state.transport);
  const info = useShell((state) => state.info);
  const rttMs = useShell((state) => state.rttMs);
  const setShortcutsOpen = useShell((state) => state.setShortcutsOpen);

  return (
    <footer className="statusbar" aria-label="Status">
      <div className="statusbar-item" role="status" data-testid="connection-status" data-state={connection}>
        <span className={`status-dot status-dot-${connection}`} aria-hidden="true" />
        <span>{connectionWords(connection, transport)}</span>
      </div>
      <div className="statusbar-spacer" />
      <div className="statusbar-item" title="Round trip of a ping to main" data-testid="rtt">
        <span className="statusbar-key">RTT</span>
        <span className="statusbar-value">{rttMs === null ? '—' : `${rttMs < 10 ? rttMs.toFixed(1) : Math.round(rttMs)} ms`}</span>
      </div>
      <div className="statusbar-item" title="How this window talks to main" data-testid="transport">
        <span className="statusbar-key">Link</span>
        <span className="statusbar-value">{transport === 'web' ? 'WebSocket' : 'IPC'}</span>
      </div>
      <div className="statusbar-item" data-testid="app-version">
        <span className="statusbar-value">{info ? `${info.name} ${info.version}` : 'Mixdeck'}</span>
      </div>
      <button type="button" className="statusbar-button" onClick={() => setShortcutsOpen(true)} data-testid="open-shortcuts">
        <KeyboardIcon size={14} />
        <span>Shortcuts</span>
        <kbd>?</kbd>
      </button>
    </footer>
  );
}
