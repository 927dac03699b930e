/**
 * The Content-Security-Policy every Mixdeck page runs under, in Electron (header on app://)
 * and in the web host (HTTP header). No inline or remote script, no eval, no plugins, no framing.
 * `connect-src` allows the web host's own WebSocket; Electron pages talk to main over IPC only.
 * `wss:` lets the studio reach the collaboration server the user names in its share dialog
 * (any host, encrypted only; plain ws:// stays limited to this machine).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* wss:",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
