import { adminRoutes, ProviderId, TaskTypeId, taskTypeRoutes, type TaskTypeList, type TaskTypeSettings } from '@taskproc/spec';
import type { Api } from '../api-client.ts';
import { defineApiCommand, type CommandIo } from '../command.ts';
import { toJson } from '../format.ts';
import { parseValue } from '../parse-args.ts';
import { formatFields, formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

const typePositional = { name: 'typeId', required: true, description: 'Task type id, e.g. core:text2text:summary' } as const;

export const typeList = defineApiCommand({
  name: 'type list',
  summary: 'List task types that have a provider (--all: every type), and their providers',
  options: { all: { type: 'boolean', description: 'Also the types no provider serves' } },
  async run({ values, io }) {
    const list = await io.api().json(taskTypeRoutes.list, { query: { all: values.all ? 'true' : undefined } });
    io.context.print(values.json ? toJson(list) : formatTypeTable(list));
  },
});

function formatTypeTable(list: TaskTypeList): string {
  if (list.types.length === 0) return 'No task types have a provider (--all lists every type).';
  return formatTable(
    [{ header: 'ID' }, { header: 'ENABLED' }, { header: 'PROVIDERS' }, { header: 'NAME' }],
    list.types.map((t) => [t.id, t.enabled ? 'yes' : 'no', t.providerIds.join(',') || '-', t.name]),
  );
}

export const typeGet = defineApiCommand({
  name: 'type get',
  summary: 'Show the settings of a task type: enabled, provider preference',
  positionals: [typePositional],
  async run({ values, positionals, io }) {
    const typeId = parseValue(TaskTypeId, positionals[0]!, 'typeId');
    const settings = await io.api().json(adminRoutes.getTaskTypeSettings, { params: { typeId } });
    if (values.json) {
      io.context.print(toJson(settings));
      return;
    }
    // The listing adds what settings alone do not say: the name, and the order tasks go in.
    const listed = (await io.api().json(taskTypeRoutes.list, { query: { all: 'true' } })).types.find((t) => t.id === typeId);
    io.context.print(
      formatFields([
        ['type', typeId],
        ['name', listed?.name ?? '-'],
        ...settingsFields(settings),
        ['provider order', listed?.providerIds.join(', ') || '-'],
      ]),
    );
  },
});

function settingsFields(settings: TaskTypeSettings): Array<[string, string]> {
  return [
    ['enabled', settings.enabled ? 'yes' : 'no (tasks of this type cannot be scheduled)'],
    ['preferred providers', settings.preferredProviders.join(', ') || '- (registration order)'],
  ];
}

/**
 * PUT replaces both settings, so a change of one reads the other first. Two admins changing the
 * same type at the same moment may lose one change; this is an operator's tool, not a hot path.
 */
async function updateSettings(io: CommandIo, typeId: string, change: (s: TaskTypeSettings) => TaskTypeSettings, json?: boolean): Promise<void> {
  const api: Api = io.api();
  const current = await api.json(adminRoutes.getTaskTypeSettings, { params: { typeId } });
  const stored = await api.json(adminRoutes.putTaskTypeSettings, { params: { typeId }, json: change(current) });
  io.context.print(json ? toJson(stored) : formatFields([['type', typeId], ...settingsFields(stored)]));
}

function defineToggle(enabled: boolean) {
  return defineApiCommand({
    name: enabled ? 'type enable' : 'type disable',
    summary: enabled ? 'Enable a task type: apps may schedule it again' : 'Disable a task type: scheduling it answers 409 task_type_disabled',
    details: enabled ? undefined : ['Tasks already scheduled stay queued and are still handed out.'],
    positionals: [typePositional],
    async run({ values, positionals, io }) {
      const typeId = parseValue(TaskTypeId, positionals[0]!, 'typeId');
      await updateSettings(io, typeId, (s) => ({ ...s, enabled }), values.json);
    },
  });
}

export const typeEnable = defineToggle(true);
export const typeDisable = defineToggle(false);

export const typePrefer = defineApiCommand({
  name: 'type prefer',
  summary: 'Set the providers tasks of a type go to first, in order',
  details: ['Unlisted providers follow in registration order. --clear goes back to registration order alone.'],
  positionals: [typePositional, { name: 'providerId', variadic: true, description: 'Providers of the type, most preferred first' }],
  options: { clear: { type: 'boolean', description: 'Remove the preference' } },
  async run({ values, positionals, io }) {
    const [rawType, ...rawProviders] = positionals as [string, ...string[]];
    const typeId = parseValue(TaskTypeId, rawType, 'typeId');
    const providers = rawProviders.map((p) => parseValue(ProviderId, p, 'providerId'));
    if (values.clear ? providers.length > 0 : providers.length === 0) throw new UsageError('name the providers in order, or --clear');
    await updateSettings(io, typeId, (s) => ({ ...s, preferredProviders: providers }), values.json);
  },
});
