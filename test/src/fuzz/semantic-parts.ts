import fc from 'fast-check';
import { ScheduleTaskRequest, Shape, TaskType, type SlotRules } from '@taskproc/spec';
import type { FuzzWorld, Lease } from './fuzz-world.ts';
import { inputRulesOf, outputRulesOf } from './rules-of.ts';
import { invalidSlotValues, validSlotValues } from './slot-values.ts';
import { validOf } from './zod-arbitrary.ts';

// Requests whose fields depend on each other, which a schema alone cannot say: a task's input
// fits its type, a report names a lease of the task in its path, a claim names the caller's own
// providers. Mostly valid, so the fuzz reaches scheduling, claiming and reporting; with one slot
// wrong now and then, where the schema-derived requests would be refused long before.

/** Path params, query and body of a request, any of them left to the schema-derived builder. */
export interface Parts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

const noRules: SlotRules = { shape: {}, optionalShape: {}, enumValues: {}, defaults: {} };

/** Current world state, read when a value is generated (the world changes between runs). */
const pick = <T>(values: () => readonly T[], fallback: T): fc.Arbitrary<T> =>
  fc.constant(null).chain(() => (values().length > 0 ? fc.constantFrom(...values()) : fc.constant(fallback)));

const someLease = (world: FuzzWorld): fc.Arbitrary<Lease | undefined> => pick<Lease | undefined>(() => world.leases, undefined);

function slotValues(rules: SlotRules, files: () => readonly number[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: validSlotValues(rules, files) }, { weight: 1, arbitrary: invalidSlotValues(rules, files) });
}

function schedule(world: FuzzWorld): fc.Arbitrary<Parts> {
  const served = () => [...world.listing.values()].filter((t) => t.providerId !== null);
  return pick(served, undefined).chain((type) => {
    const rules = type ? inputRulesOf(type) : noRules;
    const optional = validOf(ScheduleTaskRequest) as fc.Arbitrary<Record<string, unknown>>;
    return fc
      .record({
        rest: optional,
        input: slotValues(rules, () => world.files.app),
        // Now and then a key from a small pool: the same key again is a repeat (200) or a conflict (409).
        key: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('retry-1', 'retry-2', 'retry-3') }),
      })
      .map(({ rest, input, key }) => ({
        body: { ...rest, type: type?.id ?? 'core:text2text', input },
        ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
      }));
  });
}

function outputOf(world: FuzzWorld, lease: Lease | undefined): fc.Arbitrary<unknown> {
  const type = lease && world.listing.get(lease.type);
  const rules = type ? outputRulesOf(type, world.providers.get(lease.providerId)) : noRules;
  const uploaded = () => world.outputFiles.filter((f) => f.taskId === lease?.taskId).map((f) => f.fileId);
  return slotValues(rules, uploaded);
}

function report(world: FuzzWorld, lease: Lease | undefined): fc.Arbitrary<Record<string, unknown>> {
  const leaseId = lease?.leaseId ?? '00000000-0000-4000-8000-000000000000';
  return fc.oneof(
    { weight: 3, arbitrary: outputOf(world, lease).map((output) => ({ leaseId, output })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ message: fc.string({ minLength: 1, maxLength: 40 }), userFacingMessage: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) }, { requiredKeys: ['message'] })
        .map((error) => ({ leaseId, error })),
    },
  );
}

/**
 * What a provider adds to a type that exists: optional slots, mostly (defaults and enum values
 * only fit slots of the type, which random ones rarely do: the schema-derived requests try those).
 */
const descriptorAdditions = fc.record(
  {
    expectedRuntime: fc.integer({ min: 0, max: 86_400 }),
    optionalInputShape: validOf(Shape),
    optionalOutputShape: validOf(Shape),
  },
  { requiredKeys: [] },
);

/** A provider that brings its own type: shapes from the schema, the id its task type. */
const customType = fc
  .tuple(fc.constantFrom('fuzz:custom-a', 'fuzz:custom-b', 'fuzz:custom-c'), validOf(TaskType) as fc.Arbitrary<Record<string, unknown>>)
  .map(([id, type]) => ({ taskType: id, customTaskType: { ...type, id } }));

const taskParams = (lease: Lease | undefined, world: FuzzWorld) => ({ taskId: String(lease?.taskId ?? world.tasks.at(-1) ?? 1) });

/** The builders, by route template. */
export function semanticParts(world: FuzzWorld): Record<string, fc.Arbitrary<Parts>> {
  const claim = fc.record(
    {
      // Mostly the caller's registered providers; a scratch id may not be registered (404).
      providerIds: fc.oneof(
        { weight: 6, arbitrary: fc.subarray(world.coreProviderIds.provider, { minLength: 1 }) },
        { weight: 1, arbitrary: fc.subarray([...world.coreProviderIds.provider, ...world.scratchProviderIds], { minLength: 1 }) },
      ),
      max: fc.integer({ min: 1, max: 20 }),
      waitMs: fc.constantFrom(0, 10),
      // Leases never run out during a run: a sweep between the two fingerprints of a refused
      // request would look like that request writing. Short leases are the schema-derived
      // requests' job, where they are refused (below 1 s) or behave as these do.
      leaseMs: fc.constant(3_600_000),
    },
    { requiredKeys: ['providerIds'] },
  );
  return {
    'POST /v1/tasks': schedule(world),
    'POST /v1/work/next': claim.map((body) => ({ body })),
    'POST /v1/work/{taskId}/result': someLease(world).chain((lease) =>
      fc.tuple(report(world, lease), fc.option(fc.constant({ Prefer: 'return=minimal' }), { nil: undefined })).map(([body, headers]) => ({
        params: taskParams(lease, world),
        body,
        ...(headers ? { headers } : {}),
      })),
    ),
    'POST /v1/work/results': fc
      .array(someLease(world).chain((lease) => report(world, lease).map((r) => ({ taskId: lease?.taskId ?? 1, ...r }))), { minLength: 1, maxLength: 4 })
      .chain((results) => fc.option(claim, { freq: 2 }).map((next) => ({ body: { results, ...(next ? { next } : {}) } }))),
    'POST /v1/work/{taskId}/progress': someLease(world).chain((lease) =>
      fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }).map((progress) => ({
        params: taskParams(lease, world),
        body: { leaseId: lease?.leaseId ?? '00000000-0000-4000-8000-000000000000', ...(progress === undefined ? {} : { progress }) },
      })),
    ),
    'POST /v1/work/{taskId}/release': someLease(world).map((lease) => ({
      params: taskParams(lease, world),
      body: { leaseId: lease?.leaseId ?? '00000000-0000-4000-8000-000000000000' },
    })),
    'GET /v1/work/{taskId}/files/{fileId}': someLease(world).chain((lease) =>
      pick(() => world.files.app, 1).map((fileId) => ({ params: { ...taskParams(lease, world), fileId: String(fileId) }, query: { leaseId: lease?.leaseId ?? '' } })),
    ),
    'POST /v1/work/{taskId}/files': someLease(world).map((lease) => ({ params: taskParams(lease, world), query: { leaseId: lease?.leaseId ?? '' } })),
    'PUT /v1/providers/{providerId}': fc.tuple(fc.constantFrom(...world.scratchProviderIds), fc.oneof(
      { weight: 3, arbitrary: pick(() => world.typeIds, 'core:text2text').chain((taskType) => descriptorAdditions.map((additions) => ({ taskType, ...additions }))) },
      { weight: 1, arbitrary: customType },
    )).map(([providerId, descriptor]) => ({ params: { providerId }, body: { name: 'Scratch', ...descriptor } })),
  };
}
