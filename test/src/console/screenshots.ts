import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../spawn-process.ts';

/** Where the README's screenshots live; written only when asked, so a test run leaves the tree clean. */
export const screenshotDir = join(repoRoot, 'server/console/screenshots');
const wanted = process.env.TASKPROC_SCREENSHOTS === '1';

/** Saves `server/console/screenshots/<name>.png` when TASKPROC_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!wanted) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled', caret: 'hide' });
}
