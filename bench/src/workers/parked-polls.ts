/**
 * Bench worker: keeps `BENCH_CONCURRENCY` long-poll claims open for a provider whose type is
 * never scheduled, re-issuing each one when the coordinator ends its wait. Reports `parked`
 * once every request has been written to its socket. Process edge: reads the environment.
 */
import { Agent, request } from 'node:http';
import { tellBench, workerEnv } from '../messages.ts';
import { parkedTaskType } from '../taskproc/bench-providers.ts';

const polls = Number(process.env[workerEnv.concurrency] ?? 1_000);
const url = new URL('/v1/work/next', process.env.TASKPROC_URL!);
const body = JSON.stringify({ providerIds: [parkedTaskType], max: 1, waitMs: 300_000 });
// One socket per parked request, as 1,000 provider processes would have.
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
let written = 0;
let stopping = false;

/** One claim; resolves when the coordinator answers (its wait ended). */
function claim(onWritten: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${process.env.TASKPROC_TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`claim answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.on('finish', onWritten);
    req.end(body);
  });
}

async function lane(): Promise<void> {
  let first = true;
  while (!stopping) {
    await claim(() => {
      if (!first) return;
      first = false;
      if (++written === polls) tellBench({ kind: 'parked', open: written });
    });
  }
}

process.once('SIGTERM', () => {
  stopping = true;
  agent.destroy();
  process.exit(0);
});
await Promise.all(Array.from({ length: polls }, lane)).catch((err: unknown) => {
  if (stopping) return;
  tellBench({ kind: 'error', message: String(err) });
  process.exit(1);
});
