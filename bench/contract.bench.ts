import WebSocket from 'ws';
import { WS_PATH } from '../src/shared/contract';
import { bindIpcHost } from '../src/main/host/ipc-host';
import { createBridge } from '../src/preload/bridge';
import { createBridgeClient } from '../src/renderer/transport/bridge-client';
import { createWebSocketClient, type WebSocketLike } from '../src/renderer/transport/ws-client';
import { FakeIpcMain, FakeIpcRenderer } from '../tests/support/fake-ipc';
import { startTestWebHost } from '../tests/support/web-host';
import type { BenchResult } from './report';

const CALLS = 3_000;

async function timeCalls(call: () => Promise<unknown>): Promise<number> {
  for (let index = 0; index < 200; index += 1) await call();
  const started = process.hrtime.bigint();
  for (let index = 0; index < CALLS; index += 1) await call();
  return Number(process.hrtime.bigint() - started) / 1e3 / CALLS;
}

/**
 * What one `settings.get` costs through each transport, against the dispatcher called directly
 * in the same process (validation + SQLite read, no transport): the transport's own overhead.
 */
export async function benchContract(): Promise<BenchResult> {
  const host = await startTestWebHost();
  const { core } = host;
  const context = { transport: 'ipc' as const, origin: 'app://mixdeck' };

  const ipcMain = new FakeIpcMain();
  const renderer = new FakeIpcRenderer(ipcMain);
  const unbind = bindIpcHost({ ipcMain, dispatcher: core.dispatcher, events: core.events, trustedOrigins: ['app://mixdeck'], sendToPages: () => {} });
  const ipcClient = createBridgeClient(createBridge(renderer));
  const wsClient = createWebSocketClient({
    url: `ws://127.0.0.1:${host.host.port}${WS_PATH}`,
    createSocket: (url) => new WebSocket(url, { origin: `http://127.0.0.1:${host.host.port}` }) as unknown as WebSocketLike,
  });

  try {
    const directUs = await timeCalls(() => core.dispatcher.dispatch('settings.get', {}, context));
    const ipcUs = await timeCalls(() => ipcClient.call('settings.get', {}));
    const wsUs = await timeCalls(() => wsClient.call('settings.get', {}));
    return {
      name: 'contract round trip (settings.get)',
      baseline: 'dispatcher called directly',
      rows: [
        { label: 'dispatcher, direct', value: directUs, unit: 'µs/call', ratio: 1 },
        { label: 'IPC (in-process pair with structured clone)', value: ipcUs, unit: 'µs/call', ratio: ipcUs / directUs },
        { label: 'WebSocket on 127.0.0.1', value: wsUs, unit: 'µs/call', ratio: wsUs / directUs },
      ],
    };
  } finally {
    wsClient.close();
    unbind();
    await host.close();
  }
}
