import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { makeTempDir } from '../support/temp-dir';

export interface FuzzWebHost {
  readonly url: string;
  readonly dataDir: string;
  readonly core: AppCore;
  readonly host: WebHost;
  close(): Promise<void>;
}

/**
 * The real web host and app core on 127.0.0.1 with a real database in a temp folder, serving a
 * small renderer folder of its own (a page, a script, an icon), so the fuzz suites neither need
 * `npm run build` nor race a build that is replacing out/renderer.
 */
export async function startFuzzWebHost(): Promise<FuzzWebHost> {
  const temp = makeTempDir('mixdeck-fuzz-host-');
  const staticDir = join(temp.path, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>\n<html>\n  <head>\n    <meta charset="UTF-8" />\n    <title>Mixdeck</title>\n  </head>\n  <body><script type="module" src="./assets/app.js"></script></body>\n</html>\n');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};\n');
  writeFileSync(join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const dataDir = join(temp.path, 'data');
  const core = await createAppCore({ dataDir, transport: 'web', logLevel: 'error' });
  const host = await startWebHost({ ...core, staticDir, port: 0 });
  return {
    url: host.launchUrl,
    dataDir,
    core,
    host,
    async close() {
      await host.close();
      await core.close();
      temp.remove();
    },
  };
}
