import { ProviderId, providerRoutes, type Provider } from '@taskproc/spec';
import { defineApiCommand } from '../command.ts';
import { formatAge, toJson } from '../format.ts';
import { parseValue } from '../parse-args.ts';
import { formatTable } from '../table.ts';

export const providerList = defineApiCommand({
  name: 'provider list',
  summary: 'List providers: live or stale, last seen, running tasks, recent outcomes',
  details: ['live: polled within TASKPROC_PROVIDER_LIVENESS_MS, so it is handed work; stale: it is passed over.'],
  async run({ values, io }) {
    const list = await io.api().json(providerRoutes.list, {});
    io.context.print(values.json ? toJson(list) : formatProviderTable(list.providers, io.context.now()));
  },
});

function formatProviderTable(providers: readonly Provider[], now: Date): string {
  if (providers.length === 0) return 'No providers.';
  return formatTable(
    [
      { header: 'ID' },
      { header: 'TYPE' },
      { header: 'APP' },
      { header: 'STATE' },
      { header: 'LAST SEEN' },
      { header: 'RUNNING', align: 'right' },
      { header: 'SLOTS', align: 'right' },
      { header: 'OK 1H', align: 'right' },
      { header: 'FAILED 1H', align: 'right' },
      { header: 'NAME' },
    ],
    providers.map((p) => [
      p.id,
      p.taskType,
      p.appId,
      p.live ? 'live' : 'stale',
      formatAge(p.lastSeenAt, now),
      String(p.runningTasks),
      String(p.concurrency),
      String(p.recent.successful),
      String(p.recent.failed),
      p.name,
    ]),
  );
}

export const providerDelete = defineApiCommand({
  name: 'provider delete',
  summary: 'Delete a provider registration (its queued tasks wait for the others)',
  details: ['A provider process still running registers itself again when it restarts.'],
  positionals: [{ name: 'providerId', required: true, description: 'Id of the provider (see provider list)' }],
  async run({ values, positionals, io }) {
    const providerId = parseValue(ProviderId, positionals[0]!, 'providerId');
    await io.api().send(providerRoutes.delete, { params: { providerId } });
    if (!values.json) io.context.print(`Deleted provider ${providerId}.`);
  },
});
