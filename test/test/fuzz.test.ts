import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, useInProcessCoordinator } from '../src/index.ts';
import { checkAnswer, type Answer, type CheckContext } from '../src/fuzz/fuzz-checks.ts';
import { describeRequest, toWebRequest, type FuzzRequest } from '../src/fuzz/fuzz-request.ts';
import { fuzzRoutes, type FuzzRoute } from '../src/fuzz/fuzz-routes.ts';
import { readFuzzSettings, replayHint } from '../src/fuzz/fuzz-settings.ts';
import { countAnswer, createTally, statusTable, summarize } from '../src/fuzz/fuzz-tally.ts';
import { createFuzzWorld, type FuzzWorld } from '../src/fuzz/fuzz-world.ts';
import { fingerprintDatabase } from '../src/fuzz/db-fingerprint.ts';
import { requestArbitrary, type Limits } from '../src/fuzz/request-arbitrary.ts';

// Seeded fuzzing of every route the app has, in process, on both databases: whatever is sent
// (valid, at the bounds, one thing wrong, junk; any caller), the answer is never a 5xx, an error
// is problem+json with a code, a refused request leaves the database as it was, and an accepted
// task is valid against its type. TASKPROC_FUZZ_SEED and TASKPROC_FUZZ_RUNS choose the requests
// (see src/fuzz/fuzz-settings.ts); a failure prints the line that replays it.

const settings = readFuzzSettings();
const limits: Limits = { bodyBytes: 65_536, fileBytes: 65_536 };

describeEachDatabase('fuzz', (kind) => {
  const fx = useInProcessCoordinator(kind, {
    // Small limits, so bodies and files over them cost little to send.
    TASKPROC_MAX_BODY_BYTES: String(limits.bodyBytes),
    TASKPROC_MAX_FILE_BYTES: String(limits.fileBytes),
    TASKPROC_MAX_INPUT_BYTES: '16384',
    // Nothing waits: a fuzzed long-poll answers at once, so one request never holds up the next.
    TASKPROC_MAX_WAIT_MS: '0',
    TASKPROC_MAX_TASK_WAIT_S: '0',
    // Nothing changes behind the requests' backs during a run: leases and liveness outlast it,
    // so a refused request's before/after fingerprints see only what that request did.
    TASKPROC_LEASE_MS: '3600000',
    TASKPROC_PROVIDER_LIVENESS_MS: '3600000',
    TASKPROC_WEBHOOK_MAX_ATTEMPTS: '1',
  });
  let world: FuzzWorld;
  let routes: FuzzRoute[];

  beforeAll(async () => {
    world = await createFuzzWorld(fx.admin);
    routes = fuzzRoutes(fx.coordinator.app);
  });

  const send = async (request: FuzzRequest): Promise<Answer> => {
    const res = await fx.coordinator.app.fetch(toWebRequest(request));
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.includes('text/event-stream')) {
      // An event stream never ends by itself: the headers are the answer; hanging up ends it.
      await res.body?.cancel();
      return { status: res.status, contentType, body: null };
    }
    const text = await res.text();
    let body: unknown = text;
    if (contentType.includes('json') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = { unparsable: text.slice(0, 200) };
      }
    }
    return { status: res.status, contentType, body };
  };

  it(`answers ${settings.runs} fuzzed requests over every route without a 5xx or a half-written row`, async () => {
    const ctx: CheckContext = { db: fx.db, admin: fx.admin, world };
    const tally = createTally();
    const property = fc.asyncProperty(requestArbitrary(routes, world, limits), async (request) => {
      const before = await fingerprintDatabase(fx.db);
      const answer = await send(request);
      world.track(request, answer.status, answer.body);
      await world.handBackShortLeases(answer.status, answer.body);
      const violations = await checkAnswer(ctx, request, answer, before);
      const route = routes.some((r) => r.key === request.route) ? request.route : 'a route the app does not have';
      countAnswer(tally, route, answer.status, answer.body?.code, violations);
      if (violations.length > 0) throw new Error(violations.map((v) => `${v.kind}: ${v.detail}`).join('\n'));
    });
    const details = await fc.check(property, {
      seed: settings.seed,
      numRuns: settings.runs,
      ...(settings.path ? { path: settings.path } : {}),
    });
    console.log(summarize(kind, settings.seed, tally));
    if (process.env.TASKPROC_FUZZ_VERBOSE) console.log(statusTable(tally));
    if (details.failed) {
      const [request] = details.counterexample ?? [];
      throw new Error(
        `fuzz [${kind}] failed after ${details.numRuns} runs (shrunk ${details.numShrinks} times)\n` +
          `replay: ${replayHint(settings, details.numRuns, details.counterexamplePath ?? undefined)}\n` +
          `request: ${request ? describeRequest(request) : '(none)'}\n` +
          `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
      );
    }
    expect(tally.violations).toEqual({ server_error: 0, not_a_problem: 0, half_written: 0, invalid_accepted: 0 });
    // Every route the app has got its share (a short replay of one path is exempt: it sends few).
    if (!settings.path && settings.runs >= routes.length * 20) {
      expect(routes.filter((r) => !tally.byRoute.has(r.key)).map((r) => r.key)).toEqual([]);
    }
    // The fuzz reaches past validation: tasks are scheduled, claimed and reported.
    if (!settings.path && settings.runs >= 200) {
      expect(tally.byRoute.get('POST /v1/tasks')).toBeGreaterThan(0);
      expect(tally.byClass['2xx']).toBeGreaterThan(settings.runs / 10);
    }
  }, Math.max(120_000, settings.runs * 150));
});
