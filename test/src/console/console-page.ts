import type { Page } from 'playwright-core';
import { rowsAre } from './in-page.ts';

// The steps the browser tests repeat, written as a person would do them: by labels and roles,
// never by CSS paths into the console's markup, so the tests also check that every control
// has an accessible name.

export async function signIn(page: Page, consoleUrl: string, token: string): Promise<void> {
  await page.goto(consoleUrl);
  const field = page.getByLabel('Token');
  await field.fill(token);
  // The keyboard is enough: Enter sends the form.
  await field.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Token').waitFor();
}

/** Opens "Run a task" and chooses the task type; resolves when its generated form is there. */
export async function openForm(page: Page, typeId: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Run a task' }).click();
  await page.getByLabel('Task type').selectOption(typeId);
  await page.getByRole('button', { name: 'Run task' }).waitFor();
}

/** Sends the form and resolves with the id of the task it scheduled, once its view is open. */
export async function runTask(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Run task' }).click();
  await page.waitForURL(/#\/tasks\/\d+$/);
  const id = Number(new URL(page.url()).hash.split('/').pop());
  await page.getByRole('heading', { name: `Task ${id}`, exact: true }).waitFor();
  return id;
}

/** Resolves when the open task shows `status`. */
export async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(`.live-panel [data-status="${status}"]`).waitFor();
}

export async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/**
 * Clears the task list's filters; resolves once the list shows `all` again, so the filter form
 * has been rebuilt for the new URL before the test types into it.
 */
export async function clearFilters(page: Page, all: number[]): Promise<void> {
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForURL(/#\/tasks$/);
  await rowsAre(page, all);
}
