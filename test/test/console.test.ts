import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, event } from '../src/index.ts';
import { openConsoleBrowser, type ConsoleBrowser } from '../src/console/browser.ts';
import { clearFilters, openForm, openView, runTask, signIn, signOut, waitForStatus } from '../src/console/console-page.ts';
import { cellsByHeader, chosenFileName, contentWidth, focusedId, listedTaskIds, naturalWidth, pwned, rowsAre, storedToken, unlabelled } from '../src/console/in-page.ts';
import { countRequests, failRequests, holdRequests } from '../src/console/requests.ts';
import { reverseImageType, startConsoleWorld, type ConsoleWorld } from '../src/console/console-world.ts';
import { gradientPng } from '../src/console/png.ts';
import { screenshot } from '../src/console/screenshots.ts';

// The web console (/ui) in Debian's chromium, driven by playwright-core, against a real
// coordinator and real SDK provider processes: what a person does with it, from signing in to
// revoking a token. The tests run in order on one page, as one person's session would; each
// says what it leaves behind for the next. TASKPROC_SCREENSHOTS=1 writes the README's
// screenshots (server/console/screenshots) on the PGlite run.

const composeType = 'console:compose';
const sketchType = 'console:sketch';

describeEachDatabase('web console in a browser', (kind) => {
  let world: ConsoleWorld;
  let b: ConsoleBrowser;
  const shot = (name: string, options?: { fullPage?: boolean }) => (kind === 'pglite' ? screenshot(b.page, name, options) : Promise.resolve());
  const ids: Record<'note' | 'cancelled' | 'reversed' | 'sketch', number> = { note: 0, cancelled: 0, reversed: 0, sketch: 0 };

  beforeAll(async () => {
    [world, b] = await Promise.all([startConsoleWorld(kind), openConsoleBrowser()]);
    b.context.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await b?.close();
    await world?.close();
  });

  it('signs in with a token kept in session storage, never in the URL, and shows the admin views', async () => {
    const { page } = b;
    await page.goto(world.consoleUrl);
    await page.getByLabel('Token').waitFor();
    await shot('sign-in', { fullPage: false });
    await signIn(page, world.consoleUrl, world.fx.coordinator.adminToken);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Run a task', 'Tasks', 'Providers', 'Queue', 'Tokens', 'Task types']);
    expect(page.url()).not.toContain(world.fx.coordinator.adminToken);
    expect(await storedToken(page)).toBe(world.fx.coordinator.adminToken);
    // A reload keeps the session (same tab).
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it("generates the form from the type's shapes and shows the API's message on the slot at fault", async () => {
    const { page } = b;
    await openForm(page, composeType);
    // Text: a text area; Enum: the provider's values; Number: the provider's default; list: repeatable; optional slot marked.
    expect(await page.getByLabel('Prompt (required)').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect(await page.getByLabel('Tone (required)').locator('option').allTextContents()).toEqual(['— choose —', 'Friendly', 'Formal']);
    expect(await page.getByLabel('Length (optional)').inputValue()).toBe('3');
    // A number is typed as text (with a number keyboard), so what was typed reaches the API.
    expect(await page.getByLabel('Length (optional)').getAttribute('type')).toBe('text');
    expect(await page.getByLabel('Length (optional)').getAttribute('inputmode')).toBe('decimal');
    await page.getByLabel('Keywords 1', { exact: true }).waitFor();
    await page.getByLabel('Signature (optional)').waitFor();
    // Every control has a label (an accessible name).
    const unnamed = await unlabelled(page.locator('main input, main select, main textarea'));
    expect(unnamed).toEqual([]);

    await page.getByLabel('Tone (required)').selectOption('friendly');
    await page.getByLabel('Keywords 1', { exact: true }).fill('revenue');
    await page.getByRole('button', { name: 'Run task' }).click();
    // The API's own words for the same input, slot named.
    const api = await world.fx.app.post('/v1/tasks', { type: composeType, input: { tone: 'friendly', length: 3, keywords: ['revenue'] } });
    expect(api.status).toBe(422);
    const message = page.locator('#slot-prompt-error');
    await message.waitFor();
    expect(await message.textContent()).toBe(`${api.body.detail} (missing_slot)`);
    expect(await page.getByLabel('Prompt (required)').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('slot-prompt');
    await shot('run-form-error');

    // Text in a Number slot: the API's words about it, on that slot (not "missing").
    await page.getByLabel('Prompt (required)').fill('Quarterly report');
    await page.getByLabel('Length (optional)').fill('abc');
    await page.getByRole('button', { name: 'Run task' }).click();
    const input = { prompt: 'Quarterly report', tone: 'friendly', length: 'abc', keywords: ['revenue'] };
    const notANumber = await world.fx.app.post('/v1/tasks', { type: composeType, input });
    expect(notANumber.status).toBe(422);
    expect(notANumber.body.slot).toBe('length');
    const lengthMessage = page.locator('#slot-length-error');
    await lengthMessage.waitFor();
    expect(await lengthMessage.textContent()).toBe(`${notANumber.body.detail} (${notANumber.body.code})`);
    expect(await page.locator('#slot-prompt-error').count()).toBe(0);
    await page.getByLabel('Length (optional)').fill('3');
  });

  it('runs a text task from the form and shows its progress, streamed output and final output', async () => {
    const { page } = b;
    await page.getByLabel('Prompt (required)').fill('Quarterly report');
    await page.getByLabel('Tone (required)').selectOption('formal');
    await page.getByRole('button', { name: 'Add keywords' }).click();
    await page.getByLabel('Keywords 2', { exact: true }).fill('costs');
    await page.getByText('Options: custom id, user, priority, webhook').click();
    await page.getByLabel('Custom id').fill('console-note');
    // The gate answers 200 at once on an open key: the webhook's receiver.
    world.gate.open('hook');
    await page.getByLabel('Webhook URL').fill(`${world.gate.url}/hook`);
    ids.note = await runTask(page);

    // The provider reported 50 % and streamed the heading, then waits on the gate.
    await waitForStatus(page, 'running');
    await page.locator('.percent', { hasText: '50 %' }).waitFor();
    await page.locator('.streamed h1', { hasText: 'Quarterly report' }).waitFor();
    await shot('task-running');

    world.gate.open(ids.note);
    await waitForStatus(page, 'successful');
    const note = page.locator('.markdown').first();
    await note.locator('h1', { hasText: 'Quarterly report' }).waitFor();
    expect(await note.locator('strong').textContent()).toBe('formal');
    expect(await note.locator('li').allTextContents()).toEqual(['one', 'two']);
    // Line breaks kept; HTML in the output shown as text, never run.
    expect(await note.locator('br').count()).toBeGreaterThan(0);
    expect(await note.textContent()).toContain('<script>window.pwned = 1</script>');
    expect(await note.locator('script, img').count()).toBe(0);
    expect(await pwned(page)).toBeUndefined();
    expect(await page.locator('.fact', { hasText: 'Custom id' }).textContent()).toContain('console-note');
    await shot('task-done');
  });

  it('runs an image-input task with a preview of the upload and offers the output file', async () => {
    const { page } = b;
    const png = gradientPng();
    await openForm(page, reverseImageType);
    await page.getByLabel('Image (required)').setInputFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    const preview = page.getByRole('img', { name: 'Preview of gradient.png' });
    await preview.waitFor();
    expect(await naturalWidth(preview)).toBe(96);
    await shot('run-image-form');

    ids.reversed = await runTask(page);
    await waitForStatus(page, 'successful');
    // The input image is shown; the File output is a download under its own name.
    await page.getByRole('img', { name: 'Image: gradient.png' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Download umgekehrt-ü\.bin/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('umgekehrt-ü.bin');
    expect(new Uint8Array(await readFile((await file.path())!))).toEqual(Uint8Array.from(png).reverse());
  });

  it('keeps each file in its own row of a list, uploads each once, and shows an image output', async () => {
    const { page } = b;
    await openForm(page, sketchType);
    const png = (name: string, width: number) => ({ name, mimeType: 'image/png', buffer: Buffer.from(gradientPng(width, 30)) });
    await page.getByLabel('References 1', { exact: true }).setInputFiles(png('first.png', 40));
    await page.getByRole('button', { name: 'Add references' }).click();
    await page.getByLabel('References 2', { exact: true }).setInputFiles(png('second.png', 50));
    await page.getByRole('img', { name: 'Preview of second.png' }).waitFor();
    // Removing the first row leaves the second file, in its input as in its preview.
    await page.getByRole('button', { name: 'Remove References 1' }).click();
    await page.getByLabel('References 2', { exact: true }).waitFor({ state: 'detached' });
    expect(await chosenFileName(page.getByLabel('References 1', { exact: true }))).toBe('second.png');
    expect(await page.getByRole('img', { name: /^Preview of / }).count()).toBe(1);
    await page.getByRole('img', { name: 'Preview of second.png' }).waitFor();

    // Refused after its file was uploaded (no prompt), then sent again: the file goes up once.
    const uploads = countRequests(page, 'POST', /\/v1\/files$/);
    await page.getByRole('button', { name: 'Run task' }).click();
    await page.locator('#slot-prompt-error').waitFor();
    await page.getByLabel('Prompt (required)').fill('A gradient');
    ids.sketch = await runTask(page);
    uploads.stop();
    expect(uploads.count()).toBe(1);
    await waitForStatus(page, 'successful');
    const image = page.getByRole('img', { name: 'Image: sketch.png' });
    await image.waitFor();
    expect(await naturalWidth(image)).toBe(160);
    await shot('image-output');
  });

  it('cancels a running task, and the provider hears of it', async () => {
    const { page } = b;
    await openForm(page, composeType);
    await page.getByLabel('Prompt (required)').fill('To be cancelled');
    await page.getByLabel('Tone (required)').selectOption('friendly');
    await page.getByLabel('Keywords 1', { exact: true }).fill('stop');
    ids.cancelled = await runTask(page);
    await page.locator('.percent', { hasText: '50 %' }).waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel task' });
    await cancel.focus();
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'cancelled');
    await world.showcase.waitFor(event('aborted', ids.cancelled));
    expect(await cancel.count()).toBe(0);
  });

  it('lists tasks live, filters them by status, type, custom id, user and app, and pages', async () => {
    const { page } = b;
    await openView(page, 'Tasks');
    const rows = page.locator('table.tasks tbody tr');
    await rows.nth(3).waitFor();
    expect(await rows.count()).toBe(4);
    await shot('tasks');

    // Live: a task another app schedules shows up without a reload (the event stream).
    const scheduled = await world.fx.schedule(sketchType, { prompt: 'from the app' });
    const forAda = await world.fx.schedule(sketchType, { prompt: 'for ada' }, { userId: 'ada' });
    await page.locator(`tr[data-task-id="${scheduled.id}"]`).waitFor();
    await page.locator(`tr[data-task-id="${forAda.id}"]`).waitFor();
    const everyTask = await listedTaskIds(page);

    await page.getByLabel('Status').selectOption('cancelled');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=cancelled/);
    await rowsAre(page, [ids.cancelled]);

    await clearFilters(page, everyTask);
    await page.getByLabel('Custom id').fill('console-note');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/customId=console-note/);
    await rowsAre(page, [ids.note]);

    await clearFilters(page, everyTask);
    await page.getByLabel('Type').selectOption(reverseImageType);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await rowsAre(page, [ids.reversed]);

    await clearFilters(page, everyTask);
    await page.getByLabel('User').fill('ada');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/userId=ada/);
    await rowsAre(page, [forAda.id]);

    // Admins filter by app too: the app `mail` scheduled these two, not the admin's tasks.
    await clearFilters(page, everyTask);
    const ofMail = (await world.fx.admin.get('/v1/tasks?appId=mail')).body.tasks.map((t: { id: number }) => t.id);
    expect(ofMail).toEqual([forAda.id, scheduled.id]);
    await page.getByLabel('App').fill('mail');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/appId=mail/);
    await rowsAre(page, ofMail);

    // Pages of 20: with 20 more, the sketches fill a page, and the older page holds the rest.
    await clearFilters(page, everyTask);
    for (let i = 0; i < 20; i++) await world.fx.schedule(sketchType, { prompt: `page filler ${i}` });
    await page.getByLabel('Type').selectOption(sketchType);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The same pages the API gives.
    const first = (await world.fx.admin.get(`/v1/tasks?type=${sketchType}&limit=20`)).body;
    const second = (await world.fx.admin.get(`/v1/tasks?type=${sketchType}&limit=20&cursor=${encodeURIComponent(first.nextCursor)}`)).body;
    expect(second.tasks).toHaveLength(3);
    await rowsAre(page, first.tasks.map((t: { id: number }) => t.id));
    // While a page loads, neither button pages on: the older page's reads are held to see it
    // (only those: reloads of this page, on the events of the sketches ending, go through).
    const lists = await holdRequests(page, /\/v1\/tasks\?.*cursor=/);
    await page.getByRole('button', { name: 'Older →' }).click();
    // The older page's read is sent and held: until it is answered, both buttons stay disabled.
    await lists.atLeast(1);
    await page.getByRole('button', { name: 'Older →', disabled: true }).waitFor();
    await page.getByRole('button', { name: '← Newer', disabled: true }).waitFor();
    await lists.release();
    await rowsAre(page, second.tasks.map((t: { id: number }) => t.id));
    await page.getByText('(page 2)').waitFor();
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Newer' }).click();
    await rowsAre(page, first.tasks.map((t: { id: number }) => t.id));
  });

  it('shows a task in detail: input, output, timing, attempts and webhook deliveries', async () => {
    const { page } = b;
    await page.goto(`${world.consoleUrl}#/tasks/${ids.note}`);
    await page.getByRole('heading', { name: `Task ${ids.note}`, exact: true }).waitFor();
    await page.locator('dl.slots [data-slot="keywords"] li', { hasText: 'costs' }).waitFor();
    expect(await page.locator('.fact', { hasText: 'Attempts' }).textContent()).toBe('Attempts1');
    expect(await page.locator('.fact', { hasText: 'Provider' }).textContent()).toContain('showcase:compose');
    const delivery = page.getByRole('region', { name: 'Webhook deliveries' }).locator('tbody tr');
    await delivery.filter({ hasText: 'delivered' }).waitFor();
    expect(await delivery.textContent()).toContain('task.successful');
    expect(await delivery.textContent()).toContain(`HTTP:POST ${world.gate.url}/hook`);
    await shot('task-detail', { fullPage: true });
  });

  it('shows providers with liveness and slots, and the queue per task type', async () => {
    const { page } = b;
    await openView(page, 'Providers');
    const compose = page.locator('tr[data-provider-id="showcase:compose"]');
    await compose.waitFor();
    expect(await compose.textContent()).toContain('● live');
    expect(await compose.textContent()).toContain('0 of 4');
    await page.locator('tr[data-provider-id="scripted:reverse"]').waitFor();
    await shot('providers');

    await openView(page, 'Queue');
    const row = page.locator(`tr[data-type-id="${composeType}"]`);
    await row.waitFor();
    // One successful and one cancelled compose task in the window, none left.
    expect(await cellsByHeader(row)).toMatchObject({ 'Task type': composeType, Waiting: '0', Running: '0', Successful: '1', Failed: '0', Cancelled: '1' });
    await shot('queue');
  });

  it("shows a waiting task's queue position and expected finish, then its run live from its events", async () => {
    const { page } = b;
    // The showcase writer has four slots: four tasks parked at the gate fill them.
    const input = (prompt: string) => ({ prompt, tone: 'friendly', keywords: ['queue'] });
    const running: number[] = [];
    for (let i = 0; i < 4; i++) running.push((await world.fx.schedule(composeType, input(`slot filler ${i}`))).id);
    await Promise.all(running.map((id) => world.showcase.waitFor(event('started', id))));
    const waiting = await world.fx.schedule(composeType, input('Waits its turn'));
    await page.goto(`${world.consoleUrl}#/tasks/${waiting.id}`);
    await waitForStatus(page, 'scheduled');
    await page.locator('.live-panel', { hasText: 'Position 1 in the queue.' }).waitFor();
    await page.locator('.live-panel', { hasText: 'Expected to finish' }).waitFor();

    // From here on the page's reads of the task are held: what changes comes by its event stream.
    const reads = await holdRequests(page, new RegExp(`/v1/tasks/${waiting.id}$`));
    world.gate.open(running[0]!);
    await waitForStatus(page, 'running');
    await page.locator('.percent', { hasText: '50 %' }).waitFor();
    expect(await page.locator('.live-panel', { hasText: 'in the queue' }).count()).toBe(0);
    await reads.release();
    for (const id of [...running.slice(1), waiting.id]) world.gate.open(id);
    await waitForStatus(page, 'successful');
  });

  it('creates a token, shows its secret once, and revokes it', async () => {
    const { page } = b;
    await openView(page, 'Tokens');
    await page.getByLabel('Role').selectOption('app');
    await page.getByLabel(/^App id/).fill('console-made');
    await page.getByLabel('Name (what it is for)').fill('made in the console');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secretField = page.getByLabel('Secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect((await world.fx.app.get('/v1/task-types', { token: secret })).status).toBe(200);
    await shot('tokens');

    await page.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator('tr', { hasText: 'made in the console' });
    await row.getByRole('button', { name: /^Revoke token/ }).click();
    await row.getByRole('button', { name: /^Yes, revoke/ }).click();
    await row.getByText('revoked').waitFor();
    expect((await world.fx.app.get('/v1/task-types', { token: secret })).status).toBe(401);
  });

  it('disables a task type and orders its providers', async () => {
    const { page } = b;
    await openView(page, 'Task types');
    const card = page.locator(`form[data-type-id="${sketchType}"]`);
    await card.getByLabel('Enabled').uncheck();
    await card.getByRole('button', { name: `Save ${sketchType}` }).click();
    await card.getByText('Saved.').waitFor();
    expect((await world.fx.admin.get(`/v1/admin/task-types/${sketchType}`)).body).toEqual({ enabled: false, preferredProviders: ['showcase:sketch'] });
    await shot('task-types');
    const again = page.locator(`form[data-type-id="${sketchType}"]`);
    await again.getByLabel('Enabled').check();
    await again.getByRole('button', { name: `Save ${sketchType}` }).click();
    await again.getByText('Saved.').waitFor();
    expect((await world.fx.admin.get(`/v1/admin/task-types/${sketchType}`)).body.enabled).toBe(true);
  });

  it('follows the role: an app token sees its own tasks, a provider token the providers, a bad token is refused', async () => {
    const { page } = b;
    await signOut(page);
    expect(await storedToken(page)).toBeNull();

    await signIn(page, world.consoleUrl, world.fx.app.token!);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Run a task', 'Tasks', 'Providers']);
    await openView(page, 'Tasks');
    await page.locator('table.tasks tbody tr').first().waitFor();
    // The app `mail` sees the tasks it scheduled, never the admin's.
    expect(await page.locator(`tr[data-task-id="${ids.note}"]`).count()).toBe(0);
    await signOut(page);

    await signIn(page, world.consoleUrl, world.fx.provider.token!);
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Providers']);
    await signOut(page);

    await page.getByLabel('Token').fill('tp_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The coordinator did not accept this token').waitFor();
  });

  it('keeps the token while the coordinator is out of reach, and signs out, saying so, once it is revoked', async () => {
    const { page } = b;
    const made = await world.fx.admin.post('/v1/admin/tokens', { role: 'app', appId: 'mail', name: 'revoked mid-session' });
    expect(made.status).toBe(201);
    await signIn(page, world.consoleUrl, made.body.token);

    // A reload while the coordinator cannot be reached (it restarts): the token is kept.
    const outage = await failRequests(page, /\/v1\//);
    await page.reload();
    await page.getByText('The coordinator could not be reached').waitFor();
    expect(await storedToken(page)).toBe(made.body.token);
    await outage.end();
    await page.getByRole('button', { name: 'Retry' }).click();
    // The first view has loaded what it needs, so nothing is in flight when the token goes.
    await page.getByLabel('Task type').waitFor();

    // Revoked while signed in: the next call is refused, and the console signs out and says why.
    expect((await world.fx.admin.delete(`/v1/admin/tokens/${made.body.id}`)).status).toBe(204);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'is no longer accepted' }).waitFor();
    await page.getByLabel('Token').waitFor();
    expect(await storedToken(page)).toBeNull();
  });

  it('fits a narrow screen', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, world.consoleUrl, world.fx.coordinator.adminToken);
    await openForm(page, composeType);
    expect(await contentWidth(page)).toBeLessThanOrEqual(390);
    await shot('narrow-run-form');
    await page.goto(`${world.consoleUrl}#/tasks/${ids.note}`);
    await waitForStatus(page, 'successful');
    expect(await contentWidth(page)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('made no request outside loopback and broke no rule of its content security policy', () => {
    expect(b.offLoopback).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
