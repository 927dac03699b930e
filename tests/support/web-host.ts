import { createAppCore, type AppCore, type AppCoreOptions } from '../../src/main/app-core';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { RENDERER_DIR } from '../../src/main/paths';
import { makeTempDir } from './temp-dir';

export interface TestWebHost {
  readonly url: string;
  readonly dataDir: string;
  readonly core: AppCore;
  readonly host: WebHost;
  close(): Promise<void>;
}

/**
 * The real web host on 127.0.0.1 with a real SQLite database in a fresh temp folder, serving
 * the built renderer (run `npm run build` first). Pass `dataDir` to reuse one across restarts.
 */
export async function startTestWebHost(options: { dataDir?: string; port?: number; fileBrowser?: AppCoreOptions['fileBrowser'] } = {}): Promise<TestWebHost> {
  const temp = options.dataDir ? null : makeTempDir('mixdeck-web-');
  const dataDir = options.dataDir ?? temp!.path;
  const core = await createAppCore({ dataDir, transport: 'web', logLevel: 'warn', ...(options.fileBrowser ? { fileBrowser: options.fileBrowser } : {}) });
  const host = await startWebHost({ ...core, staticDir: RENDERER_DIR, port: options.port ?? 0 });
  return {
    url: host.launchUrl,
    dataDir,
    core,
    host,
    async close() {
      await host.close();
      await core.close();
      temp?.remove();
    },
  };
}
