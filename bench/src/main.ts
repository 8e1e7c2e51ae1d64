/**
 * `npm run bench [-- --quick] [-- --only=taskproc-postgres,graphile-worker,...]`: runs the
 * suites, prints the table and writes bench/results/latest.json. Process edge: reads argv.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { postgresAdminUrl } from '@taskproc/test';
import postgres from 'postgres';
import { describeMachine, gitCommit, packageVersion } from './machine.ts';
import type { PeerResult } from './peers/peer-result.ts';
import { comparePeers, formatReport, writeReport, type BenchReport } from './report.ts';
import { fullSettings, quickSettings } from './settings.ts';
import { runPeerSuite, runTaskprocSuite, suiteNames, type SuiteName, type TaskprocResult } from './suites.ts';
import { checkTargets } from './targets.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  allowPositionals: false,
});
const settings = values.quick ? quickSettings : fullSettings;
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...suiteNames];
const unknown = only.filter((name) => !suiteNames.includes(name as SuiteName));
if (unknown.length > 0) {
  console.error(`unknown suite(s) ${unknown.join(', ')}; choose from ${suiteNames.join(', ')}`);
  process.exit(2);
}

const startedAt = new Date();
const began = process.hrtime.bigint();
const elapsed = () => `${Math.round(Number(process.hrtime.bigint() - began) / 1e9)} s`;
const log = (suite: string) => (line: string) => console.error(`[${elapsed()}] ${suite}: ${line}`);
const machine = describeMachine();
// Taken before the suites: other work may commit to the tree while the bench runs.
const versions = {
  taskproc: gitCommit(),
  node: process.version,
  postgresql: await postgresVersion(),
  pglite: packageVersion('@electric-sql/pglite'),
  'graphile-worker': packageVersion('graphile-worker'),
  'pg-boss': packageVersion('pg-boss'),
};
// The machine may be shared: the load around each suite says how comparable its figures are.
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const suiteLoad: BenchReport['suiteLoad'] = [];

const taskproc: TaskprocResult[] = [];
const peers: PeerResult[] = [];
for (const suite of suiteNames.filter((name) => only.includes(name))) {
  log(suite)('start');
  const loadAtStart = load();
  if (suite === 'taskproc-postgres' || suite === 'taskproc-pglite') {
    taskproc.push(await runTaskprocSuite(suite === 'taskproc-postgres' ? 'postgres' : 'pglite', settings, log(suite)));
  } else {
    peers.push(await runPeerSuite(suite, settings));
  }
  suiteLoad.push({ suite, loadAtStart, loadAtEnd: load() });
}

const ours = taskproc.find((r) => r.database === 'postgres');
const report: BenchReport = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  durationSeconds: Math.round(Number(process.hrtime.bigint() - began) / 1e9),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine,
  versions,
  suiteLoad,
  settings: {
    ...settings,
    notes: [
      'Every process (bench, coordinator, provider or worker, PostgreSQL) runs on this one machine, which may be running other work: see loadAverageAtStart.',
      'Coordinator on its defaults (LOG_LEVEL=warn); the app side is @taskproc/client; our provider is @taskproc/provider-sdk with a no-op process, long-poll wait 30 s.',
      'Pickup: one worker at concurrency 1; jobs sent one at a time, 5-15 ms (plus any polling interval) after the previous one finished.',
      'Drains: tasks inserted with SQL copies of one scheduled task (on PGlite with the coordinator stopped and restarted), one task type per drain; ours timed from the first claim answer to the last accepted result, seen by the provider; peers from the first job start to an empty table (read every 5 ms).',
      `Drains, and the scheduling of the mixed run, stop after ${settings.drainCapSeconds} s (the big drain after ${settings.bigDrainCapSeconds} s); the rate is then over the tasks done (marked capped).`,
      `Replica drain (PostgreSQL only): ${settings.replicas} coordinator processes on one database, one provider process each at concurrency ${settings.replicaProviderConcurrency}; timed from the first claim answered to any to the last result accepted by any.`,
      'Coordinator CPU per task: utime + stime of the coordinator process(es) from /proc/<pid>/stat (clock ticks, 1/CLK_TCK s), from the provider being ready to the last result (the mixed run: from the first schedule), over the tasks done.',
      'Hand-off share: growth of taskproc_tasks_scheduled_total{delivery="handoff"} over handoff + queued in GET /metrics, over the measured pickup tasks (warm-up excluded) and over the mixed run.',
      'The backlog of waiting tasks is inserted the same way as the drains\' tasks.',
    ],
  },
  taskproc,
  peers,
  comparison: comparePeers(ours, peers, settings),
  targets: checkTargets(taskproc, peers, settings),
};
const path = writeReport(report, new URL('../results/latest.json', import.meta.url));
console.log(formatReport(report));
console.log(`\nwritten to ${path}`);

async function postgresVersion(): Promise<string> {
  const sql = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ server_version: string }[]>`show server_version`)[0]!.server_version;
  } catch {
    return 'unreachable';
  } finally {
    await sql.end();
  }
}
