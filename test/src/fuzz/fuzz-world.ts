import { expect } from 'vitest';
import type { AvailableTaskType, Provider } from '@taskproc/spec';
import { registerProvider, tokenClient, uploadFile } from '../api-fixtures.ts';
import type { Http } from '../http.ts';
import { effectiveRoute, type FuzzRequest } from './fuzz-request.ts';

// What the fuzz knows of the coordinator it fuzzes: callers of every kind, providers that serve
// the built-in types and one custom type with every slot type, files, and the ids the answers
// hand out (tasks, leases, tokens, cursors), so requests can name things that exist. Random ids
// alone would only ever reach "not found". The core providers and tokens are never the target of
// a fuzzed delete or re-registration (those get scratch ids), so the deep paths (schedule, claim,
// report) stay reachable for the whole run.

export const callerNames = ['admin', 'app', 'otherApp', 'provider', 'otherProvider', 'anonymous', 'bogus', 'revoked', 'malformed'] as const;
export type CallerName = (typeof callerNames)[number];

export interface Lease {
  taskId: number;
  leaseId: string;
  providerId: string;
  type: string;
}

const slot = (type: string) => ({ name: type, description: `A ${type} slot`, type });

/** A custom type with one input slot of every shape type (and one named like an Object.prototype member). */
export const everyShapeType = {
  id: 'fuzz:every',
  name: 'Every shape',
  description: 'One input slot of each shape type',
  inputShape: Object.fromEntries(
    ['Number', 'Text', 'Image', 'Audio', 'Video', 'File', 'Enum', 'ListOfNumbers', 'ListOfTexts', 'ListOfImages', 'ListOfAudio', 'ListOfVideo', 'ListOfFiles'].map(
      (type) => [type.charAt(0).toLowerCase() + type.slice(1), slot(type)],
    ),
  ),
  outputShape: { result: slot('Text'), picture: slot('Image') },
};

/** Core providers, by the caller that owns them; scheduling and claiming go to these. */
const coreProviders: Record<'provider' | 'otherProvider', Array<[string, Record<string, unknown>]>> = {
  provider: [
    ['llm:summary', { name: 'Summary', taskType: 'core:text2text:summary' }],
    ['llm:chat', { name: 'Chat', taskType: 'core:text2text:chat', inputShapeDefaults: { system_prompt: 'Be brief.' } }],
    [
      'llm:translate',
      {
        name: 'Translate',
        taskType: 'core:text2text:translate',
        inputShapeEnumValues: {
          origin_language: [{ name: 'English', value: 'en' }, { name: 'German', value: 'de' }],
          target_language: [{ name: 'French', value: 'fr' }],
        },
      },
    ],
    ['llm:image', { name: 'Images', taskType: 'core:text2image', inputShapeDefaults: { numberOfImages: 1 } }],
    ['llm:audio', { name: 'Audio', taskType: 'core:audio2text' }],
    [
      'llm:every',
      {
        name: 'Every shape',
        taskType: everyShapeType.id,
        customTaskType: everyShapeType,
        inputShapeDefaults: { text: 'default', number: 7 },
        inputShapeEnumValues: { enum: [{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }] },
        optionalInputShape: { note: slot('Text'), valueOf: slot('Number'), mode: slot('Enum') },
        optionalInputShapeDefaults: { note: 'none' },
        optionalInputShapeEnumValues: { mode: [{ name: 'Fast', value: 'fast' }] },
        optionalOutputShape: { confidence: slot('Number') },
      },
    ],
  ],
  otherProvider: [['rival:headline', { name: 'Headlines', taskType: 'core:text2text:headline' }]],
};

/** Remembers `value` at the end of `list`, forgetting the oldest past `max`. */
function remember<T>(list: T[], value: T, max = 200): void {
  list.push(value);
  if (list.length > max) list.shift();
}

export interface FuzzWorld {
  authorization(caller: CallerName): string | undefined;
  /** Provider ids the caller's token owns and that are never deleted or replaced. */
  coreProviderIds: Record<'provider' | 'otherProvider', string[]>;
  /** Provider ids fuzzed registrations and deletes may use. */
  scratchProviderIds: string[];
  /** A type no core provider serves: the target of fuzzed settings (disabling it stops nothing). */
  scratchTypeId: string;
  typeIds: string[];
  /** The coordinator's own view of types and providers, read again after anything changed them. */
  listing: Map<string, AvailableTaskType>;
  providers: Map<string, Provider>;
  tasks: number[];
  leases: Lease[];
  files: { app: number[]; otherApp: number[] };
  outputFiles: Array<{ taskId: number; fileId: number }>;
  tokenIds: number[];
  /** The callers' own tokens: a fuzzed revoke must never hit one, or the run would go on as 401s. */
  protectedTokenIds: ReadonlySet<number>;
  cursors: string[];
  /** Reads the listing and the providers again when an answer may have changed them. */
  refresh(): Promise<void>;
  /** Learns what an answer handed out. */
  track(request: FuzzRequest, status: number, body: any): void;
  /**
   * Hands back at once the leases of a claim answer that would run out during the run (a fuzzed
   * claim may ask for 1 s): the lease sweep would requeue them at some moment, and if that moment
   * fell between the two fingerprints of a refused request, the request would look half-written.
   */
  handBackShortLeases(status: number, body: any): Promise<void>;
}

/** Sets the world up through the public API, as the admin, apps and providers would. */
export async function createFuzzWorld(admin: Http): Promise<FuzzWorld> {
  const app = await tokenClient(admin, 'app', 'mail');
  const otherApp = await tokenClient(admin, 'app', 'other');
  const provider = await tokenClient(admin, 'provider', 'llm');
  const otherProvider = await tokenClient(admin, 'provider', 'rival');
  const revoked = await admin.post('/v1/admin/tokens', { role: 'app', appId: 'gone', name: 'revoked' });
  expect((await admin.delete(`/v1/admin/tokens/${revoked.body.id}`)).status).toBe(204);
  const tokenIds: number[] = [];
  for (let i = 0; i < 2; i++) tokenIds.push((await admin.post('/v1/admin/tokens', { role: 'app', appId: 'victim', name: `victim ${i}` })).body.id);

  for (const [owner, client] of [['provider', provider], ['otherProvider', otherProvider]] as const) {
    for (const [id, descriptor] of coreProviders[owner]) await registerProvider(client, id, descriptor);
  }
  const files = {
    app: [await uploadFile(app, 'png', 'image/png'), await uploadFile(app, 'ogg', 'audio/ogg'), await uploadFile(app, 'pdf', 'application/pdf')],
    otherApp: [await uploadFile(otherApp, 'theirs')],
  };

  const listed = await admin.get('/v1/admin/tokens');
  const protectedTokenIds = new Set<number>(listed.body.tokens.map((t: { id: number }) => t.id).filter((id: number) => !tokenIds.includes(id)));
  const tokens: Record<CallerName, string | undefined> = {
    admin: admin.token,
    app: app.token,
    otherApp: otherApp.token,
    provider: provider.token,
    otherProvider: otherProvider.token,
    anonymous: undefined,
    bogus: 'tp_not_a_token_of_this_coordinator',
    revoked: revoked.body.token,
    malformed: undefined,
  };
  let stale = true;
  const world: FuzzWorld = {
    authorization: (caller) => (caller === 'malformed' ? 'Basic dXNlcjpwYXNz' : tokens[caller] && `Bearer ${tokens[caller]}`),
    coreProviderIds: {
      provider: coreProviders.provider.map(([id]) => id),
      otherProvider: coreProviders.otherProvider.map(([id]) => id),
    },
    scratchProviderIds: ['scratch:one', 'scratch:two', 'scratch:three'],
    scratchTypeId: 'core:text2text:topics',
    typeIds: [],
    listing: new Map(),
    providers: new Map(),
    tasks: [],
    leases: [],
    files,
    outputFiles: [],
    tokenIds,
    protectedTokenIds,
    cursors: [],
    async refresh() {
      if (!stale) return;
      const types = await admin.get('/v1/task-types?all=true');
      const providers = await admin.get('/v1/providers');
      expect([types.status, providers.status]).toEqual([200, 200]);
      world.listing = new Map(types.body.types.map((t: AvailableTaskType) => [t.id, t]));
      world.providers = new Map(providers.body.providers.map((p: Provider) => [p.id, p]));
      world.typeIds = [...world.listing.keys()];
      stale = false;
    },
    track(request, status, body) {
      const ok = status >= 200 && status < 300;
      const { params } = request;
      const route = effectiveRoute(request);
      for (const claimed of ok && Array.isArray(body?.tasks) ? body.tasks : []) {
        if (claimed?.leaseId) remember(world.leases, { taskId: claimed.task.id, leaseId: claimed.leaseId, providerId: claimed.providerId, type: claimed.task.type });
      }
      const ended = (taskId: number) => (world.leases = world.leases.filter((l) => l.taskId !== taskId));
      // A lease ends with its report or release, and is of no use once refused as gone (409) or
      // unknown (404: the task was deleted) to the provider that holds it.
      const settled = ok || status === 409 || (status === 404 && request.caller === 'provider');
      if (/^POST \/v1\/work\/\{taskId\}\/(result|release)$/.test(route) && settled) ended(Number(params.taskId));
      if (route === 'POST /v1/work/{taskId}/progress' && !ok && settled) ended(Number(params.taskId));
      if (route === 'POST /v1/work/results' && ok) for (const outcome of body.results) ended(outcome.taskId);
      if (route === 'POST /v1/tasks' && ok) remember(world.tasks, body.id);
      if (route === 'POST /v1/files' && status === 201 && (request.caller === 'app' || request.caller === 'otherApp')) {
        remember(world.files[request.caller], body.id, 20);
      }
      if (route === 'POST /v1/work/{taskId}/files' && status === 201) remember(world.outputFiles, { taskId: Number(params.taskId), fileId: body.id });
      if (route === 'POST /v1/admin/tokens' && status === 201) remember(world.tokenIds, body.id, 20);
      if (route === 'GET /v1/tasks' && ok && body.nextCursor) remember(world.cursors, body.nextCursor, 20);
      if (ok && /^(PUT|DELETE) \/v1\/(providers|admin\/task-types)\//.test(route)) stale = true;
    },
    async handBackShortLeases(status, body) {
      if (status < 200 || status >= 300 || !Array.isArray(body?.tasks)) return;
      const soon = Date.now() + 10 * 60_000;
      for (const claimed of body.tasks) {
        if (!claimed?.leaseId || Date.parse(claimed.leaseExpiresAt) > soon) continue;
        const released = await admin.post(`/v1/work/${claimed.task.id}/release`, { leaseId: claimed.leaseId });
        expect(released.status, JSON.stringify(released.body)).toBe(200);
        world.leases = world.leases.filter((l) => l.leaseId !== claimed.leaseId);
      }
    },
  };
  await world.refresh();
  return world;
}
