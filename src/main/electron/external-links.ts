import type { Logger } from '../services/log/logger';

export interface ExternalLinkRule {
  /** Registrable host, lower case. */
  readonly host: string;
  /** Whether help.twitch.tv etc. count as twitch.tv. */
  readonly subdomains: boolean;
  /** Only this part of the site (YouTube's help lives under Google's support site). */
  readonly pathPrefix?: string;
}

/**
 * The only places a Mixdeck page may send the user's browser to: the streaming platforms'
 * own sites, where their stream-key and help pages are. Anything else is refused and logged.
 */
export const EXTERNAL_LINK_ALLOW_LIST: readonly ExternalLinkRule[] = [
  { host: 'twitch.tv', subdomains: true },
  { host: 'youtube.com', subdomains: true },
  { host: 'support.google.com', subdomains: false, pathPrefix: '/youtube' },
  { host: 'facebook.com', subdomains: true },
  { host: 'tiktok.com', subdomains: true },
  { host: 'kick.com', subdomains: true },
];

/** https only, default port, no user:password@, and a host (and path) on the allow-list. */
export function isAllowedExternalUrl(raw: string, allowList: readonly ExternalLinkRule[] = EXTERNAL_LINK_ALLOW_LIST): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname;
  return allowList.some(
    (rule) =>
      (host === rule.host || (rule.subdomains && host.endsWith(`.${rule.host}`))) &&
      (rule.pathPrefix === undefined || url.pathname === rule.pathPrefix || url.pathname.startsWith(`${rule.pathPrefix}/`)),
  );
}

/** What a refused link is logged as: its origin, never its path or query (they can carry tokens). */
export function describeUrlForLog(raw: string): string {
  try {
    const url = new URL(raw);
    return url.origin !== 'null' ? url.origin : `${url.protocol}…`;
  } catch {
    return '(not a URL)';
  }
}

/** Opens an allow-listed link in the user's browser; refuses and logs anything else. */
export function openExternalLink(
  url: string,
  openExternal: (url: string) => Promise<void>,
  logger: Logger,
): boolean {
  if (!isAllowedExternalUrl(url)) {
    logger.warn('refused to open a link outside the allow-list', { target: describeUrlForLog(url) });
    return false;
  }
  openExternal(url).catch((error: unknown) => logger.warn('the browser could not open a link', { target: describeUrlForLog(url), error }));
  return true;
}
