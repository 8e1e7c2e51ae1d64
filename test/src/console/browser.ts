import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, done by .ci/run): playwright-core downloads no browser. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Headless, without the sandbox (the tests run as root), and with everything that would reach
 * out on its own turned off: this machine's network is closed, and a browser test must not
 * depend on anything but the coordinator on loopback.
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request the page made to anything but loopback (or its own blob: and data: URLs). */
  offLoopback: string[];
  /** Script errors and console errors other than failed loads (a 401 or 422 the console handles). */
  problems: string[];
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'blob:' || parsed.protocol === 'data:') return true;
  return loopbackHosts.has(parsed.hostname);
}

export async function openConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (.ci/run does it when it is missing)`);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const offLoopback: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => {
    if (!isLoopback(request.url())) offLoopback.push(request.url());
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    // The browser logs every error status it receives; the console shows those itself. What
    // remains (CSP or Trusted Types refusals, uncaught errors) is a defect.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  return {
    browser,
    context,
    page,
    offLoopback,
    problems,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}
