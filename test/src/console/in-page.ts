import type { Locator, Page } from 'playwright-core';

// Reads of the page's own state. The test project is Node code, type-checked without the DOM
// library, so each function that runs inside the page (page.evaluate) names the little of the
// browser it touches through a cast; the casts vanish when the function is sent to the page.

interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null };
  document: {
    documentElement: { scrollWidth: number };
    activeElement: { id: string } | null;
    querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
  };
  pwned?: number;
}

interface Control {
  labels: { length: number } | null;
  getAttribute(name: string): string | null;
  outerHTML: string;
}

/** The token the console keeps in this tab's session storage. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('taskproc.console.token'));
}

/** How wide the page's content is: wider than the viewport means it scrolls sideways. */
export function contentWidth(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
}

export function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id);
}

/** What the hostile markup in the showcase's output would have set, had it run. */
export function pwned(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).pwned);
}

export function naturalWidth(image: Locator): Promise<number> {
  return image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
}

/** The controls among `controls` that have neither a label nor an aria-label. */
export function unlabelled(controls: Locator): Promise<string[]> {
  return controls.evaluateAll((els) =>
    (els as unknown as Control[]).filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML),
  );
}

/** The task ids of the task list's rows, top to bottom. */
export function listedTaskIds(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as PageGlobals).document.querySelectorAll('table.tasks tbody tr')].map((tr) => Number(tr.getAttribute('data-task-id'))),
  );
}

/**
 * Resolves when the task list shows exactly these tasks: after a filter is applied, the old
 * rows stay on screen until the new page arrives, so a row being there proves nothing yet.
 */
export async function rowsAre(page: Page, taskIds: number[]): Promise<void> {
  await page.waitForFunction(
    (want) =>
      JSON.stringify(
        [...(globalThis as unknown as PageGlobals).document.querySelectorAll('table.tasks tbody tr')].map((tr) => Number(tr.getAttribute('data-task-id'))),
      ) === want,
    JSON.stringify(taskIds),
  );
}

/** A table row's cells by their column's header text (the row's own header cell included). */
export function cellsByHeader(row: Locator): Promise<Record<string, string>> {
  interface Cell {
    textContent: string | null;
  }
  interface Row {
    cells: Iterable<Cell>;
    closest(selector: string): { tHead: { rows: Iterable<Row> } | null } | null;
  }
  return row.evaluate((el) => {
    const tr = el as unknown as Row;
    const head = [...(tr.closest('table')?.tHead?.rows ?? [])][0];
    const names = [...(head?.cells ?? [])].map((cell) => cell.textContent?.trim() ?? '');
    return Object.fromEntries([...tr.cells].map((cell, i) => [names[i] ?? String(i), cell.textContent?.trim() ?? '']));
  });
}

/** The name of the file a file input holds, as the browser keeps it (not what the page shows). */
export function chosenFileName(input: Locator): Promise<string | undefined> {
  return input.evaluate((el) => (el as unknown as { files: ArrayLike<{ name: string }> | null }).files?.[0]?.name);
}
