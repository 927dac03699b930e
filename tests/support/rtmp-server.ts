import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { trustRtmpsAuthority } from '../../src/main/services/broadcast/rtmp-relay';
import { makeTempDir } from './temp-dir';

/**
 * A real RTMP ingest on 127.0.0.1 for tests: nginx with libnginx-mod-rtmp, one application per
 * "platform", each recording what it receives to its own folder. It also offers:
 *
 * - refused keys: every publish is checked by an on_publish callback to a small HTTP server in
 *   this process, which answers 403 to names starting with `refusePrefix` (default "bad"), the
 *   way a platform refuses a wrong stream key;
 * - RTMPS: a TLS terminator (self-signed certificate, made with openssl) in front of nginx, so
 *   rtmps:// targets such as Facebook are exercised over TLS;
 * - cutting one publisher mid-stream through nginx-rtmp's control API.
 */

export interface RtmpServerOptions {
  apps?: readonly string[];
  refusePrefix?: string;
  /** Start the TLS front for rtmps:// URLs (needs the openssl command). Default true. */
  tls?: boolean;
  nginxPath?: string;
  modulePath?: string;
}

export interface PublishAttempt {
  app: string;
  name: string;
  accepted: boolean;
  at: number;
}

export interface RtmpServer {
  readonly dir: string;
  readonly rtmpPort: number;
  /** rtmp://127.0.0.1:PORT/app */
  rtmpUrl(app: string): string;
  /** rtmps://127.0.0.1:TLSPORT/app (through the TLS front). */
  rtmpsUrl(app: string): string;
  /**
   * The TLS front's self-signed certificate (PEM file). Mixdeck checks ingest certificates, so
   * this process trusts it already; a child process (the CLI, the web host) needs
   * NODE_EXTRA_CA_CERTS set to this path.
   */
  readonly tlsCertPath: string | null;
  /** Cuts one publisher's connection, as a flaky network would. */
  dropPublisher(app: string, name: string): Promise<void>;
  /** Full paths of the .flv files this application recorded, oldest first. */
  recordings(app: string, name?: string): string[];
  /** Every publish nginx asked about, in order. */
  readonly publishAttempts: readonly PublishAttempt[];
  errorLog(): string;
  stop(): Promise<void>;
}

const DEFAULT_APPS = ['twitch', 'youtube', 'facebook', 'tiktok', 'kick'] as const;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('No free port');
  return address.port;
}

async function waitForPort(port: number, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!isAlive()) throw new Error('nginx exited while starting');
    if (Date.now() > deadline) throw new Error(`Nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function listen(server: NetServer | HttpServer | TlsServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function close(server: NetServer | HttpServer | TlsServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startRtmpServer(options: RtmpServerOptions = {}): Promise<RtmpServer> {
  const apps = options.apps ?? DEFAULT_APPS;
  const refusePrefix = options.refusePrefix ?? 'bad';
  const modulePath = options.modulePath ?? '/usr/lib/nginx/modules/ngx_rtmp_module.so';
  const temp = makeTempDir('mixdeck-rtmp-');
  const dir = temp.path;
  const [rtmpPort, controlPort, authPort, tlsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  // The publish check nginx calls for every stream (on_publish answers 2xx to allow, 4xx to refuse).
  const publishAttempts: PublishAttempt[] = [];
  const auth = createHttpServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const name = form.get('name') ?? '';
      const accepted = !name.startsWith(refusePrefix);
      publishAttempts.push({ app: form.get('app') ?? '', name, accepted, at: Date.now() });
      response.statusCode = accepted ? 200 : 403;
      response.end();
    });
  });
  await listen(auth, authPort);

  for (const app of apps) mkdirSync(join(dir, 'recordings', app), { recursive: true });
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'tmp', temp), { recursive: true });
  const applications = apps
    .map(
      (app) => `    application ${app} {
      live on;
      record all;
      record_path ${join(dir, 'recordings', app)};
      record_unique on;
      on_publish http://127.0.0.1:${authPort}/publish;
    }`,
    )
    .join('\n');
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${modulePath};
daemon off;
${runningAsRoot ? 'user root;' : ''}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
events { worker_connections 256; }
rtmp {
  server {
    listen 127.0.0.1:${rtmpPort};
    chunk_size 4096;
${applications}
  }
}
http {
  access_log off;
  client_body_temp_path ${join(dir, 'tmp', 'client_body')};
  proxy_temp_path ${join(dir, 'tmp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'tmp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'tmp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'tmp', 'scgi')};
  server {
    listen 127.0.0.1:${controlPort};
    location /control { rtmp_control all; }
  }
}
`,
  );

  const nginx: ChildProcess = spawn(
    options.nginxPath ?? 'nginx',
    ['-p', `${dir}/`, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let nginxStderr = '';
  nginx.stderr?.setEncoding('utf8');
  nginx.stderr?.on('data', (text: string) => (nginxStderr += text));
  let nginxExited = false;
  const nginxGone = new Promise<void>((resolve) => nginx.once('exit', () => ((nginxExited = true), resolve())));

  let tlsServer: TlsServer | null = null;
  let tlsCertPath: string | null = null;
  const tlsSockets = new Set<Socket>();
  const stopAll = async (): Promise<void> => {
    if (!nginxExited) {
      nginx.kill('SIGTERM');
      const killTimer = setTimeout(() => nginx.kill('SIGKILL'), 3000);
      await nginxGone;
      clearTimeout(killTimer);
    }
    for (const socket of tlsSockets) socket.destroy();
    if (tlsServer) await close(tlsServer);
    auth.closeAllConnections?.();
    await close(auth);
    temp.remove();
  };

  try {
    await Promise.all([waitForPort(rtmpPort, 5000, () => !nginxExited), waitForPort(controlPort, 5000, () => !nginxExited)]);

    if (options.tls ?? true) {
      const keyPath = join(dir, 'tls-key.pem');
      const certPath = join(dir, 'tls-cert.pem');
      const made = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        { stdio: 'ignore' },
      );
      if (made.status !== 0) throw new Error('openssl could not make a test certificate');
      trustRtmpsAuthority(readFileSync(certPath, 'utf8'));
      tlsCertPath = certPath;
      tlsServer = createTlsServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (clear) => {
        const upstream = connect(rtmpPort, '127.0.0.1');
        tlsSockets.add(clear);
        tlsSockets.add(upstream);
        const forget = (): void => {
          clear.destroy();
          upstream.destroy();
          tlsSockets.delete(clear);
          tlsSockets.delete(upstream);
        };
        clear.on('error', forget).on('close', forget);
        upstream.on('error', forget).on('close', forget);
        clear.pipe(upstream);
        upstream.pipe(clear);
      });
      await listen(tlsServer, tlsPort);
    }
  } catch (error) {
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    await stopAll();
    throw new Error(`The test RTMP server did not start: ${(error as Error).message}\n${nginxStderr}\n${log}`, { cause: error });
  }

  return {
    dir,
    rtmpPort,
    get tlsCertPath() {
      return tlsCertPath;
    },
    publishAttempts,
    rtmpUrl: (app) => `rtmp://127.0.0.1:${rtmpPort}/${app}`,
    rtmpsUrl: (app) => {
      if (!tlsServer) throw new Error('Start the server with tls: true for rtmps:// URLs');
      return `rtmps://127.0.0.1:${tlsPort}/${app}`;
    },
    async dropPublisher(app, name) {
      const response = await fetch(`http://127.0.0.1:${controlPort}/control/drop/publisher?app=${encodeURIComponent(app)}&name=${encodeURIComponent(name)}`);
      const text = await response.text();
      if (!response.ok || text.trim() === '0') throw new Error(`nginx dropped no publisher for ${app}/${name} (${response.status} ${text})`);
    },
    recordings(app, name) {
      const folder = join(dir, 'recordings', app);
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .filter((file) => file.endsWith('.flv') && (name === undefined || file.startsWith(`${name}-`)))
        .map((file) => ({ file, stamp: Number(/-(\d+)\.flv$/.exec(file)?.[1] ?? 0) }))
        .sort((a, b) => a.stamp - b.stamp || a.file.localeCompare(b.file))
        .map(({ file }) => join(folder, file));
    },
    errorLog: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    stop: stopAll,
  };
}
