import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, started the way this machine allows: no sandbox as root, no GPU, and no
 * background networking (the closed network refuses it, many connections at a time).
 */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Audio plays without a click, and the fake camera and microphone are granted without a prompt. */
export const MEDIA_FLAGS = ['--autoplay-policy=no-user-gesture-required', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

/** Chromium reports this for any CSP in a <meta> tag; the web host also sends the policy as a header, where it applies. */
export const EXPECTED_CONSOLE_NOISE = /'frame-ancestors' is ignored when delivered via a <meta> element/;

export function launchChromium(extraFlags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...QUIET_FLAGS, ...extraFlags] });
}

/** Collects the page's uncaught errors and console errors into `problems`, for a test to assert empty. */
export function collectPageProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
}
