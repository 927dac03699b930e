import './zod-without-eval';
import './styles/theme.css';
import './styles/shell.css';
import './styles/settings.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { areaFromHash } from './app/areas';
import { bindAppearance, bindAreaToHash, bindShortcuts } from './app/bindings';
import { createShellStore } from './app/store';
import { ShellStoreProvider } from './app/store-context';
import { ErrorBoundary } from './shell/ErrorBoundary';
import { connectToMain } from './transport';

const store = createShellStore(connectToMain(), { initialArea: areaFromHash(window.location.hash) });
store.getState().start();
bindAreaToHash(store);
bindAppearance(store);
bindShortcuts(store);

window.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  store.getState().notify('error', reason instanceof Error ? reason.message : String(reason));
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <ErrorBoundary place="Mixdeck">
      <ShellStoreProvider store={store}>
        <App />
      </ShellStoreProvider>
    </ErrorBoundary>
  </StrictMode>,
);
