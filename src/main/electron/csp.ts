import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

export { CONTENT_SECURITY_POLICY };

/**
 * The policy while electron-vite's dev server serves the page. @vitejs/plugin-react injects its
 * Fast Refresh preamble as an inline module script, which `script-src 'self'` blocks, so the dev
 * server page alone gets `'unsafe-inline'` for scripts. It is never used for app://mixdeck, and
 * main only picks it when the app is unpackaged and ELECTRON_RENDERER_URL names a loopback server.
 */
export const DEVELOPMENT_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  /(^|;\s*)script-src 'self'/,
  "$1script-src 'self' 'unsafe-inline'",
);
