/**
 * Bench worker: our provider SDK serving a no-op type. Pickup mode reports each task's
 * `process` start and the moment its result was accepted; drain mode counts accepted results
 * and reports progress (first claim, last result, count). Process edge: reads the environment.
 */
import { defaultHttpSend, runProviders, type HttpSend, type Logger } from '@taskproc/provider-sdk';
import { tellBench, workerEnv, type BenchMessage, type WorkerMode } from '../messages.ts';
import { createNoopProvider } from '../taskproc/bench-providers.ts';

const mode = process.env[workerEnv.mode] as WorkerMode;
const concurrency = Number(process.env[workerEnv.concurrency] ?? 1);
const expected = Number(process.env[workerEnv.expect] ?? 0);
const taskType = process.env[workerEnv.taskType]!;
// Resolved when the bench says go (at once unless asked to hold the first claim).
const claimsAllowed =
  process.env[workerEnv.holdClaims] === '1'
    ? new Promise<void>((resolve) =>
        process.on('message', (message: BenchMessage) => {
          if (message.kind === 'go') resolve();
        }),
      )
    : Promise.resolve();

const seqOfTask = new Map<number, number>();
let lastClaimAnsweredAt = 0n;
let firstClaimAt: bigint | undefined;
let lastResultAt = 0n;
let accepted = 0;
let reported = 0;

const provider = createNoopProvider(taskType, (seq, taskId, at) => {
  // The claim that handed out the first task answered just before its first `process` call.
  firstClaimAt ??= lastClaimAnsweredAt;
  if (mode === 'pickup') {
    seqOfTask.set(taskId, seq);
    tellBench({ kind: 'pick', seq, at });
  }
});

function reportProgress(): void {
  if (accepted === reported || firstClaimAt === undefined) return;
  reported = accepted;
  tellBench({ kind: 'progress', firstAt: firstClaimAt, lastAt: lastResultAt, count: accepted, repeats });
}
if (mode === 'drain') setInterval(reportProgress, 200).unref();

// A report the SDK sent again (its request failed or timed out, but the first had been stored)
// is accepted again: each task counts once, the repeats are reported on their own.
const acceptedTasks = new Set<number>();
let repeats = 0;

/** The result of task `taskId` was accepted at `at`. */
function accept(taskId: number, at: bigint): void {
  if (mode === 'pickup') {
    const seq = seqOfTask.get(taskId);
    if (seq === undefined) return;
    tellBench({ kind: 'done', seq });
    seqOfTask.delete(taskId);
    return;
  }
  if (acceptedTasks.has(taskId)) {
    repeats++;
    return;
  }
  acceptedTasks.add(taskId);
  accepted++;
  lastResultAt = at;
  if (accepted >= expected && expected > 0) reportProgress();
}

/** What the bench reads of a `POST /v1/work/results` answer (the SDK checks it against the spec). */
interface BatchAnswer {
  results?: Array<{ taskId?: unknown; status?: unknown }>;
  tasks?: unknown[];
}

// Watches the SDK's own requests, on the SDK's own default HTTP layer (wrapped, not replaced):
// when a claim answered and when a result was accepted. Results go one per request
// (`POST /v1/work/{id}/result`) or several in one (`POST /v1/work/results`, whose answer may also
// carry newly claimed tasks when the SDK sent a claim along).
const resultPath = /\/v1\/work\/(\d+)\/result$/;
const observingSend: HttpSend = async (request) => {
  const path = request.url.pathname;
  if (path === '/v1/work/next') await claimsAllowed;
  const res = await defaultHttpSend(request);
  const at = process.hrtime.bigint();
  const ok = res.status >= 200 && res.status < 300;
  if (path === '/v1/work/next') {
    lastClaimAnsweredAt = at;
    return res;
  }
  if (path === '/v1/work/results') {
    if (!ok) return res;
    // Read before the SDK sees the answer: its tasks are dispatched (and `process` called) only
    // after this returns, so the claim time is in place first.
    let answer: BatchAnswer;
    try {
      answer = JSON.parse(new TextDecoder().decode(res.bytes)) as BatchAnswer;
    } catch (err) {
      // Nothing could be counted: the bench must not wait for results it will never hear of.
      tellBench({ kind: 'error', message: `unreadable POST /v1/work/results answer: ${String(err)}` });
      return res;
    }
    if (Array.isArray(answer.tasks)) lastClaimAnsweredAt = at;
    for (const outcome of answer.results ?? []) {
      if (outcome.status === 200 && typeof outcome.taskId === 'number') accept(outcome.taskId, at);
    }
    return res;
  }
  const result = resultPath.exec(path);
  if (result && ok) accept(Number(result[1]), at);
  return res;
};

const quiet: Logger = { debug() {}, info() {}, warn() {}, error: (fields: object | string) => console.error(fields), child: () => quiet };

const runner = runProviders({
  url: process.env.TASKPROC_URL!,
  token: process.env.TASKPROC_TOKEN!,
  providers: [provider],
  concurrency,
  waitMs: 30_000,
  logger: quiet,
  send: observingSend,
});
process.once('SIGTERM', () => void runner.stop({ graceMs: 1_000 }));
runner.ready.then(
  () => tellBench({ kind: 'ready' }),
  (err: unknown) => tellBench({ kind: 'error', message: String(err) }),
);
runner.done.then(
  () => process.exit(0),
  (err: unknown) => {
    tellBench({ kind: 'error', message: String(err) });
    process.exit(1);
  },
);
