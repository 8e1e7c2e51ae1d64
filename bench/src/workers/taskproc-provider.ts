/**
 * Bench worker: our provider SDK serving a no-op type. Pickup mode reports each task's
 * `process` start and the moment its result was accepted; drain mode counts accepted results
 * and reports progress (first claim, last result, count). Process edge: reads the environment.
 */
import { runProviders, type Logger } from '@taskproc/provider-sdk';
import { tellBench, workerEnv, type WorkerMode } from '../messages.ts';
import { createNoopProvider } from '../taskproc/bench-providers.ts';

const mode = process.env[workerEnv.mode] as WorkerMode;
const concurrency = Number(process.env[workerEnv.concurrency] ?? 1);
const expected = Number(process.env[workerEnv.expect] ?? 0);
const taskType = process.env[workerEnv.taskType]!;

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
  tellBench({ kind: 'progress', firstAt: firstClaimAt, lastAt: lastResultAt, count: accepted });
}
if (mode === 'drain') setInterval(reportProgress, 200).unref();

// Watches the SDK's own requests: when a claim answered and when a result was accepted.
const resultPath = /\/v1\/work\/(\d+)\/result$/;
const observingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const at = process.hrtime.bigint();
  const path = new URL(String(input)).pathname;
  if (path === '/v1/work/next') {
    lastClaimAnsweredAt = at;
    return res;
  }
  const result = resultPath.exec(path);
  if (!result || !res.ok) return res;
  if (mode === 'pickup') {
    const taskId = Number(result[1]);
    tellBench({ kind: 'done', seq: seqOfTask.get(taskId) ?? -1 });
    seqOfTask.delete(taskId);
    return res;
  }
  accepted++;
  lastResultAt = at;
  if (accepted === expected) reportProgress();
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
  fetch: observingFetch,
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
